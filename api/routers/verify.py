"""Fact-checking API (thin: the logic lives in assistant.factcheck).

POST /api/verify       the findings of a draft (pasted text, or a .txt/.md/.docx file in base64) as JSON
POST /api/verify/docx  the draft as a Word document, each checked claim carrying a comment

The draft is read in memory and never stored; only the passages the caller may read are used.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator

from api.deps import Caller, allowed_to, get_container, ready_fact_checker
from assistant.container import Container
from assistant.factcheck.models import FactCheck
from assistant.factcheck.reader import MAX_DRAFT_CHARS, MAX_FILE_BYTES, DraftError, checked, draft_text
from assistant.render.clauses_docx import DOCX_MEDIA_TYPE
from assistant.render.factcheck_docx import factcheck_docx

router = APIRouter(prefix="/api/verify", tags=["vérification d'un texte"])


class VerifyRequest(BaseModel):
    text: str | None = Field(None, max_length=MAX_DRAFT_CHARS, description="Le texte collé.")
    file_name: str | None = Field(None, max_length=300, description="Nom du fichier déposé (.txt, .md, .docx).")
    file_base64: str | None = Field(None, max_length=MAX_FILE_BYTES * 4 // 3 + 16,
                                    description="Contenu du fichier, encodé en base64.")

    @model_validator(mode="after")
    def _one_draft(self) -> "VerifyRequest":
        if not (self.text and self.text.strip()) and not self.file_base64:
            raise ValueError("donnez le texte à vérifier (text) ou un fichier (file_name et file_base64)")
        if self.file_base64 and not self.file_name:
            raise ValueError("file_name est requis avec file_base64 (son extension dit le format)")
        return self

    def draft(self) -> str:
        if self.file_base64:
            try:
                data = base64.b64decode(self.file_base64, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise DraftError("Le fichier transmis n'est pas un base64 valide.") from exc
            return draft_text(self.file_name or "", data)
        return checked(self.text or "")


def _check(request: VerifyRequest, container: Container, caller: Caller) -> FactCheck:
    draft = request.draft()  # a bad draft is refused before the index is opened
    return ready_fact_checker(container).check(draft, audiences=caller.audiences)


@router.post("", response_model=FactCheck, summary="Vérifier les chiffres, citations et attributions d'un texte")
def verify(request: VerifyRequest, container: Container = Depends(get_container),
           caller: Caller = Depends(allowed_to("verify"))) -> FactCheck:
    """Chaque chiffre, citation et attribution du texte, comparé aux documents : confirmé, différent, introuvable,
    attribué à tort ou ancien, avec la source et la correction mot pour mot. Le texte n'est pas conservé."""
    return _check(request, container, caller)


@router.post("/docx", response_class=Response,
             responses={200: {"content": {DOCX_MEDIA_TYPE: {}}, "description": "Document Word commenté"}})
def verify_as_docx(request: VerifyRequest, container: Container = Depends(get_container),
                   caller: Caller = Depends(allowed_to("verify"))) -> Response:
    report = _check(request, container, caller)
    return Response(factcheck_docx(report), media_type=DOCX_MEDIA_TYPE, headers={
        "Content-Disposition": 'attachment; filename="texte-verifie.docx"'})
