"""Application factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api import errors
from api.deps import get_caller
from api.routers import (admin_documents, ask, auth, briefs, clauses, conversations, documents, export, feedback,
                         figures, health, openai_compat, search, thresholds, verify)
from assistant import __version__
from assistant.auth.ratelimit import RateLimiter
from assistant.config import Settings
from assistant.container import Container

STATIC = Path(__file__).parent / "static"
# Our pages load only their own scripts and styles: an injected string could not run a script.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                          "base-uri 'none'; frame-ancestors 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


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
    app.state.container = Container(settings or Settings())
    app.state.limiter = RateLimiter()  # counts this process's HTTP requests: the app's, not the container's
    errors.register(app)
    for module in (health, search, clauses, admin_documents, auth, ask, documents, conversations, feedback, export,
                   figures, thresholds, briefs, verify, openai_compat):
        app.include_router(module.router)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    for path, page in PAGES.items():
        app.add_api_route(path, _page(page), methods=["GET"], include_in_schema=False)

    return app
