"""Conversations stored in SQLite (or PostgreSQL, assistant/statedb.py) under an id, so that follow-ups can be rewritten from earlier turns."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.statedb import open_state
from assistant.answer.models import Answer
from assistant.models import Turn

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    conversation_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    owner TEXT  -- user id of the account that asked; NULL for anonymous conversations
);
CREATE TABLE IF NOT EXISTS messages (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(conversation_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    question TEXT NOT NULL,
    standalone_question TEXT NOT NULL,
    answer_text TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS messages_conv ON messages(conversation_id, seq);
"""

MAX_ID_LENGTH = 64


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ConversationError(ValueError):
    """A conversation id that cannot be used (French message)."""


def check_conversation_id(conversation_id: str) -> str:
    cid = conversation_id.strip()
    if not cid or len(cid) > MAX_ID_LENGTH or not all(c.isalnum() or c in "-_" for c in cid):
        raise ConversationError("Identifiant de conversation invalide : lettres, chiffres, « - » et « _ » "
                                f"uniquement, {MAX_ID_LENGTH} caractères au plus.")
    return cid


class ConversationNotYours(LookupError):
    """A conversation that belongs to another caller; shown to the caller as unknown (French message)."""


def unknown_conversation(conversation_id: str) -> ConversationNotYours:
    # Someone else's conversation is reported exactly as a missing one: its id reveals nothing.
    return ConversationNotYours(f"Conversation inconnue : « {conversation_id} ».")


class ConversationStore:
    def __init__(self, path: Path, database_url: str | None = None):
        self.path = path
        self._lock = threading.RLock()
        self._db = open_state(path, _SCHEMA, database_url)
        self._migrate()

    def _migrate(self) -> None:
        # Files written before accounts existed have no owner column: their conversations stay anonymous.
        with self._lock:
            if self._db.dialect == "sqlite":  # PostgreSQL tables were created with the column
                columns = {r["name"] for r in self._db.execute("PRAGMA table_info(conversations)")}
                if "owner" not in columns:
                    self._db.execute("ALTER TABLE conversations ADD COLUMN owner TEXT")
            self._db.execute("CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated_at)")

    def claim(self, conversation_id: str, owner: str | None, title: str = "") -> None:
        """Make sure `conversation_id` is usable by `owner` (None: anonymous) before answering in it.

        A new id is created for `owner`; an existing conversation of another caller raises
        ConversationNotYours, so nobody can read or extend someone else's conversation by its id.
        """
        now = _now()
        with self._lock, self._db.transaction() as tx:
            tx.execute("INSERT INTO conversations(conversation_id, title, owner, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT(conversation_id) DO NOTHING",
                       (conversation_id, title[:120], owner, now, now))
            row = tx.execute("SELECT owner FROM conversations WHERE conversation_id = ?",
                             (conversation_id,)).fetchone()
        if row["owner"] != owner:
            raise unknown_conversation(conversation_id)

    def readable(self, conversation_id: str, owner: str | None) -> str:
        """The checked id of a conversation `owner` may read (ConversationError for a malformed id,
        ConversationNotYours for someone else's or a missing one)."""
        cid = check_conversation_id(conversation_id)
        if not self.visible(cid, owner):
            raise unknown_conversation(cid)
        return cid

    def visible(self, conversation_id: str, owner: str | None) -> bool:
        """True when the conversation exists and belongs to `owner` (anonymous ones to anonymous callers)."""
        with self._lock:
            row = self._db.execute("SELECT owner FROM conversations WHERE conversation_id = ?",
                                   (conversation_id,)).fetchone()
        return row is not None and row["owner"] == owner

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex[:16]

    def turns(self, conversation_id: str, limit: int = 6) -> list[Turn]:
        """The last `limit` turns of a conversation, oldest first (empty for an unknown id)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question, standalone_question, answer_text FROM messages WHERE conversation_id = ? "
                "ORDER BY seq DESC LIMIT ?", (conversation_id, limit)).fetchall()
        return [Turn(question=r["question"], standalone_question=r["standalone_question"], answer=r["answer_text"])
                for r in reversed(rows)]

    def append(self, conversation_id: str, answer: Answer) -> str:
        """Store an answered turn (creating the conversation if needed); returns the message id."""
        message_id = uuid.uuid4().hex[:16]
        stored = answer.model_copy(update={"retrieved": []})
        now = _now()
        with self._lock, self._db.transaction() as tx:
            # On PostgreSQL the upsert also locks the conversation's row: concurrent appends get distinct seqs.
            tx.execute(
                "INSERT INTO conversations(conversation_id, title, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(conversation_id) DO UPDATE SET updated_at = ?",
                (conversation_id, answer.question[:120], now, now, now))
            seq = tx.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?",
                             (conversation_id,)).fetchone()[0]
            tx.execute(
                "INSERT INTO messages(message_id, conversation_id, seq, question, standalone_question, answer_text, "
                "answer_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (message_id, conversation_id, seq, answer.question, answer.standalone_question, answer.text,
                 stored.model_dump_json(), now))
        return message_id

    def list(self, limit: int = 50, owner: str | None = None) -> list[dict[str, Any]]:
        """Recent conversations of `owner` (None: the anonymous ones), those with at least one answer."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.conversation_id, c.title, c.created_at, c.updated_at, COUNT(m.message_id) AS n_messages "
                "FROM conversations c JOIN messages m USING(conversation_id) WHERE c.owner IS NOT DISTINCT FROM ? "
                "GROUP BY c.conversation_id ORDER BY c.updated_at DESC LIMIT ?", (owner, limit)).fetchall()
        return [dict(r) for r in rows]

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every message of a conversation with its stored answer, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT message_id, seq, question, answer_json, created_at FROM messages WHERE conversation_id = ? "
                "ORDER BY seq", (conversation_id,)).fetchall()
        return [{"message_id": r["message_id"], "seq": r["seq"], "question": r["question"],
                 "created_at": r["created_at"], "answer": json.loads(r["answer_json"])} for r in rows]

    def message(self, conversation_id: str, message_id: str) -> dict[str, Any] | None:
        """One stored message with its answer, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT question, standalone_question, answer_json, created_at FROM messages "
                "WHERE conversation_id = ? AND message_id = ?", (conversation_id, message_id)).fetchone()
        if row is None:
            return None
        return {"question": row["question"], "standalone_question": row["standalone_question"],
                "created_at": row["created_at"], "answer": json.loads(row["answer_json"])}

    def message_exists(self, conversation_id: str, message_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM messages WHERE conversation_id = ? AND message_id = ?",
                                    (conversation_id, message_id)).fetchone() is not None
