"""Shared objects of the web app (one index per process), opened lazily."""

from __future__ import annotations

import threading

from fastapi import HTTPException, Request

from assistant.config import Settings
from assistant.index.embeddings import EmbedderError
from assistant.index.store import IndexMissing, IndexStore
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.retrieval.search import HybridSearcher


class Services:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._index: IndexStore | None = None
        self._searcher: HybridSearcher | None = None

    @property
    def index(self) -> IndexStore:
        with self._lock:
            if self._index is None:
                self._index = IndexStore(self.settings)
            return self._index

    @property
    def searcher(self) -> HybridSearcher:
        index = self.index
        with self._lock:
            if self._searcher is None:
                self._searcher = HybridSearcher(index)
            return self._searcher

    def ready_searcher(self) -> HybridSearcher:
        """The searcher, or a French 503 when the index is missing or the vector store is down."""
        try:
            self.index.ensure_ready()
            searcher = self.searcher
            searcher.index.vectors  # noqa: B018 - opens Chroma now so failures map to 503
            return searcher
        except IndexMissing as exc:
            raise HTTPException(503, detail=f"Index indisponible : {exc}") from exc
        except (VectorStoreUnavailable, EmbedderError) as exc:
            raise HTTPException(503, detail=f"Service de recherche indisponible : {exc}") from exc


def get_services(request: Request) -> Services:
    return request.app.state.services
