"""Incremental, safe ingestion: re-runs embed nothing, changes replace chunks, kill -9 loses nothing."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from assistant.retrieval.search import HybridSearcher
from tests.conftest import ROOT, SHARED_CORPUS, VENV_BIN, make_settings, run_cli, save_embeddings


def _copy_starter(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    return corpus


def test_reingest_unchanged_embeds_nothing_and_changes_replace_chunks(tmp_path):
    corpus = _copy_starter(tmp_path)
    settings = make_settings(tmp_path / "data")
    index = IndexStore(settings)
    first = Ingestor(index).run([corpus])
    save_embeddings(settings)
    assert len(first.added) == 10 and not first.skipped
    ids_before = index.catalog.chunk_ids()

    again = Ingestor(index).run([corpus])
    assert again.unchanged == 10 and again.chunks_embedded == 0 and not again.added and not again.updated
    assert index.catalog.chunk_ids() == ids_before

    # Change one document: only its chunks are replaced, and the old wording is gone.
    note = corpus / "fiche-alliances-a-ne-pas-confondre.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n\n## Ajout\n\nLe mot témoin zorglubesque figure ici.\n",
                    encoding="utf-8")
    changed = Ingestor(index).run([corpus])
    assert changed.updated == ["fiche-alliances-a-ne-pas-confondre"] and changed.unchanged == 9
    assert 0 < changed.chunks_embedded <= 3
    hits = HybridSearcher(index).search("zorglubesque", k=3)
    assert hits and hits[0].doc_id == "fiche-alliances-a-ne-pas-confondre"
    assert index.vectors.ids() == index.catalog.chunk_ids()

    # A deleted file leaves the index only with --prune.
    (corpus / "communique-lancement-exemple.md").unlink()
    kept = Ingestor(index).run([corpus])
    assert index.catalog.document("communique-lancement-exemple") is not None and not kept.removed
    pruned = Ingestor(index).run([corpus], prune=True)
    assert pruned.removed == ["communique-lancement-exemple"]
    assert index.catalog.document("communique-lancement-exemple") is None
    assert index.vectors.ids() == index.catalog.chunk_ids()
    assert not any(c.startswith("communique-lancement-exemple:") for c in index.bm25_index().chunk_ids)


def test_same_file_through_two_roots_keeps_one_doc_id(tmp_path):
    corpus = _copy_starter(tmp_path)
    index = IndexStore(make_settings(tmp_path / "data"))
    Ingestor(index).run([corpus])
    report = Ingestor(index).run([corpus / "fiche-chiffres-cles.md"])
    assert report.unchanged == 1 and index.catalog.counts()["documents"] == 10


def _catalog_consistent(db_path: Path) -> tuple[int, int]:
    db = sqlite3.connect(str(db_path))
    try:
        rows = db.execute("SELECT d.doc_id, d.n_chunks, COUNT(c.chunk_id) FROM documents d "
                          "LEFT JOIN chunks c USING(doc_id) GROUP BY d.doc_id").fetchall()
        for doc_id, expected, actual in rows:
            assert expected == actual, f"document à moitié indexé : {doc_id} ({actual}/{expected})"
        return len(rows), sum(r[2] for r in rows)
    finally:
        db.close()


def test_kill_9_during_ingest_leaves_a_usable_index(tmp_path, cli_env):
    data = Path(cli_env["ASSISTANT_DATA_DIR"])
    starter = _copy_starter(tmp_path)
    assert run_cli("ingest", str(starter), env=cli_env).returncode == 0
    before = _catalog_consistent(data / "catalog.sqlite")

    # Embedding is the slow part: the guides are not in this data dir's cache, so the run takes a while.
    extra = tmp_path / "extra"
    shutil.copytree(SHARED_CORPUS / "commande-publique" / "guides", extra)
    proc = subprocess.Popen([str(VENV_BIN / "assistant"), "ingest", str(extra)], env=cli_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        docs, _ = _catalog_consistent(data / "catalog.sqlite")
        if docs >= before[0] + 2:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "l'indexation s'est terminée avant l'interruption"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    docs, _ = _catalog_consistent(data / "catalog.sqlite")
    assert before[0] + 2 <= docs < before[0] + 18
    result = run_cli("search", "chiffres clés 22 % des achats", "--json", "-k", "3", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["doc_id"].startswith(("fiche-", "communique", "synthese"))

    # The next run finishes the job, re-embedding only what was not cached yet.
    result = run_cli("ingest", str(extra), "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["unchanged"] >= 2 and len(report["added"]) <= 16
    docs, chunks = _catalog_consistent(data / "catalog.sqlite")
    assert docs == before[0] + 18
    index = IndexStore(make_settings(data))
    assert index.vectors.ids() == index.catalog.chunk_ids() and index.vectors.count() == chunks
    assert index.bm25_index().generation == index.catalog.generation()
