"""Shared objects of the web app (one index, engine and stores per process), opened lazily."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request

from assistant.answer.conversations import ConversationStore
from assistant.answer.engine import AnswerEngine
from assistant.auth.roles import ROLE_LABELS, ROLES, audiences_for
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
    """Who is calling; every route filters what it shows by `audiences`."""

    role: str = "public"
    audiences: tuple[str, ...] = ("public",)
    user_id: str | None = None

    @classmethod
    def for_role(cls, role: str, user_id: str | None = None) -> "Caller":
        return cls(role=role, audiences=audiences_for(role), user_id=user_id)


ANONYMOUS = Caller()


def get_caller(request: Request) -> Caller:
    return ANONYMOUS


def require_role(*roles: str):
    """Dependency admitting only callers whose role is in `roles` (French 401 when anonymous, else 403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def check(caller: Caller = Depends(get_caller)) -> Caller:
        if caller.role in roles:
            return caller
        allowed = ", ".join(ROLE_LABELS[r] for r in roles)
        if caller.user_id is None:
            raise HTTPException(401, detail=f"Connexion requise : cette action est réservée aux comptes {allowed}.")
        raise HTTPException(403, detail=f"Accès refusé : cette action est réservée aux comptes {allowed}.")

    return check


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
