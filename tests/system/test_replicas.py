"""Stateless replicas: two `assistant serve` processes with separate, empty data dirs behind HAProxy.

The catalog is in a real PostgreSQL (initdb here), the vectors in a `chroma run` server; each replica keeps
only caches on its own disk (BM25, key figures, embedding cache), rebuilt from the shared catalog. Ingest
goes through one replica's machine, an upload through the other, questions and searches through the
balancer; a replica stopped under load leaves the balancer serving; a replica started again on an empty
data dir catches up (`/readyz` says « en cours de synchronisation » until then).
"""

from __future__ import annotations

import os
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.index.catalog import Catalog
from assistant.models import Chunk, DocumentMeta
from assistant.services.users import UserStore, users_path
from tests.conftest import ROOT, make_settings, run_cli
from bench.cluster import HAPROXY, Balancer
from tests.system.test_postgres import postgres  # noqa: F401 - `postgres` is a fixture
from tests.system.test_scale_out import NEW_DOC, AppProcess, ChromaServer, app_env, call, wait_for_hit

if not Path(HAPROXY).exists():
    if os.environ.get("CI"):  # `make test` installs it (target `balancer`): in CI its absence is a failure
        pytest.fail("HAProxy absent : `make test` aurait dû l'installer (apt-get install haproxy)", pytrace=False)
    pytest.skip("HAProxy absent (apt-get install haproxy)", allow_module_level=True)


def wait_ready(url: str, seconds: float = 240, proc: AppProcess | None = None) -> list[str]:
    """Poll /readyz until 200; returns the statuses seen on the way (« indisponible », « en cours de … »)."""
    seen = []
    deadline = time.monotonic() + seconds
    while True:
        if proc is not None and proc.proc.poll() is not None:
            pytest.fail(f"la réplique s'est arrêtée : {proc.proc.communicate(timeout=10)[1][-2000:]}")
        try:
            status, body = call(url, "/readyz", timeout=10)
        except OSError:  # not listening yet (the balancer starting)
            status, body = 0, {"status": "injoignable"}
        if not seen or seen[-1] != body.get("status"):
            seen.append(body.get("status"))
        if status == 200:
            return seen
        assert time.monotonic() < deadline, f"{url} jamais prêt : {body}"
        time.sleep(0.3)


def _meta(doc_id: str, title: str) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, path=f"/dossier/{doc_id}.md", title=title, doc_type="note", date="2026-11-20",
                        source="essai", audience="public")


def _chunk(doc_id: str, n: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"{doc_id}-{n}", doc_id=doc_id, ord=n, text=text, embed_text=text, locator=f"§{n}",
                 meta={"article_id": f"R{n}"} if n else {})


