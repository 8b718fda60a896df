"""Roles over a real index: a member never receives a staff-only chunk, anonymous visitors never a members-only one.

The index holds real files of ../shared/corpus plus three documents of tests/data/roles (a staff note,
a members' letter, a staff procurement guide) full of made-up words that appear nowhere else. More than
a hundred member requests go through every route that returns corpus text (answers in JSON and SSE,
/v1/chat/completions, search, figures, documents, clauses, conversations, Word export); none may carry
a staff document id, chunk id or word. The same queries as staff DO return them, so the test can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from assistant.services.users import UserStore, users_path
from assistant.services.documents import DocumentService
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from assistant.models import AUDIENCES
from tests.conftest import ROOT, SHARED_CORPUS, make_settings, save_embeddings
from tests.support.servers import running_server

ROLES_DATA = ROOT / "tests" / "data" / "roles"
CODE = SHARED_CORPUS / "commande-publique" / "code"
REAL_FILES = [
    *sorted((SHARED_CORPUS / "alliance").glob("*.txt")),
    CODE / "012-deuxieme-partie-marches-publics-livre-ie-titre-ier-preparation-du-marche.md",
    CODE / "018-deuxieme-partie-marches-publics-livre-ie-titre-ii-choix-de-la-procedure-de-passation.md",
    CODE / "099-partie-legislative-titre-preliminaire.md",
    CODE / "147-deuxieme-partie-marches-publics-livre-ie-titre-v-phase-d-offre.md",
    SHARED_CORPUS / "commande-publique" / "guides" / "modele-clause-sociale-formation-RC-CCAP-2018.txt",
    SHARED_CORPUS / "commande-publique" / "guides" / "guide-achat-indice-reparabilite__indice-reparabilite-et-achats-publics.md",
]
# Words of the staff documents found nowhere else (checked below against the real files).
STAFF_WORDS = ("Hirondelle", "Zéphyrin", "Zephyrin", "Brindille", "Marmotte", "4 321 000", "37,5 %")
MEMBER_WORDS = ("Vauban", "1 234 euros")

# Questions aimed straight at the staff documents' words, then at their topics, then ordinary ones.
TARGETED = [
    "Qu'est-ce que le plan Hirondelle ?",
    "Quelle est l'enveloppe du plan Hirondelle ?",
    "plan Hirondelle enveloppe 4 321 000 euros",
    "Que fixe le protocole Zéphyrin ?",
    "protocole Zephyrin calendrier des rendez-vous cabinets ministériels",
    "Qui est Octave Brindille ?",
    "Octave Brindille coordinateur",
    "Quelle hausse de 37,5 % des achats publics vise l'équipe ?",
    "stratégie confidentielle de l'équipe de l'Alliance pour la réforme de la commande publique",
    "stratégie de plaidoyer sur la commande publique",
    "rencontres avec les acheteurs publics et les parlementaires en 2027",
    "leviers prioritaires seuils de publicité et emploi local",
    "Qu'est-ce que la méthode Marmotte ?",
    "méthode Marmotte clause sociale d'insertion vêtements de travail",
    "Quelle part des heures de travail une clause sociale d'insertion réserve-t-elle selon la méthode Marmotte ?",
    "grille interne de l'équipe pour analyser les clauses sociales",
    "réparabilité des vêtements de travail et traçabilité des textiles",
    "note interne de l'équipe",
]
GENERAL = [
    "Quelle part des achats est orientée vers la fabrication française ?",
    "Combien d'emplois soutient un million d'euros d'achats fabriqués en France ?",
    "Quand l'Alliance du Fabriqué en France a-t-elle été lancée ?",
    "Quelles sont les priorités de l'Alliance ?",
    "seuils de publicité des marchés de travaux",
    "Quel est le seuil de dispense de publicité pour les marchés ?",
    "critères d'attribution liés à l'emploi local",
    "Quels critères d'attribution l'acheteur peut-il utiliser ?",
    "achats publics orientés vers la fabrication française d'ici 2028",
    "allotissement des marchés publics",
    "égalité de traitement des candidats",
    "clause sociale de formation dans un marché public",
    "indice de réparabilité dans les achats publics",
    "Qu'est-ce que le cercle Vauban ?",
    "cotisation annuelle des adhérents",
    "Alliance Industrie du Futur",
]
QUERIES = TARGETED + GENERAL


@pytest.fixture(scope="module")
def roles(tmp_path_factory):
    """A real index (temp data dir) over real files and the three role documents, with three accounts."""
    base = tmp_path_factory.mktemp("roles")
    corpus = base / "corpus"
    (corpus / "reel").mkdir(parents=True)
    for path in REAL_FILES:
        shutil.copy(path, corpus / "reel" / path.name)
    shutil.copytree(ROLES_DATA, corpus / "roles")
    # Default cookie flags (Secure included): the browser test below logs in over http://127.0.0.1.
    settings = make_settings(base / "data", rate_limit_per_minute=0, rate_limit_ip_per_minute=0)
    index = IndexStore(settings)
    report = Ingestor(index).run([corpus])
    assert len(report.added) == len(REAL_FILES) + len(list(ROLES_DATA.glob("*.md"))), report
    docs = DocumentService(index.catalog)
    by_audience = {a: [d.doc_id for d in docs.list(AUDIENCES) if d.audience == a] for a in AUDIENCES}
    chunks = {a: {c.chunk_id for d in by_audience[a] for c in docs.view(d, AUDIENCES).chunks} for a in AUDIENCES}
    index.close()
    save_embeddings(settings)
    assert len(by_audience["staff"]) == 3 and len(by_audience["members"]) == 1
    users = UserStore(users_path(settings.data_dir))
    tokens = {role: users.add(f"compte-{role}", role, password="motdepasse-" + role)[1]
              for role in ("member", "buyer", "staff")}
    users.close()
    with running_server(settings) as url:
        yield {"url": url, "settings": settings, "tokens": tokens, "docs": by_audience, "chunks": chunks}
    save_embeddings(settings)  # sentence vectors computed while answering: the next session starts warm


def client(roles, role: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {roles['tokens'][role]}"} if role else {}
    return httpx.Client(base_url=roles["url"], headers=headers, timeout=300)


class Exposure:
    """Collects every response body a caller receives and what of `forbidden` it reveals."""

    def __init__(self, roles, forbidden: tuple[str, ...], words: tuple[str, ...]):
        ids = [d for a in forbidden for d in roles["docs"][a]]
        chunk_ids = [c for a in forbidden for c in roles["chunks"][a]]
        self.needles = [*ids, *chunk_ids, *words]
        self.requests = 0
        self.leaks: list[tuple[str, str]] = []

    def check(self, what: str, body: str, query: str | None = None) -> str:
        self.requests += 1
        if query:  # answers echo the question (question, standalone_question): not a leak
            body = body.replace(query, "<question>")
        found = [n for n in self.needles if n in body]
        if found:
            self.leaks.append((what, ", ".join(found[:3])))
        return body


def test_role_documents_words_are_distinctive():
    # Otherwise the leak check below could be fooled (or fail) because of the real files.
    for path in REAL_FILES:
        text = path.read_text(encoding="utf-8")
        assert not [w for w in STAFF_WORDS + MEMBER_WORDS if w in text], path


# Answers cost a second or more of CPU each: every query is searched (the filter answers use) and looked up
# in the figures, the answer routes get the targeted questions and a few ordinary ones.
ANSWERED = TARGETED[::2] + GENERAL[:4]


def _sweep(roles, http: httpx.Client, seen: Exposure) -> None:
    """Every corpus-text route."""
    for q in QUERIES:
        for k in (10, 50):  # the first results and deep in the ranking
            r = http.get("/api/search", params={"q": q, "k": k})
            assert r.status_code == 200, r.text
            seen.check(f"search {q}", r.text)
        r = http.get("/api/figures", params={"q": q, "k": 20})
        assert r.status_code == 200, r.text
        seen.check(f"figures {q}", r.text)
    for i, q in enumerate(ANSWERED):
        r = http.post("/api/ask", json={"question": q})
        assert r.status_code == 200, r.text
        seen.check(f"ask {q}", r.text, q)
        if i % 2 == 0:
            r = http.post("/v1/chat/completions", json={"model": "alliance-assistant",
                                                        "messages": [{"role": "user", "content": q}]})
            assert r.status_code == 200, r.text
            seen.check(f"chat {q}", r.text, q)
        if i % 4 == 0:  # streamed answers go through the same filters
            r = http.post("/api/ask", json={"question": q}, headers={"Accept": "text/event-stream"})
            assert r.status_code == 200 and "event: answer" in r.text, r.text
            seen.check(f"sse {q}", r.text, q)
    r = http.get("/api/documents")
    seen.check("documents", r.text)
    for doc_id in roles["docs"]["staff"] + roles["docs"]["members"]:
        for path in (f"/api/documents/{doc_id}", f"/api/documents/{doc_id}/raw"):
            r = http.get(path)
            if r.status_code == 200:
                seen.check(path, r.text)


def test_member_never_receives_a_staff_chunk(roles):
    seen = Exposure(roles, ("staff",), STAFF_WORDS)
    with client(roles, "member") as http:
        _sweep(roles, http, seen)
        listing = http.get("/api/documents").json()
        assert {d["audience"] for d in listing} == {"public", "members"}
        for doc_id in roles["docs"]["staff"]:
            assert http.get(f"/api/documents/{doc_id}").status_code == 404
            assert http.get(f"/api/documents/{doc_id}/raw").status_code == 404
        # The member's own documents are there: the filter is by audience, not "everything private".
        member_doc = roles["docs"]["members"][0]
        assert http.get(f"/api/documents/{member_doc}").status_code == 200
        vauban = http.get("/api/search", params={"q": "cercle Vauban", "k": 3}).json()
        assert vauban and vauban[0]["doc_id"] == member_doc
    assert seen.requests >= 100, seen.requests
    assert not seen.leaks, seen.leaks[:5]


def test_anonymous_never_receives_a_members_chunk(roles):
    seen = Exposure(roles, ("staff", "members"), STAFF_WORDS + MEMBER_WORDS)
    with client(roles, None) as http:
        for i, q in enumerate(["Qu'est-ce que le cercle Vauban ?", "cotisation annuelle au cercle Vauban", *TARGETED[:6]]):
            seen.check(f"search {q}", http.get("/api/search", params={"q": q, "k": 10}).text)
            seen.check(f"figures {q}", http.get("/api/figures", params={"q": q}).text)
            if i < 3:
                seen.check(f"ask {q}", http.post("/api/ask", json={"question": q}).text, q)
        for doc_id in roles["docs"]["members"]:
            assert http.get(f"/api/documents/{doc_id}").status_code == 404
    assert not seen.leaks, seen.leaks[:5]


def test_staff_does_receive_the_staff_documents(roles):
    """The positive control: the same routes as staff return the staff chunks (else the test above proves nothing)."""
    staff_docs = set(roles["docs"]["staff"])
    with client(roles, "staff") as http:
        hits = http.get("/api/search", params={"q": "plan Hirondelle enveloppe", "k": 5}).json()
        assert hits[0]["doc_id"] in staff_docs
        answer = http.post("/api/ask", json={"question": "Quelle est l'enveloppe du plan Hirondelle ?"}).json()
        assert "4 321 000" in answer["text"] and {c["doc_id"] for c in answer["citations"]} & staff_docs
        chat = http.post("/v1/chat/completions", json={"messages": [
            {"role": "user", "content": "Qu'est-ce que la méthode Marmotte ?"}]}).json()
        assert "Marmotte" in chat["choices"][0]["message"]["content"]
        figures = http.get("/api/figures", params={"q": "plan Hirondelle enveloppe", "k": 5}).json()
        assert any(f["value"] == "4 321 000 euros" or "4 321 000" in f["sentence"] for f in figures)
        for doc_id in staff_docs:
            assert http.get(f"/api/documents/{doc_id}").status_code == 200
        listing = http.get("/api/documents").json()
        assert {d["audience"] for d in listing} == {"public", "members", "staff"}


def test_buyer_reads_like_a_member(roles):
    with client(roles, "buyer") as http:
        body = http.get("/api/search", params={"q": "méthode Marmotte plan Hirondelle", "k": 10}).text
        assert not [w for w in STAFF_WORDS if w in body]
        assert "Vauban" in http.get("/api/search", params={"q": "cercle Vauban", "k": 3}).text


def test_clause_guides_follow_the_callers_audiences(roles):
    request = {"object": "fourniture de vêtements de travail pour les agents techniques", "amount": 180000,
               "types": ["propose"]}
    with client(roles, "member") as member, client(roles, "staff") as staff:
        as_member = member.post("/api/clauses", json=request)
        assert as_member.status_code == 200, as_member.text
        assert not [w for w in STAFF_WORDS if w in as_member.text]
        assert not [d for d in roles["docs"]["staff"] if d in as_member.text]
        # R2152-7 is also a heading of a (later) staff note: members get the Code's text as legal basis.
        bases = [b for c in as_member.json()["drafts"] for b in c["legal_basis"] if b["article_id"] == "R2152-7"]
        assert bases and all("Zéphyrin" not in b["text"] for b in bases)
        as_staff = staff.post("/api/clauses", json=request)
        assert as_staff.status_code == 200
        staff_bases = [b for c in as_staff.json()["drafts"] for b in c["legal_basis"] if b["article_id"] == "R2152-7"]
        assert any("Zéphyrin" in b["text"] for b in staff_bases)  # the staff note is the later version
        # Staff may get the internal guide's excerpts: the same request, a wider search.
        if "Marmotte" not in as_staff.text:
            pytest.skip("le générateur n'a retenu aucun extrait du guide interne pour ce marché")


def test_conversations_belong_to_their_owner(roles):
    with client(roles, "staff") as staff, client(roles, "member") as member, client(roles, None) as anonymous:
        asked = staff.post("/api/ask", json={"question": "Quelle est l'enveloppe du plan Hirondelle ?"}).json()
        cid, mid = asked["conversation_id"], asked["message_id"]
        assert "4 321 000" in staff.get(f"/api/conversations/{cid}").text
        assert cid in {c["conversation_id"] for c in staff.get("/api/conversations").json()}
        for other in (member, anonymous):
            assert cid not in {c["conversation_id"] for c in other.get("/api/conversations").json()}
            read = other.get(f"/api/conversations/{cid}")
            assert read.status_code == 404 and "Conversation inconnue" in read.json()["detail"]
            follow = other.post("/api/ask", json={"question": "et pour 2028 ?", "conversation_id": cid})
            assert follow.status_code == 404
            exported = other.post("/api/answers/docx", json={"conversation_id": cid, "message_id": mid})
            assert exported.status_code == 404
            rated = other.post("/api/feedback", json={"conversation_id": cid, "message_id": mid, "rating": "down"})
            assert rated.status_code == 404
        # The owner still continues and exports it.
        assert staff.post("/api/ask", json={"question": "et pour 2028 ?", "conversation_id": cid}).status_code == 200
        assert staff.post("/api/answers/docx", json={"conversation_id": cid, "message_id": mid}).status_code == 200
        # A member's conversation is hidden from another member (two accounts, same role).
        mine = member.post("/api/ask", json={"question": "Qu'est-ce que le cercle Vauban ?"}).json()["conversation_id"]
        with client(roles, "buyer") as buyer:
            assert buyer.get(f"/api/conversations/{mine}").status_code == 404
        assert member.get(f"/api/conversations/{mine}").status_code == 200


# --- in the browser --------------------------------------------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def test_browser_login_secure_cookie_on_loopback_and_csrf(roles):
    """Chromium keeps a Secure cookie on http://127.0.0.1 (a secure context); the chat's POSTs carry the
    CSRF token, so a logged-in staff member gets staff answers, and none after logging out."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from playwright.sync_api import expect

    if not CHROMIUM.exists():
        pytest.skip("Chromium absent (/usr/bin/chromium) : lancez `make test` (qui l'installe)")
    url = roles["url"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        context = browser.new_context(locale="fr-FR")
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{url}/")
        expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
        expect(page.get_by_role("link", name="Administration des documents")).to_be_hidden()  # anonymous
        page.get_by_role("link", name="Se connecter").click()
        expect(page).to_have_url(f"{url}/connexion")
        page.get_by_label("Nom d'utilisateur").fill("compte-staff")
        page.get_by_label("Mot de passe").fill("mauvais")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert")).to_have_text("Nom d'utilisateur ou mot de passe incorrect.")
        page.get_by_label("Mot de passe").fill("motdepasse-staff")
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(f"{url}/")
        expect(page.locator("#account")).to_contain_text("Connecté : compte-staff (équipe de l'Alliance)")
        expect(page.get_by_role("link", name="Administration des documents")).to_be_visible()  # staff
        cookie = next(c for c in context.cookies() if c["name"] == "alliance_session")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""  # HttpOnly: scripts never see the session

        def ask(question: str):
            page.get_by_label("Votre question", exact=True).fill(question)
            page.get_by_role("button", name="Envoyer").click()
            answer = page.locator(".message").last.locator(".answer")
            try:
                expect(answer).to_have_attribute("aria-busy", "false", timeout=180_000)
            except AssertionError:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "roles-reponse-bloquee.png"), full_page=True)
                raise
            return answer.inner_text()

        # The streamed POST /api/ask needs the CSRF token with the cookie: an answer proves both.
        assert "4 321 000" in ask("Quelle est l'enveloppe du plan Hirondelle ?")
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.locator("#account")).to_contain_text("Se connecter")
        assert not [c for c in context.cookies() if c["name"] == "alliance_session"]
        assert "4 321 000" not in ask("Quelle est l'enveloppe du plan Hirondelle ?")
        assert not errors, errors
        browser.close()


