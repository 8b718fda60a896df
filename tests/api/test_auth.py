"""Accounts over a real server on loopback: CLI, hashed storage, bearer tokens, login cookie, CSRF, rate limits."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from assistant.answer.conversations import ConversationNotYours, ConversationStore
from assistant.auth.ratelimit import RateLimited, RateLimiter
from assistant.services.users import UserStore, users_path
from assistant.cli import app as cli_app
from tests.conftest import make_settings
from tests.support.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
TOKEN_RE = re.compile(r"\baa_[A-Za-z0-9_-]{40,}")


# --- CLI and storage -------------------------------------------------------------------------------
def test_users_cli_add_list_revoke(tmp_path):
    runner = CliRunner()
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}

    added = runner.invoke(cli_app, ["users", "add", "alice", "--role", "member"], env=env)
    assert added.exit_code == 0, added.output
    assert "Compte « alice » créé (rôle : adhérent)" in added.output
    token = TOKEN_RE.search(added.output).group(0)

    with_password = runner.invoke(cli_app, ["users", "add", "carol", "--role", "staff", "--password"], env=env,
                                  input="secret-de-carol\nsecret-de-carol\n")
    assert with_password.exit_code == 0, with_password.output
    assert "secret-de-carol" not in with_password.output  # hidden prompt

    duplicate = runner.invoke(cli_app, ["users", "add", "Alice", "--role", "staff"], env=env)
    assert duplicate.exit_code == 2 and "existe déjà" in duplicate.output
    bad_role = runner.invoke(cli_app, ["users", "add", "bob", "--role", "chef"], env=env)
    assert bad_role.exit_code == 2 and "Rôle inconnu « chef »" in bad_role.output
    short = runner.invoke(cli_app, ["users", "add", "dan", "--password"], env=env, input="court\ncourt\n")
    assert short.exit_code == 2 and "Mot de passe trop court" in short.output

    listing = runner.invoke(cli_app, ["users", "list"], env=env)
    assert listing.exit_code == 0 and "alice" in listing.output and "carol" in listing.output
    assert not TOKEN_RE.search(listing.output) and "scrypt" not in listing.output
    rows = {r["name"]: r for r in json.loads(runner.invoke(cli_app, ["users", "list", "--json"],
                                                                          env=env).output)}
    assert rows["alice"]["role"] == "member" and rows["carol"]["web_login"] and not rows["alice"]["web_login"]

    # Only hashes are stored: neither the token nor the password is anywhere in the database files.
    db_bytes = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("users.sqlite*"))
    assert token.encode() not in db_bytes and token[3:].encode() not in db_bytes
    assert b"secret-de-carol" not in db_bytes

    store = UserStore(users_path(tmp_path / "data"))
    assert store.user_for_token(token).name == "alice"
    assert store.authenticate("carol", "secret-de-carol").role == "staff"
    revoked = runner.invoke(cli_app, ["users", "revoke", "alice"], env=env)
    assert revoked.exit_code == 0 and "révoqué" in revoked.output
    assert store.user_for_token(token) is None
    assert "révoqué" in runner.invoke(cli_app, ["users", "list"], env=env).output
    unknown = runner.invoke(cli_app, ["users", "revoke", "zed"], env=env)
    assert unknown.exit_code == 2 and "Utilisateur inconnu : « zed »" in unknown.output
    store.close()


def test_old_conversation_files_get_an_owner_column(tmp_path):
    path = tmp_path / "conversations.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE conversations (conversation_id TEXT PRIMARY KEY, title TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z', updated_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z');
        CREATE TABLE messages (message_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,
            question TEXT NOT NULL, standalone_question TEXT NOT NULL, answer_text TEXT NOT NULL,
            answer_json TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT '2026-01-01T00:00:00Z');
        INSERT INTO conversations(conversation_id, title) VALUES ('ancienne', 'Avant les comptes');
        INSERT INTO messages VALUES ('m1', 'ancienne', 1, 'q', 'q', 'r', '{}', '2026-01-01T00:00:00Z');
    """)
    db.close()
    store = ConversationStore(path)
    assert [c["conversation_id"] for c in store.list()] == ["ancienne"]  # stays anonymous
    assert store.list(owner="7") == [] and not store.visible("ancienne", "7")
    with pytest.raises(ConversationNotYours):
        store.claim("ancienne", "7")
    store.claim("neuve", "7", "Question")
    assert store.visible("neuve", "7") and not store.visible("neuve", None)
    store.close()


