"""POST /api/verify and /api/verify/docx over the shared index: pasted text, a .docx sent in base64, the Word
export with one comment per checked claim (re-read with python-docx), French refusals of bad input."""

from __future__ import annotations

import base64
import io

import docx

DRAFT = ("Aujourd'hui, seuls 27 % des achats vont à la fabrication française.\n\n"
         "La commande publique pèse chaque année plus de 100 milliards d'euros.")


def _docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_pasted_text(client):
    response = client.post("/api/verify", json={"text": DRAFT})
    assert response.status_code == 200, response.text
    report = response.json()
    assert [(f["claim"], f["status"]) for f in report["findings"]] == [
        ("27 %", "different"), ("100 milliards d'euros", "confirmed")]
    assert report["summary"] == "2 chiffres : 1 confirmé, 1 différent"
    assert report["findings"][0]["suggestion"] == "22 %"
    assert report["paragraphs"] == DRAFT.split("\n\n")


def test_a_word_draft_in_base64(client):
    data = base64.b64encode(_docx_bytes(*DRAFT.split("\n\n"))).decode()
    report = client.post("/api/verify", json={"file_name": "tribune.docx", "file_base64": data}).json()
    assert [f["status"] for f in report["findings"]] == ["different", "confirmed"]


def test_word_export_carries_one_comment_per_claim(client):
    response = client.post("/api/verify/docx", json={"text": DRAFT})
    assert response.status_code == 200
    assert 'filename="texte-verifie.docx"' in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    comments = list(document.comments)
    assert len(comments) == 2
    assert comments[0].text.startswith("Différent dans les sources")
    assert "Selon la source : 22 %" in comments[0].text
    assert comments[1].text.startswith("Confirmé")
    body = "\n".join(p.text for p in document.paragraphs)
    # The draft is reproduced as written: nothing corrected silently.
    assert "seuls 27 % des achats" in body and "2 chiffres : 1 confirmé, 1 différent" in body
    flagged = [r for p in document.paragraphs for r in p.runs if r.text == "27 %"]
    assert flagged and flagged[0].bold


def test_bad_input_is_refused_in_french(client):
    cases = [
        ({}, "donnez le texte à vérifier"),
        ({"text": "   "}, "donnez le texte à vérifier"),
        ({"file_name": "note.docx", "file_base64": "%%%"}, "base64 valide"),
        ({"file_name": "note.pdf", "file_base64": base64.b64encode(b"%PDF-1.4").decode()}, "Format non pris en charge"),
        ({"file_name": "note.docx", "file_base64": base64.b64encode(b"abime").decode()}, "Document Word illisible"),
        ({"file_base64": "YQ=="}, "file_name est requis"),
    ]
    for body, words in cases:
        response = client.post("/api/verify", json=body)
        assert response.status_code == 422, (body, response.text)
        assert words in response.json()["detail"], (body, response.json())


def test_a_text_without_claims(client):
    report = client.post("/api/verify", json={"text": "Nous croyons à l'industrie française."}).json()
    assert report["findings"] == [] and report["summary"].startswith("Aucun chiffre")


def test_quotations_endpoint(client):
    every = client.get("/api/quotations").json()
    assert every and all({"text", "speaker", "role", "doc_id"} <= set(q) for q in every)
    festou = client.get("/api/quotations", params={"q": "festou"}).json()
    assert festou and all(q["speaker"] == "André Festou" for q in festou)
