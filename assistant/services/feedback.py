"""Users' ratings of answers, stored next to the conversations (SQLite or PostgreSQL).

Feedback is append-only: a user who changes their mind adds a row, nothing is overwritten, so no
rating is ever lost; `latest()` gives the current opinion per message, and `review()` the rated
answers themselves, for staff to find what the assistant should have refused or answered
(`assistant feedback`, GET /api/admin/feedback).
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from assistant.statedb import open_state
from assistant.answer.conversations import ConversationStore, check_conversation_id
from assistant.answer.models import Answer

MAX_COMMENT_CHARS = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    feedback_id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX IF NOT EXISTS feedback_message ON feedback(conversation_id, message_id);
"""


class FeedbackError(ValueError):
    """Feedback that cannot be stored (French message)."""


class UnknownMessage(LookupError):
    """Feedback about a message that does not exist (French message)."""


class Feedback(BaseModel):
    conversation_id: str = Field(..., max_length=64)
    message_id: str = Field(..., max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)

    @field_validator("comment")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None


class RatedAnswer(BaseModel):
    """A rated answer as staff review it: what was asked, what was answered, what the user said."""

    feedback_id: int
    rated_at: str
    rating: Literal["up", "down"]
    comment: str | None = None
    conversation_id: str
    message_id: str
    question: str
    standalone_question: str
    answer: str
    abstained: bool
    reason: str | None = None
    # A partial answer was rated as such: staff see what the documents lacked, not only what was said.
    status: Literal["answered", "partial", "refused"] = "answered"
    missing: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)  # titles of the cited documents, in citation order


def feedback_path(data_dir: Path) -> Path:
    return data_dir / "feedback.sqlite"


class FeedbackStore:
    def __init__(self, path: Path, conversations: ConversationStore, database_url: str | None = None):
        self.path = path
        self.conversations = conversations
        self._lock = threading.Lock()
        self._db = open_state(path, _SCHEMA, database_url)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, feedback: Feedback) -> int:
        """Store a rating of an existing message; returns its id."""
        try:
            cid = check_conversation_id(feedback.conversation_id)
        except ValueError as exc:
            raise FeedbackError(str(exc)) from exc
        if not self.conversations.message_exists(cid, feedback.message_id):
            raise UnknownMessage(f"Message inconnu : « {feedback.message_id} » dans la conversation « {cid} ».")
        with self._lock:
            row = self._db.execute(
                "INSERT INTO feedback(conversation_id, message_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?) "
                "RETURNING feedback_id",
                (cid, feedback.message_id, feedback.rating, feedback.comment,
                 datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))).fetchone()
            return int(row[0])

    def for_message(self, conversation_id: str, message_id: str) -> list[dict[str, Any]]:
        """Every rating given to a message, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM feedback WHERE conversation_id = ? AND message_id = ? ORDER BY feedback_id",
                (conversation_id, message_id)).fetchall()
        return [dict(r) for r in rows]

    def review(self, rating: Literal["up", "down"] | None = "down", limit: int = 100) -> list[RatedAnswer]:
        """The latest rating of each rated answer (only `rating` ones unless None), most recent first."""
        out = []
        for row in self.latest(limit=10_000):
            if rating is not None and row["rating"] != rating:
                continue
            message = self.conversations.message(row["conversation_id"], row["message_id"])
            if message is None:  # the conversation was deleted since
                continue
            answer = Answer.model_validate(message["answer"])  # one rule for the status, older rows included
            out.append(RatedAnswer(
                feedback_id=row["feedback_id"], rated_at=row["created_at"], rating=row["rating"],
                comment=row["comment"], conversation_id=row["conversation_id"], message_id=row["message_id"],
                question=message["question"], standalone_question=message["standalone_question"],
                answer=answer.text, abstained=answer.abstained, reason=answer.reason, status=answer.status,
                missing=answer.missing, sources=list(dict.fromkeys(c.title for c in answer.citations))))
            if len(out) == limit:
                break
        return out

    def latest(self, limit: int = 200) -> list[dict[str, Any]]:
        """The current rating of each rated message, most recent first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT f.* FROM feedback f JOIN (SELECT MAX(feedback_id) AS id FROM feedback "
                "GROUP BY conversation_id, message_id) last ON f.feedback_id = last.id "
                "ORDER BY f.feedback_id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]
