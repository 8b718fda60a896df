"""Extractive generator: answers with the retrieved passages' own sentences, each one cited.

Sentences are scored against the question with BM25-style term overlap and e5 similarity,
selected with MMR against redundancy, and put back in reading order (passage rank, then position).
No model writes anything, so every sentence is a verbatim quote of its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.generator import Generator
from assistant.index.lexical import FrenchAnalyzer
from assistant.index.store import IndexStore
from assistant.ingest.sentences import split_sentences
from assistant.models import SearchHit
from assistant.retrieval.query import expand_query
from assistant.textutil import sha256_hex, word_count

MAX_SENTENCES = 4
MIN_WORDS = 5
MMR_LAMBDA = 0.7
# A sentence is kept when its score is at least this share of the best sentence's score.
RELATIVE_FLOOR = 0.6


def _is_heading(line: str) -> bool:
    """A short line without final punctuation is a title: it names a subject but states nothing."""
    return len(line.split()) <= 12 and not line.rstrip().endswith((".", "!", "?", "…", ":", ";"))


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

    @staticmethod
    def _units(text: str) -> list[str]:
        """Lines of a passage, with a list kept whole with the line that introduces it (« … : - a - b »)."""
        units: list[str] = []
        for line in (ln.strip() for ln in text.split("\n")):
            if not line:
                continue
            is_item = line[:2] in ("- ", "• ", "* ")
            line = line.replace("**", "")  # markdown emphasis is layout, not words
            if (not is_item and _is_heading(line)) or line.startswith("|"):
                continue  # titles and table rows read badly as sentences
            if is_item and units and (units[-1].endswith(":") or units[-1].startswith("\x00")):
                # Items joined with « ; » so that the list stays one sentence once cited.
                head = units[-1].lstrip("\x00").rstrip(". ")
                glue = " " if head.endswith(":") else " ; "
                units[-1] = f"\x00{head}{glue}{line[2:].strip().rstrip('.')}"
            else:
                units.append(line[2:].strip() if is_item else line)
        return units

    def _candidates(self, hits: list[SearchHit]) -> list[Candidate]:
        out = []
        for i, hit in enumerate(hits):
            position = 0
            for unit in self._units(hit.text):
                # A list with its introduction is one candidate: « quels sont les trois… » needs all items.
                pieces = [unit[1:]] if unit.startswith("\x00") else split_sentences(unit)
                for sentence in pieces:
                    if word_count(sentence) >= MIN_WORDS:
                        out.append(Candidate(i, position, sentence))
                    position += 1
        return out

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Sentence vectors, cached by content like chunk vectors."""
        hashes = [sha256_hex(t) for t in texts]
        cached = self.index.vectors_for(texts, hashes, namespace="/sentence")
        return [cached[h] for h in hashes]

    def select(self, question: str, hits: list[SearchHit]) -> list[Candidate]:
        candidates = self._candidates(hits)
        if not candidates:
            return []
        expanded = expand_query(question)
        q_terms = set(self.analyzer(expanded))
        bm25 = self.index.bm25_index()
        # Rare question words say more about what is asked than frequent ones (« alliance »).
        weights = {t: (bm25.idf(t) if bm25 else 1.0) for t in q_terms}
        total = sum(weights.values()) or 1.0
        q_vec = np.asarray(self.index.embedder.embed_query(expanded), dtype=np.float32)
        for cand, vec in zip(candidates, self._vectors([c.text for c in candidates])):
            terms = set(self.analyzer(cand.text))
            cand.lexical = sum(weights[t] for t in q_terms & terms) / total
            cand.vector = vec
            cand.dense = float(vec @ q_vec)
        dense = np.array([c.dense for c in candidates])
        spread = dense.max() - dense.min()
        for cand in candidates:
            dense_norm = (cand.dense - dense.min()) / spread if spread > 1e-9 else 1.0
            cand.score = 0.5 * dense_norm + 0.5 * cand.lexical + 0.1 / (cand.hit_index + 1)
        chosen: list[Candidate] = []
        pool = sorted(candidates, key=lambda c: -c.score)
        top = pool[0].score
        while pool and len(chosen) < MAX_SENTENCES:
            def mmr(c: Candidate) -> float:
                redundancy = max((float(c.vector @ s.vector) for s in chosen), default=0.0)
                return MMR_LAMBDA * c.score - (1 - MMR_LAMBDA) * redundancy
            best = max(pool, key=mmr)
            pool.remove(best)
            if best.score < RELATIVE_FLOOR * top:
                break
            if any(best.text == c.text for c in chosen):
                continue
            chosen.append(best)
        return sorted(chosen, key=lambda c: (c.hit_index, c.position))

    def generate(self, question: str, hits: list[SearchHit]) -> str:
        """Answer text with a [n] marker (n = rank in `hits`) after each sentence."""
        sentences = []
        for cand in self.select(question, hits):
            text = cand.text.rstrip()
            if text[-1:] in ".!?…":
                sentences.append(f"{text[:-1]} [{cand.hit_index + 1}]{text[-1]}")
            else:
                sentences.append(f"{text} [{cand.hit_index + 1}].")
        return " ".join(sentences)
