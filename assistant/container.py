"""The one place that builds the shared objects from the settings.

The API (`app.state.container`), the CLI and the benchmarks read a `Container`; nothing else assembles
an index, a store or an engine. Each object is built on first use, under one lock, and then reused.
Tests swap a backend by binding another object before it is first used (private-gpt's injector is
the model):

    container = Container(settings)
    container.bind("index", shared_index)      # an index already open
    container.bind("llm", LLMClient(fake))      # a scripted chat model
    container.answers.ask("…")

Building an engine can fail for reasons the caller should show (no index yet, a misconfigured LLM);
those errors are raised as they are (IndexMissing, LLMConfigError…) and mapped to French messages at
the edges (api/errors.py, the CLI).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from assistant.answer.conversations import ConversationStore
from assistant.answer.engine import AnswerEngine
from assistant.services.users import UserStore, users_path
from assistant.briefs.formats import BriefLibrary, load_library
from assistant.briefs.generator import BriefGenerator
from assistant.clauses.generator import ClauseGenerator
from assistant.clauses.library import ClauseLibrary
from assistant.config import Settings
from assistant.factcheck.checker import FactChecker
from assistant.figures.store import FigureStore, open_figures
from assistant.thresholds.table import ThresholdTable
from assistant.grounding.base import Grounding
from assistant.grounding.generator import Generator
from assistant.grounding.lint import Linter
from assistant.grounding.llm.client import LLMClient
from assistant.grounding.prompts import Prompts, prompts_for
from assistant.index.embeddings import IdentifiedEmbeddings
from assistant.index.store import IndexStore
from assistant.retrieval.rerank import Reranker
from assistant.retrieval.search import HybridSearcher
from assistant.services.audit import AuditLog, audit_path
from assistant.services.documents import DocumentManager, DocumentService
from assistant.services.feedback import FeedbackStore, feedback_path

T = TypeVar("T")
log = logging.getLogger(__name__)
MB = 1024 * 1024
# Objects holding files or connections, closed by `close()` (in this order).
_CLOSABLE = ("feedback", "conversations", "users", "audit", "figures", "index")


class Container:
    def __init__(self, settings: Settings | None = None, **bindings: Any):
        self.settings = settings or Settings()
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}
        self._bound: set[str] = set()
        self._catching_up = threading.Lock()
        self._caught_up_once = False
        for name, value in bindings.items():
            self.bind(name, value)

    # --- wiring -------------------------------------------------------------------------------------
    def bind(self, name: str, value: Any) -> None:
        """Use `value` as the container's `name` (an index already open, a scripted LLM client…).

        A bound object belongs to its caller: `close()` leaves it open.
        """
        if not isinstance(getattr(type(self), name, None), property):
            raise AttributeError(f"unknown container object {name!r}")
        with self._lock:
            self._built[name] = value
            self._bound.add(name)

    def _once(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    def built(self, name: str) -> Any | None:
        """The object if it was already built (or bound), else None; never builds."""
        with self._lock:
            return self._built.get(name)

    # --- index and retrieval ------------------------------------------------------------------------
    @property
    def index(self) -> IndexStore:
        return self._once("index", lambda: IndexStore(self.settings))

    @property
    def embedder(self) -> IdentifiedEmbeddings:
        return self.index.embedder

    @property
    def searcher(self) -> HybridSearcher:
        def build() -> HybridSearcher:
            settings = self.settings
            reranker = Reranker(settings.rerank_url, settings.rerank_api, settings.rerank_model, settings.rerank_top,
                                settings.rerank_api_key) if settings.rerank_url else None
            return HybridSearcher(self.index, reranker)

        return self._once("searcher", build)

    def ready_searcher(self) -> HybridSearcher:
        """The searcher over an index that exists and a vector store that answers (IndexMissing,
        VectorStoreUnavailable or EmbedderError otherwise)."""
        self.index.ensure_ready()
        searcher = self.searcher
        searcher.index.vectors  # noqa: B018 - opens Chroma now, so that a failure is reported here
        return searcher

    # --- grounding ----------------------------------------------------------------------------------
    @property
    def prompts(self) -> Prompts:
        return self._once("prompts", lambda: prompts_for(self.settings.prompts_dir))

    @property
    def llm(self) -> LLMClient | None:
        """The configured chat model (ASSISTANT_LLM=llm), or None for the extractive engine alone."""
        return self._once("llm", lambda: LLMClient.from_settings(self.settings) if self.settings.llm == "llm"
                          else None)

    @property
    def grounding(self) -> Grounding:
        return self._once("grounding", lambda: Grounding(self.ready_searcher(), self.prompts, self.llm,
                                                         self.settings, self.linter, self.thresholds))

    @property
    def linter(self) -> Linter:
        return self._once("linter", Linter)

    @property
    def generator(self) -> Generator:
        """The answer generator chosen by ASSISTANT_LLM: the model's, or the extractive one."""
        def build() -> Generator:
            from assistant.answer.llm import LLMGenerator

            grounding = self.grounding
            return LLMGenerator(grounding.llm, grounding.prompts) if grounding.llm is not None else grounding.selector

        return self._once("generator", build)

    # --- engines ------------------------------------------------------------------------------------
    @property
    def answers(self) -> AnswerEngine:
        return self._once("answers", lambda: AnswerEngine(self.grounding, self.settings, self.generator,
                                                          conversations=self.conversations))

    @property
    def clause_library(self) -> ClauseLibrary:
        return self._once("clause_library", lambda: ClauseLibrary(self.prompts))

    @property
    def clauses(self) -> ClauseGenerator:
        return self._once("clauses", lambda: ClauseGenerator(self.grounding, self.clause_library,
                                                             linter=self.linter))

    @property
    def brief_library(self) -> BriefLibrary:
        return self._once("brief_library", lambda: load_library(self.settings.prompts_dir))

    @property
    def briefs(self) -> BriefGenerator:
        def build() -> BriefGenerator:
            grounding = self.grounding
            self.figures.ensure_synced(grounding.index.catalog)
            return BriefGenerator(grounding, self.figures, self.settings, self.brief_library)

        return self._once("briefs", build)

    @property
    def fact_checker(self) -> FactChecker:
        """Checks a pasted draft's figures, quotations and attributions against the indexed documents."""
        return self._once("fact_checker", lambda: FactChecker(
            self.ready_searcher(), self.figures, self.settings.brief_max_figure_age_years))

    # --- stores and services ------------------------------------------------------------------------
    @property
    def thresholds(self) -> ThresholdTable:
        """The Code's thresholds, read from the indexed articles (in step with the catalog)."""
        return self._once("thresholds", lambda: ThresholdTable(self.index.catalog))

    @property
    def figures(self) -> FigureStore:
        return self._once("figures", lambda: open_figures(self.settings))

    @property
    def conversations(self) -> ConversationStore:
        return self._once("conversations", lambda: ConversationStore(self.settings.conversations_path,
                                                                     self.settings.database_url))

    @property
    def feedback(self) -> FeedbackStore:
        return self._once("feedback", lambda: FeedbackStore(feedback_path(self.settings.data_dir),
                                                            self.conversations, self.settings.database_url))

    @property
    def users(self) -> UserStore:
        return self._once("users", lambda: UserStore(users_path(self.settings.data_dir), self.settings.database_url))

    @property
    def audit(self) -> AuditLog:
        return self._once("audit", lambda: AuditLog(audit_path(self.settings.data_dir), self.settings.database_url))

    @property
    def documents(self) -> DocumentService:
        """Reading documents (listing, a document with its passages, the original file)."""
        return self._once("documents", lambda: DocumentService(self.index.catalog))

    def ready_documents(self) -> DocumentService:
        """The documents of an index that exists (IndexMissing otherwise)."""
        self.index.ensure_ready()
        return self.documents

    @property
    def document_manager(self) -> DocumentManager:
        """Changing documents (upload, metadata, re-index, delete); its lock serialises the changes."""
        return self._once("document_manager", lambda: DocumentManager(
            self.index, int(self.settings.upload_max_mb * MB), audit=self.audit))

    # --- replicas sharing a catalog -------------------------------------------------------------------
    def caught_up(self) -> bool:
        """Whether this replica's derived indexes (BM25, key figures) reflect the catalog as it is now."""
        return self.index.bm25_current() and self.figures.is_synced(self.index.catalog)

    def synchronised(self) -> bool:
        """Whether a replica reading a shared catalog may take traffic: once it has caught up since it started.
        Later changes of the catalog (another replica's ingest) are followed in the background while it keeps
        serving, so that an ingest never takes every replica out of the balancer at once."""
        if self.caught_up():
            self._caught_up_once = True
            return True
        self.catch_up_in_background()
        return self._caught_up_once

    def catch_up(self) -> None:
        """Rebuild from the catalog what is stale here (BM25, key figures; the thresholds follow by themselves)."""
        with self._catching_up:
            self.index.refresh_bm25()
            self.figures.ensure_synced(self.index.catalog)

    def catch_up_in_background(self) -> None:
        """Start `catch_up` in a thread unless one runs: a health check must answer at once."""
        if self._catching_up.locked():
            return
        threading.Thread(target=self._catch_up_logged, name="rattrapage-catalogue", daemon=True).start()

    def _catch_up_logged(self) -> None:
        try:
            self.catch_up()
        except Exception:  # the next health check tries again; the reason goes to the log
            log.exception("rattrapage du catalogue partagé interrompu")

    # --- lifetime -----------------------------------------------------------------------------------
    def close(self) -> None:
        """Close what the container opened (not what was bound), and forget every built object."""
        with self._lock:
            for name in _CLOSABLE:
                obj = self._built.get(name)
                if obj is not None and name not in self._bound:
                    obj.close()
            self._built = {name: self._built[name] for name in self._bound if name in self._built}
