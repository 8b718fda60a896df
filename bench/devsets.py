"""Development sets written by helpers who saw only the corpus, one per class of question (bench/dev/*_questions.yaml).

Each holds questions of one hard class beside answerable ones on the same texts, asked the same ways:
- delegated_questions.yaml: a detail the Code leaves to an arrêté, a decree, an annex or another text absent from the
  corpus (« quel niveau … », « sous quelle forme … »);
- near_domain_questions.yaml: a fact about a subject the corpus discusses, which it does not give;
- premise_questions.yaml: a question taking for granted what the corpus contradicts (a duty where the text leaves a
  choice, a wrong figure, a clause the text voids);
- situations_dev.yaml: buyers' purchases with an amount, each point asked graded as bench/situations.py grades the
  situations set (the article's line, its conclusion for the buyer's figures, contradictions counted).
A delegated or near-domain question is right when the answer is partial or refused; a false premise, when the answer
holds the words that correct it; an answerable one, when the answer is not refused and holds its phrase. They are
development sets, read whole: the blind sets say whether what they guided generalises.

Usage: python -m bench.devsets [--work DIR] [--verbose] [NAME …]   (NAME: delegated, near_domain, premise, situations)
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import yaml

from bench.calibrate_abstention import eval_container
from bench.situations import Tally, aspect_right, pct

DEV = Path(__file__).resolve().parent / "dev"
SETS = ("delegated", "near_domain", "premise", "situations")
_TITLES = {"delegated": "Détails renvoyés à un autre texte", "near_domain": "Faits voisins absents des documents",
           "premise": "Prémisses fausses", "situations": "Situations d'acheteur"}
_LABELS = {"delegated": "détail absent dit manquant (partielle ou refus)",
           "near_domain": "fait absent dit manquant (partielle ou refus)",
           "false_premise": "prémisse corrigée (les mots qui la corrigent sont cités)",
           "answerable": "point énoncé par le corpus donné"}


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("’", "'")).lower()


def right(item: dict, answer) -> bool:
    if item["kind"] in ("delegated", "near_domain"):
        return answer.status in ("partial", "refused")
    return answer.status != "refused" and _plain(item["must_contain"]) in _plain(answer.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"parmi {', '.join(SETS)} (tous par défaut)")
    parser.add_argument("--work", type=Path, default=Path(".bench"))
    parser.add_argument("--verbose", action="store_true", help="chaque question manquée, avec son statut")
    args = parser.parse_args()
    engine = eval_container(args.work).answers
    unknown = [n for n in args.names if n not in SETS]
    if unknown:
        parser.error(f"jeu inconnu : {', '.join(unknown)} (choisir parmi {', '.join(SETS)})")
    for name in args.names or SETS:
        if name == "situations":
            _situations(engine, args.verbose)
            continue
        path = DEV / f"{name}_questions.yaml"
        results: dict[str, list[bool]] = {}
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            answer = engine.ask(item["q"])
            ok = right(item, answer)
            results.setdefault(item["kind"], []).append(ok)
            if args.verbose and not ok:
                print(f"  manquée ({item['kind']}, {answer.status}, {', '.join(answer.guards) or 'aucun garde-fou'}) : "
                      f"{item['q']}")
        print(f"=== {_TITLES[name]} ({path.relative_to(DEV.parent.parent)}, jeu de développement) ===")
        for kind, oks in results.items():
            print(f"{_LABELS[kind]} : {sum(oks)}/{len(oks)}")


def _situations(engine, verbose: bool) -> None:
    path = DEV / "situations_dev.yaml"
    tally = Tally()
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        answer = engine.ask(item["question"])
        for aspect in item.get("aspects") or []:
            ok = aspect_right(answer, aspect, tally)
            tally.aspects += 1
            tally.right += ok
            if verbose and not ok:
                print(f"  manqué ({aspect['aspect']}, {', '.join(aspect.get('expected_sources') or [])}, attendu "
                      f"{aspect.get('applies')}) : {item['question']}\n    {answer.text[:400]}")
    print(f"=== {_TITLES['situations']} ({path.relative_to(DEV.parent.parent)}, jeu de développement) ===")
    print(f"aspects justes (bon article, bonne conclusion) : "
          f"{pct([True] * tally.right + [False] * (tally.aspects - tally.right))}")
    print(f"conclusions contraires à l'article : {tally.contradictions}")


if __name__ == "__main__":
    main()
