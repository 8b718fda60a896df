"""OpenAI compatibility, checked with the official `openai` client against a real uvicorn server."""

from __future__ import annotations

import uuid

import httpx
import openai
import pytest

from api.routers.openai_compat import ChatMessage, split_conversation, strip_sources
from assistant.services.users import UserStore, users_path
from tests.support.questions import PARTIAL_MISSING, PARTIAL_QUESTION
from tests.support.servers import running_server

QUESTION = "Quelle part des achats est orientée vers la fabrication française ?"


@pytest.fixture(scope="module")
def base_url(shared_settings):
    with running_server(shared_settings) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url, shared_settings) -> openai.OpenAI:
    # The client always sends its key as a bearer token: it must be a real API token (a wrong one is a 401).
    users = UserStore(users_path(shared_settings.data_dir))
    _, token = users.add(f"client-openai-{uuid.uuid4().hex[:8]}", "member")
    users.close()
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=token, timeout=120, max_retries=0)


def test_models(client):
    assert [m.id for m in client.models.list()] == ["alliance-assistant"]
    assert client.models.retrieve("alliance-assistant").owned_by


def test_chat_completion(client):
    completion = client.chat.completions.create(
        model="alliance-assistant", messages=[{"role": "system", "content": "Tu es utile."},
                                              {"role": "user", "content": QUESTION}], temperature=0.2)
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    answer, _, sources = choice.message.content.partition("\n\nSources :\n")
    assert "[1]" in answer and sources.startswith("[1] ") and "« " in sources


def test_chat_completion_streaming(client):
    stream = client.chat.completions.create(model="alliance-assistant", stream=True,
                                            messages=[{"role": "user", "content": QUESTION}])
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[-1].choices[0].finish_reason == "stop"
    contents = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    text = "".join(contents)
    assert len(contents) >= 2 and "[1]" in text and "\n\nSources :\n[1] " in text


def test_follow_up_uses_the_history(client):
    first = client.chat.completions.create(model="alliance-assistant",
                                           messages=[{"role": "user", "content": QUESTION}])
    previous = first.choices[0].message.content
    follow = client.chat.completions.create(model="alliance-assistant", messages=[
        {"role": "user", "content": QUESTION}, {"role": "assistant", "content": previous},
        {"role": "user", "content": [{"type": "text", "text": "Et pour les collectivités ?"}]}])
    assert follow.choices[0].message.content


def test_errors_are_french_and_openai_shaped(client, base_url):
    with pytest.raises(openai.UnprocessableEntityError) as empty:
        client.chat.completions.create(model="alliance-assistant", messages=[{"role": "user", "content": "  "}])
    assert "La question est vide" in empty.value.message
    with pytest.raises(openai.UnprocessableEntityError) as long:
        client.chat.completions.create(model="alliance-assistant", messages=[{"role": "user", "content": "x" * 2001}])
    assert "trop longue" in long.value.message
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="alliance-assistant", messages=[{"role": "system", "content": "Bonjour"}])
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4")
    raw = httpx.post(f"{base_url}/v1/chat/completions", json={"messages": []})
    assert raw.status_code == 422 and raw.json()["detail"].startswith("Paramètres invalides")


def test_history_is_split_from_the_messages():
    messages = [ChatMessage(role="system", content="s"), ChatMessage(role="user", content="q1"),
                ChatMessage(role="assistant", content="r1 [1].\n\nSources :\n[1] Doc — art. 1 (X) : « q »"),
                ChatMessage(role="user", content="q2")]
    question, history = split_conversation(messages)
    assert question == "q2" and len(history) == 1 and history[0].answer == "r1 [1]."
    assert strip_sources("texte") == "texte"


def test_a_partial_answer_says_what_is_missing_in_the_text_and_the_extension(client):
    """A plain client reads what the documents lack in the text; a program reads the status beside it."""
    completion = client.chat.completions.create(model="alliance-assistant",
                                                messages=[{"role": "user", "content": PARTIAL_QUESTION}])
    answer, _, sources = completion.choices[0].message.content.partition("\n\nSources :\n")
    extension = completion.model_extra["alliance"]
    assert extension["status"] == "partial" and extension["missing"]
    assert answer.endswith(" ".join(extension["missing"])) and PARTIAL_MISSING in answer
    assert "[1]" in answer and sources.startswith("[1] ")
    answered = client.chat.completions.create(model="alliance-assistant",
                                              messages=[{"role": "user", "content": QUESTION}])
    assert answered.model_extra["alliance"] == {"status": "answered", "missing": []}


def test_a_streamed_partial_answer_ends_with_its_status(client):
    chunks = list(client.chat.completions.create(model="alliance-assistant", stream=True,
                                                 messages=[{"role": "user", "content": PARTIAL_QUESTION}]))
    text = "".join(c.choices[0].delta.content for c in chunks if c.choices[0].delta.content)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    extension = last.model_extra["alliance"]
    assert extension["status"] == "partial" and extension["missing"]
    assert " ".join(extension["missing"]) + "\n\nSources :\n[1] " in text
    assert all("alliance" not in (c.model_extra or {}) for c in chunks[:-1])  # said once, at the end


def test_a_refusal_is_told_as_refused(client):
    completion = client.chat.completions.create(
        model="alliance-assistant", messages=[{"role": "user", "content": "Quelle est la recette de la tarte Tatin ?"}])
    assert completion.model_extra["alliance"] == {"status": "refused", "missing": []}
    assert "ne contiennent pas cette information" in completion.choices[0].message.content
