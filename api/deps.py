"""What the routes depend on: the caller (authentication, CSRF, rate limits, roles), the container, and the
few checks several routers share."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field

from fastapi import Depends, HTTPException, Request

from api.errors import AnswersUnavailable
from assistant.answer.engine import AnswerEngine
from assistant.auth.ratelimit import RateLimiter
from assistant.auth.roles import ROLE_LABELS, ROLES, audiences_for
from assistant.services.users import User
from assistant.briefs.generator import BriefGenerator
from assistant.container import Container
from assistant.factcheck.checker import FactChecker
from assistant.figures.store import FigureStore
from assistant.index.filters import SearchFilters, filter_error_message

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
    container = get_container(request)
    settings = container.settings
    limited = request.url.path.startswith(LIMITED_PREFIXES)
    if limited:
        rate_limit(request, f"ip:{client_ip(request)}", settings.rate_limit_ip_per_minute)
    caller = ANONYMOUS
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(401, detail="En-tête Authorization invalide : utilisez « Bearer <jeton> ».",
                                headers={"WWW-Authenticate": "Bearer"})
        user = container.users.user_for_token(token.strip())
        if user is None:
            raise HTTPException(401, detail="Jeton d'accès invalide ou révoqué : demandez un nouveau jeton à "
                                            "l'administrateur.", headers={"WWW-Authenticate": "Bearer"})
        caller = Caller.for_user(user, via="token")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        session = container.users.session(cookie)
        if session is not None:  # an expired cookie is just an anonymous visitor
            if request.method in UNSAFE_METHODS and request.url.path not in CSRF_EXEMPT:
                sent = request.headers.get(CSRF_HEADER, "")
                if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
                    raise HTTPException(403, detail="Jeton CSRF manquant ou invalide : rechargez la page puis "
                                                    "réessayez.")
            caller = Caller.for_user(session.user, via="session", csrf_token=session.csrf_token)
    if limited and caller.user_id is not None:
        rate_limit(request, f"user:{caller.user_id}", settings.rate_limit_per_minute)
    return caller


def rate_limit(request: Request, key: str, per_minute: int) -> None:
    """Count a request for `key` (RateLimited, a French 429, when its bucket is empty).

    The limiter is the app's (app.state), not the container's: it counts this process's HTTP requests.
    """
    limiter: RateLimiter = request.app.state.limiter
    limiter.hit(key, per_minute)


def require_role(*roles: str):
    """Dependency admitting only callers whose role is in `roles` (French 401 when anonymous, else 403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def check(caller: Caller = Depends(get_caller)) -> Caller:
        return admit(caller, roles)

    return check


def admit(caller: Caller, roles: tuple[str, ...]) -> Caller:
    """The caller when their role is in `roles`; else a French 401 (anonymous: log in) or 403."""
    if caller.role in roles:
        return caller
    allowed = ", ".join(ROLE_LABELS[r] for r in roles if r != "public")
    if caller.user_id is None:
        raise HTTPException(401, detail=f"Connexion requise : cette action est réservée aux comptes {allowed}. "
                                        "Connectez-vous sur /connexion.")
    raise HTTPException(403, detail=f"Accès refusé : cette action est réservée aux comptes {allowed}.")


def allowed_to(tool: str):
    """Dependency admitting the callers whose role the settings allow for `tool` (ASSISTANT_CLAUSES_ROLES,
    ASSISTANT_BRIEFS_ROLES): who may use a tool is configuration, not code."""
    def check(caller: Caller = Depends(get_caller), container: Container = Depends(get_container)) -> Caller:
        return admit(caller, container.settings.roles_for(tool))

    return check


def get_container(request: Request) -> Container:
    """The process's container (app.state): one index, engine and stores per process, built lazily."""
    return request.app.state.container


def ready_answers(container: Container) -> AnswerEngine:
    """The answer engine over a ready index (IndexMissing… as they are; any other build failure as
    AnswersUnavailable, so that a misconfigured LLM gives a French 503, not a 500)."""
    container.ready_searcher()
    try:
        return container.answers
    except Exception as exc:
        log.exception("answer engine could not be built")
        raise AnswersUnavailable(exc) from exc


def ready_briefs(container: Container) -> BriefGenerator:
    """The brief generator, over the same ready grounding as the answers."""
    ready_answers(container)
    return container.briefs


def ready_fact_checker(container: Container) -> FactChecker:
    """The fact-checker over an index that exists and a search backend that answers (no language model needed)."""
    container.ready_searcher()
    return container.fact_checker


def ready_figures(container: Container) -> FigureStore:
    """The key figures, in step with the documents of an index that exists (IndexMissing otherwise)."""
    store = container.figures
    store.ensure_synced(container.ready_documents().catalog)
    return store


def non_empty(query: str) -> str:
    """A search query with more than blanks (French 422 otherwise)."""
    if not query.strip():
        raise HTTPException(422, detail="La requête est vide.")
    return query


def caller_filters(caller: Caller, doc_type: list[str] | str | None = None, date_from: str | None = None,
                   date_to: str | None = None) -> SearchFilters:
    """The caller's search filters, always restricted to the audiences the caller may read (French 422)."""
    try:
        return SearchFilters(doc_type=doc_type, audience=list(caller.audiences), date_from=date_from,
                             date_to=date_to)
    except ValueError as exc:
        raise HTTPException(422, detail=f"Filtre invalide : {filter_error_message(exc)}.") from exc

