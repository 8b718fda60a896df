"""Audit log of document management: who added, changed, re-indexed, removed — or tried to add — what.

One SQLite database (`<data>/audit.sqlite`, or the shared PostgreSQL database), append-only from the application's point of view. A
refused upload is logged too (action « refus »), since repeated refusals are worth seeing.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.statedb import open_state

ACTIONS = ("ajout", "modification", "réindexation", "suppression", "refus")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    user_id TEXT,
    user_name TEXT,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT,
    title TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_doc ON audit(doc_id);
"""


class AuditEntry(BaseModel):
    id: int
    at: str  # UTC, ISO 8601
    user_id: str | None = None
    user_name: str | None = None
    role: str
    action: str
    doc_id: str | None = None
    title: str | None = None
    details: dict[str, Any] = {}


def audit_path(data_dir: Path) -> Path:
    return data_dir / "audit.sqlite"


class AuditLog:
    def __init__(self, path: Path, database_url: str | None = None):
        self._lock = threading.Lock()
        self._db = open_state(path, _SCHEMA, database_url)
        if self._db.dialect == "sqlite":  # PostgreSQL tables were created with the column
            columns = {r["name"] for r in self._db.execute("PRAGMA table_info(audit)")}
            if "user_name" not in columns:  # logs written before accounts had names
                self._db.execute("ALTER TABLE audit ADD COLUMN user_name TEXT")

    def record(self, action: str, *, role: str, user_id: str | None, doc_id: str | None = None,
               title: str | None = None, details: dict[str, Any] | None = None, user_name: str | None = None) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self._lock:
            self._db.execute("INSERT INTO audit(at, user_id, user_name, role, action, doc_id, title, details)"
                             " VALUES (?,?,?,?,?,?,?,?)",
                             (datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), user_id, user_name, role,
                              action, doc_id, title, json.dumps(details or {}, ensure_ascii=False, default=str)))

    def entries(self, limit: int = 100, doc_id: str | None = None) -> list[AuditEntry]:
        """Most recent first."""
        sql, args = "SELECT * FROM audit", []
        if doc_id is not None:
            sql += " WHERE doc_id=?"
            args.append(doc_id)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(max(1, int(limit)))
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [AuditEntry(**{**dict(r), "details": json.loads(r["details"] or "{}")}) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
