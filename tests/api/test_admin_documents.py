"""Document management over the web app (real index in a small temp data dir, real Chroma on disk):
upload as staff, audiences, metadata change, re-index, delete, audit log; roles; failed uploads leave
nothing visible. The caller is chosen with FastAPI's own dependency override of `get_caller`."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import ANONYMOUS, Caller, get_caller
from assistant.services.documents import Actor, DocumentManager
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from assistant.models import DocumentMeta
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_file
from assistant.text.normalize import sha256_hex
from assistant.services.uploads import MB, uploads_dir
from tests.conftest import ROOT, free_port, make_settings, save_embeddings
from tests.unit.services.test_uploads import docx_bytes, pdf_bytes

STARTER = ["fiche-alliance-presentation.md", "fiche-chiffres-cles.md"]
SECRET_WORD = "zorglubesque"
NOTE = (f"Le budget {SECRET_WORD} du service achats atteint 48 000 euros en 2026. "
        "Cette note interne détaille la répartition des crédits entre les équipes régionales.")


def as_role(request: Request) -> Caller:
    """Tests say who calls with two headers; FastAPI's dependency override, not a change of our code."""
    role = request.headers.get("x-test-role")
    return Caller.for_role(role, user_id=request.headers.get("x-test-user")) if role else ANONYMOUS


STAFF = {"x-test-role": "staff", "x-test-user": "alice"}
MEMBER = {"x-test-role": "member", "x-test-user": "bob"}
PUBLIC = {}


def small_index(data_dir: Path) -> Path:
    corpus = data_dir.parent / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name in STARTER:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    settings = make_settings(data_dir)
    index = IndexStore(settings)
    Ingestor(index).run([corpus])
    index.close()
    return corpus


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("admin") / "data"
    small_index(data_dir)
    return make_settings(data_dir)


@contextmanager
def admin_client(settings) -> Iterator[TestClient]:
    """The app over `settings`, whose callers say who they are with the x-test-* headers."""
    app = create_app(settings)
    app.dependency_overrides[get_caller] = as_role
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def client(settings):
    with admin_client(settings) as c:
        yield c
    save_embeddings(settings)


def doc_ids(hits) -> set[str]:
    return {h["doc_id"] for h in hits}


def search(client, q: str, headers) -> set[str]:
    response = client.get("/api/search", params={"q": q, "k": 10}, headers=headers)
    assert response.status_code == 200, response.text
    return doc_ids(response.json())


def test_roles(client):
    routes = [("get", "/api/admin/documents"), ("post", "/api/admin/documents"),
              ("patch", "/api/admin/documents/fiche-chiffres-cles"),
              ("post", "/api/admin/documents/fiche-chiffres-cles/reindex"), ("post", "/api/admin/reindex"),
              ("delete", "/api/admin/documents/fiche-chiffres-cles"), ("get", "/api/admin/audit")]
    for method, url in routes:
        anonymous = client.request(method, url, json={} if method == "patch" else None)
        assert anonymous.status_code == 401 and "Connexion requise" in anonymous.json()["detail"], (method, url)
        member = client.request(method, url, headers=MEMBER, json={} if method == "patch" else None)
        assert member.status_code == 403 and "Accès refusé" in member.json()["detail"], (method, url)
    assert client.get("/api/admin/documents", headers={"x-test-role": "admin", "x-test-user": "root"}).status_code == 200


