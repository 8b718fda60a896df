"""Server mode: `chroma run` on loopback, the index written and queried through the HTTP client."""

from __future__ import annotations

import subprocess
import time
import urllib.request

import pytest

from assistant.index.store import IndexStore
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.ingest.pipeline import Ingestor
from assistant.retrieval.search import HybridSearcher
from tests.conftest import ROOT, VENV_BIN, free_port, make_settings


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen([str(VENV_BIN / "chroma"), "run", "--path", str(tmp_path / "chroma-server"),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("le serveur Chroma n'a pas démarré")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_index_through_chroma_server(tmp_path, chroma_server):
    settings = make_settings(tmp_path / "data", chroma_url=chroma_server)
    index = IndexStore(settings)
    report = Ingestor(index).run([ROOT / "corpus"])
    assert len(report.added) == 10
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on disk: vectors live in the server
    assert index.vectors.count() == index.catalog.counts()["chunks"]
    hits = HybridSearcher(index).search("Quelle est la différence avec l'Alliance Industrie du Futur ?", k=3)
    assert hits[0].doc_id == "fiche-alliances-a-ne-pas-confondre"

    # A second process-level client (another app worker) sees the same vectors.
    other = IndexStore(make_settings(tmp_path / "data", chroma_url=chroma_server))
    assert other.vectors.ids() == index.catalog.chunk_ids()


def test_unreachable_server_is_a_clear_error(tmp_path):
    settings = make_settings(tmp_path / "data", chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(VectorStoreUnavailable, match="injoignable"):
        IndexStore(settings).vectors  # noqa: B018
