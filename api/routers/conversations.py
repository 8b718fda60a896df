"""Conversation history for the sidebar of the chat."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.deps import Caller, get_caller, get_container
from assistant.answer.conversations import unknown_conversation
from assistant.answer.models import Answer
from assistant.container import Container

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


# Each account sees only its own conversations; anonymous visitors share the anonymous ones, which can
# only cite public documents.
@router.get("", response_model=list[ConversationSummary], summary="Conversations récentes")
def list_conversations(limit: int = Query(50, ge=1, le=200), container: Container = Depends(get_container),
                       caller: Caller = Depends(get_caller)):
    return container.conversations.list(limit=limit, owner=caller.user_id)


@router.get("/{conversation_id}", response_model=Conversation, summary="Messages d'une conversation",
            responses={404: {"description": "Conversation inconnue"}})
def get_conversation(conversation_id: str, container: Container = Depends(get_container),
                     caller: Caller = Depends(get_caller)):
    cid = container.conversations.readable(conversation_id, caller.user_id)
    messages = container.conversations.messages(cid)
    if not messages:  # claimed by a question that was never answered
        raise unknown_conversation(cid)
    return Conversation(conversation_id=cid, title=messages[0]["question"][:120], messages=messages)
