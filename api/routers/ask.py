"""POST /api/ask: a grounded answer as JSON, or streamed as server-sent events."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, caller_filters, get_caller, get_container, ready_answers
from api.errors import engine_failures, problem
from assistant.answer.conversations import ConversationStore
from assistant.answer.engine import Answering
from assistant.answer.models import Answer
from assistant.container import Container

router = APIRouter(prefix="/api", tags=["réponses"])


class AskFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: list[str] | str | None = Field(None, description="Types de documents (liste ou texte séparé par des virgules)")
    date_from: str | None = Field(None, description="Documents datés à partir de AAAA-MM-JJ")
    date_to: str | None = Field(None, description="Documents datés jusqu'à AAAA-MM-JJ")


class AskRequest(BaseModel):
    question: str = Field(..., description="Question en français (2 000 caractères au plus)")
    conversation_id: str | None = Field(None, description="Conversation à poursuivre ; une nouvelle est créée sinon")
    filters: AskFilters | None = None


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(started: Answering) -> Iterator[str]:
    """SSE stream: `start`, `delta`* (verified text), then `answer` (full Answer) or `error`.

    A sync generator: Starlette pulls it from its threadpool, so the CPU-bound engine never blocks the
    event loop.
    """
    yield sse("start", {"conversation_id": started.conversation_id, "question": started.question})
    try:
        with engine_failures():
            for event in started.events:
                if event.type == "delta":
                    yield sse("delta", {"text": event.text})
                elif event.answer is not None:
                    yield sse("answer", event.answer.model_dump(mode="json"))
    except Exception as exc:  # noqa: BLE001 - the stream has started: the error's status is told as an event
        found = problem(exc)
        yield sse("error", {"status": found.status, "detail": found.message})


@router.post("/ask", response_model=Answer, summary="Poser une question (réponse sourcée)",
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "Answer JSON, ou flux SSE (start, delta, answer, error) si "
                                             "`Accept: text/event-stream`"}})
def ask(body: AskRequest, request: Request, container: Container = Depends(get_container),
        caller: Caller = Depends(get_caller)):
    filters = body.filters or AskFilters()
    filters = caller_filters(caller, filters.doc_type, filters.date_from, filters.date_to)
    # Every question of a web caller is stored, in its own conversation: someone else's is a 404.
    cid = body.conversation_id if body.conversation_id is not None else ConversationStore.new_id()
    started = ready_answers(container).start(body.question, filters, conversation_id=cid, owner=caller.user_id)
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(answer_events(started), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    with engine_failures():
        return started.answer()
