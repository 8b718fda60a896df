"""Documents as shown to users: catalog listing, a readable view with chunk anchors, the original file.

Every lookup goes through the catalog (doc ids are SQL parameters, never paths), and the original
file is only ever the path the catalog recorded at ingest: a request cannot name a file.
`audiences` is the set of audiences the caller may read; documents outside it behave as unknown, so
roles (issue 7) only have to pass a different set.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.index.catalog import Catalog

PUBLIC = ("public",)


class DocumentNotFound(LookupError):
    """Unknown document, or one the caller may not read (French message)."""

    def __init__(self, doc_id: str):
        super().__init__(f"Document inconnu : « {doc_id} ».")
        self.doc_id = doc_id


class RawFileUnavailable(LookupError):
    """The original file was moved or deleted since it was indexed (French message)."""


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    doc_type: str
    date: str | None = None
    source: str
    audience: str
    n_chunks: int
    format: str  # file extension of the original (pdf, docx, md, txt, html)
    raw_available: bool


class DocumentChunk(BaseModel):
    chunk_id: str
    anchor: str  # id of the passage in the document view: "#chunk-<chunk_id>"
    ord: int
    locator: str
    text: str
    article_id: str | None = None
    page: int | None = None


class DocumentView(DocumentSummary):
    chunks: list[DocumentChunk]
    extra: dict[str, Any] = {}


def reader_source(source: str | None) -> str:
    """The source as shown to readers: some documents record their file path there, which means nothing
    to them (and reveals the server's layout)."""
    if not source or source.startswith("/") or (len(source) > 2 and source[1:3] in (":\\", ":/")):
        return ""
    return source


def anchor(chunk_id: str) -> str:
    return f"chunk-{chunk_id}"


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    path = Path(row["path"])
    return dict(doc_id=row["doc_id"], title=row["title"], doc_type=row["doc_type"], date=row["date"],
                source=row["source"], audience=row["audience"], n_chunks=row["n_chunks"],
                format=path.suffix.lstrip(".").lower(), raw_available=path.is_file())


class DocumentService:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def _row(self, doc_id: str, audiences: Iterable[str]) -> dict[str, Any]:
        row = self.catalog.document(doc_id)
        if row is None or row["audience"] not in set(audiences):
            raise DocumentNotFound(doc_id)
        return row

    def list(self, audiences: Iterable[str] = PUBLIC, doc_type: str | None = None) -> list[DocumentSummary]:
        allowed = set(audiences)
        return [DocumentSummary(**_summary(r)) for r in self.catalog.documents()
                if r["audience"] in allowed and (doc_type is None or r["doc_type"] == doc_type)]

    def view(self, doc_id: str, audiences: Iterable[str] = PUBLIC) -> DocumentView:
        row = self._row(doc_id, audiences)
        chunks = [DocumentChunk(chunk_id=c["chunk_id"], anchor=anchor(c["chunk_id"]), ord=c["ord"],
                                locator=c["locator"], text=c["text"], article_id=c.get("article_id"),
                                page=c["meta"].get("page"))
                  for c in self.catalog.chunk_rows(doc_id)]
        return DocumentView(**_summary(row), chunks=chunks, extra=row.get("extra") or {})

    def raw(self, doc_id: str, audiences: Iterable[str] = PUBLIC) -> tuple[Path, str]:
        """The original file recorded at ingest and its media type."""
        row = self._row(doc_id, audiences)
        path = Path(row["path"])
        if not path.is_file():
            raise RawFileUnavailable(f"Le fichier d'origine de « {doc_id} » n'est plus disponible sur le serveur "
                                     "(déplacé ou supprimé depuis l'indexation).")
        media = {".md": "text/markdown", ".txt": "text/plain"}.get(path.suffix.lower())
        return path, media or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
