"""Clause generator interfaces: `assistant clause | clause-types | lint-clause` and /api/clauses*."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import make_settings, run_cli

CLOTHES = "fourniture de vêtements de travail pour les agents techniques"
UNLAWFUL = "Les vêtements doivent être fabriqués en France par une entreprise locale."
LAWFUL = "Les vêtements conservent leurs caractéristiques après 50 lavages industriels."
UNLAWFUL_OBJECT = "mobilier scolaire fabriqué en France auprès d'entreprises locales"


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_clause_types(cli_env):
    result = run_cli("clause-types", "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    types = json.loads(result.stdout)
    assert len(types) >= 15 and {"id", "title", "placement", "parameters", "legal_basis"} <= set(types[0])
    table = run_cli("clause-types", env=cli_env)
    assert table.returncode == 0 and "criteres-attribution" in table.stdout


def test_cli_lint_clause(cli_env, tmp_path):
    bad, good = tmp_path / "bad.txt", tmp_path / "good.md"
    bad.write_text(UNLAWFUL, encoding="utf-8")
    good.write_text(LAWFUL, encoding="utf-8")
    result = run_cli("lint-clause", str(bad), "--json", env=cli_env)
    assert result.returncode == 1
    assert [f["rule_id"] for f in json.loads(result.stdout)] == ["origine-nationale", "localisation-geographique"]
    text = run_cli("lint-clause", str(bad), env=cli_env)
    assert text.returncode == 1 and "« fabriqués en France »" in text.stdout and "L3" in text.stdout
    clean = run_cli("lint-clause", str(good), env=cli_env)
    assert clean.returncode == 0 and "Aucune non-conformité" in clean.stdout
    missing = run_cli("lint-clause", str(tmp_path / "absent.txt"), env=cli_env)
    assert missing.returncode == 2 and "fichier introuvable" in missing.stderr
    turnover = tmp_path / "ca.txt"
    turnover.write_text("Chiffre d'affaires annuel minimal exigé : 400 000 €.", encoding="utf-8")
    assert run_cli("lint-clause", str(turnover), "--amount", "200 000", env=cli_env).returncode == 1
    assert run_cli("lint-clause", str(turnover), "--amount", "300000", env=cli_env).returncode == 0


def test_cli_lint_reads_docx(cli_env, tmp_path):
    doc = Document()
    doc.add_paragraph("Ordinateurs portables de marque Dell Latitude.")
    path = tmp_path / "clause.docx"
    doc.save(str(path))
    result = run_cli("lint-clause", str(path), "--json", env=cli_env)
    assert result.returncode == 1 and json.loads(result.stdout)[0]["rule_id"] == "marque-sans-equivalent"


def test_cli_clause_with_exports(shared_settings, cli_env, tmp_path):
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    docx, md = tmp_path / "clauses.docx", tmp_path / "clauses.md"
    result = run_cli("clause", "--object", CLOTHES, "--type", "criteres-attribution", "--type", "insertion-heures",
                     "--param", "heures=350", "--amount", "180 000 €", "--acheteur", "Commune de Saint-Exemple",
                     "--json", "--docx", str(docx), "--markdown", str(md), env=cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["type_id"] for d in data["drafts"]] == ["criteres-attribution", "insertion-heures"]
    assert data["request"]["amount"] == 180_000
    insertion = data["drafts"][1]
    assert insertion["parameters"]["heures"] == 350 and "350 heures" in insertion["text"]
    assert {"L2112-2", "L2112-2-1"} <= {b["article_id"] for b in insertion["legal_basis"]}
    assert Document(str(docx)).paragraphs and "## Annexe — Fondements juridiques" in md.read_text(encoding="utf-8")
    assert "Document Word écrit" in result.stderr


def test_cli_clause_propose_and_errors(shared_settings, cli_env):
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    proposed = run_cli("clause", "--object", CLOTHES, "--type", "propose", env=cli_env)
    assert proposed.returncode == 0, proposed.stderr
    assert "Clauses proposées pour cet objet" in proposed.stdout and "Durabilité, réparabilité" in proposed.stdout
    assert "Projet — à valider par votre service juridique" in proposed.stdout
    bad = run_cli("clause", "--object", CLOTHES, "--type", "insertion-heures", "--param", "heures=beaucoup",
                  "--param", "mauvais", env=cli_env)
    assert bad.returncode == 2 and "mal formé" in bad.stderr
    bad = run_cli("clause", "--object", CLOTHES, "--type", "insertion-heures", "--param", "heures=beaucoup", env=cli_env)
    assert bad.returncode == 2 and "« beaucoup » n'est pas un nombre entier" in bad.stderr
    bad = run_cli("clause", "--object", " ", env=cli_env)
    assert bad.returncode == 2 and "objet du marché" in bad.stderr
    bad = run_cli("clause", "--object", CLOTHES, "--amount", "beaucoup", env=cli_env)
    assert bad.returncode == 2 and "montant invalide" in bad.stderr


def test_cli_clause_refuses_an_unlawful_object_with_its_lawful_wording(shared_settings, cli_env):
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    refused = run_cli("clause", "--object", UNLAWFUL_OBJECT, "--type", "criteres-attribution", env=cli_env)
    assert refused.returncode == 2 and "rédaction refusée" in refused.stderr
    assert "« fabriqué en France »" in refused.stderr and "« mobilier scolaire »" in refused.stderr
    assert "CCAP" not in refused.stdout  # nothing drafted


def test_cli_clause_without_index(cli_env):
    result = run_cli("clause", "--object", CLOTHES, env=cli_env)
    assert result.returncode == 1 and "assistant ingest" in result.stderr


# --- API ----------------------------------------------------------------------------------------

def test_api_types(client):
    response = client.get("/api/clauses/types")
    assert response.status_code == 200
    types = {t["id"]: t for t in response.json()}
    assert len(types) >= 15 and types["conventions-oit"]["placement"] == "CCAP"
    assert "template" not in types["conventions-oit"]


def test_api_generate_propose(client):
    response = client.post("/api/clauses", json={"object": CLOTHES, "amount": 180000})
    assert response.status_code == 200, response.text
    data = response.json()
    proposed = {p["type_id"] for p in data["proposals"]}
    assert {"durabilite-reparabilite", "contenu-recycle", "carbone-transport", "insertion-heures",
            "conventions-oit"} <= proposed
    for draft in data["drafts"]:
        assert draft["legal_basis"] and all(b["text"] for b in draft["legal_basis"])
        assert not [w for w in draft["warnings"] if w["code"].startswith("lint:")]


def test_api_docx_and_markdown(client):
    body = {"object": CLOTHES, "types": ["criteres-attribution", "durabilite-reparabilite"], "amount": 180000}
    response = client.post("/api/clauses/docx", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="clauses-fourniture-de-vetements-de-travail' in response.headers["content-disposition"]
    doc = Document(io.BytesIO(response.content))
    assert "Annexe — Fondements juridiques" in [p.text for p in doc.paragraphs]
    md = client.post("/api/clauses/markdown", json=body)
    assert md.status_code == 200 and md.text.startswith("# Projet de clauses")


def test_api_lint(client):
    response = client.post("/api/clauses/lint", json={"text": UNLAWFUL})
    assert response.status_code == 200
    data = response.json()
    assert data["erreurs"] == 2 and data["findings"][0]["quote"] == "fabriqués en France"
    assert client.post("/api/clauses/lint", json={"text": LAWFUL}).json()["findings"] == []
    high = {"text": "Chiffre d'affaires annuel minimal exigé : 400 000 €.", "amount": 200000}
    assert client.post("/api/clauses/lint", json=high).json()["findings"][0]["rule_id"] == "chiffre-affaires-disproportionne"


@pytest.mark.parametrize("path", ["/api/clauses", "/api/clauses/docx", "/api/clauses/markdown"])
def test_api_an_unlawful_request_is_refused_with_the_lawful_rewrite(client, path):
    body = {"object": UNLAWFUL_OBJECT, "types": ["criteres-attribution"], "lots": ["tables", "chaises de marque Dupont"]}
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    data = response.json()
    assert data["detail"].startswith("Rédaction refusée") and "L3" in data["detail"]
    assert {(c["field"], c["finding"]["rule_id"]) for c in data["constats"]} == {
        ("object", "origine-nationale"), ("object", "localisation-geographique"), ("lots.1", "marque-sans-equivalent")}
    assert data["reecriture"] == {"object": "mobilier scolaire", "lots": ["tables", "chaises"]}
    # The rewrite sent back is drafted.
    again = client.post(path, json={**body, **data["reecriture"]})
    assert again.status_code == 200, again.text


def test_api_a_warning_on_the_request_is_kept_above_the_drafts(client):
    body = {"object": CLOTHES, "types": ["criteres-attribution"],
            "params": {"critere_technique": "les offres sont jugées sur les critères suivants : prix, valeur technique"}}
    response = client.post("/api/clauses", json=body)
    assert response.status_code == 200, response.text
    (warning,) = response.json()["input_warnings"]
    assert warning["field"] == "params.critere_technique" and warning["finding"]["rule_id"] == "critere-sans-ponderation"


@pytest.mark.parametrize("path,body,fragment", [
    ("/api/clauses", {"object": ""}, "objet du marché"),
    ("/api/clauses", {"object": CLOTHES, "amount": -5}, "montant"),
    ("/api/clauses", {"object": CLOTHES, "procedure": "tirage au sort"}, "procédure inconnue « tirage au sort »"),
    ("/api/clauses", {"object": CLOTHES, "types": ["inconnue"]}, "type de clause inconnu"),
    ("/api/clauses", {"object": CLOTHES, "types": ["criteres-attribution"], "params": {"poids_prix": "x"}},
     "n'est pas un pourcentage"),
    ("/api/clauses", ["pas", "un", "objet"], "objet JSON"),
    ("/api/clauses/docx", {"object": CLOTHES, "types": ["criteres-attribution"], "params": {"poids_social": 50}},
     "somme des pondérations"),
    ("/api/clauses/lint", {"text": "   "}, "vide"),
    ("/api/clauses/lint", {"text": "x" * 100_001}, "100 000"),
    ("/api/clauses/lint", {"texte": "oubli du champ"}, "Paramètres invalides"),
])
def test_api_bad_input_is_french_422(client, path, body, fragment):
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert fragment in response.json()["detail"]


def test_api_missing_index_is_503(tmp_path):
    with TestClient(create_app(make_settings(tmp_path / "vide"))) as c:
        response = c.post("/api/clauses", json={"object": CLOTHES})
        assert response.status_code == 503 and "assistant ingest" in response.json()["detail"]
        assert c.post("/api/clauses/lint", json={"text": UNLAWFUL}).status_code == 200
