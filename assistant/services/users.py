"""Accounts: users, API tokens, web-login passwords and server-side sessions, in data/users.sqlite
(or the shared PostgreSQL database, assistant/statedb.py).

Only hashes of secrets are stored. API tokens and session ids are 32 random bytes
(`secrets.token_urlsafe`), so a plain SHA-256 is enough to make a stolen database useless and lets the
lookup go through an index. Passwords are low-entropy, so they get scrypt with a per-user salt.

Sessions are server-side rows rather than signed cookies: logging out or revoking a user ends their
sessions at once, there is no signing key to create, keep secret and rotate, and every worker process
sees the same sessions through the shared SQLite file or PostgreSQL database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from assistant.auth.roles import ROLE_LABELS, ROLES
from assistant.statedb import StateConflict, open_state

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    session_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE INDEX IF NOT EXISTS tokens_user ON tokens(user_id);
-- PostgreSQL has no NOCASE: names stay unique whatever their case, and lookups use lower(name).
CREATE UNIQUE INDEX IF NOT EXISTS users_name_ci ON users(lower(name));
"""

TOKEN_PREFIX = "aa_"  # recognisable in logs and secret scanners
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 8
# scrypt cost: ~16 MiB and a few tens of ms per check, slow enough against offline guessing.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class UserError(ValueError):
    """An account operation that cannot be done (French message)."""


@dataclass(frozen=True)
class User:
    user_id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None
    has_password: bool = False
    active_tokens: int = 0

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: float


def users_path(data_dir: Path) -> Path:
    return data_dir / "users.sqlite"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                   dklen=len(key) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), key)


