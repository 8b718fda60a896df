"""Extractive generator: answers with the retrieved passages' own sentences, each one cited.

Sentences are ranked against the question by a scorer (a weighted sum of small signals: e5 similarity,
term overlap, passage rank, expected answer type), selected with MMR against redundancy, and put back
in reading order (passage rank, then position). No model writes anything, so every sentence is a
verbatim quote of its source.

A scorer is any callable taking the `Scoring` of one selection, so that `python -m bench.run --only
sentences` can swap one in and measure it as a ranker (does the chosen text hold the gold answer?) with
everything else equal. Only the signals that paid there are here; the ones measured and left out
(BM25 on sentences, focus term, sentence position, neighbour sentences) live in bench/sentences.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from assistant.grounding.answer_type import ENUMERATION, asked_value, expected_type, gives, listed_noun, states
from assistant.grounding.generator import Generator
from assistant.grounding.relevance import question_wording
from assistant.index.lexical import BM25Index, FrenchAnalyzer
from assistant.index.store import IndexStore
from assistant.text.sentences import citable_sentences
from assistant.models import SearchHit
from assistant.retrieval.query import expand_query
from assistant.text.normalize import fold, fold_apostrophes
from assistant.text.markers import cite_sentence

MAX_SENTENCES = 4
MMR_LAMBDA = 0.7
LENGTH_NORM_WORDS = 35
# A sentence is kept when its score is at least this share of the best sentence's score.
RELATIVE_FLOOR = 0.6


# Long words sharing their start are the same word for the question (« syndicats » / « syndicale »,
# « réparabilité » / « réparable »), which the stemmer keeps apart.
SHARED_PREFIX = 7


def shared_terms(question_terms: set[str], sentence_terms: set[str]) -> set[str]:
    """The question's terms found in the sentence, as such or as a long word with the same start."""
    starts = {t[:SHARED_PREFIX] for t in sentence_terms if len(t) >= SHARED_PREFIX}
    return {t for t in question_terms
            if t in sentence_terms or (len(t) >= SHARED_PREFIX and t[:SHARED_PREFIX] in starts)}


def plain_term(term: str) -> str:
    """The French stemmer keeps some plurals (« conclus » vs « conclu »): compare without them."""
    return term[:-1] if len(term) > 4 and term[-1] in "sx" else term


@dataclass
class Candidate:
    hit_index: int  # 0-based position in the retrieved list
    position: int
    text: str
    lexical: float = 0.0
    dense: float = 0.0
    score: float = 0.0
    vector: np.ndarray | None = None
    parts: dict[str, float] = field(default_factory=dict)  # each scorer's own value, for the bench


class Scoring:
    """What the scorers of one selection read, each piece computed at most once (and only if read):
    the question's weighted terms, its expected answer type, its vector, the sentences' terms and vectors."""

    def __init__(self, selector: "ExtractiveGenerator", question: str, hits: list[SearchHit],
                 candidates: list[Candidate], dense: bool):
        self.selector = selector
        self.question = question
        self.hits = hits
        self.candidates = candidates
        self.dense = dense  # False: no sentence is embedded (callers selecting from many passages at once)
        self.analyzer = selector.analyzer
        self.expanded = expand_query(question)

    @cached_property
    def bm25(self) -> BM25Index | None:
        return self.selector.index.bm25_index()

    @cached_property
    def raw_terms(self) -> set[str]:
        """The question's analysed terms, without those of how a question is asked (« combien », « quel »)."""
        return set(self.analyzer(self.expanded)) - question_wording(self.analyzer)

    def idf(self, term: str) -> float:
        return self.bm25.idf(term) if self.bm25 else 1.0

    @cached_property
    def weights(self) -> dict[str, float]:
        """Plural-free question terms, weighted by idf squared: the one rare word of a question (« écrit »)
        says more about what is asked than several common ones (« alliance »)."""
        weights: dict[str, float] = {}
        for t in self.raw_terms:
            weights[plain_term(t)] = max(weights.get(plain_term(t), 0.0), self.idf(t) ** 2)
        return weights

    @cached_property
    def terms(self) -> list[set[str]]:
        """Plural-free terms of each candidate."""
        return [{plain_term(t) for t in self.analyzer(c.text)} for c in self.candidates]

    @cached_property
    def asked(self) -> str:
        # A follow-up is rewritten « previous question ? new question »: the last one says what is asked now.
        return next((p for p in reversed(self.question.split("?")) if p.strip()), self.question)

    @cached_property
    def kind(self) -> str | None:
        return expected_type(self.asked)

    @cached_property
    def listed(self) -> str | None:
        """For a list question, the first letters of the noun naming the things it asks for."""
        return listed_noun(self.asked) if self.kind == ENUMERATION else None

    @cached_property
    def vectors(self) -> list[np.ndarray] | None:
        if not self.dense:
            return None
        vectors = self.selector.sentence_vectors([c.text for c in self.candidates])
        for cand, vec in zip(self.candidates, vectors):
            cand.vector = vec
        return vectors

    @cached_property
    def query_vector(self) -> np.ndarray:
        return self.selector.index.query_vector(self.expanded)