# --- HTTP ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server without an index (accounts need none) and four accounts; default cookie settings."""
    settings = make_settings(tmp_path_factory.mktemp("auth") / "data", rate_limit_per_minute=0,
                             rate_limit_ip_per_minute=0, login_attempts_per_minute=0)
    users = UserStore(users_path(settings.data_dir))
    tokens = {name: users.add(name, role, password=f"mdp-de-{name}")[1]
              for name, role in (("adherent", "member"), ("equipe", "staff"), ("partant", "buyer"))}
    with running_server(settings) as url:
        yield {"url": url, "tokens": tokens, "users": users}
    users.close()


def login(url: str, name: str, password: str) -> httpx.Response:
    return httpx.post(f"{url}/api/auth/login", json={"name": name, "password": password})


def session_cookie(response: httpx.Response) -> dict[str, str]:
    # httpx never sends a Secure cookie over http: the tests pass it explicitly, as a browser on localhost does.
    return {"Cookie": response.headers["set-cookie"].split(";", 1)[0]}


def test_bearer_tokens(server):
    url, tokens = server["url"], server["tokens"]
    me = httpx.get(f"{url}/api/auth/me", headers={"Authorization": f"Bearer {tokens['adherent']}"}).json()
    assert me["authenticated"] and me["name"] == "adherent" and me["role"] == "member" and me["via"] == "token"
    anonymous = httpx.get(f"{url}/api/auth/me").json()
    assert {k: v for k, v in anonymous.items() if not k.startswith("tools")} == {
        "authenticated": False, "name": None, "role": "public", "role_label": "public", "via": None, "csrf_token": None}
    assert anonymous["tools"] == {"clauses": True, "briefs": True, "verify": True}  # the tests' open deployment
    for header in ("Bearer aa_faux", "Bearer", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", tokens["adherent"]):
        r = httpx.get(f"{url}/api/auth/me", headers={"Authorization": header})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", header
        assert "Jeton d'accès invalide" in r.json()["detail"] or "Authorization invalide" in r.json()["detail"]
    # Any route refuses a bad token, not only those that read the caller.
    assert httpx.get(f"{url}/healthz", headers={"Authorization": "Bearer aa_faux"}).status_code == 401


def test_revoked_account_loses_token_and_sessions(server):
    url, token = server["url"], server["tokens"]["partant"]
    cookie = session_cookie(login(url, "partant", "mdp-de-partant"))
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).json()["name"] == "partant"
    server["users"].revoke("partant")
    r = httpx.get(f"{url}/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and "révoqué" in r.json()["detail"]
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).json()["authenticated"] is False
    assert login(url, "partant", "mdp-de-partant").status_code == 401