def test_catalog_on_postgres_behaves_as_on_sqlite(tmp_path, postgres):
    """The same operations give the same reads in both dialects (upserts, generation, joins, overrides)."""
    url = postgres.database("catalogue")
    reads = []
    for catalog in (Catalog(tmp_path / "catalog.sqlite"), Catalog(tmp_path / "unused.sqlite", url)):
        assert catalog.shared == (catalog.path.name == "unused.sqlite")
        assert catalog.generation() == 0
        gone = catalog.replace_document(_meta("d1", "Première note"), "f1",
                                        [_chunk("d1", 0, "Un."), _chunk("d1", 1, "Deux.")], ["h0", "h1"])
        assert gone == set() and catalog.generation() == 1
        assert catalog.chunks_by_id(["d1-0"]) == {}  # vectors not stored yet: not visible
        catalog.mark_vectors_synced("d1")
        gone = catalog.replace_document(_meta("d1", "Première note, révisée"), "f2", [_chunk("d1", 0, "Un bis.")],
                                        ["h2"])
        assert gone == {"d1-1"}
        catalog.replace_document(_meta("d2", "Seconde note"), "f3", [_chunk("d2", 3, "Trois.")], ["h3"])
        catalog.switch_vectors({"collection": "essai", "embedder": "e5"})
        catalog.set_metadata_overrides("/dossier/d2.md", {"audience": "staff"})
        catalog.set_metadata_overrides("/dossier/d2.md", {"audience": "members"})
        catalog.set_state("clé", "valeur")
        catalog.set_state("clé", "autre valeur")
        rows = list(catalog.chunk_rows(synced_only=True))
        reads.append({
            "generation": catalog.generation(),
            "documents": [(d["doc_id"], d["title"], d["fingerprint"], d["n_chunks"], d["vectors_synced"], d["extra"])
                          for d in catalog.documents()],
            "rows": [(r["chunk_id"], r["title"], r["text"], r["meta"], r["audience"]) for r in rows],
            "articles": [r["chunk_id"] for r in catalog.chunks_for_articles(["R3"])],
            "overrides": catalog.metadata_overrides("/dossier/d2.md"),
            "state": (catalog.get_state("clé"), catalog.get_state("collection")),
            "counts": catalog.counts(), "by_type": catalog.stats_by_type(),
            "ingested": len(catalog.document("d2")["ingested_at"]),
        })
        assert catalog.delete_document("d2") == ["d2-3"] and catalog.counts() == {"documents": 1, "chunks": 1}
        catalog.close()
    assert reads[0] == reads[1]
    assert reads[0]["generation"] == 5 and reads[0]["overrides"] == {"audience": "members"}

    # Turning the shared database on for a data dir indexed before: its catalog is copied in, once.
    shared = postgres.database("adoption")
    for _ in range(2):
        adopted = Catalog(tmp_path / "catalog.sqlite", shared)
        assert [d["doc_id"] for d in adopted.documents()] == ["d1"] and adopted.generation() == 6
        assert [r["text"] for r in adopted.chunk_rows()] == ["Un bis."]
        assert adopted.metadata_overrides("/dossier/d2.md") == {"audience": "members"}
        adopted.close()

    # A replica's data dir holds caches only: its backup is refused with what to save instead.
    from assistant.maintenance.backup import BackupError, backup, restore

    settings = make_settings(tmp_path / "replique", database_url=shared)
    with pytest.raises(BackupError, match="pg_dump"):
        backup(settings, tmp_path / "sauvegarde")
    with pytest.raises(BackupError, match="pg_restore"):
        restore(settings, tmp_path / "sauvegarde")


