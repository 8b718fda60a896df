"""Evaluation of the answer engine on a question file (JSONL or YAML).

Each item: id, question, kind (answerable, out_of_scope, unanswerable, false_premise, lawfulness,
ambiguous_entity, follow_up), expected_sources (article ids or document paths), must_contain / must_not_contain
(facts that the answer must or must not state), previous (earlier questions of the conversation).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.answer.engine import AnswerEngine
from assistant.answer.models import Answer
from assistant.figures.quantity import spelled_as_digits
from assistant.grounding.verify import cited_sentences, facts
from assistant.models import Turn
from assistant.text.markers import MARKER, marker_numbers
from assistant.text.normalize import fold

KINDS = ("answerable", "out_of_scope", "unanswerable", "false_premise", "lawfulness", "ambiguous_entity", "follow_up")
# Questions whose answer is not in the documents: off the subject (out_of_scope) or on it but absent
# (unanswerable: a value set in an annex or an arrêté, another document, case law…). Refusing is right.
REFUSE_KINDS = ("out_of_scope", "unanswerable")
# The kinds of question on which a guard's verdict is right: a refusal or a partial answer where the documents do not
# answer, a correction where the question rests on a wrong premise or asks for something unlawful.
RIGHT_FOR = {"refuse": REFUSE_KINDS, "partial": REFUSE_KINDS + ("false_premise",),
             "correct": ("false_premise", "lawfulness"),
             "answer": ("answerable", "false_premise", "lawfulness", "ambiguous_entity", "follow_up")}


class EvalError(ValueError):
    """An evaluation file that cannot be read (French message)."""


class EvalItem(BaseModel):
    id: str
    question: str
    kind: str
    expected_sources: list[str] = Field(default_factory=list)
    must_contain: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)
    previous: list[str] = Field(default_factory=list)
    note: str | None = None

    @property
    def should_refuse(self) -> bool:
        return self.kind in REFUSE_KINDS


class ItemResult(BaseModel):
    id: str
    kind: str
    question: str
    answer: str
    abstained: bool
    # answered / partial / refused (Answer.status): a partial answer is neither a refusal nor a full answer.
    status: Literal["answered", "partial", "refused"] = "answered"
    correct: bool | None  # None when the item has no expected facts
    retrieval_hit: bool | None
    # The answer's first citation is an expected source (the principle before its exceptions); None when no source is
    # expected or nothing is cited.
    first_cited: bool | None = None
    citations: int
    citations_valid: int
    sentences: int
    sentences_cited: int
    latency_ms: float
    guards: list[str] = Field(default_factory=list)  # « name:action » verdicts given on the way
    missing: list[str] = Field(default_factory=list)  # expected facts the answer lacks (not Answer.missing)
    forbidden: list[str] = Field(default_factory=list)


class EvalReport(BaseModel):
    n: int
    retrieval_recall: float | None
    accuracy: float | None
    first_cited_rate: float | None = None  # answers citing an expected source first, of those citing anything
    citation_precision: float | None
    citation_recall: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    false_refusal_rate: float | None
    latency_p50_ms: float
    latency_p95_ms: float
    by_kind: dict[str, dict[str, float | None]]
    # Per guard verdict (« name:action »): how often it fired, its precision and its recall on the kinds it serves.
    by_guard: dict[str, dict[str, float | None]] = Field(default_factory=dict)
    items: list[ItemResult]


def load_items(path: Path) -> list[EvalItem]:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvalError(f"fichier d'évaluation illisible : {path} ({exc.strerror})") from exc
    try:
        if path.suffix == ".jsonl":
            data = [json.loads(line) for line in raw.splitlines() if line.strip()]
        else:
            data = yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise EvalError(f"fichier d'évaluation mal formé : {path} ({exc})") from exc
    return parse_items(data, str(path))


def parse_items(data: object, origin: str) -> list[EvalItem]:
    """Evaluation items from already-read data (``origin`` names it in the French errors)."""
    if not isinstance(data, list) or not data:
        raise EvalError(f"le fichier d'évaluation {origin} doit contenir une liste de questions")
    items = []
    for i, entry in enumerate(data, 1):
        try:
            item = EvalItem.model_validate(entry)
        except ValidationError as exc:
            raise EvalError(f"question n° {i} invalide : {exc.errors()[0]['msg']}") from exc
        if item.kind not in KINDS:
            raise EvalError(f"question {item.id} : type inconnu « {item.kind} » (attendu : {', '.join(KINDS)})")
        items.append(item)
    return items


def _norm(text: str) -> str:
    """Folded text with every kind of space made plain and numbers in digits without group spaces, so that
    « 60 000 » matches « 60\u202f000 » and « soixante mille », « N autres » matches N written in words: the same fact
    however it is written."""
    plain = re.sub(r"\s+", " ", fold(text).replace("\u202f", " ").replace("\u00a0", " "))
    return re.sub(r"(?<=\d) (?=\d{3}\b)", "", spelled_as_digits(plain))


def _source_matches(ref: str, hit, paths: dict[str, str]) -> bool:
    return _is_source(ref, hit.meta.get("article_id"), hit.doc_id, paths)


def _is_source(ref: str, article: str | None, doc_id: str, paths: dict[str, str]) -> bool:
    """Whether an article (a passage's, a citation's) or its document is the expected source `ref`."""
    return article == ref or paths.get(doc_id, "").endswith(ref)


def citation_checks(answer: Answer) -> tuple[int, int, int, int]:
    """(citations, valid citations, sentences, sentences backed by a valid citation).

    Checked independently of the verifier: a citation is valid when its quote is verbatim in the
    cited passage and the passage contains every number and article id of the sentences citing it.
    """
    chunks: dict[str, str] = defaultdict(str)
    for hit in answer.retrieved:  # a chunk may appear twice, as two entity views: keep all its lines
        chunks[hit.chunk_id] += "\n" + hit.text
    locators = {h.chunk_id: h.locator for h in answer.retrieved}
    by_n = {c.n: c for c in answer.citations}
    text = answer.text
    for framing in answer.framing:  # fixed framing sentences are not claims
        text = text.replace(framing, " ")
    sentences = [s for line in text.split("\n") for s in cited_sentences(line) if s.strip()]
    claims: dict[int, list[str]] = defaultdict(list)
    cited = 0
    for sentence in sentences:
        for n in set(marker_numbers(sentence)):
            claims[n].append(MARKER.sub("", sentence))
    valid_ns = set()
    for n, citation in by_n.items():
        passage = chunks.get(citation.chunk_id, "")
        quote_ok = " ".join(citation.quote.split()) in " ".join(passage.split())
        # The article id of a legal passage is its locator.
        known = facts(passage) | facts(locators.get(citation.chunk_id, ""))
        facts_ok = all(facts(claim) <= known for claim in claims.get(n, []))
        if passage and quote_ok and facts_ok and claims.get(n):
            valid_ns.add(n)
    for sentence in sentences:
        if set(marker_numbers(sentence)) & valid_ns:
            cited += 1
    return len(by_n), len(valid_ns), len(sentences), cited


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def grade(item: EvalItem, answer: Answer) -> tuple[bool | None, list[str], list[str]]:
    """(correct, expected facts missing from the answer, forbidden facts in it); correct is None when ungraded.

    An item that should be refused is also right when answered `partial`: what the documents do say,
    then what they lack. The missing piece, when the item gives it as must_contain, must then be named.
    An answerable item answered `partial` is no refusal: its expected facts decide, as for a full answer.
    """
    text = _norm(answer.text)
    missing = [f for f in item.must_contain if _norm(f) not in text]
    # A sentence saying what the documents lack repeats the question's figure: it states nothing forbidden.
    claims = answer.text
    for sentence in answer.missing:
        claims = claims.replace(sentence, " ")
    forbidden = [f for f in item.must_not_contain if _norm(f) in _norm(claims)]
    if item.should_refuse:
        correct = not forbidden and (answer.status == "refused" or (answer.status == "partial" and not missing))
    elif item.must_contain:
        correct = not answer.abstained and not missing and not forbidden
    else:
        correct = None
    return correct, missing, forbidden


def evaluate(engine: AnswerEngine, items: list[EvalItem],
             on_item: Callable[[ItemResult], None] | None = None) -> EvalReport:
    paths = {d["doc_id"]: d["path"] for d in engine.searcher.index.catalog.documents()}
    results: list[ItemResult] = []
    for item in items:
        history: list[Turn] = []
        for previous in item.previous:
            prev = engine.ask(previous, history=list(history))
            history.append(Turn(question=previous, standalone_question=prev.standalone_question, answer=prev.text))
        t0 = time.perf_counter()
        answer = engine.ask(item.question, history=history)
        latency = (time.perf_counter() - t0) * 1000
        correct, missing, forbidden = grade(item, answer)
        retrieval_hit = (any(_source_matches(ref, h, paths) for ref in item.expected_sources for h in answer.retrieved)
                         if item.expected_sources else None)
        n_cit, n_valid, n_sent, n_cited = citation_checks(answer) if not answer.abstained else (0, 0, 0, 0)
        first = answer.citations[0] if answer.citations else None
        first_cited = (any(_is_source(ref, first.locator, first.doc_id, paths) for ref in item.expected_sources)
                       if item.expected_sources and first is not None else None)
        result = ItemResult(id=item.id, kind=item.kind, question=item.question, answer=answer.text,
                            abstained=answer.abstained, status=answer.status, correct=correct,
                            retrieval_hit=retrieval_hit, first_cited=first_cited, citations=n_cit,
                            citations_valid=n_valid, sentences=n_sent,
                            sentences_cited=n_cited, latency_ms=round(latency, 1), guards=answer.guards,
                            missing=missing, forbidden=forbidden)
        results.append(result)
        if on_item:
            on_item(result)
    return summarize(results)


def summarize(results: list[ItemResult]) -> EvalReport:
    def block(rs: list[ItemResult]) -> dict[str, float | None]:
        graded = [r for r in rs if r.correct is not None]
        retrieval = [r for r in rs if r.retrieval_hit is not None]
        return {"n": len(rs), "accuracy": _ratio(sum(r.correct for r in graded), len(graded)),
                "abstention_rate": _ratio(sum(r.abstained for r in rs), len(rs)),
                "partial_rate": _ratio(sum(r.status == "partial" for r in rs), len(rs)),
                "retrieval_recall": _ratio(sum(r.retrieval_hit for r in retrieval), len(retrieval))}

    refused = [r for r in results if r.abstained]
    should = [r for r in results if r.kind in REFUSE_KINDS]
    answerable = [r for r in results if r.kind not in REFUSE_KINDS]
    latencies = sorted(r.latency_ms for r in results)
    retrieval = [r for r in results if r.retrieval_hit is not None]
    graded = [r for r in results if r.correct is not None]
    return EvalReport(
        n=len(results),
        retrieval_recall=_ratio(sum(r.retrieval_hit for r in retrieval), len(retrieval)),
        accuracy=_ratio(sum(r.correct for r in graded), len(graded)),
        first_cited_rate=_ratio(sum(bool(r.first_cited) for r in results if r.first_cited is not None),
                                sum(r.first_cited is not None for r in results)),
        citation_precision=_ratio(sum(r.citations_valid for r in results), sum(r.citations for r in results)),
        citation_recall=_ratio(sum(r.sentences_cited for r in results), sum(r.sentences for r in results)),
        abstention_precision=_ratio(sum(r.kind in REFUSE_KINDS for r in refused), len(refused)),
        abstention_recall=_ratio(sum(r.abstained for r in should), len(should)),
        false_refusal_rate=_ratio(sum(r.abstained for r in answerable), len(answerable)),
        latency_p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        latency_p95_ms=round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1) if latencies else 0.0,
        by_kind={kind: block([r for r in results if r.kind == kind]) for kind in KINDS
                 if any(r.kind == kind for r in results)},
        by_guard=guard_report(results),
        items=results,
    )


def guard_report(results: list[ItemResult]) -> dict[str, dict[str, float | None]]:
    """For each guard verdict: fired (items), precision (fired on a kind it serves), recall (share of the items of
    those kinds it fired on). A guard that fires on a question it should have let through costs an answer."""
    report = {}
    for verdict in sorted({g for r in results for g in r.guards}):
        kinds = RIGHT_FOR.get(verdict.rsplit(":", 1)[1], ())
        fired = [r for r in results if verdict in r.guards]
        right = sum(r.kind in kinds for r in fired)
        report[verdict] = {"fired": len(fired), "precision": _ratio(right, len(fired)),
                           "recall": _ratio(right, sum(r.kind in kinds for r in results))}
    return report
