"""LangChain `BaseRetriever` over the hybrid search, for chains that expect one."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.index.filters import SearchFilters
from assistant.retrieval.search import HybridSearcher


class AllianceRetriever(BaseRetriever):
    """Returns the top-k passages as Documents whose metadata carry the citation fields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        hits = self.searcher.search(query, k=kwargs.get("k", self.k), filters=kwargs.get("filters", self.filters))
        return [Document(page_content=h.text, id=h.chunk_id,
                         metadata={**h.model_dump(exclude={"text"}), **{k: v for k, v in h.meta.items() if v is not None}})
                for h in hits]
