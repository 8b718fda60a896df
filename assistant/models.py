"""Typed records passed between the stages: documents, chunks, search hits, ingest reports."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

DOC_TYPES = (
    "press_release",
    "press_article",
    "white_paper",
    "procurement_law",
    "procurement_guide",
    "fact_sheet",
    "note",
)
AUDIENCES = ("public", "members", "staff")
# What readers see for each document type (bibliographies, document pages).
DOC_TYPE_LABELS = {
    "press_release": "Communiqué de presse",
    "press_article": "Article de presse",
    "white_paper": "Livre blanc",
    "procurement_law": "Texte juridique (commande publique)",
    "procurement_guide": "Guide d'achat public",
    "fact_sheet": "Fiche",
    "note": "Note",
}


@dataclass
class Block:
    """A unit of loaded text: a heading or a paragraph, with the page it comes from."""

    kind: str  # "heading" | "para"
    text: str
    level: int = 0
    page: int | None = None


@dataclass
class DocumentMeta:
    doc_id: str
    title: str
    doc_type: str
    date: str | None
    source: str
    audience: str = "public"
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadedDocument:
    """What a loader returns: cleaned blocks plus metadata found in the file itself."""

    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)  # front matter, <title>, source comment…
    format: str = ""


@dataclass
class Chunk:
    """A passage of a document, the unit that is embedded, searched and cited."""

    chunk_id: str
    doc_id: str
    ord: int
    text: str  # faithful text shown and quoted to users
    embed_text: str  # text with its context header, fed to the embedder and BM25
    locator: str  # article id, section heading or page
    meta: dict[str, Any] = field(default_factory=dict)  # article_id, position, page, section…


class SearchHit(BaseModel):
    """One ranked passage, as printed by `search --json` and returned by the API."""

    rank: int
    score: float
    doc_id: str
    title: str
    doc_type: str
    source: str
    locator: str
    chunk_id: str
    text: str
    date: str | None = None
    audience: str = "public"
    meta: dict[str, Any] = Field(default_factory=dict, exclude=True)


class SkippedFile(BaseModel):
    path: str
    reason: str  # French, shown to the user


class IngestReport(BaseModel):
    files_seen: int = 0
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    chunks_written: int = 0
    chunks_embedded: int = 0
    chunks_from_cache: int = 0
    tokens_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    locator: str
    chunk_id: str
    quote: str  # exact sentence(s) of the passage that support the claim


class Suggestion(BaseModel):
    """A nearby source offered when the assistant abstains."""

    doc_id: str
    title: str
    source: str
    locator: str
    chunk_id: str


class Turn(BaseModel):
    """One exchange of a conversation, as used to rewrite follow-ups."""

    question: str
    standalone_question: str
    answer: str


def reader_source(source: str | None) -> str:
    """The source as shown to readers: some documents record their file path there, which means nothing
    to them (and reveals the server's layout)."""
    if not source or source.startswith("/") or (len(source) > 2 and source[1:3] in (":\\", ":/")):
        return ""
    # « github.com/owner/repo@<commit>:path » records where a file was taken from: readers get the repository's page.
    repository = _REPOSITORY_REF.match(source)
    if repository:
        return f"https://{repository.group(1)}"
    return source


_REPOSITORY_REF = re.compile(r"^(?:https?://)?((?:github|gitlab)\.com/[^/@\s]+/[^/@\s]+)@[0-9a-f]{7,40}(?::\S*)?$")
