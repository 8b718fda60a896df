"""POST /api/answers/docx: Word export of an answer, its sources as footnotes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import Caller, get_caller, get_container
from assistant.answer.models import Answer
from assistant.container import Container
from assistant.render.answer_docx import DOCX_MEDIA_TYPE, answer_docx, export_filename
from assistant.text.normalize import xml_safe

router = APIRouter(prefix="/api/answers", tags=["export"])


class ExportRequest(BaseModel):
    """Either a stored message (conversation_id + message_id) or an answer given in full."""

    conversation_id: str | None = Field(None, max_length=64)
    message_id: str | None = Field(None, max_length=64)
    answer: Answer | None = None


def stored_answer(container: Container, conversation_id: str, message_id: str, caller: Caller) -> Answer:
    cid = container.conversations.readable(conversation_id, caller.user_id)  # only the caller's own conversations
    for message in container.conversations.messages(cid):
        if message["message_id"] == message_id:
            return Answer.model_validate(message["answer"])
    raise HTTPException(404, detail=f"Message inconnu : « {message_id} » dans la conversation « {cid} ».")


# An answer sent by a client may contain characters a Word file (XML) cannot hold.


def _xml_safe(answer: Answer) -> Answer:
    def clean(value):
        if isinstance(value, str):
            return xml_safe(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return Answer.model_validate(clean(answer.model_dump()))


@router.post("/docx", summary="Exporter une réponse en Word (.docx, sources en notes de bas de page)",
             responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}, 404: {"description": "Message inconnu"}})
def export_docx(body: ExportRequest, container: Container = Depends(get_container),
                caller: Caller = Depends(get_caller)) -> Response:
    if body.answer is not None:
        answer = _xml_safe(body.answer)
    elif body.conversation_id and body.message_id:
        answer = stored_answer(container, body.conversation_id, body.message_id, caller)
    else:
        raise HTTPException(422, detail="Indiquez la réponse à exporter : conversation_id et message_id, ou answer.")
    name = export_filename(answer)
    return Response(answer_docx(answer), media_type=DOCX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
