"""Application factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.deps import Services
from api.routers import clauses
from api.routers import health, search
from assistant import __version__
from assistant.config import Settings

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Alliance Assistant", version=__version__,
                  description="Recherche et réponses sourcées dans les documents de l'Alliance du Fabriqué en France.")
    app.state.services = Services(settings or Settings())
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(clauses.router)

    @app.exception_handler(RequestValidationError)
    async def _validation(_, exc: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", [])[1:]) or "requête" for e in exc.errors())
        return JSONResponse(status_code=422, content={"detail": f"Paramètres invalides : {fields}."})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
