"""GET /api/search: the passages that best match a query, among those the caller may read."""

from fastapi import APIRouter, Depends, Query

from api.deps import Caller, caller_filters, get_caller, get_container, non_empty
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
    query, filters = non_empty(q), caller_filters(caller, doc_type, date_from, date_to)
    return container.ready_searcher().search(query, k=k, filters=filters)