class Scorer(Protocol):
    """One signal: a score per candidate, higher is better. `name` labels it in the bench."""

    name: str

    def __call__(self, scoring: Scoring) -> np.ndarray: ...


def min_max(raw: np.ndarray) -> np.ndarray:
    """Values scaled to [0, 1] over the candidates; all 1 when they are equal."""
    spread = raw.max() - raw.min()
    return (raw - raw.min()) / spread if spread > 1e-9 else np.ones(len(raw))


class E5Similarity:
    """Cosine similarity of the question and each sentence (multilingual-e5), min-max scaled over the
    candidates: e5 squeezes similarities together, only their order among the candidates says much.
    Without sentence vectors (`dense=False`), each sentence takes its passage's similarity."""

    name = "e5"

    def __call__(self, scoring: Scoring) -> np.ndarray:
        if scoring.vectors is not None:
            raw = np.array([float(v @ scoring.query_vector) for v in scoring.vectors])
        else:
            raw = np.array([float(scoring.hits[c.hit_index].meta.get("dense") or 0.0) for c in scoring.candidates])
        for cand, value in zip(scoring.candidates, raw):
            cand.dense = float(value)
        return min_max(raw)


class TitledE5:
    """e5 similarity of the question and the sentence read under its passage's title (« <titre> : <phrase> »),
    min-max scaled: a sentence stating a fact often leaves its subject to the title (« ses <nombre> <nom> »);
    `share` of it beside the sentence read alone (max of the two when `share` is None)."""

    def __init__(self, share: float | None = None):
        self.share = share
        self.name = "e5 titré" if share is None else f"e5 titré {share:g}"

    def __call__(self, scoring: Scoring) -> np.ndarray:
        plain = E5Similarity()(scoring)
        if scoring.vectors is None:  # without sentence vectors, a sentence takes its passage's similarity
            return plain
        texts = [f"{scoring.hits[c.hit_index].title} : {c.text}" for c in scoring.candidates]
        raw = np.array([float(v @ scoring.query_vector) for v in scoring.selector.sentence_vectors(texts)])
        titled = min_max(raw)
        if self.share is None:
            return np.maximum(plain, titled)
        return (1 - self.share) * plain + self.share * titled


class TermOverlap:
    """Share of the question's idf²-weighted terms the sentence holds (long words matched on their
    start), damped for long units: a whole list or a long alinéa matches many words by length alone."""

    name = "overlap"

    def __call__(self, scoring: Scoring) -> np.ndarray:
        weights = scoring.weights
        q_terms = set(weights)
        total = sum(weights.values()) or 1.0
        out = np.zeros(len(scoring.candidates))
        for i, (cand, terms) in enumerate(zip(scoring.candidates, scoring.terms)):
            lexical = sum(weights[t] for t in shared_terms(q_terms, terms)) / total
            lexical *= min(1.0, (LENGTH_NORM_WORDS / max(len(cand.text.split()), 1)) ** 0.3)
            cand.lexical = lexical
            out[i] = lexical
        return out


class AnswerType:
    """1 when the sentence states what the question asks for (a date for « depuis quand », an amount
    with its unit for « combien »), 0 otherwise or when the question expects no particular type."""

    name = "type"

    def __call__(self, scoring: Scoring) -> np.ndarray:
        kind = scoring.kind
        if noun := scoring.listed:
            # Items of another list (the members, when the question lists aims) do not answer: the list names them.
            return np.array([gives(kind, c.text) * (1.0 if noun in fold_apostrophes(c.text) else 0.5)
                             for c in scoring.candidates])
        return np.array([float(bool(kind) and gives(kind, c.text)) for c in scoring.candidates])