def test_upload_change_reindex_delete_are_audited(client, settings):
    upload = client.post("/api/admin/documents", headers=STAFF,
                         files={"file": ("Note budget.docx", docx_bytes(NOTE), "application/octet-stream")},
                         data={"title": "Budget interne des achats", "audience": "staff", "date": "2026-03-01",
                               "doc_type": "note"})
    assert upload.status_code == 201, upload.text
    doc = upload.json()["document"]
    doc_id = doc["doc_id"]
    assert doc_id == "depots/budget-interne-des-achats" and doc["audience"] == "staff" and doc["date"] == "2026-03-01"
    stored = uploads_dir(settings.data_dir) / "budget-interne-des-achats" / "note-budget.docx"
    assert stored.is_file()

    # Staff-only: found by staff, unknown to the public (search, documents, raw file).
    assert doc_id in search(client, f"budget {SECRET_WORD} service achats", STAFF)
    assert doc_id not in search(client, f"budget {SECRET_WORD} service achats", PUBLIC)
    assert client.get(f"/api/documents/{doc_id}").status_code == 404
    assert client.get(f"/api/documents/{doc_id}", headers=STAFF).status_code == 200
    listing = client.get("/api/admin/documents", headers=STAFF).json()
    assert listing["counts"]["by_audience"] == {"public": 2, "staff": 1} and listing["counts"]["uploaded"] == 1

    # Made public: the passages carry the new audience and title at once.
    patched = client.patch(f"/api/admin/documents/{doc_id}", headers=STAFF,
                           json={"audience": "public", "title": "Budget des achats 2026"})
    assert patched.status_code == 200 and patched.json()["document"]["audience"] == "public"
    hits = client.get("/api/search", params={"q": f"budget {SECRET_WORD}", "k": 5}).json()
    assert hits[0]["doc_id"] == doc_id and hits[0]["title"] == "Budget des achats 2026"
    figures = client.get("/api/figures", params={"q": "budget service achats"}).json()
    assert any(f["doc_id"] == doc_id for f in figures)
    bad = client.patch(f"/api/admin/documents/{doc_id}", headers=STAFF, json={"audience": "tout le monde"})
    assert bad.status_code == 422 and "audience inconnue" in bad.json()["detail"]
    bad = client.patch(f"/api/admin/documents/{doc_id}", headers=STAFF, json={"date": "bientôt"})
    assert bad.status_code == 422 and "date invalide" in bad.json()["detail"]

    reindexed = client.post(f"/api/admin/documents/{doc_id}/reindex", headers=STAFF)
    assert reindexed.status_code == 200 and reindexed.json()["document"]["title"] == "Budget des achats 2026"

    # A corpus document cannot be deleted here (the next ingest would bring it back): French 409.
    corpus_delete = client.delete("/api/admin/documents/fiche-chiffres-cles", headers=STAFF)
    assert corpus_delete.status_code == 409 and "dossier du corpus" in corpus_delete.json()["detail"]

    deleted = client.delete(f"/api/admin/documents/{doc_id}", headers=STAFF)
    assert deleted.status_code == 200
    assert doc_id not in search(client, f"budget {SECRET_WORD} service achats", STAFF)
    assert client.get(f"/api/documents/{doc_id}", headers=STAFF).status_code == 404
    assert not any(f["doc_id"] == doc_id for f in client.get("/api/figures", params={"q": "budget achats"}).json())
    assert not stored.parent.exists()
    assert client.delete(f"/api/admin/documents/{doc_id}", headers=STAFF).status_code == 404

    audit = client.get("/api/admin/audit", headers=STAFF, params={"doc_id": doc_id}).json()
    assert [e["action"] for e in audit] == ["suppression", "réindexation", "modification", "ajout"]
    assert {e["user_id"] for e in audit} == {"alice"} and {e["role"] for e in audit} == {"staff"}
    assert audit[2]["details"]["changements"]["audience"] == {"avant": "staff", "après": "public"}


def test_pdf_upload_defaults_to_staff(client):
    response = client.post("/api/admin/documents", headers=STAFF,
                           files={"file": ("rapport.pdf", pdf_bytes(NOTE.replace(SECRET_WORD, "quintessentiel")),
                                           "application/pdf")})
    assert response.status_code == 201, response.text
    doc = response.json()["document"]
    # No audience given: staff only (a forgotten field never publishes an internal document).
    assert doc["audience"] == "staff" and doc["format"] == "pdf"
    assert doc["doc_id"] in search(client, "budget quintessentiel service achats", STAFF)
    assert doc["doc_id"] not in search(client, "budget quintessentiel service achats", PUBLIC)
    assert client.delete(f"/api/admin/documents/{doc['doc_id']}", headers=STAFF).status_code == 200


def test_failed_upload_leaves_nothing(tmp_path):
    """The vector store fails during the upload (Chroma URL where nothing listens): French 503, and no
    trace of the document in the catalog, the documents, the uploads folder or the audit log."""
    data_dir = tmp_path / "data"
    small_index(data_dir)
    broken = make_settings(data_dir, chroma_url=f"http://127.0.0.1:{free_port()}")
    app = create_app(broken)
    app.dependency_overrides[get_caller] = as_role
    with TestClient(app) as c:
        response = c.post("/api/admin/documents", headers=STAFF,
                          files={"file": ("note.md", f"# Note\n\n{NOTE}\n".encode(), "text/markdown")},
                          data={"audience": "public"})
        assert response.status_code == 503 and "rien n'a été modifié" in response.json()["detail"]
        assert [e["action"] for e in c.get("/api/admin/audit", headers=STAFF).json()] == []
    index = IndexStore(make_settings(data_dir))
    try:
        assert {d["doc_id"] for d in index.catalog.documents()} == {"fiche-alliance-presentation", "fiche-chiffres-cles"}
        assert all(SECRET_WORD not in r["text"] for r in index.catalog.chunk_rows())
        assert index.catalog.metadata_overrides(str(uploads_dir(data_dir) / "note" / "note.md")) == {}
    finally:
        index.close()
    assert [p for p in uploads_dir(data_dir).rglob("*") if p.is_file()] == []


