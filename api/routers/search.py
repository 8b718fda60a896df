from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Services, get_services
from assistant.models import SearchHit
from assistant.retrieval.filters import SearchFilters
from assistant.index.vectorstore import VectorStoreUnavailable

router = APIRouter(prefix="/api", tags=["recherche"])


@router.get("/search", response_model=list[SearchHit])
def search(
    q: str = Query(..., min_length=1, max_length=2000, description="Question ou mots-clés"),
    k: int = Query(5, ge=1, le=50),
    doc_type: str | None = Query(None, description="Types de documents, séparés par des virgules"),
    services: Services = Depends(get_services),
) -> list[SearchHit]:
    if not q.strip():
        raise HTTPException(422, detail="La requête est vide.")
    searcher = services.ready_searcher()
    try:
        return searcher.search(q, k=k, filters=SearchFilters(doc_type=doc_type, audience=["public"]))
    except VectorStoreUnavailable as exc:
        raise HTTPException(503, detail=f"Service de recherche indisponible : {exc}") from exc
