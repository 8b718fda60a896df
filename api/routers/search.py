from fastapi import APIRouter, Depends, HTTPException, Query

from api.deps import Caller, caller_filters, get_caller, get_container
from assistant.container import Container
from assistant.models import SearchHit

router = APIRouter(prefix="/api", tags=["recherche"])


@router.get("/search", response_model=list[SearchHit])
def search(
    q: str = Query(..., min_length=1, max_length=2000, description="Question ou mots-clés"),
    k: int = Query(5, ge=1, le=50),
    doc_type: str | None = Query(None, description="Types de documents, séparés par des virgules"),
    date_from: str | None = Query(None, description="Documents datés à partir de AAAA-MM-JJ"),
    date_to: str | None = Query(None, description="Documents datés jusqu'à AAAA-MM-JJ"),
    container: Container = Depends(get_container),
    caller: Caller = Depends(get_caller),
) -> list[SearchHit]:
    if not q.strip():
        raise HTTPException(422, detail="La requête est vide.")
    filters = caller_filters(caller, doc_type, date_from, date_to)
    return container.ready_searcher().search(q, k=k, filters=filters)
