"""The interface every answer generator implements (extractive, LLM)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from assistant.models import Turn
from assistant.models import SearchHit


class GeneratorUnavailable(RuntimeError):
    """The generator's backend cannot be reached; the engine falls back to the extractive generator."""

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message  # short French cause (« connexion au serveur impossible »)


class Generator(ABC):
    """Writes a draft answer from retrieved passages.

    The draft is French text with a marker [n] after each sentence, where n is the 1-based rank of
    the supporting passage in `hits`. Drafts are never shown as is: the engine verifies every
    cited sentence against its passage and renumbers the citations.
    """

    name: str = "generator"

    @abstractmethod
    def generate(self, question: str, hits: list[SearchHit]) -> str:
        """The whole draft."""

    def stream(self, question: str, hits: list[SearchHit]) -> Iterator[str]:
        """The draft in pieces as it is produced (generators that cannot stream yield it whole)."""
        yield self.generate(question, hits)

    def rewrite(self, question: str, history: list[Turn]) -> str | None:
        """A standalone version of a follow-up question, or None to let the engine's rule-based rewriting decide."""
        return None
