"""Durability: `kill -9` during `assistant ingest` leaves a consistent, searchable index; the rerun finishes.

A real ingest runs in a subprocess over ~30 real documents copied from the shared corpus; most of them
are altered (one new sentence) so that they need real embedding and the kill lands in the middle of
the run. The kill is sent once the catalog shows some documents searchable.
"""

from __future__ import annotations

import json
import os
import shutil
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
    env.update(ASSISTANT_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
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
