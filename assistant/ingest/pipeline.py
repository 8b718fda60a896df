"""Ingestion: discover files, load, chunk, embed (with cache), write atomically, sync indexes.

Safety: each document is committed to the catalog in one transaction after its embeddings are
cached; vectors and BM25 are then re-derived. A run killed at any point leaves the previous
state searchable, and the next run finishes the job (unsynced documents are re-pushed).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from assistant.index.store import IndexStore
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import LoadError, load_file
from assistant.ingest.metadata import SIDECAR, _iso, doc_id_for, normalize_audience, resolve_metadata, sidecar_meta
from assistant.models import Chunk, DocumentMeta, IngestReport, SkippedFile
from assistant.text.normalize import sha256_hex, slugify

# Bump when loading, cleaning or chunking changes, so every document is re-processed once.
PIPELINE_VERSION = "2026-12-07.1"
_IGNORED_NAMES = {SIDECAR, "readme.md", "readme.txt", ".gitkeep", ".ds_store", "thumbs.db"}


@dataclass
class Progress:
    """Callbacks for a progress display (the CLI plugs rich in)."""

    on_start: Callable[[int, int], None] = lambda files_to_index, chunks_to_embed: None
    on_file: Callable[[str], None] = lambda name: None
    on_chunks: Callable[[int, int], None] = lambda embedded, tokens: None
    on_file_done: Callable[[], None] = lambda: None


def discover(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, root) pairs for every candidate file under the given paths, sorted, hidden ones skipped."""
    found: list[tuple[Path, Path]] = []
    for given in paths:
        path = given.expanduser().resolve()
        if path.is_file():
            found.append((path, path.parent))
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if f.is_file() and not any(p.startswith(".") for p in rel) and f.name.lower() not in _IGNORED_NAMES:
                    found.append((f, path))
    return found


@dataclass
class _Plan:
    """A changed file, read and chunked, waiting for its embeddings and its commit."""

    label: str
    meta: DocumentMeta
    fingerprint: str
    chunks: list[Chunk]
    hashes: list[str]
    existing: dict | None
    to_embed: int


def normalize_metadata_fields(fields: dict) -> dict:
    """Metadata given by staff, normalised as resolve_metadata does for front matter (French LoadError
    on a bad date or audience); empty values and unknown keys are dropped."""
    out: dict = {}
    for key in ("doc_id", "title", "doc_type", "date", "source", "audience"):
        value = fields.get(key)
        if value is None or str(value).strip() == "":
            continue
        value = str(value).strip()
        if key == "date":
            value = _iso(value)
        elif key == "audience":
            value = normalize_audience(value)
        elif key == "doc_type":
            value = slugify(value).replace("-", "_")
        out[key] = value
    return out


def apply_overrides(meta: DocumentMeta, overrides: dict) -> DocumentMeta:
    """`meta` with the fields staff set: they win over front matter, sidecar and detection."""
    return replace(meta, **normalize_metadata_fields(overrides))