def test_replicas_with_separate_disks_behind_a_balancer(tmp_path, postgres):
    url = postgres.database("repliques")
    chroma = ChromaServer(tmp_path / "chroma-server")
    chroma.start()
    dirs = {name: tmp_path / f"donnees-{name}" for name in ("a", "b", "a2")}
    envs = {name: {**app_env(d, chroma.url), "ASSISTANT_DATABASE_URL": url} for name, d in dirs.items()}
    a, b = AppProcess(envs["a"]), AppProcess(envs["b"])
    balancer = None
    try:
        # Both start empty: not ready (« index vide »), so the balancer would send them nothing.
        assert call(b.url, "/readyz")[0] == 503

        # Ingest through A's machine (its data dir): the catalog goes to PostgreSQL, the vectors to Chroma.
        result = run_cli("ingest", str(ROOT / "corpus"), env=envs["a"], timeout=900)
        assert result.returncode == 0, result.stderr
        seen = wait_ready(b.url, proc=b)
        assert seen[-1] == "prêt" and "en cours de synchronisation" in seen, seen
        wait_ready(a.url, proc=a)
        assert not (dirs["b"] / "catalog.sqlite").exists()  # B holds no catalog of its own
        assert (dirs["b"] / "bm25").is_dir() and (dirs["b"] / "figures.sqlite").is_file()  # only its caches

        balancer = Balancer(tmp_path, [a.url.removeprefix("http://"), b.url.removeprefix("http://")])
        wait_ready(balancer.url, 30)
        question = {"question": "Quelle est la différence avec l'Alliance Industrie du Futur ?"}
        status, through_a = call(a.url, "/api/ask", question)
        assert status == 200 and through_a["citations"], through_a
        status, through_b = call(b.url, "/api/ask", question)
        assert status == 200 and through_b["text"] == through_a["text"]
        assert [c["chunk_id"] for c in through_b["citations"]] == [c["chunk_id"] for c in through_a["citations"]]

        # An upload through B (accounts are in PostgreSQL too) is found through A and through the balancer.
        users = UserStore(users_path(dirs["b"]), url)
        _, token = users.add("claire", "staff")
        users.close()
        uploaded = httpx.post(f"{b.url}/api/admin/documents", headers={"Authorization": f"Bearer {token}"},
                              files={"file": ("note-horlogere.md", NEW_DOC.encode(), "text/markdown")},
                              data={"audience": "public"}, timeout=180)
        assert uploaded.status_code == 201, uploaded.text
        probe = "/api/search?" + urllib.parse.urlencode({"q": "ateliers de micromécanique horlogère jurassienne"})
        title = "Note interne sur la filière horlogère jurassienne"
        doc_id = uploaded.json()["doc_id"]
        for base in (a.url, balancer.url, balancer.url):
            assert wait_for_hit(base, probe, title, seconds=30)[0]["doc_id"] == doc_id

        # The original is kept in the shared catalog: A serves it and indexes it again though B's disk lost it
        # (as if B were another machine).
        stored = next((dirs["b"] / "uploads").glob("*/note-horlogere.md"))
        stored.unlink()
        raw = httpx.get(f"{a.url}/api/documents/{doc_id}/raw", timeout=30)
        assert raw.status_code == 200 and raw.content == NEW_DOC.encode()
        renamed = httpx.patch(f"{a.url}/api/admin/documents/{doc_id}", headers={"Authorization": f"Bearer {token}"},
                              json={"title": "Note sur les ateliers horlogers du Jura"}, timeout=180)
        assert renamed.status_code == 200, renamed.text
        title = "Note sur les ateliers horlogers du Jura"
        assert wait_for_hit(b.url, probe, title, seconds=30)[0]["doc_id"] == doc_id

        # Mixed load through the balancer; replica A stopped in the middle of it.
        questions = [question["question"], "Comment l'allotissement ouvre-t-il les marchés aux PME ?",
                     "Quels critères d'attribution un acheteur peut-il retenir ?"]
        failures: list[str] = []
        done = []
        stop_at = threading.Event()

        def request(i: int) -> None:
            if i == 12:
                stop_at.set()
            if i % 2:
                status, body = call(balancer.url, probe)
                ok = status == 200 and body and body[0]["title"] == title
            else:
                status, body = call(balancer.url, "/api/ask", {"question": questions[i % 3]})
                ok = status == 200 and bool(body.get("text"))
            (done if ok else failures).append(f"{i}: {status} {str(body)[:120]}")

        stopper = threading.Thread(target=lambda: (stop_at.wait(120), a.stop()))
        stopper.start()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(request, range(40)))
        stopper.join()
        # SIGTERM lets A finish what it had started; what it refuses afterwards the balancer sends to B.
        assert not failures, failures
        assert len(done) == 40

        # A again, on an empty data dir: it catches up from the catalog and answers as B does.
        a = AppProcess(envs["a2"])
        seen = wait_ready(a.url, proc=a)
        assert "en cours de synchronisation" in seen, seen
        status, again = call(a.url, "/api/ask", question)
        assert status == 200 and again["text"] == through_b["text"]
        assert wait_for_hit(a.url, probe, title)[0]["doc_id"] == doc_id
        assert httpx.get(f"{a.url}/api/documents/{doc_id}/raw", timeout=30).content == NEW_DOC.encode()
        assert call(a.url, "/readyz")[1]["documents"] == call(b.url, "/readyz")[1]["documents"]
    finally:
        if balancer is not None:
            balancer.stop()
        a.stop()
        b.stop()
        chroma.stop()
