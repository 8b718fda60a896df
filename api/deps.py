"""Shared objects of the web app (one index, engine and stores per process), opened lazily."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from fastapi import HTTPException, Request

from assistant.answer.conversations import ConversationStore
from assistant.answer.engine import AnswerEngine
from assistant.config import Settings
from assistant.documents import DocumentService
from assistant.feedback import FeedbackStore, feedback_path
from assistant.index.embeddings import EmbedderError
from assistant.index.store import IndexMissing, IndexStore
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.retrieval.search import HybridSearcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """Who is calling. Everyone is anonymous for now; accounts and roles (issue 7) will build this from a
    token or a session cookie, and every route already filters what it shows by `audiences`."""

    role: str = "public"
    audiences: tuple[str, ...] = ("public",)
    user_id: str | None = None


ANONYMOUS = Caller()


def get_caller(request: Request) -> Caller:
    return ANONYMOUS


class Services:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.RLock()
        self._index: IndexStore | None = None
        self._searcher: HybridSearcher | None = None
        self._engine: AnswerEngine | None = None
        self._conversations: ConversationStore | None = None
        self._feedback: FeedbackStore | None = None

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

    @property
    def conversations(self) -> ConversationStore:
        with self._lock:
            if self._conversations is None:
                self._conversations = ConversationStore(self.settings.conversations_path)
            return self._conversations

    @property
    def feedback(self) -> FeedbackStore:
        conversations = self.conversations
        with self._lock:
            if self._feedback is None:
                self._feedback = FeedbackStore(feedback_path(self.settings.data_dir), conversations)
            return self._feedback

    @property
    def documents(self) -> DocumentService:
        return DocumentService(self.index.catalog)

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

    def ready_engine(self) -> AnswerEngine:
        """The answer engine over a ready index (same searcher and conversation store as the other routes)."""
        searcher = self.ready_searcher()
        conversations = self.conversations
        with self._lock:
            if self._engine is None:
                try:
                    self._engine = AnswerEngine(searcher, self.settings, conversations=conversations)
                except Exception as exc:  # a misconfigured LLM must give a French 503, not a 500
                    log.exception("answer engine could not be built")
                    raise HTTPException(503, detail=f"Moteur de réponses indisponible : {exc}") from exc
            return self._engine

    def ready_documents(self) -> DocumentService:
        try:
            self.index.ensure_ready()
        except IndexMissing as exc:
            raise HTTPException(503, detail=f"Index indisponible : {exc}") from exc
        return self.documents

    def close(self) -> None:
        with self._lock:
            for store in (self._feedback, self._conversations):
                if store is not None:
                    store.close()
            self._feedback = self._conversations = self._engine = None


def get_services(request: Request) -> Services:
    return request.app.state.services
