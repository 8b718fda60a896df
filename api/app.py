"""Application factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import Services, get_caller, state_unavailable
from api.routers import auth
from api.routers import clauses
from api.routers import admin_documents
from api.routers import ask, briefs, conversations, documents, export, feedback, figures, health, openai_compat, search
from assistant import __version__
from assistant.statedb import StateDBUnavailable
from assistant.config import Settings

STATIC = Path(__file__).parent / "static"
# Our pages load only their own scripts and styles: an injected string could not run a script.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                          "base-uri 'none'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
FRENCH_HTTP = {"Not Found": "Adresse inconnue : cette page ou ce document n'existe pas.",
               "Method Not Allowed": "Méthode HTTP non autorisée pour cette adresse."}


# The HTML pages: each route serves its file with the pages' security headers.
PAGES = {"/": "index.html", "/docs": "docs.html", "/connexion": "login.html", "/administration": "admin.html",
         "/documents/{doc_id:path}": "document.html"}


def _page(name: str):
    def serve() -> FileResponse:
        return FileResponse(STATIC / name, headers=PAGE_HEADERS)

    return serve


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Alliance Assistant", version=__version__,
                  description="Recherche et réponses sourcées dans les documents de l'Alliance du Fabriqué en France.",
                  docs_url=None, redoc_url=None,  # /docs below: Swagger UI and ReDoc load from a CDN, the app runs offline
                  # Every route authenticates (bad token: 401), checks CSRF and rate limits, even if it
                  # does not read the caller; routes that do get the same Caller (dependency cache).
                  dependencies=[Depends(get_caller)])
    app.state.services = Services(settings or Settings())
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(clauses.router)
    app.include_router(admin_documents.router)
    app.include_router(auth.router)
    for module in (ask, documents, conversations, feedback, export, figures, briefs, openai_compat):
        app.include_router(module.router)

    @app.exception_handler(Exception)
    async def _unexpected(request, exc: Exception) -> JSONResponse:
        # A bug still answers in French; Starlette re-raises it afterwards so the server logs the traceback.
        return JSONResponse(status_code=500, content={
            "detail": "Erreur interne du serveur : l'incident est enregistré dans le journal ; réessayez plus tard."})

    app.add_exception_handler(StateDBUnavailable, state_unavailable)  # PostgreSQL down: French 503

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette's own errors (unknown route, wrong method) are in English: say them in French.
        detail = FRENCH_HTTP.get(exc.detail, exc.detail) if isinstance(exc.detail, str) else exc.detail
        content = {"detail": detail}
        if request.url.path.startswith("/v1/"):  # OpenAI clients show `error.message` (401, 429…)
            content["error"] = {"message": detail, "type": "invalid_request_error", "param": None, "code": exc.status_code}
        return JSONResponse(status_code=exc.status_code, content=content, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_, exc: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", [])[1:]) or "requête" for e in exc.errors())
        return JSONResponse(status_code=422, content={"detail": f"Paramètres invalides : {fields}."})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    for path, page in PAGES.items():
        app.add_api_route(path, _page(page), methods=["GET"], include_in_schema=False)

    return app
