from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import Services, get_services

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
    return {"status": "prêt", **counts, "generation": services.index.catalog.generation()}
