"""The grounding layer every engine reads the documents through.

One `Grounding` per process (built by the container) holds what the answer, clause and brief engines
share: the searcher, passages filtered of injected instructions, evidence on a point of law, the
entity views that keep one organisation's facts apart from another's, sentence selection, the
relevance test, and the LLM client with its prompts. The engines are siblings over it: none imports
another (azure-search-openai-demo's `Approach` base is the model).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from assistant.config import Settings
from assistant.grounding.domain import DomainReader
from assistant.grounding.entities import EntityTagger
from assistant.grounding.extractive import ExtractiveGenerator
from assistant.grounding.injection import without_injections
from assistant.grounding.inventory import Inventory
from assistant.grounding.lint import Linter
from assistant.grounding.llm.client import LLMClient
from assistant.grounding.permission import PermissionReader
from assistant.grounding.prompts import Prompts, prompts_for
from assistant.grounding.relevance import Relevance, relevance
from assistant.grounding.sources import SourceReader
from assistant.index.filters import SearchFilters
from assistant.models import SearchHit
from assistant.retrieval.scoped import ScopedSearcher
from assistant.retrieval.search import HybridSearcher, hit_from_row
from assistant.thresholds.table import ThresholdTable


class Grounding:
    def __init__(self, searcher: HybridSearcher, prompts: Prompts | None = None, llm: LLMClient | None = None,
                 settings: Settings | None = None, linter: Linter | None = None,
                 thresholds: ThresholdTable | None = None):
        self.searcher = searcher
        self.index = searcher.index
        self.settings = settings or searcher.index.settings
        self.prompts = prompts or prompts_for(self.settings.prompts_dir)
        self.llm = llm
        self.tagger = EntityTagger(searcher.index.catalog)
        # Sentence selection (and the extractive draft of an answer): verbatim sentences of the passages.
        self.selector = ExtractiveGenerator(searcher.index)
        # The one source of legal truth: the answer engine reads questions with it, the clause engine drafts.
        self.linter = linter or Linter()
        # Which rule a permission question touches: the linter's patterns and a model of how buyers ask.
        self.permission = PermissionReader(self.linter, searcher.index)
        self.domain = DomainReader(searcher.index)  # whether a question is on the documents' subjects
        self.sources = SourceReader(searcher.index)  # which kind of source a question asks for
        self.inventory = Inventory(searcher.index)  # what the index holds, for questions naming a document
        # The Code's thresholds as data: a buyer's amount is compared with them by code.
        self.thresholds = thresholds or ThresholdTable(searcher.index.catalog)

    def scoped(self, audiences: Iterable[str]) -> "Grounding":
        """The same grounding seeing only what `audiences` may read (searches and article look-ups alike)."""
        view = copy.copy(self)
        view.searcher = ScopedSearcher(self.searcher, audiences)
        view.index = view.searcher.index
        return view

    def evidence(self, articles: list[str], query: str, filters: SearchFilters | None, k: int = 3) -> list[SearchHit]:
        """Passages on a point of law: the given articles first (those the filters allow), then what `query` finds."""
        rows = self.index.catalog.chunks_for_articles(list(articles))
        order = {a: i for i, a in enumerate(articles)}
        rows.sort(key=lambda r: (order.get(r["meta"].get("article_id"), 99), r["ord"]))
        hits = [hit_from_row(r, i + 1, 1.0) for i, r in enumerate(rows)]
        if filters is not None and not filters.is_empty():
            allowed = {h.chunk_id for h in self.searcher.search(query, k=50, filters=filters)}
            hits = [h for h in hits if h.chunk_id in allowed]
        # k=0: the articles alone (the lawfulness guard quotes a rule from its own articles, nothing else).
        return without_injections(hits + (self.searcher.search(query, k=k, filters=filters) if k else []))

    def relevance(self, query: str, hits: list[SearchHit]) -> Relevance:
        """How well `hits` cover `query` (the abstention test, thresholds in the settings)."""
        return relevance(query, hits, self.index.bm25_index())
