"""The catalog: record of documents and chunks, the source of truth of the index.

SQLite in the data dir by default; with `database_url` the shared PostgreSQL database (assistant/statedb.py),
so that replicas on separate disks read one catalog and rebuild their derived indexes from it.

Each document's chunks are replaced in one transaction, so a killed ingest leaves either the
old or the new version of a document, never a mix. Search reads only documents whose vectors are
stored (`vectors_synced`), so a document is never visible half-indexed. The vector store and BM25 are derived
from it and re-synchronised from it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator

from assistant.models import Chunk, DocumentMeta
from assistant.sqlite import connect
from assistant.statedb import LOCK_ADOPT, StateDB, open_state
from assistant.text.normalize import sha256_hex

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    date TEXT,
    source TEXT NOT NULL,
    audience TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    n_chunks INTEGER NOT NULL,
    vectors_synced INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    embed_text TEXT NOT NULL,
    locator TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    article_id TEXT,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ord);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS overrides (path TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS originals (path TEXT PRIMARY KEY, data BLOB NOT NULL, sha256 TEXT NOT NULL);
"""


class Catalog:
    """Thread-safe access to the catalog database (one connection, serialised)."""

    def __init__(self, path: Path, database_url: str | None = None):
        self.path = path
        self._lock = threading.RLock()
        self._db: StateDB = open_state(path, _SCHEMA, database_url)
        self.shared = self._db.dialect != "sqlite"
        if self.shared:
            self._adopt_local_catalog()
        with self._lock:
            if self.get_state("schema_version") is None:
                self.set_state("schema_version", str(SCHEMA_VERSION))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _adopt_local_catalog(self) -> None:
        """A data dir indexed before the catalog moved to the shared database: its documents are copied once
        into the empty shared catalog (the vectors stay where they are), so turning the shared database on
        loses no index. Replicas starting together copy it once (advisory lock, then a second look)."""
        if not self.path.is_file():
            return
        local = connect(self.path, _SCHEMA)
        try:
            if not local.execute("SELECT COUNT(*) FROM documents").fetchone()[0]:
                return
            tables = {t: local.execute(f"SELECT * FROM {t}").fetchall() for t in ("documents", "chunks", "state",
                                                                                "overrides")}
        finally:
            local.close()
        with self._db.transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(?)", (LOCK_ADOPT,))
            if tx.execute("SELECT COUNT(*) FROM documents").fetchone()[0]:
                return
            for table, rows in tables.items():
                if rows:
                    columns = rows[0].keys()
                    tx.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES "
                                   f"({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING", [tuple(r) for r in rows])
        uploads = self.path.parent / "uploads"
        for row in tables["documents"]:  # files uploaded through the API: kept for the other replicas
            if uploads in Path(row["path"]).parents and Path(row["path"]).is_file():
                self.put_original(row["path"], Path(row["path"]).read_bytes())
        log.info("catalogue local %s recopié dans la base partagée (%d documents)", self.path, len(tables["documents"]))

    # --- state --------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def set_state(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(_SET_STATE, (key, value))

    def generation(self) -> int:
        """Bumped by every change of the chunk set; derived indexes compare it with their own."""
        return int(self.get_state("generation") or 0)

    # --- documents ----------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return _doc_row(row) if row else None

    def document_by_path(self, path: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM documents WHERE path=?", (path,)).fetchone()
        return _doc_row(row) if row else None

    def documents(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM documents ORDER BY doc_id").fetchall()
        return [_doc_row(r) for r in rows]

    def replace_document(self, meta: DocumentMeta, fingerprint: str, chunks: list[Chunk],
                         content_hashes: list[str]) -> set[str]:
        """Atomically replace a document and its chunks; returns the chunk ids that disappeared."""
        with self._lock:
            old = {r["chunk_id"] for r in self._db.execute(
                "SELECT chunk_id FROM chunks WHERE doc_id=?", (meta.doc_id,))}
            with self._db.transaction() as tx:
                tx.execute("DELETE FROM chunks WHERE doc_id=?", (meta.doc_id,))
                tx.execute(
                    "INSERT INTO documents(doc_id, path, fingerprint, title, doc_type, date, source, audience, extra,"
                    " n_chunks, vectors_synced, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,0,?)"
                    " ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, fingerprint=excluded.fingerprint,"
                    " title=excluded.title, doc_type=excluded.doc_type, date=excluded.date, source=excluded.source,"
                    " audience=excluded.audience, extra=excluded.extra, n_chunks=excluded.n_chunks,"
                    " vectors_synced=0, ingested_at=excluded.ingested_at",
                    (meta.doc_id, meta.path, fingerprint, meta.title, meta.doc_type, meta.date, meta.source,
                     meta.audience, json.dumps(meta.extra, ensure_ascii=False), len(chunks), _now()))
                tx.executemany(
                    "INSERT INTO chunks(chunk_id, doc_id, ord, text, embed_text, locator, content_hash, article_id, meta)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.ord, c.text, c.embed_text, c.locator, h, c.meta.get("article_id"),
                      json.dumps(c.meta, ensure_ascii=False)) for c, h in zip(chunks, content_hashes)])
                _bump_generation(tx)
        return old - {c.chunk_id for c in chunks}

    def delete_document(self, doc_id: str) -> list[str]:
        with self._lock:
            ids = [r["chunk_id"] for r in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))]
            with self._db.transaction() as tx:
                tx.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                tx.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
                _bump_generation(tx)
        return ids

    def mark_vectors_synced(self, doc_id: str, synced: bool = True) -> None:
        """Search sees a document only once its vectors are stored: the flag changes what is visible,
        so it bumps the generation too (BM25 built in between must be rebuilt)."""
        with self._lock:
            with self._db.transaction() as tx:
                tx.execute("UPDATE documents SET vectors_synced=? WHERE doc_id=?", (int(synced), doc_id))
                _bump_generation(tx)

    def switch_vectors(self, states: dict[str, str]) -> None:
        """After a full re-vectorisation (`assistant reindex`): record `states` (active collection,
        embedder) and mark every document synced, in one transaction."""
        with self._lock:
            with self._db.transaction() as tx:
                tx.executemany(_SET_STATE, list(states.items()))
                tx.execute("UPDATE documents SET vectors_synced=1")
                _bump_generation(tx)

    def unsynced_documents(self) -> list[str]:
        with self._lock:
            return [r["doc_id"] for r in self._db.execute("SELECT doc_id FROM documents WHERE vectors_synced=0")]

    # --- metadata set by staff (document management) -----------------------------------------------
    def metadata_overrides(self, path: str) -> dict[str, Any]:
        """Metadata fields staff set for the file at `path`; they win over everything the file says."""
        with self._lock:
            row = self._db.execute("SELECT data FROM overrides WHERE path=?", (path,)).fetchone()
        return json.loads(row["data"]) if row else {}

    def set_metadata_overrides(self, path: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute("INSERT INTO overrides(path, data) VALUES (?, ?) "
                             "ON CONFLICT(path) DO UPDATE SET data=excluded.data",
                             (path, json.dumps(data, ensure_ascii=False, sort_keys=True)))

    def delete_metadata_overrides(self, path: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM overrides WHERE path=?", (path,))

    # --- uploaded originals (shared catalog only) ---------------------------------------------------
    # Replicas on separate disks: a file uploaded through one is kept here too, so that any replica can serve
    # it or index it again (new metadata, re-index). Without a shared catalog the data dir keeps it, as before.
    def put_original(self, path: str, data: bytes) -> None:
        if not self.shared:
            return
        with self._lock:
            self._db.execute("INSERT INTO originals(path, data, sha256) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE "
                             "SET data=excluded.data, sha256=excluded.sha256", (path, data, sha256_hex(data)))

    def delete_original(self, path: str) -> None:
        if self.shared:
            with self._lock:
                self._db.execute("DELETE FROM originals WHERE path=?", (path,))

    def has_original(self, path: str) -> bool:
        if not self.shared:
            return False
        with self._lock:
            return self._db.execute("SELECT 1 FROM originals WHERE path=?", (path,)).fetchone() is not None

    def restore_original(self, path: str) -> bool:
        """Write the kept original back at its recorded path when this replica's disk lacks it (or holds
        another version); True when the file is there afterwards."""
        target = Path(path)
        if not self.shared:
            return target.is_file()
        with self._lock:
            row = self._db.execute("SELECT data, sha256 FROM originals WHERE path=?", (path,)).fetchone()
        if row is None:
            return target.is_file()
        if target.is_file() and sha256_hex(target.read_bytes()) == row["sha256"]:
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{threading.get_ident()}.partiel")
        partial.write_bytes(bytes(row["data"]))
        partial.replace(target)  # atomic: a reader sees the old file or the whole new one
        return True

    # --- chunks -------------------------------------------------------------------------------
    def chunk_rows(self, doc_id: str | None = None, synced_only: bool = False) -> Iterator[dict[str, Any]]:
        """Chunks joined with their document's metadata, in document order (`synced_only`: the
        documents search may show, i.e. whose vectors are stored)."""
        sql = ("SELECT c.*, d.title, d.doc_type, d.date, d.source, d.audience, d.path FROM chunks c "
               "JOIN documents d USING(doc_id) WHERE 1=1")
        args: tuple = ()
        if doc_id is not None:
            sql += " AND c.doc_id=?"
            args = (doc_id,)
        if synced_only:
            sql += " AND d.vectors_synced=1"
        sql += " ORDER BY c.doc_id, c.ord"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        for row in rows:
            yield _chunk_row(row)

    def chunks_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(ids)
        out: dict[str, dict[str, Any]] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                batch = ids[start:start + 500]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    "SELECT c.*, d.title, d.doc_type, d.date, d.source, d.audience, d.path FROM chunks c "
                    f"JOIN documents d USING(doc_id) WHERE c.chunk_id IN ({marks}) AND d.vectors_synced=1",
                    batch).fetchall()
                out.update({r["chunk_id"]: _chunk_row(r) for r in rows})
        return out

    def chunks_for_articles(self, article_ids: list[str]) -> list[dict[str, Any]]:
        """Chunks whose article id is one of `article_ids` (exact legal reference lookup)."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        with self._lock:
            rows = self._db.execute(
                "SELECT c.*, d.title, d.doc_type, d.date, d.source, d.audience, d.path FROM chunks c "
                f"JOIN documents d USING(doc_id) WHERE c.article_id IN ({marks}) AND d.vectors_synced=1",
                article_ids).fetchall()
        return [_chunk_row(r) for r in rows]

    def chunk_ids(self) -> set[str]:
        with self._lock:
            return {r["chunk_id"] for r in self._db.execute("SELECT chunk_id FROM chunks")}

    def counts(self) -> dict[str, int]:
        with self._lock:
            docs = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            chunks = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return {"documents": docs, "chunks": chunks}

    def stats_by_type(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT d.doc_type, COUNT(DISTINCT d.doc_id) AS documents, COUNT(c.chunk_id) AS chunks "
                "FROM documents d LEFT JOIN chunks c USING(doc_id) GROUP BY d.doc_type ORDER BY d.doc_type"
            ).fetchall()
        return [dict(r) for r in rows]


# The two dialects' common upsert (SQLite ≥ 3.24, PostgreSQL).
_SET_STATE = "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"


def _bump_generation(tx: StateDB) -> None:
    tx.execute("INSERT INTO state(key, value) VALUES ('generation', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(state.value AS INTEGER) + 1 AS TEXT)")


def _now() -> str:
    """The time of an ingest as SQLite's datetime('now') writes it (UTC, « 2026-12-05 18:40:00 »)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _doc_row(row) -> dict[str, Any]:
    data = dict(row)
    data["extra"] = json.loads(data.get("extra") or "{}")
    return data


def _chunk_row(row) -> dict[str, Any]:
    data = dict(row)
    data["meta"] = json.loads(data.get("meta") or "{}")
    return data
