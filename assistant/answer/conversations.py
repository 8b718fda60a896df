"""Conversations stored in SQLite under an id, so that follow-ups can be rewritten from earlier turns."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path
from typing import Any

from assistant.sqlite import connect
from assistant.answer.models import Answer, Turn

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    conversation_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
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


class ConversationError(ValueError):
    """A conversation id that cannot be used (French message)."""


def check_conversation_id(conversation_id: str) -> str:
    cid = conversation_id.strip()
    if not cid or len(cid) > MAX_ID_LENGTH or not all(c.isalnum() or c in "-_" for c in cid):
        raise ConversationError("Identifiant de conversation invalide : lettres, chiffres, « - » et « _ » "
                                f"uniquement, {MAX_ID_LENGTH} caractères au plus.")
    return cid


class ConversationStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.RLock()
        self._db = connect(path, _SCHEMA)

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
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO conversations(conversation_id, title) VALUES (?, ?) ON CONFLICT(conversation_id) "
                "DO UPDATE SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (conversation_id, answer.question[:120]))
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?",
                                   (conversation_id,)).fetchone()[0]
            self._db.execute(
                "INSERT INTO messages(message_id, conversation_id, seq, question, standalone_question, answer_text, "
                "answer_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (message_id, conversation_id, seq, answer.question, answer.standalone_question, answer.text,
                 stored.model_dump_json()))
        return message_id

    def list(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT c.conversation_id, c.title, c.created_at, c.updated_at, COUNT(m.message_id) AS n_messages "
                "FROM conversations c LEFT JOIN messages m USING(conversation_id) GROUP BY c.conversation_id "
                "ORDER BY c.updated_at DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every message of a conversation with its stored answer, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT message_id, seq, question, answer_json, created_at FROM messages WHERE conversation_id = ? "
                "ORDER BY seq", (conversation_id,)).fetchall()
        return [{"message_id": r["message_id"], "seq": r["seq"], "question": r["question"],
                 "created_at": r["created_at"], "answer": json.loads(r["answer_json"])} for r in rows]

    def message_exists(self, conversation_id: str, message_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM messages WHERE conversation_id = ? AND message_id = ?",
                                    (conversation_id, message_id)).fetchone() is not None
