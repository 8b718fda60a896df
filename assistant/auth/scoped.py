"""A searcher that can only see what one caller may read, for code that builds its own filters.

The clause generator (and any tool that searches with fixed filters such as "procurement guides")
gets this wrapper instead of the shared searcher: whatever filters it passes, the caller's audiences
are applied inside the retrievers, before ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.models import SearchHit
from assistant.retrieval.filters import SearchFilters


def restrict(filters: SearchFilters | None, audiences: Iterable[str]) -> SearchFilters | None:
    """`filters` narrowed to `audiences`; None when nothing could pass (asked only for unreadable audiences)."""
    allowed = list(audiences)
    if filters is None:
        return SearchFilters(audience=allowed)
    wanted = [a for a in (filters.audience or allowed) if a in allowed]
    return filters.model_copy(update={"audience": wanted}) if wanted else None


class ScopedSearcher:
    """Same interface as HybridSearcher (`search`, `index`…), restricted to `audiences`."""

    def __init__(self, searcher: Any, audiences: Iterable[str]):
        self._searcher = searcher
        self.audiences = tuple(audiences)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[SearchHit]:
        scoped = restrict(filters, self.audiences)
        hits = [] if scoped is None else self._searcher.search(query, k=k, filters=scoped)
        # Belt and braces: a retriever that ignored the filter must still not leak a passage.
        return [h for h in hits if h.audience in self.audiences]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)