def test_login_sets_a_strict_session_cookie(server):
    url = server["url"]
    r = login(url, "adherent", "mdp-de-adherent")
    assert r.status_code == 200 and r.json()["role_label"] == "adhérent" and r.json()["csrf_token"]
    flags = [f.strip().lower() for f in r.headers["set-cookie"].split(";")]
    assert flags[0].startswith("alliance_session=") and len(flags[0]) > 40
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= set(flags)
    me = httpx.get(f"{url}/api/auth/me", headers=session_cookie(r)).json()
    assert me["name"] == "adherent" and me["via"] == "session" and me["csrf_token"] == r.json()["csrf_token"]

    wrong = login(url, "adherent", "mauvais")
    assert wrong.status_code == 401 and wrong.json()["detail"] == "Nom d'utilisateur ou mot de passe incorrect."
    assert "set-cookie" not in wrong.headers
    assert login(url, "inconnu", "mauvais").json()["detail"] == wrong.json()["detail"]  # same answer
    assert httpx.post(f"{url}/api/auth/login", json={"name": "adherent"}).status_code == 422

    # The page's form works without JavaScript: redirects back, with the error flag or the cookie.
    form_bad = httpx.post(f"{url}/api/auth/login", data={"name": "adherent", "password": "mauvais"})
    assert form_bad.status_code == 303 and form_bad.headers["location"] == "/connexion?erreur=1"
    form_ok = httpx.post(f"{url}/api/auth/login", data={"name": "adherent", "password": "mdp-de-adherent"})
    assert form_ok.status_code == 303 and form_ok.headers["location"] == "/"
    assert "alliance_session=" in form_ok.headers["set-cookie"]

    # Another site cannot log the browser into an account (login CSRF): its Origin is refused.
    forged = httpx.post(f"{url}/api/auth/login", data={"name": "adherent", "password": "mdp-de-adherent"},
                        headers={"Origin": "https://site-malveillant.example"})
    assert forged.status_code == 403 and "Connexion refusée" in forged.json()["detail"]
    same = httpx.post(f"{url}/api/auth/login", json={"name": "adherent", "password": "mdp-de-adherent"},
                      headers={"Origin": url})
    assert same.status_code == 200

    page = httpx.get(f"{url}/connexion")
    assert page.status_code == 200 and "Mot de passe" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_csrf_token_required_for_cookie_writes(server):
    url = server["url"]
    r = login(url, "adherent", "mdp-de-adherent")
    cookie, csrf = session_cookie(r), r.json()["csrf_token"]
    body = {"text": "Le titulaire utilise des produits fabriqués en France."}
    missing = httpx.post(f"{url}/api/clauses/lint", json=body, headers=cookie)
    assert missing.status_code == 403 and "Jeton CSRF manquant ou invalide" in missing.json()["detail"]
    wrong = httpx.post(f"{url}/api/clauses/lint", json=body, headers={**cookie, "X-CSRF-Token": csrf[:-2] + "xx"})
    assert wrong.status_code == 403
    ok = httpx.post(f"{url}/api/clauses/lint", json=body, headers={**cookie, "X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["erreurs"] >= 1
    # Reads need no token; neither do anonymous or token-authenticated writes (no ambient credential).
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).status_code == 200
    assert httpx.post(f"{url}/api/clauses/lint", json=body).status_code == 200
    bearer = {"Authorization": f"Bearer {server['tokens']['adherent']}"}
    assert httpx.post(f"{url}/api/clauses/lint", json=body, headers=bearer).status_code == 200
    # Logout is a write too, then the old cookie is worthless.
    assert httpx.post(f"{url}/api/auth/logout", headers=cookie).status_code == 403
    out = httpx.post(f"{url}/api/auth/logout", headers={**cookie, "X-CSRF-Token": csrf})
    assert out.status_code == 200 and "max-age=0" in out.headers["set-cookie"].lower()
    assert httpx.get(f"{url}/api/auth/me", headers=cookie).json()["authenticated"] is False


def test_staff_only_routes(server):
    url, tokens = server["url"], server["tokens"]
    anonymous = httpx.get(f"{url}/api/admin/audit")
    assert anonymous.status_code == 401 and "Connexion requise" in anonymous.json()["detail"]
    member = httpx.get(f"{url}/api/admin/audit", headers={"Authorization": f"Bearer {tokens['adherent']}"})
    assert member.status_code == 403 and "Accès refusé" in member.json()["detail"]
    staff = httpx.get(f"{url}/api/admin/audit", headers={"Authorization": f"Bearer {tokens['equipe']}"})
    assert staff.status_code == 200
    cookie = session_cookie(login(url, "equipe", "mdp-de-equipe"))
    assert httpx.get(f"{url}/api/admin/audit", headers=cookie).status_code == 200


def retry_after(response: httpx.Response) -> int:
    """The wait announced in Retry-After, checked against the French message (bucket refill time, so ≥ 1)."""
    seconds = int(response.headers["retry-after"])
    unit = "seconde" if seconds == 1 else "secondes"
    assert response.json()["detail"] == f"Trop de requêtes : réessayez dans {seconds} {unit}."
    assert seconds >= 1
    return seconds


def test_rate_limits_per_account_per_ip_and_logins(tmp_path):
    settings = make_settings(tmp_path / "data", rate_limit_per_minute=3, rate_limit_ip_per_minute=8,
                             login_attempts_per_minute=2, cookie_secure=False)
    users = UserStore(users_path(settings.data_dir))
    _, token = users.add("pressee", "member", password="mdp-de-pressee")
    users.close()
    with running_server(settings) as url:
        bearer = {"Authorization": f"Bearer {token}"}
        assert [httpx.get(f"{url}/api/auth/me", headers=bearer).status_code for _ in range(3)] == [200] * 3
        limited = httpx.get(f"{url}/api/auth/me", headers=bearer)
        assert limited.status_code == 429 and retry_after(limited) <= 20  # 3 a minute: one every 20 s
        # The account is limited, not the address: an anonymous call from the same IP still passes...
        assert [httpx.get(f"{url}/api/auth/me").status_code for _ in range(4)] == [200] * 4
        # ...until the address has used its 8 requests a minute.
        by_ip = httpx.get(f"{url}/api/auth/me")
        assert by_ip.status_code == 429 and retry_after(by_ip) <= 8
        assert httpx.get(f"{url}/connexion").status_code == 200  # pages and static files are not counted
        assert httpx.get(f"{url}/healthz").status_code == 200

    settings = make_settings(tmp_path / "data2", login_attempts_per_minute=2, cookie_secure=False)
    users = UserStore(users_path(settings.data_dir))
    users.add("pressee", "member", password="mdp-de-pressee")
    users.close()
    with running_server(settings) as url:
        assert [login(url, "pressee", "faux").status_code for _ in range(2)] == [401, 401]
        guessing = login(url, "pressee", "mdp-de-pressee")
        assert guessing.status_code == 429 and retry_after(guessing) <= 30


def test_cookie_secure_can_be_turned_off_for_plain_http(tmp_path):
    settings = make_settings(tmp_path / "data", cookie_secure=False)
    users = UserStore(users_path(settings.data_dir))
    users.add("local", "member", password="mdp-de-local")
    users.close()
    with running_server(settings) as url:
        flags = [f.strip().lower() for f in login(url, "local", "mdp-de-local").headers["set-cookie"].split(";")]
        assert "secure" not in flags and {"httponly", "samesite=strict"} <= set(flags)


def test_openai_client_needs_a_real_token(server):
    import openai

    wrong = openai.OpenAI(base_url=f"{server['url']}/v1", api_key="sans-objet", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as refused:
        wrong.models.list()
    assert "Jeton d'accès invalide" in str(refused.value)
    right = openai.OpenAI(base_url=f"{server['url']}/v1", api_key=server["tokens"]["adherent"], max_retries=0)
    assert [m.id for m in right.models.list()] == ["alliance-assistant"]


def test_browser_explains_a_secure_cookie_refused_over_plain_http(server):
    """Over plain HTTP on a name other than localhost, Chromium drops the Secure cookie: the login page
    says why instead of leaving the user anonymous without a word."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from playwright.sync_api import expect

    if not CHROMIUM.exists():
        pytest.skip("Chromium absent (/usr/bin/chromium) : lancez `make test` (qui l'installe)")
    port = server["url"].rsplit(":", 1)[1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--host-resolver-rules=MAP alliance.test 127.0.0.1"])
        page = browser.new_page(locale="fr-FR")
        page.goto(f"http://alliance.test:{port}/connexion")
        page.get_by_label("Nom d'utilisateur").fill("adherent")
        page.get_by_label("Mot de passe").fill("mdp-de-adherent")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert")).to_contain_text("Le navigateur a refusé le cookie de session")
        assert page.context.cookies() == []
        browser.close()


def test_rate_limiter_refills_over_time():
    """Token bucket on an explicit clock (no sleeping): a refused key gets in again once refilled."""
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limiter.hit("cle", 2)
    limiter.hit("cle", 2)
    with pytest.raises(RateLimited) as refused:
        limiter.hit("cle", 2)
    assert refused.value.retry_after == 30 and str(refused.value) == "Trop de requêtes : réessayez dans 30 secondes."
    limiter.hit("autre", 2)  # keys are independent
    now[0] += 29.5
    with pytest.raises(RateLimited) as almost:
        limiter.hit("cle", 2)
    assert almost.value.retry_after == 1 and "dans 1 seconde." in str(almost.value)
    now[0] += 0.5
    limiter.hit("cle", 2)
    limiter.hit("cle", 0)  # 0: no limit
