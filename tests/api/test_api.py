"""The web app over a real index: health, readiness, search, errors in French."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import make_settings


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["chunks"] > 800


def test_search_endpoint(client):
    response = client.get("/api/search", params={"q": "R2152-7", "k": 3})
    assert response.status_code == 200
    hits = response.json()
    assert len(hits) == 3 and hits[0]["locator"] == "R2152-7" and hits[0]["rank"] == 1
    only_press = client.get("/api/search", params={"q": "commande publique", "doc_type": "press_article"}).json()
    assert only_press and {h["doc_type"] for h in only_press} == {"press_article"}


def test_bad_requests_are_french_422(client):
    for params in ({"q": ""}, {"q": "   "}, {"q": "x" * 2001}, {"q": "lots", "k": 0}):
        response = client.get("/api/search", params=params)
        assert response.status_code == 422
        assert "requête" in response.json()["detail"].lower() or "paramètres" in response.json()["detail"].lower()


def test_every_validation_error_names_the_field_and_the_problem(client):
    broken = client.post("/api/ask", content=b'{"question": "seuils', headers={"Content-Type": "application/json"})
    assert broken.status_code == 422 and "n'est pas un JSON valide" in broken.json()["detail"]
    wrong = client.post("/api/ask", json={"question": 5})
    assert wrong.status_code == 422 and wrong.json()["detail"] == "Paramètres invalides : question : doit être un texte."
    absent = client.post("/api/ask", json={})
    assert absent.json()["detail"] == "Paramètres invalides : question : valeur obligatoire."


def test_bad_filters_are_french_422(client):
    response = client.get("/api/search", params={"q": "lots", "date_from": "hier"})
    assert response.status_code == 422 and "date invalide « hier »" in response.json()["detail"]
    recent = client.get("/api/search", params={"q": "Alliance", "date_from": "2026-01-01", "k": 10}).json()
    assert recent and all(h["date"] >= "2026" for h in recent)


def test_home_page(client):
    page = client.get("/")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Rechercher" in page.text
    # The API documentation works offline: /docs is ours, and ReDoc (which loads from a CDN) is not served.
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_missing_index_is_503(tmp_path):
    with TestClient(create_app(make_settings(tmp_path / "vide"))) as c:
        assert c.get("/readyz").status_code == 503
        response = c.get("/api/search", params={"q": "lots"})
        assert response.status_code == 503 and "assistant ingest" in response.json()["detail"]
