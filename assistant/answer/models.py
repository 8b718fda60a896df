"""Typed results of the answer engine."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Citation, SearchHit, Suggestion


class Answer(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = None  # why the documents do not answer, in plain French
    # The measures behind a refusal (coverage, similarity), for staff and `--json`: never shown to members.
    diagnostics: dict[str, float] = Field(default_factory=dict)
    retrieved: list[SearchHit] = Field(default_factory=list)
    question: str = ""
    # The question actually searched: a follow-up rewritten with the previous turns.
    standalone_question: str = ""
    suggestions: list[Suggestion] = Field(default_factory=list)
    # Fixed framing sentences of the text (premise corrections, which entity is meant): not claims, so uncited.
    framing: list[str] = Field(default_factory=list)
    # Sentences of the draft dropped by the verifier (no passage supports them).
    removed: list[str] = Field(default_factory=list)
    # A visible notice for the user, e.g. the LLM was unreachable and the extractive engine answered.
    notice: str | None = None
    engine: str = "extractive"
    conversation_id: str | None = None
    message_id: str | None = None
    latency_ms: float | None = None


class AnswerEvent(BaseModel):
    """Streaming: `delta` events carry verified answer text as it is produced; `answer` ends the stream."""

    type: Literal["delta", "answer"]
    text: str = ""
    answer: Answer | None = None