def test_killed_upload_is_invisible_then_rolled_back(tmp_path):
    """What a kill between the catalog commit and the vector writes leaves behind (file stored, chunks
    committed, vectors not marked stored) is invisible to search and documents; the next start of the
    manager rolls it back, with the stale temp files of interrupted transfers (not the recent ones)."""
    data_dir = tmp_path / "data"
    small_index(data_dir)
    settings = make_settings(data_dir)
    folder = uploads_dir(data_dir) / "note-coupee"
    folder.mkdir(parents=True)
    path = folder / "note.md"
    path.write_text(f"# Note coupée\n\n{NOTE}\n", encoding="utf-8")
    partial = uploads_dir(data_dir) / ".tmp" / "transfert.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"debut")
    two_hours_ago = time.time() - 7200
    os.utime(partial, (two_hours_ago, two_hours_ago))
    receiving = partial.with_name("en-cours.part")  # a transfer another process is receiving right now
    receiving.write_bytes(b"debut")
    index = IndexStore(settings)
    meta = DocumentMeta(doc_id="depots/note-coupee", title="Note coupée", doc_type="note", date=None,
                        source="depot", audience="public", path=str(path))
    chunks = chunk_document(meta, load_file(path))
    index.catalog.replace_document(meta, "empreinte", chunks, [sha256_hex(c.embed_text) for c in chunks])
    index.rebuild_bm25()
    # While another writer holds the data dir (it could be that upload, still running), nothing is undone.
    from assistant.maintenance.lock import write_lock

    with write_lock(data_dir):
        DocumentManager(index, MB).close()
    assert index.catalog.document("depots/note-coupee") is not None and path.exists()
    index.close()

    app = create_app(settings)
    app.dependency_overrides[get_caller] = as_role
    with TestClient(app) as c:
        assert "depots/note-coupee" not in search(c, f"budget {SECRET_WORD}", STAFF)
        assert c.get("/api/documents/depots/note-coupee", headers=STAFF).status_code == 404
        assert "depots/note-coupee" not in {d["doc_id"] for d in c.get("/api/documents", headers=STAFF).json()}
        # First staff request opens the manager, which rolls the half-done upload back.
        assert {d["doc_id"] for d in c.get("/api/admin/documents", headers=STAFF).json()["documents"]} == {
            "fiche-alliance-presentation", "fiche-chiffres-cles"}
    assert not folder.exists() and not partial.exists() and receiving.exists()


def test_manager_rejects_late_loader_errors_without_trace(tmp_path):
    """A file that passes the magic-byte checks but that the loader rejects (scanned PDF) is refused
    before the index is touched, and the refusal is audited with who tried."""
    from tests.unit.services.test_uploads import blank_pdf_bytes

    data_dir = tmp_path / "data"
    small_index(data_dir)
    index = IndexStore(make_settings(data_dir))
    manager = DocumentManager(index, 20 * MB)
    try:
        temp = data_dir / "uploads" / ".tmp"
        temp.mkdir(parents=True, exist_ok=True)
        upload = temp / "x.pdf"
        upload.write_bytes(blank_pdf_bytes())
        from assistant.services.uploads import UploadRefused

        with pytest.raises(UploadRefused, match="scanné"):
            manager.add(upload, "scan.pdf", {"title": "Scan"}, Actor("staff", "carol"))
        assert not upload.exists() and len(index.catalog.documents()) == 2
        entry = manager.audit_entries(1)[0]
        assert entry.action == "refus" and entry.user_id == "carol" and entry.details["fichier"] == "scan.pdf"
    finally:
        manager.close()
        index.close()


