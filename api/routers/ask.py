"""POST /api/ask: a grounded answer as JSON, or streamed as server-sent events."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Caller, Services, get_caller, get_services
from api.routers.conversations import claim_conversation
from assistant.answer.conversations import ConversationError, ConversationStore, check_conversation_id
from assistant.answer.engine import AnswerEngine, QuestionError, check_question
from assistant.answer.models import Answer
from assistant.index.embeddings import EmbedderError
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.index.filters import SearchFilters, filter_error_message

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["réponses"])

ENGINE_FAILED = "Le moteur de réponses a rencontré une erreur inattendue : réessayez dans un instant."


class AskFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: list[str] | str | None = Field(None, description="Types de documents (liste ou texte séparé par des virgules)")
    date_from: str | None = Field(None, description="Documents datés à partir de AAAA-MM-JJ")
    date_to: str | None = Field(None, description="Documents datés jusqu'à AAAA-MM-JJ")


class AskRequest(BaseModel):
    question: str = Field(..., description="Question en français (2 000 caractères au plus)")
    conversation_id: str | None = Field(None, description="Conversation à poursuivre ; une nouvelle est créée sinon")
    filters: AskFilters | None = None


def search_filters(filters: AskFilters | None, caller: Caller) -> SearchFilters:
    """The caller's filters, always restricted to the audiences the caller may read."""
    try:
        f = filters or AskFilters()
        return SearchFilters(doc_type=f.doc_type, audience=list(caller.audiences), date_from=f.date_from,
                             date_to=f.date_to)
    except ValueError as exc:
        raise HTTPException(422, detail=f"Filtre invalide : {filter_error_message(exc)}.") from exc


def checked(question: str, conversation_id: str | None) -> tuple[str, str]:
    """Validated question and conversation id (a new conversation when none is given), or a French 422."""
    try:
        question = check_question(question)
        cid = check_conversation_id(conversation_id) if conversation_id is not None else ConversationStore.new_id()
    except (QuestionError, ConversationError) as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    return question, cid


def failure(exc: Exception) -> tuple[int, str]:
    """Status and French message for an error raised while answering (never a 500)."""
    if isinstance(exc, (QuestionError, ConversationError)):
        return 422, str(exc)
    if isinstance(exc, (VectorStoreUnavailable, EmbedderError)):
        return 503, f"Service de recherche indisponible : {exc}"
    log.exception("answer engine failed", exc_info=exc)
    return 503, ENGINE_FAILED


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_events(engine: AnswerEngine, question: str, filters: SearchFilters, cid: str) -> Iterator[str]:
    """SSE stream: `start`, `delta`* (verified text), then `answer` (full Answer) or `error`.

    A sync generator: Starlette pulls it from its threadpool, so the CPU-bound engine never blocks the
    event loop.
    """
    yield sse("start", {"conversation_id": cid, "question": question})
    try:
        for event in engine.stream(question, filters, conversation_id=cid):
            if event.type == "delta":
                yield sse("delta", {"text": event.text})
            elif event.answer is not None:
                yield sse("answer", event.answer.model_dump(mode="json"))
    except Exception as exc:  # noqa: BLE001 - the stream has started: report the error as an event
        status, detail = failure(exc)
        yield sse("error", {"status": status, "detail": detail})


@router.post("/ask", response_model=Answer, summary="Poser une question (réponse sourcée)",
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "Answer JSON, ou flux SSE (start, delta, answer, error) si "
                                             "`Accept: text/event-stream`"}})
def ask(body: AskRequest, request: Request, services: Services = Depends(get_services),
        caller: Caller = Depends(get_caller)):
    question, cid = checked(body.question, body.conversation_id)
    filters = search_filters(body.filters, caller)
    engine = services.ready_engine()
    claim_conversation(services, cid, caller, question)  # someone else's conversation: 404
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(answer_events(engine, question, filters, cid), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    try:
        return engine.ask(question, filters, conversation_id=cid)
    except Exception as exc:  # noqa: BLE001 - mapped to a French 422/503
        status, detail = failure(exc)
        raise HTTPException(status, detail=detail) from exc
