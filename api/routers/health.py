from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import get_container
from api.errors import problem
from assistant.container import Container
from assistant.index.embeddings import EmbedderError
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.statedb import StateDBUnavailable, ping

router = APIRouter(tags=["santé"])


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(container: Container = Depends(get_container)):
    counts = container.index.catalog.counts()
    if not counts["chunks"]:
        return JSONResponse(status_code=503, content={
            "status": "indisponible", **counts,
            "detail": "Index vide : lancez `assistant ingest corpus` (ou `make run`)."})
    # A replica reading a shared catalog serves once its own BM25 and key figures have caught up with it.
    if container.index.catalog.shared and not container.synchronised():
        return JSONResponse(status_code=503, content={
            "status": "en cours de synchronisation", **counts,
            "detail": "Réplique en cours de synchronisation avec le catalogue partagé (index lexical, chiffres "
                      "clés) : elle servira dès la fin du rattrapage."})
    # Ready also means the vector store answers and was built by the configured embedder: a load
    # balancer then stops sending traffic to a worker that could only answer 503.
    # Accounts and conversations in PostgreSQL too: a worker that cannot reach it cannot serve logins.
    try:
        container.index.check_version()
        vectors = container.index.vectors.count()
        ping(container.settings.database_url)
    except (IndexMissing, VectorStoreUnavailable, EmbedderError, StateDBUnavailable) as exc:
        return JSONResponse(status_code=503, content={
            "status": "indisponible", **counts, "detail": problem(exc).message})
    return {"status": "prêt", **counts, "vectors": vectors, "generation": container.index.catalog.generation()}
