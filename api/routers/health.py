from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import Services, get_services
from assistant.index.embeddings import EmbedderError
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.statedb import StateDBUnavailable, ping

router = APIRouter(tags=["santé"])


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: Services = Depends(get_services)):
    counts = services.index.catalog.counts()
    if not counts["chunks"]:
        return JSONResponse(status_code=503, content={
            "status": "indisponible", **counts,
            "detail": "Index vide : lancez `assistant ingest corpus` (ou `make run`)."})
    # Ready also means the vector store answers and was built by the configured embedder: a load
    # balancer then stops sending traffic to a worker that could only answer 503.
    try:
        services.index.check_version()
        vectors = services.index.vectors.count()
    except IndexMissing as exc:
        return JSONResponse(status_code=503, content={
            "status": "indisponible", **counts, "detail": f"Index indisponible : {exc}"})
    except (VectorStoreUnavailable, EmbedderError) as exc:
        return JSONResponse(status_code=503, content={
            "status": "indisponible", **counts, "detail": f"Service de recherche indisponible : {exc}"})
    try:  # accounts and conversations in PostgreSQL: a worker that cannot reach it cannot serve logins
        ping(services.settings.database_url)
    except StateDBUnavailable as exc:
        return JSONResponse(status_code=503, content={"status": "indisponible", **counts, "detail": str(exc)})
    return {"status": "prêt", **counts, "vectors": vectors, "generation": services.index.catalog.generation()}
