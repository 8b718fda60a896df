"""Hybrid search: BM25 + dense vectors fused, exact legal references first, filters before ranking."""

from __future__ import annotations

import re

import numpy as np

from assistant.index.fusion import fuse
from assistant.index.lexical import cited_articles
from assistant.index.store import IndexStore
from assistant.models import SearchHit
from assistant.index.filters import SearchFilters
from assistant.retrieval.query import expand_query
from assistant.retrieval.rerank import Reranker

_ONLY_REFERENCE = re.compile(r"^\s*(?:l['’]\s*)?(?:art(?:icle)?\.?\s*)?[LRD]\s?\.?\s?\d[\d-]*\s*\??\s*$", re.IGNORECASE)


class HybridSearcher:
    def __init__(self, index: IndexStore, reranker: Reranker | None = None):
        self.index = index
        self.reranker = reranker

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[SearchHit]:
        query = " ".join(query.split())
        if not query:
            return []
        filters = filters or SearchFilters()
        settings = self.index.settings
        n = max(settings.candidates, k * 3)
        expanded = expand_query(query)
        bm25 = self.index.bm25_index()
        lexical = bm25.search(expanded, n, mask=filters.mask(bm25.meta)) if bm25 else []
        dense = self.index.vectors.query(self.index.query_vector(expanded), n, where=filters.chroma_where())
        ranked = fuse(dense, lexical, settings.dense_weight)
        # Raw scores travel with each hit: fused scores are relative, abstention needs absolute ones.
        raw_dense, raw_bm25 = dict(dense), dict(lexical)
        if self.reranker is not None and not cited_articles(query):
            # A reranking server reorders the fused head (never the exact references, which go first below).
            head = self.index.catalog.chunks_by_id(cid for cid, _ in ranked[: self.reranker.top])
            ranked = self.reranker.rerank(query, ranked, {cid: row["text"] for cid, row in head.items()})
        ranked = self._references_first(query, ranked, filters)
        rows = self.index.catalog.chunks_by_id(cid for cid, _ in ranked[: k * 2])
        hits: list[SearchHit] = []
        for cid, score in ranked:
            row = rows.get(cid)
            if row is None:
                continue  # vector of a chunk that the catalog no longer has (ingest in progress)
            hits.append(hit_from_row(row, len(hits) + 1, score, dense=raw_dense.get(cid), bm25=raw_bm25.get(cid)))
            if len(hits) == k:
                break
        return hits

    def _references_first(self, query: str, ranked: list[tuple[str, float]],
                          filters: SearchFilters) -> list[tuple[str, float]]:
        """Chunks that ARE an article cited in the query go first, in the query's order."""
        refs = cited_articles(query)
        if not refs:
            return ranked
        articles = self.index.catalog.chunks_for_articles(refs)
        allowed = [r for r in articles if _passes(r, filters)]
        if not allowed:
            return ranked
        order = {ref: i for i, ref in enumerate(refs)}
        allowed.sort(key=lambda r: (order[r["meta"]["article_id"]], r["ord"]))
        top = [(r["chunk_id"], 2.0 - 0.01 * i) for i, r in enumerate(allowed)]
        seen = {cid for cid, _ in top}
        return top + [(cid, s) for cid, s in ranked if cid not in seen]


def hit_from_row(row: dict, rank: int, score: float, **raw: float | None) -> SearchHit:
    """A catalog chunk row as a ranked hit (raw retriever scores kept in `meta`)."""
    return SearchHit(rank=rank, score=round(float(score), 4), doc_id=row["doc_id"], title=row["title"],
                     doc_type=row["doc_type"], source=row["source"], locator=row["locator"],
                     chunk_id=row["chunk_id"], text=row["text"], date=row["date"], audience=row["audience"],
                     meta={**row["meta"], **raw})


def _passes(row: dict, filters: SearchFilters) -> bool:
    if filters.is_empty():
        return True
    meta = {"doc_type": np.asarray([row["doc_type"]]), "audience": np.asarray([row["audience"]]),
            "date": np.asarray([row["date"] or ""])}
    mask = filters.mask(meta)
    return bool(mask is None or mask[0] > 0)
