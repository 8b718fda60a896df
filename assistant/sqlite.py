"""One way to open the project's SQLite databases (catalog, conversations, feedback)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """A connection shared by threads (callers serialise with a lock), WAL journal, foreign keys on.

    Autocommit mode: writers open their own transactions (BEGIN IMMEDIATE) so that a killed
    process leaves each write either done or not done.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.executescript(schema)
    return db
