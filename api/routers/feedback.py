"""POST /api/feedback: thumbs up/down on an answer, with an optional comment."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from api.deps import Caller, Services, get_caller, get_services
from api.routers.conversations import owned_conversation
from assistant.feedback import Feedback, FeedbackError, UnknownMessage

router = APIRouter(prefix="/api", tags=["avis"])


class FeedbackStored(BaseModel):
    feedback_id: int
    status: str = "enregistré"


@router.post("/feedback", response_model=FeedbackStored, status_code=201, summary="Donner son avis sur une réponse",
             responses={404: {"description": "Message inconnu"}})
def give_feedback(body: Feedback, services: Services = Depends(get_services), caller: Caller = Depends(get_caller)):
    owned_conversation(services, body.conversation_id, caller)  # nobody rates someone else's answers
    try:
        return FeedbackStored(feedback_id=services.feedback.add(body))
    except FeedbackError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except UnknownMessage as exc:
        raise HTTPException(404, detail=str(exc)) from exc
