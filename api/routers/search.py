from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Caller, Services, get_caller, get_services
from assistant.models import SearchHit
from assistant.index.filters import SearchFilters, filter_error_message
from assistant.index.vectorstore import VectorStoreUnavailable

router = APIRouter(prefix="/api", tags=["recherche"])


@router.get("/search", response_model=list[SearchHit])
def search(
    q: str = Query(..., min_length=1, max_length=2000, description="Question ou mots-clés"),
    k: int = Query(5, ge=1, le=50),
    doc_type: str | None = Query(None, description="Types de documents, séparés par des virgules"),
    date_from: str | None = Query(None, description="Documents datés à partir de AAAA-MM-JJ"),
    date_to: str | None = Query(None, description="Documents datés jusqu'à AAAA-MM-JJ"),
    services: Services = Depends(get_services),
    caller: Caller = Depends(get_caller),
) -> list[SearchHit]:
    if not q.strip():
        raise HTTPException(422, detail="La requête est vide.")
    try:
        # Only the audiences the caller may read (anonymous: public); roles come with accounts.
        filters = SearchFilters(doc_type=doc_type, audience=list(caller.audiences), date_from=date_from,
                                date_to=date_to)
    except ValueError as exc:
        raise HTTPException(422, detail=f"Filtre invalide : {filter_error_message(exc)}.") from exc
    searcher = services.ready_searcher()
    try:
        return searcher.search(q, k=k, filters=filters)
    except VectorStoreUnavailable as exc:
        raise HTTPException(503, detail=f"Service de recherche indisponible : {exc}") from exc
