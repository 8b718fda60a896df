"""OpenAI-compatible endpoints, so that Open WebUI, LibreChat or the `openai` client use the assistant as a model.

The last user message is the question; earlier user/assistant pairs become the history used to
rewrite follow-ups. The answer keeps its [n] markers and is followed by a « Sources » block.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, Services, get_caller, get_services
from api.routers.ask import failure, search_filters
from assistant.answer.engine import AnswerEngine, QuestionError, check_question
from assistant.answer.models import Answer
from assistant.models import Turn
from assistant.models import reader_source
from assistant.index.filters import SearchFilters

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


def openai_error(status: int, message: str) -> JSONResponse:
    """An error both OpenAI clients (`error.message`) and our other clients (`detail`) understand."""
    kind = "invalid_request_error" if status < 500 else "service_unavailable"
    return JSONResponse(status_code=status, content={
        "error": {"message": message, "type": kind, "param": None, "code": status}, "detail": message})


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


def _chunk(cid: str, model: str, delta: dict, finish: str | None = None) -> str:
    payload = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def completion_chunks(engine: AnswerEngine, question: str, history: list[Turn], filters: SearchFilters,
                      model: str) -> Iterator[str]:
    """`chat.completion.chunk` events then `data: [DONE]` (pulled from Starlette's threadpool)."""
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    yield _chunk(cid, model, {"role": "assistant", "content": ""})
    streamed = ""
    try:
        for event in engine.stream(question, filters, history=history):
            if event.type == "delta":
                streamed += event.text
                yield _chunk(cid, model, {"content": event.text})
            elif event.answer is not None:
                answer = event.answer
                # An abstention has no delta: its text arrives with the final answer only.
                tail = ("" if streamed.strip() else answer.text) + sources_block(answer)
                yield _chunk(cid, model, {"content": tail})
        yield _chunk(cid, model, {}, finish="stop")
    except Exception as exc:  # noqa: BLE001 - mid-stream: an error event the openai client raises as APIError
        status, message = failure(exc)
        yield f"data: {json.dumps({'error': {'message': message, 'type': 'server_error', 'code': status}}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


@router.get("/models", summary="Modèles disponibles (compatible OpenAI)")
def models() -> dict:
    return {"object": "list", "data": [model_card()]}


@router.get("/models/{model_id}", summary="Un modèle (compatible OpenAI)")
def model(model_id: str):
    if model_id != MODEL_ID:
        return openai_error(404, f"Modèle inconnu : « {model_id} » (disponible : {MODEL_ID}).")
    return model_card()


def model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "alliance-fabrique-en-france"}


@router.post("/chat/completions", summary="Réponse sourcée au format chat OpenAI (flux ou non)")
def chat_completions(body: ChatRequest, request: Request, services: Services = Depends(get_services),
                     caller: Caller = Depends(get_caller)):
    try:
        question, history = split_conversation(body.messages)
        question = check_question(question)
        filters = search_filters(None, caller)
        engine = services.ready_engine()
    except QuestionError as exc:
        return openai_error(422, str(exc))
    except HTTPException as exc:
        return openai_error(exc.status_code, str(exc.detail))
    model_name = body.model or MODEL_ID
    if body.stream:
        return StreamingResponse(completion_chunks(engine, question, history, filters, model_name),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    try:
        answer = engine.ask(question, filters, history=history)
    except Exception as exc:  # noqa: BLE001 - mapped to a French 422/503
        return openai_error(*failure(exc))
    content = answer.text + sources_block(answer)
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": model_name,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}
