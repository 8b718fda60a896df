"""What an answer is written from: its parts (segments), framing, and what the passages do not say."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.grounding.relevance import Asked
from assistant.models import SearchHit


@dataclass
class Segment:
    """One part of an answer: an optional heading, the query to answer, the passages to answer from."""

    heading: str | None
    query: str
    hits: list[SearchHit]
    # Sentences a guard chose (verbatim, of hits[0]): said as they are instead of what the generator would write.
    sentences: list[str] | None = None


@dataclass
class Plan:
    abstain: str | None = None  # the reason, when the engine must not answer
    framing: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    # What the passages do not say of what is asked (a partial answer), said after what they do say.
    missing: list[str] = field(default_factory=list)
    # What is asked about an organisation (its budget, its members) or a kind of contract: the answer must name it.
    attribute: Asked | None = None
    diagnostics: dict[str, float] = field(default_factory=dict)  # measures behind a decision, for --json
    guards: list[str] = field(default_factory=list)  # « name:action » of every guard that gave a verdict
    question: str = ""  # what the sentences must answer (a follow-up's own question, else the standalone one)
    composed: bool = False  # written from data a guard checked (a checklist): only « nothing cited » is checked after
    candidates: list[SearchHit] = field(default_factory=list)  # every passage retrieved, beyond those written from
    followup: bool = False  # the question was rewritten from the conversation: `question` is not all the user's own
    earlier: str = ""  # for a follow-up answered by its own words (`question`), the earlier questions carried over


def passage_key(hit: SearchHit) -> tuple[str, str]:
    # Two entity views of one chunk are different passages: they cite different lines.
    return hit.chunk_id, hit.text


def dedupe(hits: list[SearchHit]) -> list[SearchHit]:
    """The passages in order, each once."""
    seen: set[tuple[str, str]] = set()
    return [h for h in hits if not (passage_key(h) in seen or seen.add(passage_key(h)))]
