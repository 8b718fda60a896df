"""Scale-out: two app processes (`assistant serve`) on loopback share one Chroma server and one data dir.

They answer the same questions identically; a document uploaded through process A (or indexed by
`assistant ingest` beside them) is found through process B (B reloads BM25 when the index on disk
changes); conversations written concurrently by both processes all land in the shared SQLite database.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from bench.cluster import ChromaServer, stop_process, wait_http
from tests.conftest import ROOT, VENV_BIN, free_port, make_settings, run_cli


class AppProcess:
    """`assistant serve` in its own process, over the given environment."""

    def __init__(self, env: dict[str, str], workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([str(VENV_BIN / "assistant"), "serve", "--host", "127.0.0.1", "--port",
                                      str(self.port), "--workers", str(workers)], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_http(f"{self.url}/healthz", self.proc, "l'application")

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc.communicate(timeout=10)


def call(base: str, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def wait_for_hit(base: str, probe: str, title: str, seconds: float = 10) -> list[dict]:
    """Search until the first hit has `title` (another process's change shows within seconds)."""
    deadline = time.monotonic() + seconds
    while True:
        hits = call(base, probe)[1]
        if hits and hits[0]["title"] == title:
            return hits
        assert time.monotonic() < deadline, f"document introuvable par {base} : {hits[:2]}"
        time.sleep(0.3)


def app_env(data_dir: Path, chroma_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(data_dir), ASSISTANT_CHROMA_URL=chroma_url, PYTHONUNBUFFERED="1",
               COLUMNS="400")
    return env


@pytest.fixture
def cluster(tmp_path):
    """A Chroma server with the starter corpus indexed, and the environment the app processes share."""
    chroma = ChromaServer(tmp_path / "chroma-server")
    chroma.start()
    settings = make_settings(tmp_path / "data", chroma_url=chroma.url)
    index = IndexStore(settings)
    Ingestor(index).run([ROOT / "corpus"])
    index.close()
    yield chroma, settings, app_env(settings.data_dir, chroma.url)
    chroma.stop()


QUESTIONS = ["Quelle est la différence avec l'Alliance Industrie du Futur ?",
             "Quel est le seuil de dispense de publicité pour les travaux ?"]
NEW_DOC = """---
title: Note interne sur la filière horlogère jurassienne
doc_type: note
date: 2026-11-20
---

# Filière horlogère

La filière horlogère jurassienne compte quarante-deux ateliers de micromécanique partenaires de l'Alliance,
qui forment chaque année des apprentis aux métiers du décolletage.
"""
OTHER_DOC = """---
title: Note sur la filature vosgienne
doc_type: note
date: 2026-11-21
---

# Filature

Trois filatures vosgiennes ont repris la transformation du lin teillé en fil pour l'habillement.
"""


def test_two_processes_share_one_chroma_server(tmp_path, cluster):
    chroma, settings, env = cluster
    a, b = AppProcess(env), AppProcess(env)
    try:
        # Same questions, same answers and citations from both processes.
        for question in QUESTIONS:
            status_a, answer_a = call(a.url, "/api/ask", {"question": question})
            status_b, answer_b = call(b.url, "/api/ask", {"question": question})
            assert status_a == status_b == 200, (answer_a, answer_b)
            assert answer_a["text"] == answer_b["text"] and answer_a["text"]
            assert [c["chunk_id"] for c in answer_a["citations"]] == [c["chunk_id"] for c in answer_b["citations"]]
        query = "/api/search?" + urllib.parse.urlencode({"q": QUESTIONS[0], "k": 5})
        assert call(a.url, query)[1] == call(b.url, query)[1]

        # A document uploaded through A (document management API, staff token) is found through B.
        from assistant.services.users import UserStore, users_path

        users = UserStore(users_path(settings.data_dir))
        _, token = users.add("claire", "staff")
        users.close()
        probe = "/api/search?" + urllib.parse.urlencode({"q": "ateliers de micromécanique horlogère jurassienne"})
        assert not any("horlog" in h["title"] for h in call(b.url, probe)[1])
        uploaded = httpx.post(f"{a.url}/api/admin/documents", headers={"Authorization": f"Bearer {token}"},
                              files={"file": ("note-horlogere.md", NEW_DOC.encode(), "text/markdown")},
                              data={"audience": "public"}, timeout=120)
        assert uploaded.status_code == 201, uploaded.text
        hits = wait_for_hit(b.url, probe, "Note interne sur la filière horlogère jurassienne")
        assert hits[0]["doc_id"] == uploaded.json()["doc_id"]
        assert call(a.url, probe)[1][0]["doc_id"] == hits[0]["doc_id"]

        # A document indexed from outside (`assistant ingest` on the same data dir and Chroma) is found too.
        folder = tmp_path / "nouveaux"
        folder.mkdir()
        (folder / "note-textile.md").write_text(OTHER_DOC, encoding="utf-8")
        result = run_cli("ingest", str(folder), env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        probe = "/api/search?" + urllib.parse.urlencode({"q": "filature vosgienne lin teillé"})
        for app in (a, b):
            wait_for_hit(app.url, probe, "Note sur la filature vosgienne")
        assert call(b.url, "/readyz")[1]["documents"] == 12

        # Both processes write the shared conversation database at the same time (SQLite WAL).
        def ask(i: int) -> int:
            status, body = call((a, b)[i % 2].url, "/api/ask",
                                {"question": QUESTIONS[i % 2], "conversation_id": f"conv-{i % 3}"})
            assert status == 200, body
            return status

        with ThreadPoolExecutor(max_workers=6) as pool:
            assert list(pool.map(ask, range(12))) == [200] * 12
        for conv in range(3):
            status, body = call(a.url, f"/api/conversations/conv-{conv}")
            assert status == 200
            assert len(body["messages"]) == 4 and sorted(m["seq"] for m in body["messages"]) == [1, 2, 3, 4]
    finally:
        a.stop()
        b.stop()
