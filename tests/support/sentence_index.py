"""A stand-in for the index the extractive selector reads (idf, query and sentence vectors), so that
scorers are tested with hand-made values and no model."""

from __future__ import annotations

from functools import cached_property, lru_cache

import numpy as np

from assistant.grounding.extractive import ExtractiveGenerator, Scoring
from assistant.models import SearchHit


class FakeBM25:
    def __init__(self, idf: dict[str, float]):
        self._idf = idf

    def idf(self, term: str) -> float:
        return self._idf.get(term, 1.0)


class FakeEmbedder:
    def __init__(self, query: np.ndarray):
        self.query = query
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return self.query.tolist()


class FakeIndex:
    """`bm25_index`, `query_vector` and `sentence_vectors`: what the selector reads of an index."""

    def __init__(self, idf: dict[str, float] | None = None, vectors: dict[str, list[float]] | None = None,
                 query: list[float] | None = None):
        self.idf = idf
        self.vectors = {t: np.asarray(v, dtype=np.float32) for t, v in (vectors or {}).items()}
        self.embedder = FakeEmbedder(np.asarray(query or [1.0, 0.0], dtype=np.float32))

    @cached_property
    def query_vector(self):
        """Cached per text, as IndexStore.query_vector is."""
        return lru_cache(maxsize=1024)(lambda text: np.asarray(self.embedder.embed_query(text), dtype=np.float32))

    def bm25_index(self):
        return FakeBM25(self.idf) if self.idf is not None else None

    def sentence_vectors(self, texts):
        """A sentence read under its passage's title (« Note : <phrase> ») has its own vector when one is given,
        else the sentence's."""
        return [self.vectors[t] if t in self.vectors else self.vectors[t.split(" : ", 1)[1]] for t in texts]


def hit(text: str, rank: int = 1, dense: float = 0.8) -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title="Note", doc_type="note", source="s",
                     locator="", chunk_id=f"d{rank}:1", text=text, meta={"dense": dense})


def scoring_of(index: FakeIndex, question: str, hits: list[SearchHit], dense: bool = True) -> Scoring:
    selector = ExtractiveGenerator(index)
    return Scoring(selector, question, hits, selector._candidates(hits), dense)
