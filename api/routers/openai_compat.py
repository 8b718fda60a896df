"""OpenAI-compatible endpoints, so that Open WebUI, LibreChat or the `openai` client use the assistant as a model.

The last user message is the question; earlier user/assistant pairs become the history used to
rewrite follow-ups. The answer keeps its [n] markers and is followed by a « Sources » block; a partial answer
ends with the sentences saying what the documents lack. For programs, the completion (or the last chunk of a
stream) also carries `alliance: {status, missing}`, a key OpenAI clients ignore.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, caller_filters, get_caller, get_container, ready_answers
from api.errors import engine_failures, problem
from assistant.answer.engine import Answering, QuestionError
from assistant.answer.models import Answer
from assistant.container import Container
from assistant.models import Turn, reader_source

router = APIRouter(prefix="/v1", tags=["compatible OpenAI"])

MODEL_ID = "alliance-assistant"
CREATED = 1767225600  # 2026-01-01: a fixed date, the model list must not change between calls
SOURCES_HEADING = "Sources :"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    # temperature, max_tokens, user… are accepted and ignored: the answer is grounded, not sampled.
    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(..., min_length=1)
    stream: bool = False


def strip_sources(text: str) -> str:
    """An earlier answer of ours without its Sources block (the history is used to rewrite follow-ups)."""
    return text.split(f"\n\n{SOURCES_HEADING}", 1)[0].strip()


def split_conversation(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """The question (last user message) and the earlier exchanges as turns."""
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    if not users:
        raise QuestionError("Aucun message de l'utilisateur : la question doit être le dernier message « user ».")
    last = users[-1]
    history: list[Turn] = []
    pending: str | None = None
    for message in messages[:last]:
        if message.role == "user":
            pending = message.text()
        elif message.role == "assistant" and pending is not None:
            history.append(Turn(question=pending, standalone_question=pending,
                                answer=strip_sources(message.text())))
            pending = None
    return messages[last].text(), history[-6:]


def _source(source: str) -> str:
    shown = reader_source(source)
    return f" ({shown})" if shown else ""


def sources_block(answer: Answer) -> str:
    """What follows the answer text: the cited passages, or nearby documents when the assistant abstains."""
    lines = []
    if answer.citations:
        lines.append(f"\n\n{SOURCES_HEADING}")
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.title} — {c.locator}{_source(c.source)} : « {c.quote.strip()} »")
    elif answer.suggestions:
        lines.append("\n\nDocuments proches à consulter :")
        lines.extend(f"- {s.title} — {s.locator}{_source(s.source)}" for s in answer.suggestions)
    if answer.notice:
        lines.append(f"\n\nRemarque : {answer.notice}")
    return "\n".join(lines)


def extension(answer: Answer) -> dict:
    """What a program needs beyond the text (answered, partial or refused, and what the documents lack), under
    one non-standard key: the text alone already tells a person, and clients drop keys they do not know."""
    return {"alliance": {"status": answer.status, "missing": answer.missing}}


def _chunk(cid: str, model: str, delta: dict, finish: str | None = None, extra: dict | None = None) -> str:
    payload = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **(extra or {})}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def completion_chunks(started: Answering, model: str) -> Iterator[str]:
    """`chat.completion.chunk` events then `data: [DONE]` (pulled from Starlette's threadpool)."""
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    yield _chunk(cid, model, {"role": "assistant", "content": ""})
    streamed = ""
    answer = None
    try:
        with engine_failures():
            for event in started.events:
                if event.type == "delta":
                    streamed += event.text
                    yield _chunk(cid, model, {"content": event.text})
                elif event.answer is not None:
                    answer = event.answer
                    # An abstention has no delta: its text arrives with the final answer only.
                    tail = ("" if streamed.strip() else answer.text) + sources_block(answer)
                    yield _chunk(cid, model, {"content": tail})
        yield _chunk(cid, model, {}, finish="stop", extra=extension(answer) if answer else None)
    except Exception as exc:  # noqa: BLE001 - mid-stream: an error event the openai client raises as APIError
        found = problem(exc)
        error = {"message": found.message, "type": "server_error", "code": found.status}
        yield f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


@router.get("/models", summary="Modèles disponibles (compatible OpenAI)")
def models() -> dict:
    return {"object": "list", "data": [model_card()]}


@router.get("/models/{model_id}", summary="Un modèle (compatible OpenAI)")
def model(model_id: str):
    if model_id != MODEL_ID:
        raise HTTPException(404, detail=f"Modèle inconnu : « {model_id} » (disponible : {MODEL_ID}).")
    return model_card()


def model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "alliance-fabrique-en-france"}


@router.post("/chat/completions", summary="Réponse sourcée au format chat OpenAI (flux ou non)")
def chat_completions(body: ChatRequest, container: Container = Depends(get_container),
                     caller: Caller = Depends(get_caller)):
    question, history = split_conversation(body.messages)
    # The client keeps the conversation: nothing is stored, the history comes with each request.
    started = ready_answers(container).start(question, caller_filters(caller), history=history)
    model_name = body.model or MODEL_ID
    if body.stream:
        return StreamingResponse(completion_chunks(started, model_name), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    with engine_failures():
        answer = started.answer()
    content = answer.text + sources_block(answer)
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": model_name,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, **extension(answer)}