class StatedValue:
    """1 when the sentence states the value the question asks for, read finely (a person's name for « qui dirige »,
    a sum of money for « quel budget », a count of the noun counted), as the answer-type guard reads it; the coarse
    `AnswerType` when the question asks for no such value. `coarse_share` of the coarse type is kept for the others:
    a count written with other words for the noun asked still states a quantity."""

    name = "valeur"

    def __init__(self, coarse_share: float = 1.0):
        self.coarse_share = coarse_share

    def __call__(self, scoring: Scoring) -> np.ndarray:
        coarse = AnswerType()(scoring)
        kind = asked_value(scoring.asked)
        if kind is None:
            return coarse
        return np.array([max(float(states(kind, c.text, scoring.asked)), self.coarse_share * value)
                         for c, value in zip(scoring.candidates, coarse)])


class PassageRank:
    """1 / rank of the sentence's passage: the retriever's order breaks near ties."""

    name = "rank"

    def __call__(self, scoring: Scoring) -> np.ndarray:
        return np.array([1.0 / (c.hit_index + 1) for c in scoring.candidates])


class Weighted:
    """A weighted sum of scorers: the selector's ranking function."""

    def __init__(self, *parts: tuple[float, Scorer], name: str | None = None):
        self.parts = parts
        self.name = name or " + ".join(f"{w:g}·{s.name}" for w, s in parts)

    def __call__(self, scoring: Scoring) -> np.ndarray:
        total = np.zeros(len(scoring.candidates))
        for weight, scorer in self.parts:
            values = scorer(scoring)
            for cand, value in zip(scoring.candidates, values):
                cand.parts[scorer.name] = float(value)
            total = total + weight * values
        return total


# e5 and term overlap in equal shares; passage rank breaks near ties; a sentence of the expected
# answer type (a date for « depuis quand », a person's name for « qui dirige ») gains a fixed bonus. Chosen by
# `bench --only sentences`: each signal alone, each one left out, other weights and the signals left out of this
# module all do no better on PIAF (gold paragraph and retrieved passages, two disjoint samples) and the own sets.
# The value asked read finely beside the coarse type (2026-12-06), with the people asked by what they are or were
# chosen for: best sentence alone 55.7 → 56.7 % and 55.3 → 55.5 % on PIAF's retrieved passages (choice /
# confirmation), selections 78.0 → 78.0 % and 74.7 → 74.8 %, +2 to +3.5 points on the own sets. Read finely alone (no
# coarse type) it lost a count made with another noun for the same things; at half the coarse
# type, or weighted 0.25 or 0.35, no better.
# The sentence also read under its passage's title (2026-12-07), the better of the two similarities: best sentence
# alone 56.7 → 58.0 % and 55.5 → 56.5 % on PIAF's retrieved passages (choice / confirmation), selections 78.0 → 80.7 %
# and 74.8 → 77.3 %; own sets, best sentence +3.5 to +10 points, selections unchanged but on blind.yaml's tuning half
# (75.8 → 71.0 %: a title naming the organisation asked lifts all its sentences).
DEFAULT_SCORER = Weighted((0.5, TitledE5()), (0.5, TermOverlap()), (0.1, PassageRank()), (0.15, StatedValue()))