def test_briefs_follow_the_callers_audiences(roles):
    with client(roles, "member") as member, client(roles, "staff") as staff:
        if "/api/briefs" not in member.get("/openapi.json").json()["paths"]:
            pytest.skip("pas de générateur de notes dans cette version")
        topic = "plan Hirondelle : stratégie de plaidoyer sur la commande publique et la fabrication française"
        seen = Exposure(roles, ("staff",), STAFF_WORDS)
        as_member = member.post("/api/briefs", json={"topic": topic, "format": "note"})
        assert as_member.status_code == 200, as_member.text
        seen.check("brief", as_member.text, topic)
        assert not seen.leaks, seen.leaks
        as_staff = staff.post("/api/briefs", json={"topic": topic, "format": "note"})
        assert as_staff.status_code == 200
        assert [d for d in roles["docs"]["staff"] if d in as_staff.text], "le compte équipe doit voir la note interne"


def test_by_default_briefs_are_for_the_team_and_clauses_for_buyers_and_the_team(roles):
    # The deployment's default access (the test fixtures open every tool): who may use a tool is configuration.
    defaults = roles["settings"].model_copy(update={"clauses_roles": "buyer,staff,admin", "briefs_roles": "staff,admin",
                                                    "verify_roles": "staff,admin"})
    clause = {"object": "fourniture de vêtements de travail", "types": ["criteres-attribution"]}
    brief = {"topic": "La commande publique, levier de réindustrialisation", "format": "note"}
    with running_server(defaults) as url:
        def call(role, path, body):
            headers = {"Authorization": f"Bearer {roles['tokens'][role]}"} if role else {}
            with httpx.Client(base_url=url, headers=headers, timeout=300) as http:
                return http.post(path, json=body)

        anonymous = call(None, "/api/clauses", clause)
        assert anonymous.status_code == 401 and "Connexion requise" in anonymous.json()["detail"]
        assert "acheteur public" in anonymous.json()["detail"]
        assert call(None, "/api/briefs", brief).status_code == 401
        assert call("member", "/api/clauses", clause).status_code == 403
        assert call("member", "/api/briefs", brief).status_code == 403
        assert call("buyer", "/api/clauses", clause).status_code == 200
        refused = call("buyer", "/api/briefs", brief)
        assert refused.status_code == 403 and "équipe de l'Alliance" in refused.json()["detail"]
        assert call("staff", "/api/briefs", brief).status_code == 200
        draft = {"text": "Seuls 22 % des achats vont à la fabrication française."}
        assert call(None, "/api/verify", draft).status_code == 401
        assert call("member", "/api/verify", draft).status_code == 403
        assert call("staff", "/api/verify", draft).status_code == 200
        assert call(None, "/api/clauses/lint", {"text": "Les chaises sont fabriquées en France."}).status_code == 200
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {roles['tokens']['buyer']}"}) as http:
            me = http.get("/api/auth/me").json()
        assert me["tools"] == {"clauses": True, "briefs": False, "verify": False}
        assert me["tools_roles"]["briefs"] == ["équipe de l'Alliance", "administrateur"]