# Checked when the name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("mot de passe fictif", salt=b"\0" * 16)


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME_RE.fullmatch(name):
        raise UserError(f"Nom d'utilisateur invalide « {name} » : lettres, chiffres, « . », « _ », « - » et « @ », "
                        "64 caractères au plus, en commençant par une lettre ou un chiffre.")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"Rôle inconnu « {role} » : rôles possibles {', '.join(ROLES)}.")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins.")
    return password


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class UserStore:
    def __init__(self, path: Path, database_url: str | None = None):
        self.path = path
        self._lock = threading.RLock()
        self._db = open_state(path, _SCHEMA, database_url)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- accounts --------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str | None = None) -> tuple[User, str]:
        """Create a user and its first API token; the token is returned once and stored only as a hash."""
        name, role = check_name(name), check_role(role)
        password_hash = hash_password(check_password(password)) if password is not None else None
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            self._insert(name, role, password_hash, token)
        except StateConflict as exc:  # the same name added at the same moment by another process
            raise UserError(f"L'utilisateur « {name} » existe déjà : choisissez un autre nom.") from exc
        return self.get(name), token

    def _insert(self, name: str, role: str, password_hash: str | None, token: str) -> None:
        with self._lock, self._db.transaction() as tx:  # commits, or rolls back on error
            existing = tx.execute("SELECT name, revoked_at FROM users WHERE lower(name) = lower(?)",
                                  (name,)).fetchone()
            if existing is not None:
                state = " (révoqué)" if existing["revoked_at"] else ""
                raise UserError(f"L'utilisateur « {existing['name']} » existe déjà{state} : choisissez un autre nom.")
            user_id = tx.execute("INSERT INTO users(name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
                                 "RETURNING user_id", (name, role, password_hash, _now())).fetchone()[0]
            tx.execute("INSERT INTO tokens(token_hash, user_id, created_at) VALUES (?, ?, ?)",
                       (_digest(token), user_id, _now()))

    def get(self, name: str) -> User:
        with self._lock:
            row = self._db.execute(self._USER_SQL + " WHERE lower(u.name) = lower(?) GROUP BY u.user_id",
                                   (name.strip(),)).fetchone()
        if row is None:
            raise UserError(f"Utilisateur inconnu : « {name} ».")
        return self._user(row)

    def list(self) -> list[User]:
        with self._lock:
            rows = self._db.execute(self._USER_SQL + " GROUP BY u.user_id ORDER BY lower(u.name)").fetchall()
        return [self._user(r) for r in rows]

    def revoke(self, name: str) -> User:
        """Revoke a user: their tokens stop working and their sessions end immediately."""
        user = self.get(name)
        now = _now()
        with self._lock, self._db.transaction() as tx:
            tx.execute("UPDATE users SET revoked_at = COALESCE(revoked_at, ?) WHERE user_id = ?", (now, user.user_id))
            tx.execute("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE user_id = ?", (now, user.user_id))
            tx.execute("DELETE FROM sessions WHERE user_id = ?", (user.user_id,))
        return self.get(name)

    def new_token(self, name: str) -> str:
        """An additional API token for an active user (shown once)."""
        user = self.get(name)
        if user.revoked_at:
            raise UserError(f"L'utilisateur « {user.name} » est révoqué : aucun jeton ne peut lui être délivré.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            self._db.execute("INSERT INTO tokens(token_hash, user_id, created_at) VALUES (?, ?, ?)",
                             (_digest(token), user.user_id, _now()))
        return token

    def set_password(self, name: str, password: str) -> None:
        user = self.get(name)
        stored = hash_password(check_password(password))
        with self._lock, self._db.transaction() as tx:
            tx.execute("UPDATE users SET password_hash = ? WHERE user_id = ?", (stored, user.user_id))
            tx.execute("DELETE FROM sessions WHERE user_id = ?", (user.user_id,))  # old sessions end

    # --- authentication --------------------------------------------------------------------------
    def user_for_token(self, token: str) -> User | None:
        """The active user owning `token`, or None (unknown, revoked token or revoked user)."""
        digest = _digest(token)
        with self._lock:
            row = self._db.execute(
                "SELECT t.token_hash, t.user_id FROM tokens t JOIN users u USING(user_id) "
                "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.revoked_at IS NULL", (digest,)).fetchone()
        if row is None or not hmac.compare_digest(row["token_hash"], digest):
            return None
        return self._by_id(row["user_id"])

    def authenticate(self, name: str, password: str) -> User | None:
        """The active user when `password` is theirs; None otherwise (same cost whatever the reason)."""
        with self._lock:
            row = self._db.execute("SELECT user_id, password_hash, revoked_at FROM users WHERE lower(name) = lower(?)",
                                   (name.strip(),)).fetchone()
        stored = row["password_hash"] if row is not None and row["password_hash"] else _DUMMY_HASH
        ok = verify_password(password, stored)
        if row is None or not row["password_hash"] or row["revoked_at"] or not ok:
            return None
        return self._by_id(row["user_id"])

    def open_session(self, user: User, ttl_seconds: float) -> tuple[str, Session]:
        """A new session for `user`: returns the cookie value (stored only as a hash) and the session."""
        session_id = secrets.token_urlsafe(32)
        session = Session(user=user, csrf_token=secrets.token_urlsafe(32), expires_at=time.time() + ttl_seconds)
        with self._lock, self._db.transaction() as tx:
            tx.execute("DELETE FROM sessions WHERE expires_at < ?", (time.time(),))  # keeps the table small
            tx.execute("INSERT INTO sessions(session_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
                             (_digest(session_id), user.user_id, session.csrf_token, session.expires_at))
        return session_id, session

    def session(self, session_id: str) -> Session | None:
        """The live session behind a cookie value, or None (unknown, expired, user revoked)."""
        digest = _digest(session_id)
        with self._lock:
            row = self._db.execute(
                "SELECT s.session_hash, s.user_id, s.csrf_token, s.expires_at FROM sessions s JOIN users u USING(user_id) "
                "WHERE s.session_hash = ? AND u.revoked_at IS NULL", (digest,)).fetchone()
        if row is None or not hmac.compare_digest(row["session_hash"], digest):
            return None
        if row["expires_at"] < time.time():
            self.close_session(session_id)
            return None
        return Session(user=self._by_id(row["user_id"]), csrf_token=row["csrf_token"], expires_at=row["expires_at"])

    def close_session(self, session_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE session_hash = ?", (_digest(session_id),))

    # --- rows ------------------------------------------------------------------------------------
    _USER_SQL = ("SELECT u.user_id, u.name, u.role, u.password_hash IS NOT NULL AS has_password, u.created_at, "
                 "u.revoked_at, COUNT(t.token_hash) AS active_tokens FROM users u "
                 "LEFT JOIN tokens t ON t.user_id = u.user_id AND t.revoked_at IS NULL")

    def _by_id(self, user_id: int) -> User:
        with self._lock:
            row = self._db.execute(self._USER_SQL + " WHERE u.user_id = ? GROUP BY u.user_id", (user_id,)).fetchone()
        return self._user(row)

    @staticmethod
    def _user(row) -> User:
        return User(user_id=row["user_id"], name=row["name"], role=row["role"], created_at=row["created_at"],
                    revoked_at=row["revoked_at"], has_password=bool(row["has_password"]),
                    active_tokens=row["active_tokens"])
