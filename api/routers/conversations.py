"""Conversation history for the sidebar of the chat."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from api.deps import Caller, Services, get_caller, get_services
from assistant.answer.conversations import ConversationError, ConversationNotYours, check_conversation_id
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


def claim_conversation(services: Services, conversation_id: str, caller: Caller, title: str) -> None:
    """Before answering in a conversation: it must be new or the caller's own, else a French 404."""
    try:
        services.conversations.claim(conversation_id, caller.user_id, title)
    except ConversationNotYours as exc:
        raise HTTPException(404, detail=str(exc)) from exc


def owned_conversation(services: Services, conversation_id: str, caller: Caller) -> str:
    """The checked id of a conversation the caller may read; someone else's is as unknown as a missing one."""
    try:
        cid = check_conversation_id(conversation_id)
    except ConversationError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    if not services.conversations.visible(cid, caller.user_id):
        raise HTTPException(404, detail=f"Conversation inconnue : « {cid} ».")
    return cid


# Each account sees only its own conversations; anonymous visitors share the anonymous ones, which can
# only cite public documents.
@router.get("", response_model=list[ConversationSummary], summary="Conversations récentes")
def list_conversations(limit: int = Query(50, ge=1, le=200), services: Services = Depends(get_services),
                       caller: Caller = Depends(get_caller)):
    return services.conversations.list(limit=limit, owner=caller.user_id)


@router.get("/{conversation_id}", response_model=Conversation, summary="Messages d'une conversation",
            responses={404: {"description": "Conversation inconnue"}})
def get_conversation(conversation_id: str, services: Services = Depends(get_services),
                     caller: Caller = Depends(get_caller)):
    cid = owned_conversation(services, conversation_id, caller)
    messages = services.conversations.messages(cid)
    if not messages:
        raise HTTPException(404, detail=f"Conversation inconnue : « {cid} ».")
    return Conversation(conversation_id=cid, title=messages[0]["question"][:120], messages=messages)
