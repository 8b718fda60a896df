"""Clause generator API (thin: the logic lives in assistant.clauses).

POST /api/clauses          drafts for the buyer's context (JSON)
POST /api/clauses/docx     the same drafts as a Word document
POST /api/clauses/markdown the same drafts as Markdown
POST /api/clauses/lint     compliance findings on any text
GET  /api/clauses/types    the clause library
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field, ValidationError

from api.deps import Caller, allowed_to, get_container
from assistant.container import Container
from assistant.grounding.lint import summarize
from assistant.render.clauses_markdown import clauses_markdown
from assistant.clauses.models import ClauseRequest, ClauseSet, validation_message
from assistant.grounding.models import LintFinding
from assistant.render.clauses_docx import DOCX_MEDIA_TYPE, clauses_docx
from assistant.text.normalize import slugify

router = APIRouter(prefix="/api/clauses", tags=["clauses"])
MAX_LINT_CHARS = 100_000
_EXAMPLE = {"object": "fourniture de vêtements de travail pour les agents techniques", "amount": 180000,
            "types": ["propose"], "params": {"poids_prix": 40}}


class LintRequest(BaseModel):
    text: str = Field(..., description="Texte de la clause à vérifier")
    amount: float | None = Field(None, ge=0, description="Montant estimé HT, pour juger le chiffre d'affaires exigé")


class LintResponse(BaseModel):
    findings: list[LintFinding]
    erreurs: int
    avertissements: int


def _request(payload: Any) -> ClauseRequest:
    if not isinstance(payload, dict):
        raise HTTPException(422, detail="Le corps de la requête doit être un objet JSON (objet du marché, types, paramètres…).")
    try:
        return ClauseRequest.model_validate(payload)
    except ValidationError as exc:
        raise HTTPException(422, detail=f"Requête invalide : {validation_message(exc)}.") from exc


def _generate(container: Container, payload: Any, caller: Caller) -> ClauseSet:
    request = _request(payload)
    container.ready_searcher()
    # Guide excerpts are searched with the generator's own filters, restricted to the caller's audiences.
    return container.clauses.generate(request, audiences=caller.audiences)


@router.post("", response_model=ClauseSet, summary="Rédiger des clauses (ou les proposer) pour un marché")
def generate(payload: Any = Body(..., examples=[_EXAMPLE]), container: Container = Depends(get_container),
             caller: Caller = Depends(allowed_to("clauses"))) -> ClauseSet:
    return _generate(container, payload, caller)


@router.post("/docx", summary="Clauses au format Word (.docx)", responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}})
def generate_docx(payload: Any = Body(..., examples=[_EXAMPLE]), container: Container = Depends(get_container),
                  caller: Caller = Depends(allowed_to("clauses"))) -> Response:
    result = _generate(container, payload, caller)
    name = f"clauses-{slugify(result.request.object, 50, 'marche')}.docx"
    return Response(clauses_docx(result), media_type=DOCX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/markdown", response_class=PlainTextResponse, summary="Clauses au format Markdown")
def generate_markdown(payload: Any = Body(..., examples=[_EXAMPLE]), container: Container = Depends(get_container),
                      caller: Caller = Depends(allowed_to("clauses"))) -> str:
    return clauses_markdown(_generate(container, payload, caller))


@router.post("/lint", response_model=LintResponse, summary="Vérifier la conformité d'une clause")
def lint(body: LintRequest, container: Container = Depends(get_container)) -> LintResponse:
    if not body.text.strip():
        raise HTTPException(422, detail="Le texte à vérifier est vide.")
    if len(body.text) > MAX_LINT_CHARS:
        raise HTTPException(422, detail="Le texte à vérifier dépasse 100 000 caractères.")
    findings = container.linter.lint(body.text, amount=body.amount)
    return LintResponse(findings=findings, **summarize(findings))


@router.get("/types", summary="Bibliothèque des types de clauses")
def types(container: Container = Depends(get_container)) -> list[dict[str, Any]]:
    return [c.model_dump(exclude={"template"}) for c in container.clause_library]
