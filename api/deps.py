"""Shared objects of the web app (one index, engine and stores per process), opened lazily."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from assistant.answer.conversations import ConversationStore
from assistant.answer.engine import AnswerEngine
from assistant.auth.ratelimit import RateLimited, RateLimiter
from assistant.auth.roles import ROLE_LABELS, ROLES, audiences_for
from assistant.auth.users import User, UserStore
from assistant.briefs.generator import BriefGenerator
from assistant.config import Settings
from assistant.container import Container
from assistant.services.documents import DocumentService
from assistant.services.feedback import FeedbackStore
from assistant.figures.store import FigureStore
from assistant.index.embeddings import EmbedderError
from assistant.index.store import IndexStore
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.retrieval.search import HybridSearcher
from assistant.statedb import StateDBUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """Who is calling; every route filters what it shows by `audiences`."""

    role: str = "public"
    audiences: tuple[str, ...] = ("public",)
    user_id: str | None = None
    name: str | None = None
    via: str | None = None  # "token" or "session"; None when anonymous
    csrf_token: str | None = field(default=None, repr=False)  # session callers only

    @classmethod
    def for_role(cls, role: str, user_id: str | None = None, **account) -> "Caller":
        return cls(role=role, audiences=audiences_for(role), user_id=user_id, **account)

    @classmethod
    def for_user(cls, user: User, via: str, csrf_token: str | None = None) -> "Caller":
        return cls.for_role(user.role, user_id=str(user.user_id), name=user.name, via=via, csrf_token=csrf_token)


ANONYMOUS = Caller()
SESSION_COOKIE = "alliance_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Logging in opens the session: there is no CSRF token yet (the login route checks Origin instead).
CSRF_EXEMPT = {"/api/auth/login"}
LIMITED_PREFIXES = ("/api/", "/v1/")


def client_ip(request: Request) -> str:
    # Behind a reverse proxy, run uvicorn with --proxy-headers so that this is the real client.
    return request.client.host if request.client else "inconnue"


def get_caller(request: Request) -> Caller:
    """Bearer token, else session cookie, else anonymous; applies the rate limits of API routes.

    A wrong token is a 401, never a silent downgrade to anonymous (a client would otherwise get
    partial answers without knowing why). A cookie-authenticated write must carry the session's
    CSRF token in `X-CSRF-Token` (synchronizer token): another site can make the browser send the
    cookie, never read the token.
    """
    services = get_services(request)
    settings = services.settings
    limited = request.url.path.startswith(LIMITED_PREFIXES)
    if limited:
        rate_limit(services, f"ip:{client_ip(request)}", settings.rate_limit_ip_per_minute)
    caller = ANONYMOUS
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(401, detail="En-tête Authorization invalide : utilisez « Bearer <jeton> ».",
                                headers={"WWW-Authenticate": "Bearer"})
        user = services.users.user_for_token(token.strip())
        if user is None:
            raise HTTPException(401, detail="Jeton d'accès invalide ou révoqué : demandez un nouveau jeton à "
                                            "l'administrateur.", headers={"WWW-Authenticate": "Bearer"})
        caller = Caller.for_user(user, via="token")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        session = services.users.session(cookie)
        if session is not None:  # an expired cookie is just an anonymous visitor
            if request.method in UNSAFE_METHODS and request.url.path not in CSRF_EXEMPT:
                sent = request.headers.get(CSRF_HEADER, "")
                if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
                    raise HTTPException(403, detail="Jeton CSRF manquant ou invalide : rechargez la page puis "
                                                    "réessayez.")
            caller = Caller.for_user(session.user, via="session", csrf_token=session.csrf_token)
    if limited and caller.user_id is not None:
        rate_limit(services, f"user:{caller.user_id}", settings.rate_limit_per_minute)
    return caller


def rate_limit(services: "Services", key: str, per_minute: int) -> None:
    """Count a request for `key`; French 429 with Retry-After when its bucket is empty."""
    try:
        services.limiter.hit(key, per_minute)
    except RateLimited as exc:
        raise HTTPException(429, detail=str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc


def require_role(*roles: str):
    """Dependency admitting only callers whose role is in `roles` (French 401 when anonymous, else 403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def check(caller: Caller = Depends(get_caller)) -> Caller:
        if caller.role in roles:
            return caller
        allowed = ", ".join(ROLE_LABELS[r] for r in roles)
        if caller.user_id is None:
            raise HTTPException(401, detail=f"Connexion requise : cette action est réservée aux comptes {allowed}.")
        raise HTTPException(403, detail=f"Accès refusé : cette action est réservée aux comptes {allowed}.")

    return check


class Services:
    """The API's view of the process container: its objects, with index and engine failures as French 503s."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.container = Container(settings)
        self.limiter = RateLimiter()

    @property
    def index(self) -> IndexStore:
        return self.container.index

    @property
    def conversations(self) -> ConversationStore:
        return self.container.conversations

    @property
    def feedback(self) -> FeedbackStore:
        return self.container.feedback

    @property
    def users(self) -> UserStore:
        return self.container.users

    @property
    def figures(self) -> FigureStore:
        return self.container.figures

    @property
    def documents(self) -> DocumentService:
        return self.container.documents

    def ready_searcher(self) -> HybridSearcher:
        """The searcher, or a French 503 when the index is missing or the vector store is down."""
        try:
            return self.container.ready_searcher()
        except IndexMissing as exc:
            raise HTTPException(503, detail=f"Index indisponible : {exc}") from exc
        except (VectorStoreUnavailable, EmbedderError) as exc:
            raise HTTPException(503, detail=f"Service de recherche indisponible : {exc}") from exc

    def ready_engine(self) -> AnswerEngine:
        """The answer engine over a ready index (same searcher and conversation store as the other routes)."""
        self.ready_searcher()
        try:
            return self.container.answers
        except Exception as exc:  # a misconfigured LLM must give a French 503, not a 500
            log.exception("answer engine could not be built")
            raise HTTPException(503, detail=f"Moteur de réponses indisponible : {exc}") from exc

    def ready_briefs(self) -> BriefGenerator:
        """The brief generator over the ready grounding and the figures of the data dir (synced first)."""
        self.ready_engine()
        return self.container.briefs

    def ready_documents(self) -> DocumentService:
        try:
            return self.container.ready_documents()
        except IndexMissing as exc:
            raise HTTPException(503, detail=f"Index indisponible : {exc}") from exc

    def close(self) -> None:
        self.container.close()


async def state_unavailable(request: Request, exc: StateDBUnavailable) -> JSONResponse:
    """Shared database (PostgreSQL) down: a French 503 from any route, the worker itself stays up."""
    log.warning("shared database unavailable: %s", exc)
    return JSONResponse(status_code=503, content={"detail": str(exc)},
                        headers={"Retry-After": "5"})


def get_services(request: Request) -> Services:
    return request.app.state.services
