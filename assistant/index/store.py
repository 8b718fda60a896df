"""The index as one object: catalog (SQLite), embedder + cache, vector store, BM25."""

from __future__ import annotations

import threading
import time
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.index.catalog import Catalog
from assistant.index.errors import IndexMissing
from assistant.index.embeddings import EmbeddingCache, IdentifiedEmbeddings, describe_embedder, load_embedder
from assistant.index.lexical import BM25Holder, BM25Index
from assistant.index.vectorstore import VectorStore, open_vector_store
from assistant.index.filters import date_number
from assistant.text.normalize import sha256_hex


# Cache namespace of the vectors of citable sentences (embedded at ingest, used to answer).
SENTENCE_NAMESPACE = "/sentence"
# A replica sharing its catalog (PostgreSQL) looks at the catalog's generation at most this often before a
# search: another replica's ingest shows here within these seconds, without a query per search.
GENERATION_CHECK_SECONDS = 2.0


class IndexStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.catalog = Catalog(settings.catalog_path, settings.database_url)
        self.bm25 = BM25Holder(settings.bm25_dir)
        self._lock = threading.Lock()
        self._generation_checked = 0.0

    @cached_property
    def embedder(self) -> IdentifiedEmbeddings:
        return load_embedder(self.settings.embedder, self.settings.embed_threads)

    @cached_property
    def query_vector(self):
        """The embedding of a query, computed once per text: the searcher and the sentence selector embed the same
        expanded question for one answer."""
        embedder = self.embedder
        return lru_cache(maxsize=1024)(lambda text: np.asarray(embedder.embed_query(text), dtype=np.float32))

    @cached_property
    def cache(self) -> EmbeddingCache:
        return EmbeddingCache(self.settings.embedding_cache_path)

    @cached_property
    def model_id(self) -> str:
        return describe_embedder(self.settings.embedder)[0]

    @property
    def vectors(self) -> VectorStore:
        """The active collection; follows a switch made by `assistant reindex` in another process."""
        from assistant.index.version import COLLECTION_KEY

        name = self.catalog.get_state(COLLECTION_KEY) or self.settings.chroma_collection
        store = self.__dict__.get("_vectors")
        if store is None or store.collection_name != name:
            with self._lock:
                store = self.__dict__.get("_vectors")
                if store is None or store.collection_name != name:
                    model_id, dim = describe_embedder(self.settings.embedder)
                    store = open_vector_store(self.settings, dim=dim, model_id=model_id, collection=name)
                    self.__dict__["_vectors"] = store
        return store

    def close(self) -> None:
        self.catalog.close()
        if "cache" in self.__dict__:
            self.cache.close()

    # --- embedding with cache -----------------------------------------------------------------
    def cached_vectors(self, hashes: list[str], namespace: str = "") -> dict[str, np.ndarray]:
        return self.cache.get_many(self.model_id + namespace, hashes)

    def vectors_for(self, texts: list[str], hashes: list[str], namespace: str = "",
                    queries: bool = False) -> dict[str, np.ndarray]:
        """Vectors of `texts` by hash: taken from the cache, the missing ones embedded and cached (`queries`: as
        questions, « query: » for e5, one at a time as the embedder takes them)."""
        cached = self.cached_vectors(hashes, namespace)
        missing = {h: t for h, t in zip(hashes, texts) if h not in cached}
        if missing:
            vectors = ([self.embedder.embed_query(t) for t in missing.values()] if queries
                       else self.embedder.embed_documents(list(missing.values())))
            new = [(h, np.asarray(v, dtype=np.float32)) for h, v in zip(missing, vectors)]
            self.cache.put_many(self.model_id + namespace, new)
            cached.update(dict(new))
        return cached

    def question_vectors(self, texts: list[str], namespace: str) -> list[np.ndarray]:
        """Query-side vectors (« query: » for e5) of many questions, cached by content in their own namespace:
        examples a model is trained from are embedded once, not at every start."""
        hashes = [sha256_hex(t) for t in texts]
        cached = self.vectors_for(texts, hashes, namespace, queries=True)
        return [cached[h] for h in hashes]

    def sentence_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Sentence vectors, cached by content like chunk vectors (in their own namespace)."""
        hashes = [sha256_hex(t) for t in texts]
        cached = self.vectors_for(texts, hashes, namespace=SENTENCE_NAMESPACE)
        return [cached[h] for h in hashes]

    # --- derived indexes ----------------------------------------------------------------------
    @staticmethod
    def vector_metadata(row: dict[str, Any]) -> dict[str, Any]:
        meta = {"doc_id": row["doc_id"], "doc_type": row["doc_type"], "audience": row["audience"],
                "date_num": date_number(row.get("date"))}
        article = (row.get("meta") or {}).get("article_id")
        if article:
            meta["article_id"] = article
        return meta

    def rebuild_bm25(self) -> BM25Index:
        index = BM25Index.build(self.catalog.chunk_rows(synced_only=True), generation=self.catalog.generation())
        self.bm25.set(index)
        return index

    def bm25_index(self) -> BM25Index | None:
        index = self.bm25.get()
        if index is not None and self.catalog.shared and not self._seems_current(index):
            index = self.refresh_bm25()  # another replica changed the shared catalog: this BM25 is a cache
        if index is None and self.catalog.counts()["chunks"]:
            with self._lock:
                index = self.bm25.get() or self.rebuild_bm25()
        return index

    def _seems_current(self, index: BM25Index) -> bool:
        now = time.monotonic()
        if now - self._generation_checked < GENERATION_CHECK_SECONDS:
            return True
        self._generation_checked = now
        return index.is_current(self.catalog.generation())

    def refresh_bm25(self) -> BM25Index:
        """This replica's BM25, rebuilt from the catalog when it no longer reflects it."""
        with self._lock:
            index = self.bm25.get()
            if index is None or not index.is_current(self.catalog.generation()):
                index = self.rebuild_bm25()
            return index

    def bm25_current(self) -> bool:
        """Whether this replica's BM25 reflects the catalog as it is now (no throttling)."""
        index = self.bm25.get()
        return index is not None and index.is_current(self.catalog.generation())

    def ensure_ready(self) -> None:
        if not self.catalog.counts()["chunks"]:
            raise IndexMissing("l'index est vide : lancez d'abord `assistant ingest corpus` (ou `make run`)")
        self.check_version()

    def check_version(self) -> None:
        """French `IndexVersionMismatch` (an `IndexMissing`) when built by another embedder or schema."""
        from assistant.index.version import check_stamp

        check_stamp(self.catalog, *describe_embedder(self.settings.embedder))
