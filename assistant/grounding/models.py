"""Typed records of the shared legal knowledge: article references, resolved legal bases, linter findings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LegalReference(BaseModel):
    """An article a clause rests on, and the reason it is cited (French, checked against the text)."""

    article: str = Field(pattern=r"^(?:[LRD]\d+(?:-\d+)*|CCAG-FCS-\d+)$")
    role: str


class LegalBasis(BaseModel):
    """An article id resolved to its text in the index."""

    article_id: str
    role: str  # why the clause cites it
    text: str  # the article's text as indexed (all parts joined)
    in_force_since: str | None = None
    title: str = ""  # title of the document holding the article
    source: str = ""
    locator: str = ""
    chunk_ids: list[str] = Field(default_factory=list)


class LintFinding(BaseModel):
    """One compliance problem found in a text."""

    rule_id: str
    severity: Literal["erreur", "avertissement"]
    quote: str  # the offending words, exactly as in the text
    start: int
    end: int
    title: str
    explanation: str  # the rule, in French
    articles: list[str]
    rewrite: str  # a lawful rewording
