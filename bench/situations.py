"""A buyer's situation answered aspect by aspect, measured (`python -m bench.run --only situations`).

The set, bench/eval/situations.yaml, was written blind (from the corpus and the list of categories only) and
split once by id parity: the odd half may be read to tune, the even half is only ever counted. For each item:
- situation: each aspect asked is right when a line of the answer cites one of its expected articles with the
  right conclusion (« obligatoire ici » / « pas possible ici »… for the buyer's figures) and the answer
  holds its `must_contain` and none of its `must_not_contain`; a line citing the expected article with the
  opposite conclusion is a contradiction (the target tolerates none);
- missing: the answer is partial or refused (the value lives outside the documents);
- ask_back: the answer asks back or gives every case (« n'est pas précisé »);
- compound: all the expected articles are among the top 5 passages retrieved for the question (« all »),
  beside « any » — multi-aspect retrieval. An aspect lists the articles any of which answers it (a law article and
  its decree): « each aspect » counts the questions whose every aspect has one of its articles there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench import evalsets
from bench.calibrate_abstention import eval_container

EVAL = Path(__file__).with_name("eval") / "situations.yaml"
# Several purchases in one question (written blind, split by id parity like the other): an aspect names its purchase
# (`purchase`: 1 for the first mentioned) and is graded on that purchase's part of the answer (« Achat N — … »).
MULTI = Path(__file__).with_name("eval") / "situations_multi.yaml"
# A second blind set of single situations (2026-12-07), with `applies` for a limit as situations_multi.yaml has it.
SECOND = Path(__file__).with_name("eval") / "situations2.yaml"
CAP_ALLOWS = {MULTI, SECOND}
TOP = 5


@dataclass
class Tally:
    aspects: int = 0
    right: int = 0
    contradictions: int = 0
    by_kind: dict[str, list[bool]] = field(default_factory=dict)
    compound_all: list[bool] = field(default_factory=list)
    compound_any: list[bool] = field(default_factory=list)
    compound_each: list[bool] = field(default_factory=list)


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _verdict(line: str, cap_allows: bool = False) -> bool | None:
    """The conclusion a checklist line gives (« obligatoire ici », « pas possible ici »…); None when it depends
    or gives one per kind of contract. A limit on what the buyer plans reads as each set defines `applies` for it:
    situations.yaml, « applies » when the limit bites; situations_multi.yaml (`cap_allows`), when what is planned
    is allowed (its writer was asked for « the option is available »)."""
    head = line.split(". ")[0]
    # (A floor read as a ceiling is: « taux minimal non atteint » bites as « plafond dépassé » does.)
    if re.search(r"\bplafond dépassé ici\b|\btaux minimal non atteint ici\b", head):
        return not cap_allows
    if re.search(r"\bplafond respecté ici\b|\btaux minimal respecté ici\b", head):
        return cap_allows
    # (« applicable ici »: a rule of the Code for what the buyer plans holds, as a default the contract may set aside.)
    said = re.findall(r"\b(pas |non )?(?:obligatoire|possible|applicable) ici\b", head)
    if len(said) != 1 or re.search(r"(?:obligatoire|possible|applicable) ou non", head):
        return None
    return not said[0]


def aspect_right(answer, aspect: dict, tally: Tally, cap_allows: bool = False) -> bool:
    text = _plain(answer.text)
    expected = set(aspect.get("expected_sources") or [])
    # A line is about the article its heading names (« Avance — article R2191-3 : … »), not one it mentions in passing.
    lines = [line for line in text.split("\n") if any(re.search(rf"— article {re.escape(a)} :", line) for a in expected)]
    cited = {c.locator for c in answer.citations}
    facts = all(_plain(m) in text for m in aspect.get("must_contain") or [])
    forbidden = any(_plain(m) in text for m in aspect.get("must_not_contain") or [])
    applies = aspect.get("applies")
    if applies is None:
        return bool(expected & cited) and facts and not forbidden
    verdicts = [_verdict(line, cap_allows) for line in lines]
    if any(v is not None and v != applies for v in verdicts):
        tally.contradictions += 1
    return bool(lines) and any(v == applies for v in verdicts) and facts and not forbidden


@dataclass
class _Part:
    """One purchase's part of an answer, graded as an answer of its own."""

    text: str
    citations: list


def purchase_part(answer, n: int | None) -> _Part:
    """The part of `answer` under « Achat n — » (the whole answer when it has no such parts, or no purchase is named)."""
    pieces = re.split(r"(?m)^Achat (\d+) — ", answer.text)
    if n is None or len(pieces) < 3:
        return _Part(answer.text, answer.citations)
    return _Part(dict(zip(pieces[1::2], pieces[2::2])).get(str(n), ""), answer.citations)


def evaluate(engine, searcher, items: list[dict], cap_allows: bool = False) -> Tally:
    tally = Tally()
    for item in items:
        kind = item["kind"]
        answer = engine.ask(item["question"])
        if kind == "situation":
            for aspect in item.get("aspects") or []:
                ok = aspect_right(purchase_part(answer, aspect.get("purchase")), aspect, tally, cap_allows)
                tally.aspects += 1
                tally.right += ok
                tally.by_kind.setdefault(kind, []).append(ok)
        elif kind == "missing":
            tally.by_kind.setdefault(kind, []).append(answer.status in ("partial", "refused"))
        elif kind == "ask_back":
            tally.by_kind.setdefault(kind, []).append(answer.abstained or "n'est pas précisé" in answer.text)
        elif kind == "compound":
            expected = {a for aspect in item.get("aspects") or [] for a in aspect.get("expected_sources") or []}
            top = {h.meta.get("article_id") for h in searcher.search(item["question"], k=TOP)}
            top |= {c.locator for c in answer.citations}
            tally.compound_all.append(expected <= top)
            tally.compound_any.append(bool(expected & top))
            tally.compound_each.append(all(set(aspect.get("expected_sources") or []) & top
                                           for aspect in item.get("aspects") or []))
    return tally


def pct(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.1%} ({sum(values)}/{len(values)})" if values else "—"


def bench_situations(work: Path) -> None:
    if not EVAL.exists():
        print("bench/eval/situations.yaml absent : rien à mesurer.")
        return
    container = eval_container(work)
    for path in (EVAL, MULTI, SECOND):
        if path.exists():
            _report(container, path)


def _report(container, path: Path) -> None:
    items = evalsets.read(path)
    for label, half in (("moitié de réglage, identifiants impairs", 1), ("moitié aveugle, identifiants pairs", 0)):
        chosen = [i for i in items if int(str(i["id"]).rsplit("-", 1)[1]) % 2 == half]
        tally = evaluate(container.answers, container.searcher, chosen, cap_allows=path in CAP_ALLOWS)
        print(f"\n=== Situations d'acheteur (bench/eval/{path.name}, {label}) — {len(chosen)} questions ===")
        print(f"aspects justes (bon article, bonne conclusion) : "
              f"{pct([True] * tally.right + [False] * (tally.aspects - tally.right))}")
        print(f"conclusions contraires à l'article : {tally.contradictions}")
        for kind in ("missing", "ask_back"):
            print(f"  {kind:10s} : {pct(tally.by_kind.get(kind, []))}")
        print(f"questions composées : tous les articles attendus dans le top {TOP} {pct(tally.compound_all)}, "
              f"au moins un {pct(tally.compound_any)}, un pour chaque aspect {pct(tally.compound_each)}")
