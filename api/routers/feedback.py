"""POST /api/feedback: thumbs up/down on an answer, with an optional comment; GET /api/admin/feedback: the
rated answers, for staff."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from api.deps import Caller, Services, get_caller, get_services, require_role
from api.routers.conversations import owned_conversation
from assistant.services.feedback import Feedback, FeedbackError, RatedAnswer, UnknownMessage

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


@router.get("/admin/feedback", response_model=list[RatedAnswer], summary="Réponses notées par les utilisateurs",
            tags=["administration des documents"])
def rated_answers(rating: Literal["up", "down", "tous"] = Query("down"), limit: int = Query(100, ge=1, le=1000),
                  services: Services = Depends(get_services), _: Caller = Depends(require_role("staff", "admin"))):
    """The latest rating of each rated answer with its question, answer and comment (staff and admins)."""
    return services.feedback.review(None if rating == "tous" else rating, limit)
