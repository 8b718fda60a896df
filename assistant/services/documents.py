"""Documents as shown to users: catalog listing, a readable view with chunk anchors, the original file;
and their management by staff (`DocumentManager`: upload, metadata, re-index, delete, audit log).

Every lookup goes through the catalog (doc ids are SQL parameters, never paths), and the original
file is only ever the path the catalog recorded at ingest: a request cannot name a file.
`audiences` is the set of audiences the caller may read; documents outside it behave as unknown, so
roles (issue 7) only have to pass a different set.
"""

from __future__ import annotations

import mimetypes
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.services.audit import AuditEntry, AuditLog, audit_path
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


def anchor(chunk_id: str) -> str:
    return f"chunk-{chunk_id}"


def _summary(row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    path = Path(row["path"])
    return dict(doc_id=row["doc_id"], title=row["title"], doc_type=row["doc_type"], date=row["date"],
                source=row["source"], audience=row["audience"], n_chunks=row["n_chunks"],
                format=path.suffix.lstrip(".").lower(),
                raw_available=path.is_file() or catalog.has_original(row["path"]))


class DocumentService:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def _row(self, doc_id: str, audiences: Iterable[str]) -> dict[str, Any]:
        row = self.catalog.document(doc_id)
        # A document whose vectors are not stored yet is being indexed (or its indexing failed): unknown.
        if row is None or row["audience"] not in set(audiences) or not row["vectors_synced"]:
            raise DocumentNotFound(doc_id)
        return row

    def list(self, audiences: Iterable[str] = PUBLIC, doc_type: str | None = None) -> list[DocumentSummary]:
        allowed = set(audiences)
        return [DocumentSummary(**_summary(r, self.catalog)) for r in self.catalog.documents()
                if r["audience"] in allowed and r["vectors_synced"]
                and (doc_type is None or r["doc_type"] == doc_type)]

    def view(self, doc_id: str, audiences: Iterable[str] = PUBLIC) -> DocumentView:
        row = self._row(doc_id, audiences)
        chunks = [DocumentChunk(chunk_id=c["chunk_id"], anchor=anchor(c["chunk_id"]), ord=c["ord"],
                                locator=c["locator"], text=c["text"], article_id=c.get("article_id"),
                                page=c["meta"].get("page"))
                  for c in self.catalog.chunk_rows(doc_id)]
        return DocumentView(**_summary(row, self.catalog), chunks=chunks, extra=row.get("extra") or {})

    def raw(self, doc_id: str, audiences: Iterable[str] = PUBLIC) -> tuple[Path, str]:
        """The original file recorded at ingest and its media type."""
        row = self._row(doc_id, audiences)
        path = Path(row["path"])
        if not self.catalog.restore_original(row["path"]):  # another replica's upload: kept in the catalog
            raise RawFileUnavailable(f"Le fichier d'origine de « {doc_id} » n'est plus disponible sur le serveur "
                                     "(déplacé ou supprimé depuis l'indexation).")
        media = {".md": "text/markdown", ".txt": "text/plain"}.get(path.suffix.lower())
        return path, media or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# --- management (staff and admins) ------------------------------------------------------------------

STALE_TEMP_SECONDS = 3600  # a partial upload older than this was interrupted
WRITE_WAIT_SECONDS = 60.0  # an ingest of a few documents; a longer one answers 503 « réessayez »
UPLOAD_PREFIX = "depots"  # doc ids of uploaded documents: "depots/<folder>"
EDITABLE = ("title", "doc_type", "date", "audience", "source")


@dataclass(frozen=True)
class Actor:
    """Who manages: written in the audit log."""

    role: str
    user_id: str | None = None
    name: str | None = None  # the account name, when the caller has one

    def audit(self) -> dict[str, Any]:
        return {"role": self.role, "user_id": self.user_id, "user_name": self.name}


class DocumentNotDeletable(RuntimeError):
    """A document of the corpus folder: deleting it here would not survive the next ingest (French message)."""


class IndexingFailed(RuntimeError):
    """The index could not take the change (vector store or embedder down); nothing of it is visible."""


class ManagedDocument(DocumentSummary):
    origin: str  # "depot" (uploaded here, can be deleted) or "corpus" (a file of the corpus folder)
    overrides: dict[str, Any] = {}
    ingested_at: str | None = None


class DocumentCounts(BaseModel):
    documents: int
    chunks: int
    by_audience: dict[str, int]
    uploaded: int


class ManagedList(BaseModel):
    counts: DocumentCounts
    documents: list[ManagedDocument]


class ChangeResult(BaseModel):
    action: str
    document: ManagedDocument | None = None
    doc_id: str
    chunks: int = 0
    seconds: float = 0.0


class DocumentManager:
    """Upload, change, re-index and delete documents, one change at a time, each one audited.

    Changes go through the ingest pipeline's per-document path (`Ingestor.ingest_file`): same
    loading, chunking, embedding and metadata as `assistant ingest`. Metadata set here is kept in the
    catalog (`overrides`), so a later ingest of the same file keeps it.
    """

    def __init__(self, index, max_upload_bytes: int, audit: AuditLog | None = None):
        from assistant.services.uploads import temp_dir, uploads_dir

        self.index = index
        self.data_dir: Path = index.settings.data_dir
        self.uploads = uploads_dir(self.data_dir)
        self.max_upload_bytes = max_upload_bytes
        self.audit = audit or AuditLog(audit_path(self.data_dir), index.settings.database_url)
        self._lock = threading.Lock()
        self._temp = temp_dir(self.data_dir)
        self.recover()

    # --- reading ----------------------------------------------------------------------------------
    def list(self) -> ManagedList:
        catalog = self.index.catalog
        docs = [self._managed(r) for r in catalog.documents()]
        by_audience: dict[str, int] = {}
        for d in docs:
            by_audience[d.audience] = by_audience.get(d.audience, 0) + 1
        counts = DocumentCounts(documents=len(docs), chunks=sum(d.n_chunks for d in docs), by_audience=by_audience,
                                uploaded=sum(d.origin == "depot" for d in docs))
        return ManagedList(counts=counts, documents=docs)

    def get(self, doc_id: str) -> ManagedDocument:
        row = self.index.catalog.document(doc_id)
        if row is None:
            raise DocumentNotFound(doc_id)
        return self._managed(row)

    def audit_entries(self, limit: int = 100, doc_id: str | None = None) -> list[AuditEntry]:
        return self.audit.entries(limit, doc_id)

    def _managed(self, row: dict[str, Any]) -> ManagedDocument:
        return ManagedDocument(**_summary(row, self.index.catalog), origin="depot" if self._uploaded(row) else "corpus",
                               overrides=self.index.catalog.metadata_overrides(row["path"]),
                               ingested_at=row.get("ingested_at"))

    # --- changes ----------------------------------------------------------------------------------
    def add(self, path: Path, filename: str | None, fields: dict[str, Any], actor: Actor) -> ChangeResult:
        """Check, store and index an uploaded file (a temp file of the data dir, consumed either way)."""
        from assistant.ingest.loaders import LoadError
        from assistant.ingest.pipeline import normalize_metadata_fields
        from assistant.services.uploads import UploadRefused, check_upload, remove_stored, safe_filename, store_upload

        try:
            try:
                given = normalize_metadata_fields({k: fields.get(k) for k in EDITABLE})
            except LoadError as exc:
                raise UploadRefused(f"Métadonnées invalides : {exc}.") from exc
            checked = check_upload(path, filename, self.max_upload_bytes)
        except UploadRefused as exc:
            path.unlink(missing_ok=True)
            self.audit.record("refus", **actor.audit(), title=fields.get("title") or None,
                              details={"fichier": safe_filename(filename), "motif": exc.message})
            raise
        with self._change():
            folder = self._free_folder(given.get("title") or checked.safe_name.rpartition(".")[0])
            doc_id = f"{UPLOAD_PREFIX}/{folder}"
            stored = store_upload(checked, self.data_dir, folder)
            self.index.catalog.put_original(str(stored), stored.read_bytes())
            # Staff-only until said otherwise: a forgotten audience must not publish an internal document
            # (the form's fields also win over the file's own front matter).
            overrides = {"audience": "staff", **given, "doc_id": doc_id}
            self.index.catalog.set_metadata_overrides(str(stored), overrides)
            try:
                report = self._ingest(stored, force=False)
            except BaseException as exc:
                self.index.catalog.delete_metadata_overrides(str(stored))
                self.index.catalog.delete_original(str(stored))
                remove_stored(stored, self.data_dir)
                if isinstance(exc, LoadError):
                    refused = UploadRefused(f"Fichier refusé : {exc}.")
                    self.audit.record("refus", **actor.audit(), title=given.get("title"),
                                      details={"fichier": checked.safe_name, "motif": refused.message})
                    raise refused from exc
                raise
            document = self.get(doc_id)
            self.audit.record("ajout", **actor.audit(), doc_id=doc_id, title=document.title,
                              details={"fichier": checked.safe_name, "octets": checked.size, "format": checked.format,
                                       "audience": document.audience, "passages": document.n_chunks})
        return ChangeResult(action="ajout", document=document, doc_id=doc_id, chunks=document.n_chunks,
                            seconds=report.seconds)

    def update(self, doc_id: str, fields: dict[str, Any], actor: Actor) -> ChangeResult:
        """Change metadata and re-index the document at once (its passages carry the new audience and title)."""
        from assistant.ingest.pipeline import normalize_metadata_fields

        given = normalize_metadata_fields({k: fields.get(k) for k in EDITABLE})  # LoadError: French 422
        with self._change():
            row = self._existing(doc_id)
            path = row["path"]
            before = self.index.catalog.metadata_overrides(path)
            after = {**before, **given}
            self.index.catalog.set_metadata_overrides(path, after)
            try:
                self.index.catalog.restore_original(path)
                report = self._ingest(Path(path), force=True)
            except BaseException:
                self.index.catalog.set_metadata_overrides(path, before) if before else \
                    self.index.catalog.delete_metadata_overrides(path)
                raise
            document = self.get(doc_id)
            changes = {k: {"avant": row.get(k), "après": getattr(document, k)} for k in given
                       if row.get(k) != getattr(document, k)}
            self.audit.record("modification", **actor.audit(), doc_id=doc_id,
                              title=document.title, details={"changements": changes})
        return ChangeResult(action="modification", document=document, doc_id=doc_id, chunks=document.n_chunks,
                            seconds=report.seconds)

    def reindex(self, doc_id: str, actor: Actor) -> ChangeResult:
        with self._change():
            row = self._existing(doc_id)
            self.index.catalog.restore_original(row["path"])
            report = self._ingest(Path(row["path"]), force=True)
            document = self.get(doc_id)
            self.audit.record("réindexation", **actor.audit(), doc_id=doc_id,
                              title=document.title, details={"passages": document.n_chunks,
                                                             "passages_calculés": report.chunks_embedded})
        return ChangeResult(action="réindexation", document=document, doc_id=doc_id, chunks=document.n_chunks,
                            seconds=report.seconds)

    def reindex_all(self, actor: Actor) -> list[ChangeResult]:
        """Re-index every document; one that fails is reported (audit details) and the others go on."""
        from assistant.ingest.loaders import LoadError

        results, failures = [], {}
        for row in self.index.catalog.documents():
            try:
                results.append(self.reindex(row["doc_id"], actor))
            except (LoadError, DocumentNotFound) as exc:
                failures[row["doc_id"]] = str(exc)
        if failures:
            self.audit.record("réindexation", **actor.audit(),
                              details={"échecs": failures})
        return results

    def delete(self, doc_id: str, actor: Actor) -> ChangeResult:
        from assistant.ingest.pipeline import Ingestor
        from assistant.services.uploads import remove_stored

        with self._change():
            row = self._existing(doc_id)
            if not self._uploaded(row):
                raise DocumentNotDeletable(
                    f"« {doc_id} » provient du dossier du corpus : retirez le fichier de ce dossier puis relancez "
                    "`assistant ingest --prune` (ici, seuls les documents déposés peuvent être supprimés).")
            try:
                Ingestor(self.index).remove_document(doc_id)
            except Exception as exc:
                raise IndexingFailed(f"suppression impossible : {exc}") from exc
            self.index.catalog.delete_metadata_overrides(row["path"])
            self.index.catalog.delete_original(row["path"])
            remove_stored(Path(row["path"]), self.data_dir)
            self.audit.record("suppression", **actor.audit(), doc_id=doc_id,
                              title=row["title"], details={"fichier": Path(row["path"]).name,
                                                           "audience": row["audience"]})
        return ChangeResult(action="suppression", doc_id=doc_id)

    def recover(self) -> None:
        """Undo what a killed upload left: partial temp files, stored files never indexed, and uploaded
        documents whose vectors were never stored (their client got no answer: they are rolled back)."""
        from assistant.maintenance.lock import LockBusy, write_lock

        if self._temp.is_dir():  # transfers still being received (by any process) are recent
            for part in self._temp.iterdir():
                try:
                    if time.time() - part.stat().st_mtime > STALE_TEMP_SECONDS:
                        part.unlink()
                except FileNotFoundError:  # finished meanwhile
                    continue
        try:
            # Another process holding the lock may be mid-upload: what looks half-done is then in progress.
            with self._lock, write_lock(self.data_dir, timeout=0, database_url=self.index.settings.database_url):
                self._recover_index()
        except LockBusy:
            pass  # the next start does it; meanwhile search and documents ignore half-indexed documents

    def _recover_index(self) -> None:
        from assistant.ingest.pipeline import Ingestor

        catalog = self.index.catalog
        for doc_id in catalog.unsynced_documents():
            row = catalog.document(doc_id)
            if row and self._uploaded(row):
                try:
                    Ingestor(self.index).remove_document(doc_id)
                except Exception:  # noqa: BLE001 - vector store down: search hides it anyway, retried next start
                    continue
                catalog.delete_original(row["path"])
        known = {str(Path(r["path"]).resolve().parent) for r in catalog.documents()}
        if self.uploads.is_dir():
            for folder in self.uploads.iterdir():
                if folder.is_dir() and folder != self._temp and str(folder.resolve()) not in known:
                    for f in folder.iterdir():
                        catalog.delete_metadata_overrides(str(f.resolve()))
                    shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self.audit.close()

    # --- helpers ----------------------------------------------------------------------------------
    @contextmanager
    def _change(self) -> Iterator[None]:
        """One change at a time: this manager's lock, then the data dir's write lock (an `assistant ingest`,
        a backup or another app process may hold it) and the index version check, as `assistant ingest`
        does; a writer that does not finish in time gives a French 503."""
        from assistant.index.errors import IndexMissing
        from assistant.maintenance.lock import LockBusy, write_lock

        try:
            with self._lock:
                self.index.check_version()
                with write_lock(self.data_dir, timeout=WRITE_WAIT_SECONDS,
                                database_url=self.index.settings.database_url):
                    yield
        except (LockBusy, IndexMissing) as exc:
            raise IndexingFailed(str(exc)) from exc

    def _uploaded(self, row: dict[str, Any]) -> bool:
        """Uploaded through the API (by this replica, or another one with its own data dir)."""
        from assistant.services.uploads import is_uploaded

        return is_uploaded(row["path"], self.data_dir) or row["doc_id"].startswith(f"{UPLOAD_PREFIX}/")

    def _existing(self, doc_id: str) -> dict[str, Any]:
        row = self.index.catalog.document(doc_id)
        if row is None:
            raise DocumentNotFound(doc_id)
        return row

    def _free_folder(self, name: str) -> str:
        from assistant.text.normalize import slugify

        base = slugify(name, 60)
        folder, n = base, 1
        while (self.uploads / folder).exists() or self.index.catalog.document(f"{UPLOAD_PREFIX}/{folder}"):
            n += 1
            folder = f"{base}-{n}"
        return folder

    def _root(self, path: Path) -> Path:
        """The folder the file was ingested from, so that its doc id and folder rules stay the same."""
        if self.uploads.resolve() in path.resolve().parents:
            return self.uploads
        from assistant.ingest.metadata import doc_id_for

        row = self.index.catalog.document_by_path(str(path))
        for parent in path.parents:
            if row is not None and doc_id_for(path, parent) == row["doc_id"]:
                return parent
        return path.parent

    def _ingest(self, path: Path, force: bool):
        from assistant.index.embeddings import EmbedderError
        from assistant.index.vectorstore import VectorStoreUnavailable
        from assistant.ingest.loaders import LoadError
        from assistant.ingest.pipeline import Ingestor

        from assistant.index.embeddings import describe_embedder
        from assistant.index.version import write_stamp

        try:
            report = Ingestor(self.index).ingest_file(path, self._root(path), force=force)
            # As `assistant ingest` does: an index started by uploads records its embedder too.
            write_stamp(self.index.catalog, *describe_embedder(self.index.settings.embedder))
            return report
        except LoadError:
            raise
        except (VectorStoreUnavailable, EmbedderError) as exc:
            raise IndexingFailed(str(exc)) from exc
        except Exception as exc:  # e.g. the vector store failing mid-write: the document was rolled back
            raise IndexingFailed(f"{type(exc).__name__} : {exc}") from exc
