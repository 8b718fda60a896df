"""Typed results of the answer engine."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.models import SearchHit


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    locator: str
    chunk_id: str
    quote: str  # exact sentence(s) of the passage that support the claim


class Answer(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    abstained: bool = False
    reason: str | None = None
    retrieved: list[SearchHit] = Field(default_factory=list)
