"""Documents: listing, view with passage anchors, original file without path traversal, French 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def documents(client) -> list[dict]:
    response = client.get("/api/documents")
    assert response.status_code == 200
    return response.json()


def test_listing(client, documents):
    assert len(documents) > 50
    first = documents[0]
    assert {"doc_id", "title", "doc_type", "source", "audience", "n_chunks", "format", "raw_available"} <= set(first)
    assert "path" not in first  # the server's file layout is not exposed
    assert all(d["audience"] == "public" for d in documents)
    laws = client.get("/api/documents", params={"doc_type": "procurement_law"}).json()
    assert laws and {d["doc_type"] for d in laws} == {"procurement_law"}


def test_view_has_anchors_per_passage(client, documents):
    doc = max(documents, key=lambda d: d["n_chunks"])
    view = client.get(f"/api/documents/{doc['doc_id']}")  # doc ids contain "/"
    assert view.status_code == 200
    data = view.json()
    assert data["title"] == doc["title"] and len(data["chunks"]) == doc["n_chunks"]
    assert [c["ord"] for c in data["chunks"]] == sorted(c["ord"] for c in data["chunks"])
    for chunk in data["chunks"]:
        assert chunk["anchor"] == f"chunk-{chunk['chunk_id']}" and chunk["text"] and chunk["locator"]


def test_search_hit_opens_at_its_passage(client):
    hit = client.get("/api/search", params={"q": "R2152-7", "k": 1}).json()[0]
    view = client.get(f"/api/documents/{hit['doc_id']}").json()
    assert any(c["chunk_id"] == hit["chunk_id"] and c["text"] == hit["text"] for c in view["chunks"])


def test_raw_serves_the_recorded_file_only(client, documents, shared_settings):
    doc = next(d for d in documents if d["format"] == "md")
    raw = client.get(f"/api/documents/{doc['doc_id']}/raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("text/markdown")
    assert raw.headers["content-security-policy"].startswith("sandbox")
    assert raw.headers["x-content-type-options"] == "nosniff"
    from assistant.index.catalog import Catalog

    recorded = Catalog(shared_settings.catalog_path).document(doc["doc_id"])["path"]
    assert raw.content == Path(recorded).read_bytes()


@pytest.mark.parametrize("doc_id", ["inconnu", "../../../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                                    "/etc/passwd", "alliance/../../../etc/passwd"])
def test_unknown_or_traversal_is_french_404(client, doc_id):
    for suffix in ("", "/raw"):
        response = client.get(f"/api/documents/{doc_id}{suffix}")
        assert response.status_code == 404, (doc_id, suffix)
        assert "inconnu" in response.json().get("detail", "").lower()


def test_raw_file_deleted_after_ingest_is_404(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "note-interne.md"
    note.write_text("---\ntitle: Note de test\ndoc_type: note\n---\n\n# Objet\n\nLe fabriqué en France "
                    "soutient l'emploi industriel dans les territoires.\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data")
    index = IndexStore(settings)
    Ingestor(index).run([folder])
    index.close()
    with TestClient(create_app(settings)) as c:
        doc = c.get("/api/documents").json()[0]
        assert doc["raw_available"] and c.get(f"/api/documents/{doc['doc_id']}/raw").status_code == 200
        note.unlink()
        gone = c.get(f"/api/documents/{doc['doc_id']}/raw")
        assert gone.status_code == 404 and "n'est plus disponible" in gone.json()["detail"]
        assert c.get(f"/api/documents/{doc['doc_id']}").status_code == 200  # the indexed text remains readable
        assert c.get("/api/documents").json()[0]["raw_available"] is False


def test_document_page_is_served(client, documents):
    page = client.get(f"/documents/{documents[0]['doc_id']}")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "/static/document.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
