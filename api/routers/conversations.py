"""Conversation history for the sidebar of the chat."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from api.deps import Services, get_services
from assistant.answer.conversations import ConversationError, check_conversation_id
from assistant.answer.models import Answer

router = APIRouter(prefix="/api/conversations", tags=["conversations"])


class ConversationSummary(BaseModel):
    conversation_id: str
    title: str
    created_at: str
    updated_at: str
    n_messages: int


class Message(BaseModel):
    message_id: str
    seq: int
    question: str
    created_at: str
    answer: Answer


class Conversation(BaseModel):
    conversation_id: str
    title: str
    messages: list[Message]


# Conversations are not yet tied to a user: accounts (issue 7) will add an owner and filter on it here.
@router.get("", response_model=list[ConversationSummary], summary="Conversations récentes")
def list_conversations(limit: int = Query(50, ge=1, le=200), services: Services = Depends(get_services)):
    return services.conversations.list(limit=limit)


@router.get("/{conversation_id}", response_model=Conversation, summary="Messages d'une conversation",
            responses={404: {"description": "Conversation inconnue"}})
def get_conversation(conversation_id: str, services: Services = Depends(get_services)):
    try:
        cid = check_conversation_id(conversation_id)
    except ConversationError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    messages = services.conversations.messages(cid)
    if not messages:
        raise HTTPException(404, detail=f"Conversation inconnue : « {cid} ».")
    return Conversation(conversation_id=cid, title=messages[0]["question"][:120], messages=messages)
