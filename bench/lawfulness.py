"""Permission questions that touch equal treatment, measured (`python -m bench.run --only lawfulness`).

The set, bench/eval/lawfulness.yaml, was written blind (from the corpus and the list of themes only) and split
once by id parity: the odd half may be read to tune, the even half is only ever counted. For each half:
- detection: a `permission` item is recognised as asking about a rule of the linter (recall), an `other` item
  is not (false detections);
- answer: a `permission` item's answer leads with a rule (its opening names an article) and cites at least one
  of the item's expected articles;
- per theme (origin, location, brand…): how many permission items were recognised, in counts only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import evalsets
from bench.calibrate_abstention import eval_container
from bench.situations import pct as share

EVAL = Path(__file__).with_name("eval") / "lawfulness.yaml"


@dataclass
class Tally:
    permission: int = 0
    detected: int = 0
    detected_by_patterns: int = 0  # the rules' patterns alone, without the model of how buyers ask
    false_by_patterns: int = 0
    answered_with_rule: int = 0
    cites_expected: int = 0
    other: int = 0
    false_detections: int = 0
    themes: Counter = field(default_factory=Counter)
    themes_detected: Counter = field(default_factory=Counter)


def evaluate(engine, permission, items: list[dict]) -> Tally:
    tally = Tally()
    for item in items:
        rules = permission.asked(item["question"])
        by_patterns = bool(permission.linter.asked_all(item["question"]))
        if item["kind"] != "permission":
            tally.other += 1
            tally.false_detections += bool(rules)
            tally.false_by_patterns += by_patterns
            continue
        tally.permission += 1
        tally.detected += bool(rules)
        tally.detected_by_patterns += by_patterns
        tally.themes[item.get("theme", "autre")] += 1
        tally.themes_detected[item.get("theme", "autre")] += bool(rules)
        answer = engine.ask(item["question"])
        tally.answered_with_rule += bool(rules) and bool(answer.framing) and "article" in answer.framing[0]
        tally.cites_expected += bool({c.locator for c in answer.citations} & set(item.get("expected_articles") or []))
    return tally


def _pct(part: int, whole: int) -> str:
    return share([True] * part + [False] * (whole - part))


def bench_lawfulness(work: Path) -> None:
    if not EVAL.exists():
        print("bench/eval/lawfulness.yaml absent : rien à mesurer.")
        return
    container = eval_container(work)
    items = evalsets.read(EVAL)
    for label, half in (("moitié de réglage, identifiants impairs", 1), ("moitié aveugle, identifiants pairs", 0)):
        chosen = [i for i in items if int(str(i["id"]).rsplit("-", 1)[1]) % 2 == half]
        tally = evaluate(container.answers, container.grounding.permission, chosen)
        print(f"\n=== Questions de licéité (bench/eval/lawfulness.yaml, {label}) — {len(chosen)} questions ===")
        print(f"questions de permission reconnues : {_pct(tally.detected, tally.permission)} "
              f"(par les motifs seuls : {_pct(tally.detected_by_patterns, tally.permission)})")
        print(f"réponses menées par la règle : {_pct(tally.answered_with_rule, tally.permission)}")
        print(f"réponses citant un article attendu : {_pct(tally.cites_expected, tally.permission)}")
        print(f"autres questions lues à tort comme des questions de licéité : {_pct(tally.false_detections, tally.other)} "
              f"(par les motifs seuls : {_pct(tally.false_by_patterns, tally.other)})")
        print("par thème (reconnues / total) : " + ", ".join(
            f"{theme} {tally.themes_detected[theme]}/{n}" for theme, n in sorted(tally.themes.items())))
