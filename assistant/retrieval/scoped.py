"""A searcher (and index) that can only see what one caller may read, for code that builds its own filters.

The clause generator (and any tool that searches with fixed filters such as "procurement guides")
gets this wrapper instead of the shared searcher: whatever filters it passes, the caller's audiences
are applied inside the retrievers, before ranking. Its `index.catalog.chunks_for_articles` (the exact
article lookup behind legal bases) is restricted the same way: a staff document with « Article … »
headings is a legal text for the chunker, and must not become a member's legal basis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.models import SearchHit
from assistant.index.filters import SearchFilters


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

    @property
    def index(self) -> "_ScopedIndex":
        return _ScopedIndex(self._searcher.index, self.audiences)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)


class _ScopedIndex:
    def __init__(self, index: Any, audiences: tuple[str, ...]):
        self._index = index
        self.catalog = _ScopedCatalog(index.catalog, audiences)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


class _ScopedCatalog:
    def __init__(self, catalog: Any, audiences: tuple[str, ...]):
        self._catalog = catalog
        self.audiences = audiences

    def chunks_for_articles(self, article_ids: list[str]) -> list[dict[str, Any]]:
        return [r for r in self._catalog.chunks_for_articles(article_ids) if r["audience"] in self.audiences]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._catalog, name)
