"""Typed results of the answer engine."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from assistant.models import Citation, SearchHit, Suggestion


class Answer(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = None  # why the documents do not answer, in plain French
    # What the documents do not say of what was asked, one plain French sentence each (« Les documents ne donnent pas
    # le montant … : le code renvoie à un arrêté qui n'est pas dans la base. »). Non-empty on a `partial` answer, whose
    # text says both what the passages do say (cited) and these sentences (uncited framing, at the end).
    missing: list[str] = Field(default_factory=list)
    # The measures behind a refusal (coverage, similarity), for staff and `--json`: never shown to members.
    diagnostics: dict[str, float] = Field(default_factory=dict)
    # « name:action » of every guard that gave a verdict (assistant/answer/guards.py), for staff and the benchmark.
    guards: list[str] = Field(default_factory=list)
    retrieved: list[SearchHit] = Field(default_factory=list)
    question: str = ""
    # The question actually searched: a follow-up rewritten with the previous turns.
    standalone_question: str = ""
    suggestions: list[Suggestion] = Field(default_factory=list)
    # Fixed framing sentences of the text (premise corrections, which entity is meant, headings of the parts — a
    # checklist line's computed conclusion): not claims, so uncited.
    framing: list[str] = Field(default_factory=list)
    # Sentences of the draft dropped by the verifier (no passage supports them).
    removed: list[str] = Field(default_factory=list)
    # A visible notice for the user, e.g. the LLM was unreachable and the extractive engine answered.
    notice: str | None = None
    engine: str = "extractive"
    conversation_id: str | None = None
    message_id: str | None = None
    latency_ms: float | None = None

    @computed_field  # serialised, so the API, SSE, exports and evaluation read one status
    @property
    def status(self) -> Literal["answered", "partial", "refused"]:
        """answered: the passages answer; partial: they answer part of it and `missing` says what they lack;
        refused: they do not answer (`reason` says why)."""
        if self.abstained:
            return "refused"
        return "partial" if self.missing else "answered"

    def stated(self) -> str:
        """The text without the sentences of `missing`, for displays that show those in a block of their own
        (« Ce que les documents ne disent pas ») so that they are not read twice."""
        text = self.text
        for sentence in self.missing:
            text = text.replace(sentence, "")
        return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


class AnswerEvent(BaseModel):
    """Streaming: `delta` events carry verified answer text as it is produced; `answer` ends the stream."""

    type: Literal["delta", "answer"]
    text: str = ""
    answer: Answer | None = None
