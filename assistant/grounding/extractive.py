"""Extractive generator: answers with the retrieved passages' own sentences, each one cited.

Sentences are scored against the question with BM25-style term overlap and e5 similarity,
selected with MMR against redundancy, and put back in reading order (passage rank, then position).
No model writes anything, so every sentence is a verbatim quote of its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.grounding.answer_type import expected_type, gives
from assistant.grounding.generator import Generator
from assistant.grounding.relevance import question_wording
from assistant.index.lexical import FrenchAnalyzer
from assistant.index.store import SENTENCE_NAMESPACE, IndexStore
from assistant.text.sentences import citable_sentences
from assistant.models import SearchHit
from assistant.retrieval.query import expand_query
from assistant.text.normalize import fold, sha256_hex
from assistant.text.markers import cite_sentence

MAX_SENTENCES = 4
MMR_LAMBDA = 0.7
LENGTH_NORM_WORDS = 35
# A sentence is kept when its score is at least this share of the best sentence's score.
RELATIVE_FLOOR = 0.6
# A sentence giving what the question asks for (a date when a question asks since when, an amount when it asks how much).
TYPE_BONUS = 0.15


# Long words sharing their start are the same word for the question (« syndicats » / « syndicale »,
# « réparabilité » / « réparable »), which the stemmer keeps apart.
SHARED_PREFIX = 7


def _shared_terms(question_terms: set[str], sentence_terms: set[str]) -> set[str]:
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


class ExtractiveGenerator(Generator):
    name = "extractive"

    def __init__(self, index: IndexStore):
        self.index = index
        self.analyzer = FrenchAnalyzer()

    def _candidates(self, hits: list[SearchHit], exclude: frozenset[str] = frozenset()) -> list[Candidate]:
        return [Candidate(i, position, sentence) for i, hit in enumerate(hits)
                for position, sentence in citable_sentences(hit.text) if sentence not in exclude]

    def sentence_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Sentence vectors, cached by content like chunk vectors."""
        hashes = [sha256_hex(t) for t in texts]
        cached = self.index.vectors_for(texts, hashes, namespace=SENTENCE_NAMESPACE)
        return [cached[h] for h in hashes]

    def select(self, question: str, hits: list[SearchHit], exclude: frozenset[str] = frozenset(),
               limit: int = MAX_SENTENCES, dense: bool = True) -> list[Candidate]:
        """The best sentences for `question` (at most `limit`, none of `exclude`), in reading order.

        With `dense=False` no sentence is embedded: a sentence takes its passage's similarity to the
        question and redundancy is measured on words (for callers that select from many passages at once).
        """
        candidates = self._candidates(hits, exclude)
        if not candidates:
            return []
        expanded = expand_query(question)
        raw_terms = set(self.analyzer(expanded)) - question_wording(self.analyzer)
        bm25 = self.index.bm25_index()
        # Rare question words say more about what is asked than frequent ones (« alliance »).
        weights: dict[str, float] = {}
        for t in raw_terms:
            # Squared, so that the one rare word of a question (« écrit ») outweighs several common ones.
            weights[plain_term(t)] = max(weights.get(plain_term(t), 0.0), (bm25.idf(t) if bm25 else 1.0) ** 2)
        q_terms = set(weights)
        total = sum(weights.values()) or 1.0
        terms_of = {id(c): {plain_term(t) for t in self.analyzer(c.text)} for c in candidates}
        if dense:
            q_vec = np.asarray(self.index.embedder.embed_query(expanded), dtype=np.float32)
            for cand, vec in zip(candidates, self.sentence_vectors([c.text for c in candidates])):
                cand.vector = vec
                cand.dense = float(vec @ q_vec)
        else:
            for cand in candidates:
                cand.dense = float(hits[cand.hit_index].meta.get("dense") or 0.0)
        for cand in candidates:
            cand.lexical = sum(weights[t] for t in _shared_terms(q_terms, terms_of[id(cand)])) / total
            # A long unit (a whole list, a long alinéa) matches many words by its length alone.
            cand.lexical *= min(1.0, (LENGTH_NORM_WORDS / max(len(cand.text.split()), 1)) ** 0.3)
        # A follow-up is rewritten « previous question ? new question »: the last one says what is asked now.
        kind = expected_type(next((p for p in reversed(question.split("?")) if p.strip()), question))
        dense_scores = np.array([c.dense for c in candidates])
        spread = dense_scores.max() - dense_scores.min()
        for cand in candidates:
            dense_norm = (cand.dense - dense_scores.min()) / spread if spread > 1e-9 else 1.0
            cand.score = 0.5 * dense_norm + 0.5 * cand.lexical + 0.1 / (cand.hit_index + 1)
            if kind and gives(kind, cand.text):
                cand.score += TYPE_BONUS

        def similarity(a: Candidate, b: Candidate) -> float:
            if a.vector is not None and b.vector is not None:
                return float(a.vector @ b.vector)
            ta, tb = terms_of[id(a)], terms_of[id(b)]
            return len(ta & tb) / (len(ta | tb) or 1)

        chosen: list[Candidate] = []
        pool = sorted(candidates, key=lambda c: -c.score)
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
        chosen += _continuations(chosen, candidates, limit)
        return sorted(chosen, key=lambda c: (c.hit_index, c.position))

    def generate(self, question: str, hits: list[SearchHit]) -> str:
        """Answer text with a [n] marker (n = rank in `hits`) after each sentence."""
        return " ".join(cite_sentence(cand.text, cand.hit_index + 1) for cand in self.select(question, hits))


# « Ce délai minimal est porté à seize jours… » completes the sentence before it, whose noun it repeats.
_ANAPHOR = re.compile(r"^(?:Ce|Cet|Cette|Ces)\s+([\w’'-]+)")


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


