"""GET /api/thresholds: the Code's thresholds read from the indexed articles (amount, comparison, contracts,
conditions, consequence, article and sentence)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Caller, get_caller, get_container
from assistant.container import Container
from assistant.thresholds.caps import Limit
from assistant.thresholds.models import CaseWithoutAmount, Threshold
from assistant.thresholds.table import aspect_ids

router = APIRouter(prefix="/api", tags=["seuils"])


@router.get("/thresholds", response_model=list[Threshold])
def thresholds(
    aspect: str | None = Query(None, description="Ce que décide le seuil : ecrit, publicite, avance…"),
    article: str | None = Query(None, max_length=20, description="Un article du Code (« R2122-8 »)."),
    missing: bool | None = Query(None, description="true : seuils dont la valeur n'est pas dans les documents ; "
                                                   "false : seuils chiffrés."),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[Threshold]:
    if aspect and aspect not in aspect_ids():
        raise HTTPException(422, detail=f"Aspect inconnu « {aspect} » ; valeurs possibles : {', '.join(aspect_ids())}.")
    container.ready_documents()  # IndexMissing (mapped to a French 503) before any read
    rows = container.thresholds.select(aspect=aspect, article=article, missing=missing)
    return [t for t in rows if t.audience in caller.audiences]


@router.get("/limits", response_model=list[Limit])
def limits(
    article: str | None = Query(None, max_length=20, description="Un article du Code (« R2191-33 »)."),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[Limit]:
    """Les limites que le Code fixe à ce que prévoit l'acheteur (un taux, un multiple du montant, une durée)."""
    container.ready_documents()
    rows = container.thresholds.limits()
    if article:
        rows = [l for l in rows if l.article.upper() == article.upper()]
    return [l for l in rows if l.audience in caller.audiences]


@router.get("/thresholds/cases", response_model=list[CaseWithoutAmount])
def cases(
    aspect: str | None = Query(None, description="Ce que permet le cas : dispense, procedure…"),
    article: str | None = Query(None, max_length=20, description="Un article du Code (« R2122-3 »)."),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[CaseWithoutAmount]:
    """Les cas où un article permet, quel que soit le montant, ce qu'un seuil permet en dessous d'un montant (une
    urgence impérieuse, une œuvre d'art unique…), avec les mots qui les font reconnaître dans une question."""
    if aspect and aspect not in aspect_ids():
        raise HTTPException(422, detail=f"Aspect inconnu « {aspect} » ; valeurs possibles : {', '.join(aspect_ids())}.")
    container.ready_documents()
    return [c for c in container.thresholds.cases() if (not aspect or c.aspect == aspect)
            and (not article or c.article.upper() == article.upper()) and c.audience in caller.audiences]