class ExtractiveGenerator(Generator):
    name = "extractive"

    def __init__(self, index: IndexStore, scorer: Scorer | None = None):
        self.index = index
        self.analyzer = FrenchAnalyzer()
        self.scorer = scorer or DEFAULT_SCORER

    # Measured and removed: a sentence that asks (a questionnaire's item, an FAQ heading) left out of the candidates
    # unless questions are what is asked: no answer of the four sets quoted one, and PIAF's confirmation sample lost one
    # answer sentence (74.7 → 74.5 %).
    def _candidates(self, hits: list[SearchHit], exclude: frozenset[str] = frozenset()) -> list[Candidate]:
        return [Candidate(i, position, sentence) for i, hit in enumerate(hits)
                for position, sentence in citable_sentences(hit.text) if sentence not in exclude]

    def sentence_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Sentence vectors, cached by content like chunk vectors."""
        return self.index.sentence_vectors(texts)

    def rank(self, question: str, hits: list[SearchHit], exclude: frozenset[str] = frozenset(),
             dense: bool = True, scorer: Scorer | None = None) -> tuple[list[Candidate], Scoring | None]:
        """Every citable sentence of `hits` (none of `exclude`), scored, best first, with what scored them."""
        candidates = self._candidates(hits, exclude)
        if not candidates:
            return [], None
        scoring = Scoring(self, question, hits, candidates, dense)
        for cand, score in zip(candidates, (scorer or self.scorer)(scoring)):
            cand.score = float(score)
        return sorted(candidates, key=lambda c: -c.score), scoring

    def select(self, question: str, hits: list[SearchHit], exclude: frozenset[str] = frozenset(),
               limit: int = MAX_SENTENCES, dense: bool = True, scorer: Scorer | None = None) -> list[Candidate]:
        """The best sentences for `question` (at most `limit`, none of `exclude`), in reading order.

        With `dense=False` no sentence is embedded: a sentence takes its passage's similarity to the
        question and redundancy is measured on words (for callers that select from many passages at once).
        """
        ranked, scoring = self.rank(question, hits, exclude, dense, scorer)
        if not ranked:
            return []
        return choose(ranked, scoring, limit)

    def generate(self, question: str, hits: list[SearchHit]) -> str:
        """Answer text with a [n] marker (n = rank in `hits`) after each sentence."""
        return " ".join(cite_sentence(cand.text, cand.hit_index + 1) for cand in self.select(question, hits))


def choose(ranked: list[Candidate], scoring: Scoring, limit: int = MAX_SENTENCES) -> list[Candidate]:
    """From candidates ranked best first: MMR picks against redundancy (sentence vectors when the
    selection embeds sentences, shared words otherwise), none far below the best, then the sentences
    continuing a chosen one; returned in reading order."""
    vectors = scoring.vectors  # embeds the sentences once, whichever scorer ranked them
    terms_of = {id(c): t for c, t in zip(scoring.candidates, scoring.terms)}

    def similarity(a: Candidate, b: Candidate) -> float:
        if vectors is not None:
            return float(a.vector @ b.vector)
        ta, tb = terms_of[id(a)], terms_of[id(b)]
        return len(ta & tb) / (len(ta | tb) or 1)

    chosen: list[Candidate] = []
    pool = list(ranked)
    top = pool[0].score
    while pool and len(chosen) < limit:
        def mmr(c: Candidate) -> float:
            redundancy = max((similarity(c, s) for s in chosen), default=0.0)
            return MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * redundancy
        best = max(pool, key=mmr)
        pool.remove(best)
        if best.score < RELATIVE_FLOOR * top:
            break
        if any(best.text == c.text for c in chosen):
            continue
        chosen.append(best)
    chosen += _continuations(chosen, scoring.candidates, limit)
    if scoring.listed:
        chosen += _announced_lists(chosen, scoring.candidates, scoring.listed)
    return sorted(chosen, key=lambda c: (c.hit_index, c.position))


# « Ce délai minimal est porté à seize jours… » completes the sentence before it, whose noun it repeats.
_ANAPHOR = re.compile(r"^(?:Ce|Cet|Cette|Ces)\s+([\w’'-]+)")


# Measured and not kept: the next sentence of a chosen one added when its subject is a pronoun (« Ils mettent en
# œuvre… »): with the corpus's glued paragraphs split it recovered what the split lost, without them it changed no set
# and made answers longer.
# A list written as a sentence of its own, items between commas and the last after « et » (« A, B, C et D. »).
_LIST_SENTENCE = re.compile(r"^[^:;]*,[^,]+,[^,]+\bet\b[^,]+$")


def _announced_lists(chosen: list[Candidate], candidates: list[Candidate], noun: str) -> list[Candidate]:
    """The list that follows a chosen sentence ending on the things a list question asks for (« … sur des <noms>
    concrets. » then « A, B, C et D. »): without it the sentence only announces the answer. Past the limit, as
    the two are one answer."""
    by_place = {(c.hit_index, c.position): c for c in candidates}
    added = []
    for cand in chosen:
        follower = by_place.get((cand.hit_index, cand.position + 1))
        if (follower is not None and follower not in chosen and noun in fold_apostrophes(cand.text)[-60:]
                and _LIST_SENTENCE.match(follower.text.strip())):
            added.append(follower)
    return added


def _continuations(chosen: list[Candidate], candidates: list[Candidate], limit: int) -> list[Candidate]:
    """Sentences that go on from a chosen one (the next sentence of the same passage, opening with « ce
    délai », « cette durée »… on a noun the chosen one uses), while there is room under `limit`."""
    by_place = {(c.hit_index, c.position): c for c in candidates}
    added: list[Candidate] = []
    for cand in sorted(chosen, key=lambda c: -c.score):
        follower = by_place.get((cand.hit_index, cand.position + 1))
        if len(chosen) + len(added) >= limit or follower is None or any(follower is c for c in chosen + added):
            continue
        match = _ANAPHOR.match(follower.text)
        if match and len(match.group(1)) >= 4 and fold(match.group(1))[:5] in fold(cand.text):
            added.append(follower)
    return added