def test_real_accounts_token_and_session_with_csrf(tmp_path):
    """No override here: API tokens and a web session of the account store (assistant/auth/users.py)."""
    from assistant.services.users import UserStore, users_path

    data_dir = tmp_path / "data"
    small_index(data_dir)
    users = UserStore(users_path(data_dir))
    _, staff_token = users.add("claire", "staff", password="motdepasse-solide-42")
    _, member_token = users.add("marc", "member")
    users.close()
    note = ("note.md", f"# Note\n\n{NOTE}\n".encode(), "text/markdown")
    with TestClient(create_app(make_settings(data_dir, cookie_secure=False))) as c:
        assert c.get("/api/admin/documents", headers={"Authorization": "Bearer faux"}).status_code == 401
        member = c.post("/api/admin/documents", headers={"Authorization": f"Bearer {member_token}"}, files={"file": note})
        assert member.status_code == 403 and "Accès refusé" in member.json()["detail"]
        added = c.post("/api/admin/documents", headers={"Authorization": f"Bearer {staff_token}"}, files={"file": note})
        assert added.status_code == 201, added.text
        doc_id = added.json()["doc_id"]

        login = c.post("/api/auth/login", json={"name": "claire", "password": "motdepasse-solide-42"})
        assert login.status_code == 200, login.text
        csrf = c.get("/api/auth/me").json()["csrf_token"]
        forged = c.delete(f"/api/admin/documents/{doc_id}")  # the cookie alone, as another site would send it
        assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
        assert c.delete(f"/api/admin/documents/{doc_id}", headers={"X-CSRF-Token": csrf}).status_code == 200
        audit = c.get("/api/admin/audit").json()
    assert [(e["action"], e["user_name"]) for e in audit] == [("suppression", "claire"), ("ajout", "claire")]


def test_audit_cli(tmp_path):
    """`assistant audit` reads the same log (rich table, or JSON), markup in titles printed as text."""
    from assistant.services.audit import AuditLog, audit_path
    from tests.conftest import run_cli

    data_dir = tmp_path / "data"
    log = AuditLog(audit_path(data_dir))
    log.record("ajout", role="staff", user_id="7", user_name="claire", doc_id="depots/a", title="[bold]Note[/bold] A",
               details={"fichier": "a.md"})
    log.record("suppression", role="admin", user_id="1", user_name="root", doc_id="depots/a", title="Note A")
    log.close()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    table = run_cli("audit", "--limit", "5", env=env)
    assert table.returncode == 0, table.stderr
    assert "Journal des documents" in table.stdout and "[bold]Note[/bold] A" in table.stdout
    assert table.stdout.index("suppression") < table.stdout.index("ajout")  # most recent first
    one = json.loads(run_cli("audit", "-n", "1", "--json", env=env).stdout)
    assert [(e["action"], e["user_name"]) for e in one] == [("suppression", "root")]
    empty = run_cli("audit", env={**env, "ASSISTANT_DATA_DIR": str(tmp_path / "vide")})
    assert empty.returncode == 0 and "Aucune action" in empty.stdout


def test_metadata_set_by_staff_survives_a_later_ingest(client, settings):
    """PATCH on a corpus document, then the file changes and `assistant ingest` re-reads it: the audience
    staff chose is kept (a document made internal must not become public again)."""
    doc_id = "fiche-chiffres-cles"
    assert client.patch(f"/api/admin/documents/{doc_id}", headers=STAFF, json={"audience": "staff"}).status_code == 200
    corpus = settings.data_dir.parent / "corpus"
    path = corpus / "fiche-chiffres-cles.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté après coup.\n", encoding="utf-8")
    index = IndexStore(settings)
    try:
        report = Ingestor(index).run([corpus])
        assert report.updated == [doc_id]
        assert index.catalog.document(doc_id)["audience"] == "staff"
    finally:
        index.close()
    assert doc_id not in {d["doc_id"] for d in client.get("/api/documents").json()}
    assert client.patch(f"/api/admin/documents/{doc_id}", headers=STAFF, json={"audience": "public"}).status_code == 200
    assert doc_id in {d["doc_id"] for d in client.get("/api/documents").json()}


def test_reindex_all(client):
    docs = client.get("/api/admin/documents", headers=STAFF).json()["documents"]
    response = client.post("/api/admin/reindex", headers=STAFF)
    assert response.status_code == 200
    assert sorted(r["doc_id"] for r in response.json()) == sorted(d["doc_id"] for d in docs)
    after = {d["doc_id"]: d["n_chunks"] for d in client.get("/api/admin/documents", headers=STAFF).json()["documents"]}
    assert after == {d["doc_id"]: d["n_chunks"] for d in docs}
    audit = client.get("/api/admin/audit", headers=STAFF, params={"limit": len(docs)}).json()
    assert {e["action"] for e in audit} == {"réindexation"} and {e["doc_id"] for e in audit} == set(after)


UPLOAD_SCRIPT = """
import sys
from pathlib import Path
from assistant.config import Settings
from assistant.services.documents import Actor, DocumentManager
from assistant.index.store import IndexStore
from assistant.services.uploads import MB

source = Path(sys.argv[1])
manager = DocumentManager(IndexStore(Settings()), 20 * MB)
manager.add(source, "long.md", {"title": "Long rapport", "audience": "public"}, Actor("staff", "alice"))
print("FINI")
"""


