"""Web login: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.

The session cookie is HttpOnly (scripts never see it), Secure unless ASSISTANT_COOKIE_SECURE=false,
SameSite=Strict (never sent by another site's requests), Path=/. Scripts get the CSRF token from
/api/auth/me and send it in X-CSRF-Token with every write.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from api.deps import SESSION_COOKIE, Caller, client_ip, get_caller, get_container, rate_limit
from assistant.auth.roles import ROLE_LABELS
from assistant.container import Container

router = APIRouter(prefix="/api/auth", tags=["comptes"])

BAD_LOGIN = "Nom d'utilisateur ou mot de passe incorrect."
MAX_FIELD = 256


class Me(BaseModel):
    authenticated: bool
    name: str | None = None
    role: str = "public"
    role_label: str = Field(ROLE_LABELS["public"], description="Rôle en français")
    via: str | None = Field(None, description="« session » (cookie) ou « token » (jeton d'API)")
    csrf_token: str | None = Field(None, description="À renvoyer dans l'en-tête X-CSRF-Token de chaque écriture")
    tools: dict[str, bool] = Field(default_factory=dict, description="Outils permis à ce rôle (clauses, briefs, verify)")
    tools_roles: dict[str, list[str]] = Field(default_factory=dict, description="Rôles (en français) permis par outil")


def me_of(caller: Caller, settings) -> Me:
    tools = {tool: settings.roles_for(tool) for tool in settings.TOOLS}
    return Me(authenticated=caller.user_id is not None, name=caller.name, role=caller.role,
              role_label=ROLE_LABELS.get(caller.role, caller.role), via=caller.via, csrf_token=caller.csrf_token,
              tools={t: caller.role in roles for t, roles in tools.items()},
              tools_roles={t: [ROLE_LABELS[r] for r in roles if r != "public"] for t, roles in tools.items()})


async def _credentials(request: Request) -> tuple[str, str, bool]:
    """Name and password from a JSON body or a form post; the flag says it was a form (no script)."""
    body = (await request.body())[:16_384]
    is_form = "application/x-www-form-urlencoded" in request.headers.get("content-type", "")
    try:
        if is_form:
            data = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        else:
            data = json.loads(body or b"{}")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(422, detail="Requête de connexion illisible : envoyez name et password.") from exc
    data = data if isinstance(data, dict) else {}
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name.strip() or not password:
        raise HTTPException(422, detail="Indiquez le nom d'utilisateur et le mot de passe.")
    if len(name) > MAX_FIELD or len(password) > MAX_FIELD:
        raise HTTPException(422, detail=BAD_LOGIN)
    return name.strip(), password, is_form


def _same_origin(request: Request) -> None:
    """Refuse a login posted by another site (login CSRF: the victim would work, and store their
    conversations, in the attacker's account). Browsers send Origin with every POST; other clients
    send none and are not concerned."""
    origin = request.headers.get("origin")
    if not origin:
        return
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")}
    if urlsplit(origin).netloc not in hosts:
        raise HTTPException(403, detail="Connexion refusée : la demande ne vient pas de la page de connexion de "
                                        "l'assistant (derrière un mandataire inverse, transmettez l'en-tête Host).")


@router.post("/login", response_model=Me, summary="Se connecter (cookie de session)",
             responses={401: {"description": "Identifiants incorrects"}, 429: {"description": "Trop de tentatives"}})
async def login(request: Request, container: Container = Depends(get_container)):
    _same_origin(request)
    name, password, is_form = await _credentials(request)
    settings = container.settings
    rate_limit(request, f"login:{client_ip(request)}", settings.login_attempts_per_minute)
    # scrypt takes tens of milliseconds: keep it off the event loop.
    user = await run_in_threadpool(container.users.authenticate, name, password)
    if user is None:
        if is_form:
            return RedirectResponse("/connexion?erreur=1", status_code=303)
        raise HTTPException(401, detail=BAD_LOGIN)
    ttl = settings.session_ttl_hours * 3600
    session_id, session = await run_in_threadpool(container.users.open_session, user, ttl)
    me = me_of(Caller.for_user(user, via="session", csrf_token=session.csrf_token), settings)
    response = RedirectResponse("/", status_code=303) if is_form else JSONResponse(me.model_dump())
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(ttl), path="/", secure=settings.cookie_secure,
                        httponly=True, samesite="strict")
    return response


@router.post("/logout", summary="Se déconnecter")
def logout(request: Request, container: Container = Depends(get_container), caller: Caller = Depends(get_caller)):
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        container.users.close_session(cookie)
    response = JSONResponse({"status": "déconnecté"})
    response.delete_cookie(SESSION_COOKIE, path="/", secure=container.settings.cookie_secure, httponly=True,
                           samesite="strict")
    return response


@router.get("/me", response_model=Me, summary="Qui suis-je ? (rôle, nom, jeton CSRF)")
def me(caller: Caller = Depends(get_caller), container: Container = Depends(get_container)) -> Me:
    return me_of(caller, container.settings)
