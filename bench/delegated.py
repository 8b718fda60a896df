"""Development check of the details the Code leaves to another text (bench/dev/delegated_questions.yaml).

A helper who saw only the corpus wrote questions of two kinds on the same articles: a detail the article leaves to
an arrêté, a decree, an annex or another text absent from the corpus (« quel niveau … », « sous quelle forme … »:
right when the answer is partial or refused), and a point the corpus does state (right when the answer is not
refused and holds the exact phrase given). It is a development set, read whole: the blind sets say whether what it
guided generalises.

Usage: python -m bench.delegated [--work DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import yaml

from bench.calibrate_abstention import eval_container

DEV_SET = Path(__file__).resolve().parent / "dev" / "delegated_questions.yaml"


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("’", "'")).lower()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(".bench"))
    parser.add_argument("--verbose", action="store_true", help="chaque question manquée, avec son statut")
    args = parser.parse_args()
    engine = eval_container(args.work).answers
    right: dict[str, list[bool]] = {"delegated": [], "answerable": []}
    for item in yaml.safe_load(DEV_SET.read_text(encoding="utf-8")):
        answer = engine.ask(item["q"])
        if item["kind"] == "delegated":
            ok = answer.status in ("partial", "refused")
        else:
            ok = answer.status != "refused" and _plain(item["answer"]) in _plain(answer.text)
        right[item["kind"]].append(ok)
        if args.verbose and not ok:
            print(f"  manquée ({item['kind']}, {answer.status}, {', '.join(answer.guards) or 'aucun garde-fou'}) : "
                  f"{item['q']}")
    print("=== Détails renvoyés à un autre texte (bench/dev/delegated_questions.yaml, jeu de développement) ===")
    for kind, label in (("delegated", "détail absent dit manquant (partielle ou refus)"),
                        ("answerable", "point énoncé par le corpus donné")):
        print(f"{label} : {sum(right[kind])}/{len(right[kind])}")


if __name__ == "__main__":
    main()
