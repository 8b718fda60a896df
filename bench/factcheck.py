"""The fact-checker measured on drafts (`python -m bench.run --only factcheck`).

The sets, bench/eval/verify_alliance.yaml (press articles) and bench/eval/verify_marches.yaml (the Code, the
CCAG, the guides), were written blind by helper sessions that saw only the corpus and the five statuses; each
item is one or two sentences of a draft with one claim under test and its expected status. They are split once
by id parity: the odd half may be read to tune, the even half is only ever counted. For each half:
- planted errors flagged (any status but « confirmed ») and flagged with the expected status;
- precision of the « different / not found / misattributed » flags (the issue's target: ≥ 0.95): the share of
  the items so flagged that hold a planted error;
- false alarms: correct items with any finding other than « confirmed » (target ≤ 5 %);
- a confusion table (expected → found), in counts; the time per draft.
The status found for an item is the one of the findings on its claim (the most severe), else the most severe of
the item's other findings, else « confirmed » when the item's claim was checked by none (« aucun »).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

from bench import evalsets
from bench.calibrate_abstention import eval_container
from bench.common import percentiles
from bench.situations import pct as share

EVAL = Path(__file__).with_name("eval")
SETS = ("verify_alliance.yaml", "verify_marches.yaml", "verify_extra.yaml", "verify_probe.yaml")
ERRORS = ("different", "not_found", "misattributed", "old")
FLAGS = ("different", "not_found", "misattributed")
SEVERITY = {"confirmed": 0, "old": 1, "misattributed": 2, "different": 3, "not_found": 4}
# The day the sets were written: what is « old » is counted from it, whatever the day of the run.
TODAY = dt.date(2026, 12, 5)


def found_status(item: dict, report) -> str:
    text, claim = item["text"], item["claim"]
    at = text.find(claim)
    span = (at, at + len(claim)) if at >= 0 else None
    on_claim, others = [], []
    for finding in report.findings:
        where = text.find(finding.sentence)
        start = where + finding.start if where >= 0 else -1
        overlaps = span is not None and start >= 0 and start < span[1] and span[0] < start + len(finding.claim)
        (on_claim if overlaps or finding.claim in claim or claim in finding.claim else others).append(finding.status)
    chosen = on_claim or [s for s in others if s != "confirmed"]
    if not chosen:
        return "confirmed" if others else "aucun"
    return max(chosen, key=SEVERITY.__getitem__)


def _ratio(part: int, whole: int) -> str:
    return share([True] * part + [False] * (whole - part))


def bench_factcheck(work: Path) -> None:
    items = []
    for name in SETS:
        path = EVAL / name
        if path.exists():
            items.extend({**item, "set": name} for item in evalsets.read(path) or [])
    if not items:
        print("bench/eval/verify_*.yaml absents : rien à mesurer.")
        return
    checker = eval_container(work).fact_checker
    audiences = ("public", "members", "staff")
    for label, half in (("moitié de réglage, identifiants impairs", 1), ("moitié aveugle, identifiants pairs", 0)):
        chosen = [i for i in items if int(str(i["id"]).rsplit("-", 1)[1]) % 2 == half]
        confusion: Counter = Counter()
        by_set: dict[str, Counter] = {}
        times = []
        for item in chosen:
            started = time.perf_counter()
            report = checker.check(item["text"], audiences=audiences, today=TODAY)
            times.append(time.perf_counter() - started)
            found = found_status(item, report)
            confusion[(item["expected"], found)] += 1
            by_set.setdefault(item["set"], Counter())[(item["expected"], found)] += 1
        planted = sum(n for (e, _), n in confusion.items() if e in ERRORS)
        correct = sum(n for (e, _), n in confusion.items() if e == "confirmed")
        flagged = sum(n for (e, f), n in confusion.items() if e in ERRORS and f in ERRORS)
        exact = sum(n for (e, f), n in confusion.items() if e in ERRORS and f == e)
        raised = sum(n for (_, f), n in confusion.items() if f in FLAGS)
        raised_right = sum(n for (e, f), n in confusion.items() if f in FLAGS and e in ERRORS)
        alarms = sum(n for (e, f), n in confusion.items() if e == "confirmed" and f in ERRORS)
        print(f"\n=== Vérification de textes (bench/eval/verify_*.yaml, {label}) — {len(chosen)} extraits ===")
        print(f"erreurs plantées signalées : {_ratio(flagged, planted)} ; avec le bon statut : {_ratio(exact, planted)}")
        print(f"précision des signalements différent / introuvable / attribué à tort : {_ratio(raised_right, raised)}")
        print(f"fausses alertes sur les phrases correctes : {_ratio(alarms, correct)}")
        for status in ("confirmed", *ERRORS):
            row = {f: n for (e, f), n in confusion.items() if e == status}
            if row:
                print(f"  attendu {status:13} → " + ", ".join(f"{f} {n}" for f, n in sorted(row.items())))
        for name, counts in by_set.items():  # the sets were written apart: a gap between them is a finding too
            wrong_flags = sum(n for (e, f), n in counts.items() if f in FLAGS and e not in ERRORS)
            flags = sum(n for (_, f), n in counts.items() if f in FLAGS)
            correct_here = sum(n for (e, _), n in counts.items() if e == "confirmed")
            alarms_here = sum(n for (e, f), n in counts.items() if e == "confirmed" and f in ERRORS)
            print(f"  {name:22s} précision {_ratio(flags - wrong_flags, flags)} ; "
                  f"fausses alertes {_ratio(alarms_here, correct_here)}")
        print(f"temps par texte : {percentiles(times)}")
