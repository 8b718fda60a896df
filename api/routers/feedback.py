"""POST /api/feedback: thumbs up/down on an answer, with an optional comment; GET /api/admin/feedback: the
rated answers, for staff."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.deps import Caller, get_caller, get_container, require_role
from assistant.container import Container
from assistant.services.feedback import Feedback, RatedAnswer

router = APIRouter(prefix="/api", tags=["avis"])


class FeedbackStored(BaseModel):
    feedback_id: int
    status: str = "enregistré"


@router.post("/feedback", response_model=FeedbackStored, status_code=201, summary="Donner son avis sur une réponse",
             responses={404: {"description": "Message inconnu"}})
def give_feedback(body: Feedback, container: Container = Depends(get_container),
                  caller: Caller = Depends(get_caller)):
    container.conversations.readable(body.conversation_id, caller.user_id)  # nobody rates someone else's answers
    return FeedbackStored(feedback_id=container.feedback.add(body))


@router.get("/admin/feedback", response_model=list[RatedAnswer], summary="Réponses notées par les utilisateurs",
            tags=["administration des documents"])
def rated_answers(rating: Literal["up", "down", "tous"] = Query("down"), limit: int = Query(100, ge=1, le=1000),
                  container: Container = Depends(get_container),
                  _: Caller = Depends(require_role("staff", "admin"))):
    """The latest rating of each rated answer with its question, answer and comment (staff and admins)."""
    return container.feedback.review(None if rating == "tous" else rating, limit)
