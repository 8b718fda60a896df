"""GET /api/figures: key figures (number, unit, what it measures, sentence, source, attribution);
GET /api/quotations: the documents' attributed quotations (words, speaker, role, source)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Caller, get_caller, get_container, non_empty, ready_figures
from assistant.container import Container
from assistant.figures.models import FIGURE_KINDS, FigureHit, Quotation
from assistant.text.normalize import fold
from assistant.models import DOC_TYPES

router = APIRouter(prefix="/api", tags=["chiffres clés"])


def _split(value: str | None, allowed: tuple[str, ...], name: str) -> list[str] | None:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown:
        raise HTTPException(422, detail=f"Filtre invalide : {name} inconnu ({', '.join(unknown)}) ; "
                                        f"valeurs possibles : {', '.join(allowed)}.")
    return items or None


@router.get("/figures", response_model=list[FigureHit])
def figures(
    q: str = Query(..., min_length=1, max_length=2000, description="Sujet recherché"),
    k: int = Query(10, ge=1, le=100),
    doc_type: str | None = Query(None, description="Types de documents, séparés par des virgules"),
    kind: str | None = Query(None, description="percent, amount, jobs, count, date, ratio (virgules)"),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[FigureHit]:
    query = non_empty(q)
    types = _split(doc_type, DOC_TYPES, "type de document")
    kinds = _split(kind, FIGURE_KINDS, "nature de chiffre")
    # Only the audiences the caller may read (anonymous: public), as for /api/search.
    return ready_figures(container).search(query, k=k, doc_type=types, audiences=list(caller.audiences), kind=kinds)


@router.get("/quotations", response_model=list[Quotation])
def quotations(
    q: str | None = Query(None, max_length=300, description="Mots de la citation ou nom de la personne (facultatif)"),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[Quotation]:
    """Les citations des documents avec la personne qui les dit et son rôle, extraites à l'indexation."""
    found = ready_figures(container).quotations(list(caller.audiences))
    if q and q.strip():
        wanted = fold(q.strip())
        found = [c for c in found if wanted in fold(f"{c.speaker} {c.role} {c.text}")]
    return found
