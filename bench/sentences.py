"""Answer-sentence selection measured as a ranker: does the text the extractive selector returns hold the
answer? (`python -m bench.run --only sentences`)

PIAF gives, for each question, the paragraph it was written on and the answer span in it. Two settings:
- oracle: the gold paragraph is the only passage, so only the choice of sentences is measured;
- retrieved: the top passages the searcher finds in the index of every PIAF paragraph (as `bench_piaf`
  builds it), so the choice is made among distractors as the engine makes it.
The project's own answerable questions (bench/eval: answers, heldout, and the odd ids of blind, never the
even ones) are measured the same way, their `must_contain` facts standing for the answer span.

For each scorer of `VARIANTS`: accuracy of the best sentence alone (@1), of the whole selection (what the
engine would output) and their length in characters — returning every sentence would always hold the
answer, so the length is printed beside the accuracy.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.answer.followup import rewrite_followup
from assistant.grounding.extractive import (DEFAULT_SCORER, AnswerType, E5Similarity, ExtractiveGenerator,
                                            FocusTerm, PassageRank, Scorer, SentenceBM25, SentencePosition,
                                            TermOverlap, Weighted, choose)
from assistant.grounding.injection import without_injections
from assistant.models import SearchHit, Turn
from assistant.text.normalize import fold_apostrophes
from assistant.text.sentences import citable_sentences
from bench.common import piaf_index, title
from bench.quality import piaf_sample

EVAL = Path(__file__).with_name("eval")
K = 5  # passages given to the selector, as the answer engine does (AnswerEngine.k)
PIAF_N = 300

# Punctuation and spaces around a span are not part of the fact (« 1871. » holds « 1871 »).
_EDGES = " \t\n.,;:!?«»\"'()[]"


def normalise(text: str) -> str:
    """Text compared for containment: accents and case folded, ’ written ', every kind of space one space."""
    return re.sub(r"\s+", " ", fold_apostrophes(text).replace("\u202f", " ").replace("\u00a0", " ")).strip()


def holds(text: str, answers: list[str]) -> bool:
    """Whether `text` contains one of the gold answer spans (PIAF: any of them; an empty span never counts)."""
    folded = normalise(text)
    spans = [normalise(a).strip(_EDGES) for a in answers]
    return any(s and s in folded for s in spans)


def holds_all(text: str, facts: list[str]) -> bool:
    """Whether `text` contains every expected fact (the project's sets: all of `must_contain`)."""
    folded = normalise(text)
    return bool(facts) and all(normalise(f).strip(_EDGES) in folded for f in facts)


# The current selector first; then each signal alone (ties keep reading order); then the current
# combination without one signal, with one more, and with BM25 in place of the term overlap.
VARIANTS: dict[str, Scorer] = {
    "actuel : 0.5 e5 + 0.5 recouvrement + 0.1 rang + 0.15 type": DEFAULT_SCORER,
    "e5 seul": E5Similarity(),
    "recouvrement seul": TermOverlap(),
    "BM25 phrases seul": SentenceBM25(),
    "focus seul": FocusTerm(),
    "type seul": AnswerType(),
    "position seule": SentencePosition(),
    "actuel sans type": Weighted((0.5, E5Similarity()), (0.5, TermOverlap()), (0.1, PassageRank())),
    "actuel sans rang": Weighted((0.5, E5Similarity()), (0.5, TermOverlap()), (0.15, AnswerType())),
    "actuel + 0.15 focus": Weighted((0.5, E5Similarity()), (0.5, TermOverlap()), (0.1, PassageRank()),
                                    (0.15, AnswerType()), (0.15, FocusTerm())),
    "actuel + 0.1 position": Weighted((0.5, E5Similarity()), (0.5, TermOverlap()), (0.1, PassageRank()),
                                      (0.15, AnswerType()), (0.1, SentencePosition())),
    "BM25 au lieu du recouvrement": Weighted((0.5, E5Similarity()), (0.5, SentenceBM25()), (0.1, PassageRank()),
                                             (0.15, AnswerType())),
    "actuel + 0.25 BM25": Weighted((0.5, E5Similarity()), (0.5, TermOverlap()), (0.25, SentenceBM25()),
                                   (0.1, PassageRank()), (0.15, AnswerType())),
}


@dataclass
class Case:
    """One question, the passages given to the selector, and how to tell that a text answers it."""

    question: str
    hits: list[SearchHit]
    answers: list[str]
    all_facts: bool = False  # own sets: every fact must be there; PIAF: any one of the spans

    def answered_by(self, text: str) -> bool:
        return holds_all(text, self.answers) if self.all_facts else holds(text, self.answers)


