"""Partial answers (status `partial`, `missing`) through every edge of the web API, over the real index: JSON,
server-sent events, the stored conversation, the Word export and the rated answers staff review."""

from __future__ import annotations

import io
import os

import docx
import pytest

from assistant.answer.conversations import ConversationStore
from assistant.render.footnotes import footnote_references
from assistant.services.feedback import FeedbackStore, feedback_path
from tests.api.test_ask import QUESTION, sse_events
from tests.support.questions import PARTIAL_MISSING, PARTIAL_QUESTION

MISSING_HEADING = "Ce que les documents ne disent pas"


@pytest.fixture(scope="module")
def partial(client) -> dict:
    response = client.post("/api/ask", json={"question": PARTIAL_QUESTION})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_partial_answer_says_what_the_passages_say_and_what_they_lack(partial):
    assert partial["status"] == "partial" and not partial["abstained"] and partial["citations"]
    assert partial["missing"] and any(PARTIAL_MISSING in m for m in partial["missing"])
    # The missing sentences end the text, after the cited part, and are uncited framing.
    assert partial["text"].endswith(" ".join(partial["missing"]))
    assert set(partial["missing"]) <= set(partial["framing"])


def test_answered_and_refused_answers_carry_their_status(client):
    answered = client.post("/api/ask", json={"question": QUESTION}).json()
    assert answered["status"] == "answered" and answered["missing"] == []
    refused = client.post("/api/ask", json={"question": "Quelle est la recette de la tarte Tatin ?"}).json()
    assert refused["status"] == "refused" and refused["abstained"] and refused["missing"] == []


def test_the_streamed_answer_event_carries_status_and_missing(client):
    with client.stream("POST", "/api/ask", json={"question": PARTIAL_QUESTION},
                       headers={"Accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        events = sse_events(response.read().decode())
    assert events[-1][0] == "answer"
    answer = events[-1][1]
    assert answer["status"] == "partial" and answer["missing"]
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert "".join(deltas).strip() == answer["text"]
    assert deltas[-1].strip() == " ".join(answer["missing"])  # said last, once what the passages say is shown


def test_a_stored_partial_answer_reloads_as_partial(client, partial):
    conversation = client.get(f"/api/conversations/{partial['conversation_id']}").json()
    stored = conversation["messages"][0]["answer"]
    assert stored["status"] == "partial" and stored["missing"] == partial["missing"]
    assert stored["text"] == partial["text"]


def test_the_word_export_shows_what_is_missing_under_its_heading(client, partial):
    response = client.post("/api/answers/docx", json={"conversation_id": partial["conversation_id"],
                                                      "message_id": partial["message_id"]})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert any(t.startswith("Réponse partielle") for t in texts)
    heading = texts.index(MISSING_HEADING)
    assert paragraphs[heading].style.name == "Heading 2"
    listed = texts[heading + 1: heading + 1 + len(partial["missing"])]
    assert listed == partial["missing"]
    # Said once, under the heading: not also at the end of the cited text.
    body = "\n".join(texts)
    assert all(body.count(sentence) == 1 for sentence in partial["missing"])
    assert footnote_references(document)  # the cited part keeps its footnotes


def test_the_word_export_of_a_posted_partial_answer(client, partial):
    response = client.post("/api/answers/docx", json={"answer": partial})
    assert response.status_code == 200
    texts = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert MISSING_HEADING in texts and partial["missing"][0] in texts


def test_a_rated_partial_answer_is_reviewed_as_partial(client, partial, shared_settings):
    from tests.conftest import run_cli

    rated = client.post("/api/feedback", json={"conversation_id": partial["conversation_id"],
                                               "message_id": partial["message_id"], "rating": "down"})
    assert rated.status_code == 201
    store = FeedbackStore(feedback_path(shared_settings.data_dir), ConversationStore(shared_settings.conversations_path))
    mine = next(r for r in store.review("down") if r.message_id == partial["message_id"])
    assert mine.status == "partial" and mine.missing == partial["missing"] and not mine.abstained
    assert mine.answer == partial["text"]

    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shared_settings.data_dir), "COLUMNS": "250"}
    table = run_cli("feedback", "--limit", "5", env=env)
    assert table.returncode == 0, table.stderr
    assert "réponse partielle" in table.stdout