def test_kill_9_during_an_upload_leaves_nothing_visible(tmp_path):
    """A real `kill -9` of a process uploading a long document, once its file is stored and while its
    passages are being embedded: nothing of it is visible, and the next start cleans up after it."""
    import signal
    import subprocess

    from tests.conftest import VENV_BIN

    data_dir = tmp_path / "data"
    small_index(data_dir)
    words = [f"terme{i:04d}x" for i in range(4000)]
    paragraphs = [" ".join(words[(i * 37 + j * 11) % 4000] for j in range(60)) + "." for i in range(400)]
    source = data_dir / "uploads" / ".tmp" / "long.md"
    source.parent.mkdir(parents=True)
    source.write_text("# Long rapport\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-c", UPLOAD_SCRIPT, str(source)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored = uploads_dir(data_dir) / "long-rapport" / "long.md"
    try:
        deadline = time.monotonic() + 120
        while not stored.exists():
            assert proc.poll() is None, f"le dépôt s'est arrêté avant le kill : {proc.stderr.read()[-2000:]}"
            assert time.monotonic() < deadline, "le fichier n'a jamais été rangé"
            time.sleep(0.05)
        time.sleep(0.5)  # into the embedding of its ~400 passages
        assert proc.poll() is None, "le dépôt s'est terminé avant le kill"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    settings = make_settings(data_dir)
    with admin_client(settings) as c:
        assert not any("long" in d for d in search(c, "terme0001x terme0012x", STAFF))
        assert "depots/long-rapport" not in {d["doc_id"] for d in c.get("/api/documents", headers=STAFF).json()}
        listing = c.get("/api/admin/documents", headers=STAFF).json()  # opens the manager: it cleans up
        assert {d["doc_id"] for d in listing["documents"]} == {"fiche-alliance-presentation", "fiche-chiffres-cles"}
    assert not stored.parent.exists()
    index = IndexStore(settings)
    try:
        assert index.catalog.metadata_overrides(str(stored)) == {} and index.catalog.document("depots/long-rapport") is None
    finally:
        index.close()


def test_rated_answers_are_reviewed_by_staff_in_the_api_and_the_cli(client, settings):
    """A « pas utile » with its comment reaches staff with the question and the answer; nobody else sees it."""
    from tests.conftest import run_cli

    asked = client.post("/api/ask", json={"question": "Quel est le délai de paiement d'une commune ?"},
                        headers=MEMBER).json()
    rated = client.post("/api/feedback", headers=MEMBER, json={
        "conversation_id": asked["conversation_id"], "message_id": asked["message_id"], "rating": "down",
        "comment": "[bold]Il manque[/bold] les intérêts moratoires"})
    assert rated.status_code == 201, rated.text
    assert client.get("/api/admin/feedback").status_code == 401
    assert client.get("/api/admin/feedback", headers=MEMBER).status_code == 403
    review = client.get("/api/admin/feedback", headers=STAFF).json()
    mine = next(r for r in review if r["message_id"] == asked["message_id"])
    assert mine["question"] == "Quel est le délai de paiement d'une commune ?" and mine["rating"] == "down"
    assert mine["answer"] == asked["text"] and mine["abstained"] == asked["abstained"]
    assert mine["comment"].startswith("[bold]Il manque")
    assert mine["sources"] == list(dict.fromkeys(c["title"] for c in asked["citations"]))
    assert not client.get("/api/admin/feedback", params={"rating": "up"}, headers=STAFF).json()

    env = {**os.environ, "ASSISTANT_DATA_DIR": str(settings.data_dir), "COLUMNS": "200"}
    table = run_cli("feedback", env=env)
    assert table.returncode == 0, table.stderr
    assert "Réponses notées" in table.stdout and "[bold]Il manque[/bold]" in table.stdout  # markup shown as text
    listed = json.loads(run_cli("feedback", "--json", "--rating", "tous", env=env).stdout)
    assert any(r["message_id"] == asked["message_id"] for r in listed)
    wrong = run_cli("feedback", "--rating", "bof", env=env)
    assert wrong.returncode == 1 and "Note inconnue" in wrong.stderr
    empty = run_cli("feedback", env={**env, "ASSISTANT_DATA_DIR": str(settings.data_dir.parent / "vide")})
    assert empty.returncode == 0 and "Aucune réponse notée" in empty.stdout