@dataclass
class Tally:
    n: int = 0
    at1: int = 0
    selected: int = 0
    ceiling: int = 0  # some citable sentence of the passages holds the answer: the best any selector can do
    chars_at1: list[int] = field(default_factory=list)
    chars: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        n = self.n or 1
        return (f"@1 {self.at1 / n:6.1%}  sélection {self.selected / n:6.1%}  "
                f"long. @1 {statistics.mean(self.chars_at1 or [0]):4.0f} c.  sélection "
                f"{statistics.mean(self.chars or [0]):4.0f} c. ({statistics.mean(self.sentences or [0]):.1f} phr.)  "
                f"{1000 * self.seconds / n:5.1f} ms/q")


def measure(selector: ExtractiveGenerator, cases: list[Case], scorer: Scorer) -> Tally:
    """Rank each case's sentences with `scorer` once: the best one is @1, `choose` makes the selection."""
    tally = Tally()
    for case in cases:
        t0 = time.perf_counter()
        ranked, scoring = selector.rank(case.question, case.hits, scorer=scorer)
        chosen = choose(ranked, scoring) if ranked else []
        tally.seconds += time.perf_counter() - t0
        tally.n += 1
        best = ranked[0].text if ranked else ""
        text = " ".join(c.text for c in chosen)
        tally.at1 += case.answered_by(best)
        tally.selected += case.answered_by(text)
        tally.ceiling += any(case.answered_by(s) for h in case.hits for _, s in citable_sentences(h.text))
        tally.chars_at1.append(len(best))
        tally.chars.append(len(text))
        tally.sentences.append(len(chosen))
    return tally


def compare(label: str, selector: ExtractiveGenerator, cases: list[Case],
            variants: dict[str, Scorer] = VARIANTS) -> dict[str, Tally]:
    title(f"Choix des phrases — {label} ({len(cases)} questions)")
    results = {}
    for name, scorer in variants.items():
        measure(selector, cases[:1], scorer)  # the first case's vectors are computed outside the timing
        results[name] = measure(selector, cases, scorer)
        print(f"  {name:58s} {results[name].line()}", flush=True)
    first = next(iter(results.values()))
    print(f"  plafond (une phrase citable des passages contient la réponse) : {first.ceiling / (first.n or 1):.1%}")
    return results


def piaf_cases(work: Path, n: int = PIAF_N):
    """(oracle cases, retrieved cases, PIAF selector) on the fixed PIAF sample of `bench_piaf`."""
    questions, paragraphs = piaf_sample(n)
    ours = piaf_index(work, paragraphs)
    oracle, retrieved = [], []
    for q in questions:
        pid = q.expected_docs[0].removesuffix(".md")
        gold = SearchHit(rank=1, score=1.0, doc_id=pid, title=paragraphs[pid]["title"], doc_type="note",
                         source="piaf", locator="", chunk_id=pid, text=paragraphs[pid]["context"])
        oracle.append(Case(q.question, [gold], q.answers))
        retrieved.append(Case(q.question, without_injections(ours.searcher.search(q.question, k=K)), q.answers))
    return oracle, retrieved, ours.container.grounding.selector


def own_items() -> dict[str, list[dict]]:
    """Answerable items with facts of answers.yaml, heldout.yaml and the odd ids of blind.yaml.

    The even half of blind.yaml stays blind: it is dropped by id before anything else is looked at."""
    sets = {}
    for name in ("answers", "heldout", "blind"):
        items = yaml.safe_load((EVAL / f"{name}.yaml").read_text(encoding="utf-8"))
        if name == "blind":
            items = [i for i in items if int(str(i["id"]).rsplit("-", 1)[1]) % 2 == 1]
        sets[name if name != "blind" else "blind (impairs)"] = [
            i for i in items if i["kind"] in ("answerable", "follow_up") and i.get("must_contain")]
    return sets


def own_cases(engine) -> dict[str, list[Case]]:
    """The selector's input for each own item: the engine's top passages for its standalone question."""
    out = {}
    for name, items in own_items().items():
        cases = []
        for item in items:
            history = [Turn(question=p, standalone_question=p, answer="") for p in item.get("previous") or []]
            question = rewrite_followup(item["question"], history) if history else item["question"]
            hits = without_injections(engine.searcher.search(question, k=K))
            cases.append(Case(question, hits, item["must_contain"], all_facts=True))
        out[name] = cases
    return out


def bench_sentences(work: Path, n: int = PIAF_N) -> None:
    oracle, retrieved, selector = piaf_cases(work, n)
    compare("PIAF, paragraphe d'origine seul (oracle)", selector, oracle)
    compare(f"PIAF, {K} passages retrouvés dans les {n} questions", selector, retrieved)
    from bench.calibrate_abstention import eval_container

    engine = eval_container(work).answers
    for name, cases in own_cases(engine).items():
        compare(f"bench/eval/{name}.yaml, faits attendus, {K} passages retrouvés", engine.extractive, cases)