def test_a_role_list_is_checked_when_the_settings_are_read():
    from pydantic import ValidationError

    from assistant.config import Settings
    with pytest.raises(ValidationError, match="rôles inconnus"):
        Settings(briefs_roles="communication")
    assert Settings(clauses_roles=" public , buyer ").roles_for("clauses") == ("public", "buyer")


def test_the_fact_checker_uses_staff_passages_only_for_staff(roles):
    # The team's internal note (tests/data/roles) states a 37,5 % target and a 4 321 000 euros budget.
    draft = {"text": "Nous visons une hausse de 37,5 % des achats publics orientés vers la fabrication française. "
                     "Une enveloppe de 4 321 000 euros est prévue pour les rencontres avec les acheteurs publics."}
    seen = Exposure(roles, ("staff",), ("Hirondelle", "Zéphyrin"))
    with client(roles, "member") as member:
        as_member = member.post("/api/verify", json=draft)
    assert as_member.status_code == 200
    seen.check("verify", as_member.text)
    assert not seen.leaks, seen.leaks
    # For a member the internal figures are not confirmed (at most another public figure is set against them).
    assert "confirmed" not in {f["status"] for f in as_member.json()["findings"]}
    with client(roles, "staff") as staff:
        as_staff = staff.post("/api/verify", json=draft).json()
    assert [f["status"] for f in as_staff["findings"]] == ["confirmed", "confirmed"]
    assert {f["evidence"]["doc_id"] for f in as_staff["findings"]} <= set(roles["docs"]["staff"])


def test_people_and_articles_of_internal_documents_are_not_shown_to_members(roles):
    # tests/data/roles holds internal documents; whatever they say of people or articles stays with the team.
    seen = Exposure(roles, ("staff",), ("Hirondelle", "Zéphyrin", "Marmotte"))
    drafts = ["Selon la méthode Marmotte, une clause sociale réserve au moins 7 % des heures de travail.",
              "L'article R2111-1 impose à l'acheteur de définir ses besoins avant le lancement de la consultation."]
    with client(roles, "member") as member:
        for text in drafts:
            response = member.post("/api/verify", json={"text": text})
            assert response.status_code == 200
            seen.check("verify", response.text, text)
    assert not seen.leaks, seen.leaks
