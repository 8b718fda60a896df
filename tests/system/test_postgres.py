"""Shared application state in a real PostgreSQL (ASSISTANT_DATABASE_URL), started here with initdb.

The four stores (accounts, conversations, feedback, audit) run against it; two `assistant serve`
processes see the same users and conversations through it; PostgreSQL stopped gives a French 503,
and service comes back when it is restarted.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from assistant.answer.conversations import ConversationNotYours, ConversationStore
from assistant.answer.models import Answer
from assistant.services.audit import AuditLog, audit_path
from assistant.services.users import UserError, UserStore, users_path
from assistant.services.feedback import Feedback, FeedbackStore, feedback_path
from bench.cluster import PG_BIN, PostgresServer
from tests.conftest import run_cli
from tests.system.test_scale_out import AppProcess, app_env, cluster  # noqa: F401 - `cluster` is a fixture

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not (PG_BIN / "postgres").exists(),
                                reason="PostgreSQL absent (initdb et postgres introuvables dans /usr/local/bin)")


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


def _answer(question: str) -> Answer:
    return Answer(question=question, standalone_question=question, text=f"Réponse à « {question} »")


def test_stores_on_postgres(tmp_path, postgres):
    data = tmp_path / "data"
    url = postgres.database("stores")

    users = UserStore(users_path(data), url)
    alice, token = users.add("Alice", "member", password="motdepasse-1")
    assert users.user_for_token(token) == alice and users.user_for_token(token + "x") is None
    with pytest.raises(UserError, match="existe déjà"):
        users.add("alice", "staff")  # names are unique whatever their case, as with SQLite's NOCASE
    assert users.get("ALICE").user_id == alice.user_id
    assert users.authenticate("alice", "motdepasse-1") == alice and users.authenticate("alice", "faux-mdp-1") is None
    session_id, session = users.open_session(alice, ttl_seconds=3600)
    assert users.session(session_id).csrf_token == session.csrf_token
    assert abs(users.session(session_id).expires_at - session.expires_at) < 1e-3  # double precision, not REAL
    second = users.new_token("alice")
    assert users.get("alice").active_tokens == 2
    users.revoke("alice")
    assert users.user_for_token(second) is None and users.session(session_id) is None
    assert [u.name for u in users.list()] == ["Alice"]

    conversations = ConversationStore(data / "conversations.sqlite", url)
    conversations.claim("conv-a", "7", "Première question")
    with pytest.raises(ConversationNotYours):
        conversations.claim("conv-a", "8")
    first = conversations.append("conv-a", _answer("Qui peut adhérer ?"))
    conversations.append("conv-a", _answer("Et le tarif ?"))
    conversations.append("conv-anon", _answer("Question anonyme"))
    assert [c["conversation_id"] for c in conversations.list(owner="7")] == ["conv-a"]
    assert [c["conversation_id"] for c in conversations.list(owner=None)] == ["conv-anon"]
    assert conversations.list(owner="7")[0]["n_messages"] == 2
    assert [t.question for t in conversations.turns("conv-a")] == ["Qui peut adhérer ?", "Et le tarif ?"]
    assert [m["seq"] for m in conversations.messages("conv-a")] == [1, 2]
    assert conversations.visible("conv-a", "7") and not conversations.visible("conv-a", None)

    feedback = FeedbackStore(feedback_path(data), conversations, url)
    up = feedback.add(Feedback(conversation_id="conv-a", message_id=first, rating="up"))
    down = feedback.add(Feedback(conversation_id="conv-a", message_id=first, rating="down", comment=" 50 % faux "))
    assert down > up
    assert [f["rating"] for f in feedback.for_message("conv-a", first)] == ["up", "down"]
    assert [(f["rating"], f["comment"]) for f in feedback.latest()] == [("down", "50 % faux")]

    audit = AuditLog(audit_path(data), url)
    audit.record("ajout", role="staff", user_id="7", user_name="alice", doc_id="d1", title="Note",
                 details={"taille": 12})
    audit.record("refus", role="staff", user_id="7", user_name="alice", details={"raison": "100 % vide ?"})
    entries = audit.entries()
    assert [e.action for e in entries] == ["refus", "ajout"] and entries[1].details == {"taille": 12}
    assert entries[0].details == {"raison": "100 % vide ?"} and entries[0].at.endswith("Z")
    assert [e.action for e in audit.entries(doc_id="d1")] == ["ajout"]

    # Everything went to PostgreSQL: the data dir holds no state database, and a second store (another
    # worker) sees the same rows.
    assert not data.exists() or not list(data.rglob("*.sqlite"))
    assert ConversationStore(tmp_path / "ailleurs.sqlite", url).list(owner="7")[0]["conversation_id"] == "conv-a"
    for store in (users, conversations, feedback, audit):
        store.close()


def test_same_name_added_by_concurrent_workers(tmp_path, postgres):
    """Eight stores (as eight workers) add one name at once: one account, seven French refusals, no 500."""
    url = postgres.database("concurrent")
    stores = [UserStore(users_path(tmp_path), url) for _ in range(8)]
    barrier = threading.Barrier(len(stores))

    def add(store: UserStore) -> str:
        barrier.wait()
        try:
            store.add("camille", "member")
            return "créé"
        except UserError as exc:
            assert "existe déjà" in str(exc)
            return "refusé"

    with ThreadPoolExecutor(len(stores)) as pool:
        outcomes = sorted(pool.map(add, stores))
    assert outcomes == ["créé"] + ["refusé"] * 7
    assert [u.name for u in stores[0].list()] == ["camille"]


def test_bad_database_url_is_a_french_config_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(tmp_path / "data"), ASSISTANT_DATABASE_URL="mysql://moi@hote/base")
    result = run_cli("users", "list", env=env, timeout=120)
    assert result.returncode != 0
    assert "ASSISTANT_DATABASE_URL invalide" in result.stderr + result.stdout


def test_two_processes_share_postgres_and_503_when_it_stops(tmp_path, cluster, postgres):  # noqa: F811
    chroma, settings, env = cluster
    env = {**env, "ASSISTANT_DATABASE_URL": postgres.database("cluster")}
    # The account is created once, with the CLI, in PostgreSQL.
    created = run_cli("users", "add", "bruno", "--role", "member", env=env, timeout=120)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert not (settings.data_dir / "users.sqlite").exists()
    auth = {"Authorization": f"Bearer {token}"}
    a, b = AppProcess(env), AppProcess(env)
    try:
        for app in (a, b):
            me = httpx.get(f"{app.url}/api/auth/me", headers=auth, timeout=30)
            assert me.status_code == 200 and me.json()["name"] == "bruno", me.text
        # A password set once (another worker's store, same database) logs in through B; the session works on A.
        writer = UserStore(users_path(tmp_path / "ailleurs"), env["ASSISTANT_DATABASE_URL"])
        writer.set_password("bruno", "motdepasse-2")
        writer.close()
        login = httpx.post(f"{b.url}/api/auth/login", json={"name": "bruno", "password": "motdepasse-2"}, timeout=30)
        assert login.status_code == 200, login.text
        cookie = {"Cookie": f"alliance_session={login.cookies['alliance_session']}"}  # Secure cookie: sent by hand
        me = httpx.get(f"{a.url}/api/auth/me", headers=cookie, timeout=30)
        assert me.status_code == 200 and me.json()["name"] == "bruno", me.text
        asked = httpx.post(f"{a.url}/api/ask", headers=auth, timeout=120,
                           json={"question": "Quel est le seuil de dispense de publicité pour les travaux ?",
                                 "conversation_id": "conv-pg"})
        assert asked.status_code == 200, asked.text
        listed = httpx.get(f"{b.url}/api/conversations", headers=auth, timeout=30)
        assert listed.status_code == 200 and [c["conversation_id"] for c in listed.json()] == ["conv-pg"]
        assert httpx.get(f"{b.url}/api/conversations", timeout=30).json() == []  # not the anonymous ones

        postgres.stop()
        down = httpx.get(f"{b.url}/api/conversations", headers=auth, timeout=30)
        assert down.status_code == 503 and down.json()["detail"].startswith("Base de données indisponible"), down.text
        ready = httpx.get(f"{a.url}/readyz", timeout=30)
        assert ready.status_code == 503 and ready.json()["detail"].startswith("Base de données indisponible")

        postgres.start()
        back = httpx.get(f"{b.url}/api/conversations", headers=auth, timeout=30)
        assert back.status_code == 200 and back.json()[0]["conversation_id"] == "conv-pg"
        assert httpx.get(f"{a.url}/readyz", timeout=30).status_code == 200
    finally:
        a.stop()
        b.stop()