class Ingestor:
    def __init__(self, index: IndexStore, progress: Progress | None = None):
        self.index = index
        self.progress = progress or Progress()

    def run(self, paths: list[Path], prune: bool = False) -> IngestReport:
        """Index `paths`, holding the data dir's write lock (one writer; backups wait for it)."""
        from assistant.index.embeddings import describe_embedder
        from assistant.maintenance.lock import write_lock
        from assistant.index.version import write_stamp

        self.index.check_version()  # never mix two embedders' vectors in one index
        with write_lock(self.index.settings.data_dir, database_url=self.index.settings.database_url):
            report = self._run(paths, prune)
            write_stamp(self.index.catalog, *describe_embedder(self.index.settings.embedder))
        return report

    def _run(self, paths: list[Path], prune: bool = False) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        missing = [p for p in paths if not p.expanduser().exists()]
        for p in missing:
            report.skipped.append(SkippedFile(path=str(p), reason="chemin introuvable"))
        files = discover([p for p in paths if p not in missing])
        report.files_seen = len(files)
        self._finish_interrupted_sync()
        # Pass 1 (fast): read, clean and chunk what changed, so the embedding work is known upfront.
        plans: list[_Plan] = []
        for path, root in files:
            try:
                plan = self._plan(path, root, report)
            except LoadError as exc:
                report.skipped.append(SkippedFile(path=str(path), reason=str(exc)))
                continue
            if plan is not None:
                plans.append(plan)
        self.progress.on_start(len(plans), sum(p.to_embed for p in plans))
        # Pass 2 (slow): embed and commit document by document.
        for plan in plans:
            self.progress.on_file(plan.label)
            self._apply(plan, report)
            self.progress.on_file_done()
        if prune:
            self._prune(paths, {str(p) for p, _ in files}, report)
        self._sync_vectors()
        bm25 = self.index.bm25.get()
        if bm25 is None or not bm25.is_current(self.index.catalog.generation()):
            self.index.rebuild_bm25()
        self._sync_figures()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    # --- one file -----------------------------------------------------------------------------
    def _plan(self, path: Path, root: Path, report: IngestReport, force: bool = False) -> "_Plan | None":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LoadError(f"fichier illisible ({exc.strerror or exc})") from exc
        extra = sidecar_meta(path, root)
        # Metadata set by staff (document management) wins over the file and is part of its fingerprint.
        overrides = self.index.catalog.metadata_overrides(str(path))
        if overrides:
            extra = {**extra, "_overrides": overrides}
        fingerprint = sha256_hex(data + json.dumps(extra, sort_keys=True, default=str).encode() + PIPELINE_VERSION.encode())
        existing = self.index.catalog.document_by_path(str(path))
        if existing and existing["fingerprint"] == fingerprint and not force:
            report.unchanged += 1
            return None
        doc = load_file(path)
        doc_id = existing["doc_id"] if existing else self._free_doc_id(doc_id_for(path, root), path)
        meta = resolve_metadata(path, root, doc, doc_id)
        if overrides:
            meta = apply_overrides(meta, overrides)
        if meta.doc_id != doc_id:  # front matter chose its own id
            other = self.index.catalog.document(meta.doc_id)
            if other and other["path"] != str(path):
                raise LoadError(f"doc_id « {meta.doc_id} » déjà utilisé par {other['path']}")
        chunks = chunk_document(meta, doc)
        if not chunks:
            raise LoadError("aucun passage indexable après découpage")
        hashes = [sha256_hex(c.embed_text) for c in chunks]
        cached = self.index.cached_vectors(hashes)
        label = str(path.relative_to(root)) if path != root else path.name
        return _Plan(label, meta, fingerprint, chunks, hashes, existing,
                     to_embed=len({h for h in hashes if h not in cached}))

    def _apply(self, plan: "_Plan", report: IngestReport) -> None:
        self._embed_missing(plan.chunks, plan.hashes, report)
        catalog = self.index.catalog
        stale = catalog.replace_document(plan.meta, plan.fingerprint, plan.chunks, plan.hashes)
        if plan.existing and plan.existing["doc_id"] != plan.meta.doc_id:
            stale.update(catalog.delete_document(plan.existing["doc_id"]))
        if stale:
            self.index.vectors.delete(sorted(stale))
        self._push_vectors(plan.meta.doc_id)
        (report.updated if plan.existing else report.added).append(plan.meta.doc_id)
        report.chunks_written += len(plan.chunks)

    # --- one document at a time (document management) ------------------------------------------
    def ingest_file(self, path: Path, root: Path, force: bool = False) -> IngestReport:
        """Index one file now, raising `LoadError` instead of skipping it; the indexes are up to date on return.

        A document this call adds is rolled back (catalog rows, vectors) if anything fails before its
        vectors are stored; search only shows documents whose vectors are stored anyway.
        """
        started = time.perf_counter()
        report = IngestReport(files_seen=1)
        path = path.expanduser().resolve()
        plan = self._plan(path, root.expanduser().resolve(), report, force=force)
        if plan is not None:
            try:
                self._apply(plan, report)
            except BaseException:
                if plan.existing is None:
                    self._rollback_new(plan.meta.doc_id)
                raise
        self._refresh_derived()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def remove_document(self, doc_id: str) -> bool:
        """Remove one document from the catalog, the vectors, BM25 and the key figures (False: unknown)."""
        existed = self.index.catalog.document(doc_id) is not None
        ids = self.index.catalog.delete_document(doc_id)
        if ids:
            self.index.vectors.delete(ids)
        self._refresh_derived()
        return existed

    def _rollback_new(self, doc_id: str) -> None:
        ids = self.index.catalog.delete_document(doc_id)
        try:
            if ids:
                self.index.vectors.delete(ids)
        except Exception:  # noqa: BLE001 - the store that just failed; orphans are dropped by the next sync
            pass

    def _refresh_derived(self) -> None:
        bm25 = self.index.bm25.get()
        if bm25 is None or not bm25.is_current(self.index.catalog.generation()):
            self.index.rebuild_bm25()
        self._sync_figures()

    def _free_doc_id(self, candidate: str, path: Path) -> str:
        other = self.index.catalog.document(candidate)
        if other is None or other["path"] == str(path):
            return candidate
        return f"{candidate}-{sha256_hex(str(path))[:8]}"

    def _embed_missing(self, chunks, hashes: list[str], report: IngestReport) -> None:
        embedder = self.index.embedder
        cached = self.index.cached_vectors(hashes)
        todo = [(c, h) for c, h in zip(chunks, hashes) if h not in cached]
        report.chunks_from_cache += len(chunks) - len(todo)
        batch: list[tuple[str, np.ndarray]] = []
        for chunk, content_hash in todo:
            t0 = time.perf_counter()
            vector = np.asarray(embedder.embed_documents([chunk.embed_text])[0], dtype=np.float32)
            report.embed_seconds += time.perf_counter() - t0
            tokens = embedder.count_tokens(chunk.embed_text)
            report.tokens_embedded += tokens
            report.chunks_embedded += 1
            batch.append((content_hash, vector))
            self.progress.on_chunks(1, tokens)
            if len(batch) >= 16:  # a kill loses at most a few seconds of embedding work
                self.index.cache.put_many(embedder.model_id, batch)
                batch = []
        if batch:
            self.index.cache.put_many(embedder.model_id, batch)

    def _sync_figures(self) -> None:
        """Key figures follow the catalog: documents whose chunks changed are re-extracted, deleted ones dropped."""
        from assistant.figures.store import FigureStore

        store = FigureStore(self.index.settings.figures_path)
        try:
            store.sync(self.index.catalog)
        finally:
            store.close()

    # --- vectors ------------------------------------------------------------------------------
    def _push_vectors(self, doc_id: str) -> None:
        rows = list(self.index.catalog.chunk_rows(doc_id))
        if rows:
            # Normally all cached by _embed_missing; embeds again only if the cache was wiped meanwhile.
            cached = self.index.vectors_for([r["embed_text"] for r in rows], [r["content_hash"] for r in rows])
            self.index.vectors.upsert([r["chunk_id"] for r in rows],
                                      np.stack([cached[r["content_hash"]] for r in rows]),
                                      [self.index.vector_metadata(r) for r in rows])
        self.index.catalog.mark_vectors_synced(doc_id)

    def _finish_interrupted_sync(self) -> None:
        for doc_id in self.index.catalog.unsynced_documents():
            self._push_vectors(doc_id)

    def _sync_vectors(self) -> None:
        """Remove vectors the catalog no longer knows (left by an interrupted run)."""
        catalog = self.index.catalog
        generation = str(catalog.generation())
        if catalog.get_state("vectors_generation") == generation and not catalog.unsynced_documents():
            return  # nothing changed since the last complete sync: no need to open the vector store
        self._finish_interrupted_sync()
        orphans = self.index.vectors.ids() - catalog.chunk_ids()
        if orphans:
            self.index.vectors.delete(sorted(orphans))
        catalog.set_state("vectors_generation", generation)

    def _prune(self, paths: list[Path], seen: set[str], report: IngestReport) -> None:
        roots = [p.expanduser().resolve() for p in paths]
        for doc in self.index.catalog.documents():
            doc_path = Path(doc["path"])
            under_root = any(doc_path == r or r in doc_path.parents for r in roots)
            if (under_root and doc["path"] not in seen) or not doc_path.exists():
                ids = self.index.catalog.delete_document(doc["doc_id"])
                self.index.vectors.delete(ids)
                report.removed.append(doc["doc_id"])
