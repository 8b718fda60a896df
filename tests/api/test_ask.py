"""POST /api/ask (JSON and SSE), conversations, feedback and the Word export route, over the real index."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.render.footnotes import Footnotes, footnote_references
from assistant.services.feedback import FeedbackStore, feedback_path
from assistant.answer.conversations import ConversationStore
from tests.conftest import make_settings

QUESTION = "Quelle part des achats est orientée vers la fabrication française ?"


@pytest.fixture(scope="module")
def asked(client) -> dict:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    return response.json()


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        name = next(line[7:] for line in lines if line.startswith("event: "))
        data = "\n".join(line[6:] for line in lines if line.startswith("data: "))
        events.append((name, json.loads(data)))
    return events


def test_ask_returns_a_cited_answer(asked):
    assert not asked["abstained"] and asked["citations"]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", asked["text"])}
    assert markers and markers == {c["n"] for c in asked["citations"]}
    for c in asked["citations"]:
        assert c["quote"] and c["chunk_id"].startswith(c["doc_id"])
    assert asked["conversation_id"] and asked["message_id"]  # a conversation is created for the web UI
    assert asked["question"] == QUESTION and asked["latency_ms"] > 0


def test_ask_streams_server_sent_events(client):
    with client.stream("POST", "/api/ask", json={"question": QUESTION},
                       headers={"Accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "start" and names[-1] == "answer" and "delta" in names
    assert set(names) == {"start", "delta", "answer"}
    answer = events[-1][1]
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    assert streamed.strip() == answer["text"] and answer["citations"]
    assert answer["conversation_id"] == events[0][1]["conversation_id"]


def test_conversation_follow_up_and_history(client, asked):
    cid = asked["conversation_id"]
    follow = client.post("/api/ask", json={"question": "Et dans les collectivités ?", "conversation_id": cid})
    assert follow.status_code == 200 and follow.json()["conversation_id"] == cid
    listing = client.get("/api/conversations").json()
    mine = next(c for c in listing if c["conversation_id"] == cid)
    assert mine["n_messages"] == 2 and mine["title"] == QUESTION
    conversation = client.get(f"/api/conversations/{cid}").json()
    assert [m["question"] for m in conversation["messages"]] == [QUESTION, "Et dans les collectivités ?"]
    assert conversation["messages"][0]["answer"]["citations"]
    assert client.get("/api/conversations/inconnue").status_code == 404
    bad = client.get("/api/conversations/pas valide!")
    assert bad.status_code == 422 and "Identifiant de conversation invalide" in bad.json()["detail"]


@pytest.mark.parametrize("body, expected", [
    ({"question": ""}, "La question est vide"),
    ({"question": "   \n "}, "La question est vide"),
    ({"question": "x" * 2001}, "trop longue (2001 caractères)"),
    ({"question": QUESTION, "conversation_id": "../../etc"}, "Identifiant de conversation invalide"),
    ({"question": QUESTION, "filters": {"date_from": "hier"}}, "date invalide « hier »"),
    ({"question": QUESTION, "filters": {"audience": ["staff"]}}, "Paramètres invalides"),
    ({}, "Paramètres invalides : question"),
])
def test_ask_bad_input_is_french_422(client, body, expected):
    for headers in ({}, {"Accept": "text/event-stream"}):
        response = client.post("/api/ask", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert expected in response.json()["detail"]


def test_ask_filters_restrict_sources(client):
    answer = client.post("/api/ask", json={"question": "délai de paiement des marchés publics",
                                           "filters": {"doc_type": ["procurement_law"]}}).json()
    assert answer["retrieved"] and {h["doc_type"] for h in answer["retrieved"]} == {"procurement_law"}


def test_out_of_scope_question_abstains(client):
    answer = client.post("/api/ask", json={"question": "Quelle est la recette de la tarte Tatin ?"}).json()
    assert answer["abstained"] and not answer["citations"] and answer["reason"]


def test_feedback_is_stored_and_validated(client, asked, shared_settings):
    cid, mid = asked["conversation_id"], asked["message_id"]
    ok = client.post("/api/feedback", json={"conversation_id": cid, "message_id": mid, "rating": "up"})
    assert ok.status_code == 201 and ok.json()["status"] == "enregistré"
    again = client.post("/api/feedback", json={"conversation_id": cid, "message_id": mid, "rating": "down",
                                               "comment": "  Source trop ancienne.  "})
    assert again.status_code == 201
    store = FeedbackStore(feedback_path(shared_settings.data_dir), ConversationStore(shared_settings.conversations_path))
    rows = store.for_message(cid, mid)
    assert [(r["rating"], r["comment"]) for r in rows][-2:] == [("up", None), ("down", "Source trop ancienne.")]
    assert store.latest()[0]["rating"] == "down"  # append-only: the first rating is kept, the last one counts

    unknown = client.post("/api/feedback", json={"conversation_id": cid, "message_id": "nope", "rating": "up"})
    assert unknown.status_code == 404 and "Message inconnu" in unknown.json()["detail"]
    for body in ({"conversation_id": cid, "message_id": mid, "rating": "bof"},
                 {"conversation_id": cid, "message_id": mid, "rating": "up", "comment": "x" * 2001},
                 {"conversation_id": "a b", "message_id": mid, "rating": "up"}):
        response = client.post("/api/feedback", json=body)
        assert response.status_code == 422 and response.json()["detail"]


def test_word_export_of_a_stored_answer(client, asked):
    response = client.post("/api/answers/docx", json={"conversation_id": asked["conversation_id"],
                                                      "message_id": asked["message_id"]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="reponse-quelle-part-des-achats' in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    notes = Footnotes.of(document).texts()
    assert len(footnote_references(document)) == len(re.findall(r"\[\d+\]", asked["text"])) == len(notes)
    assert any(asked["citations"][0]["quote"].strip() in note for note in notes.values())


def test_word_export_of_a_posted_answer_and_errors(client, asked):
    assert client.post("/api/answers/docx", json={"answer": asked}).status_code == 200
    missing = client.post("/api/answers/docx", json={})
    assert missing.status_code == 422 and "Indiquez la réponse" in missing.json()["detail"]
    unknown = client.post("/api/answers/docx", json={"conversation_id": asked["conversation_id"], "message_id": "x"})
    assert unknown.status_code == 404


def test_openapi_lists_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/search", "/api/documents", "/api/documents/{doc_id}", "/api/feedback",
                 "/api/conversations", "/api/answers/docx", "/v1/chat/completions", "/v1/models", "/readyz"):
        assert path in paths, path
    assert client.get("/docs").status_code == 200


def test_missing_index_is_503_everywhere(tmp_path):
    with TestClient(create_app(make_settings(tmp_path / "vide"))) as c:
        for method, url, body in (("POST", "/api/ask", {"question": QUESTION}),
                                  ("GET", "/api/documents", None),
                                  ("GET", "/api/documents/x", None),
                                  ("POST", "/v1/chat/completions",
                                   {"model": "alliance-assistant", "messages": [{"role": "user", "content": QUESTION}]})):
            response = c.request(method, url, json=body)
            assert response.status_code == 503, url
            assert "assistant ingest" in response.json()["detail"]
