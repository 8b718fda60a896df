"""End to end in Debian's Chromium (Playwright, never a browser download) against a real uvicorn server:
ask, watch the streamed answer, preview a citation, open its source at the passage, export to Word,
give feedback; plus keyboard, phone layout and escaping checks. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest

from assistant.answer.conversations import ConversationStore
from assistant.render.footnotes import Footnotes, footnote_references
from assistant.services.feedback import FeedbackStore, feedback_path
from tests.conftest import ROOT
from tests.support.questions import PARTIAL_MISSING, PARTIAL_QUESTION
from tests.support.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
QUESTION = "Quelle part des achats est orientée vers la fabrication française ?"
ANSWER_TIMEOUT = 180_000  # ms: the engine shares two cores with everything else during `make test`

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - playwright is in the dev dependencies
    sync_playwright = None

if sync_playwright is None or not CHROMIUM.exists():
    reason = ("Chromium absent (/usr/bin/chromium) : lancez `make test` (qui l'installe) ou "
              "`apt-get install -y chromium`" if sync_playwright else "paquet playwright absent")
    if os.environ.get("CI"):
        raise RuntimeError(f"Tests du navigateur impossibles en CI : {reason}")
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def base_url(shared_settings):
    with running_server(shared_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(accept_downloads=True, locale="fr-FR", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


def ask(page, question: str):
    page.get_by_label("Votre question", exact=True).fill(question)
    page.get_by_role("button", name="Envoyer").click()
    answer = page.locator(".message").last.locator(".answer")
    expect(answer).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT)
    return answer


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), full_page=True)


def test_ask_cite_open_export_feedback(context, base_url, shared_settings, tmp_path):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/")
    expect(page.get_by_role("tab", name="Questions")).to_have_attribute("aria-selected", "true")

    answer = ask(page, QUESTION)
    assert int(answer.get_attribute("data-deltas") or 0) >= 1  # text arrived as SSE deltas before the end
    expect(answer.locator(".answer-text")).not_to_be_empty()
    expect(answer.locator(".sources li").first).to_be_visible()
    shot(page, "1-reponse")

    # Hover a citation marker: the preview shows the quoted passage.
    marker = answer.locator(".cite-btn").first
    marker.hover()
    preview = answer.locator(".preview").first
    expect(preview).to_be_visible()
    quote = preview.locator(".preview-quote").inner_text()
    assert len(quote) > 20
    shot(page, "2-apercu-citation")

    # Open the source: the document page scrolls to the passage and highlights the quote.
    link = preview.get_by_role("link", name="Ouvrir le document au passage cité")
    anchor = unquote(link.get_attribute("href").split("#", 1)[1])
    with context.expect_page() as opened:
        link.click()
    doc = opened.value
    doc.wait_for_load_state()
    passage = doc.locator(".passage.highlight")
    expect(passage).to_have_count(1)
    expect(passage).to_be_in_viewport()
    assert passage.get_attribute("id") == anchor
    mark = passage.locator("mark.quote-mark")
    expect(mark).to_have_count(1)
    assert " ".join(mark.inner_text().split()) == " ".join(quote.split())
    expect(doc.get_by_role("status")).to_have_text(re.compile("Passage cité surligné"))
    doc.screenshot(path=str(ARTIFACTS / "e2e-3-source-surlignee.png"))
    doc.close()

    # Word export: the downloaded file re-opens with python-docx and has one footnote per marker.
    with page.expect_download() as download:
        answer.get_by_role("button", name="Exporter en Word").click()
    target = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name.startswith("reponse-quelle-part-des-achats") and target.suffix == ".docx"
    exported = docx.Document(str(target))
    notes = Footnotes.of(exported).texts()
    assert notes and len(footnote_references(exported)) == len(notes)
    assert any(" ".join(quote.split()) in " ".join(n.split()) for n in notes.values())

    # Feedback: thumbs up, then a comment; both rows are stored.
    answer.get_by_role("button", name="Réponse utile", exact=True).click()
    expect(answer.get_by_role("button", name="Réponse utile", exact=True)).to_have_attribute("aria-pressed", "true")
    answer.get_by_label("Commentaire (facultatif)").fill("Très clair, merci.")
    answer.get_by_role("button", name="Envoyer le commentaire").click()
    expect(answer.locator(".feedback-thanks")).to_have_text("Merci, votre commentaire est enregistré.")
    shot(page, "4-avis")
    article = page.locator(".message").last
    conversations = ConversationStore(shared_settings.conversations_path)
    rows = FeedbackStore(feedback_path(shared_settings.data_dir), conversations).for_message(
        article.get_attribute("data-conversation-id"), article.get_attribute("data-message-id"))
    assert [(r["rating"], r["comment"]) for r in rows] == [("up", None), ("up", "Très clair, merci.")]

    # The conversation is in the sidebar, and reopening it shows the cited answer again.
    item = page.locator(".history-item").first
    expect(item).to_contain_text(QUESTION[:30])
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(page.locator(".message")).to_have_count(0)
    item.click()
    expect(page.locator(".message .cite-btn").first).to_be_visible()
    assert not errors, errors


def test_keyboard_escaping_and_search_tab(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}/")
    hostile = '<img src=x onerror="window.__pwned=1"> Et les <b>PME</b> ?'
    ask(page, hostile)
    assert page.locator(".message .question p").last.inner_text() == hostile  # shown as text
    assert page.locator(".message img, .message b").count() == 0 and page.evaluate("window.__pwned") is None

    # A subject the documents do not cover: the refusal says why, with documents to look at instead.
    refused = ask(page, "Comment obtenir un prêt garanti par l'État ?")
    expect(refused.locator(".notice.abstained")).to_contain_text(
        "Motif : les documents de l'Alliance ne traitent pas du financement des entreprises")
    expect(refused.locator(".sources h3")).to_have_text("Documents proches à consulter")

    answer = ask(page, QUESTION)

    # « Copier » puts the answer and its sources in the clipboard.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    answer.get_by_role("button", name="Copier").click()
    expect(page.locator("#chat-status")).to_have_text("Réponse copiée dans le presse-papiers.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[1]" in copied and "\n\nSources :\n[1] " in copied

    # Keyboard only: Tab reaches the first citation, its preview opens on focus and Escape closes it.
    marker = answer.locator(".cite-btn").first
    marker.focus()
    expect(answer.locator(".preview").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(answer.locator(".preview").first).to_be_hidden()
    expect(marker).to_be_focused()

    # Empty question: a French message, no request.
    page.get_by_label("Votre question", exact=True).fill("   ")
    page.get_by_label("Votre question", exact=True).press("Enter")
    expect(page.locator("#chat-status")).to_have_text("Écrivez une question.")

    # The search tab, reached with the arrow keys.
    page.get_by_role("tab", name="Questions").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Recherche")).to_have_attribute("aria-selected", "true")
    page.get_by_label(re.compile("référence d'article")).fill("R2152-7")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results li").first).to_contain_text("R2152-7")
    shot(page, "5-recherche")


def _contrast(page, locator) -> float:
    """WCAG contrast ratio of an element's text colour on its own background colour."""
    colours = locator.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")

    def luminance(css: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_partial_answer_is_labelled_and_says_what_is_missing_apart(context, base_url):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/")

    answer = ask(page, PARTIAL_QUESTION)
    expect(answer).to_have_attribute("data-status", "partial")
    badge = answer.locator(".partial-badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Réponse partielle")
    expect(answer.get_by_role("note").filter(has_text="Réponse partielle")).to_contain_text("qu'à une partie de la question")
    assert _contrast(page, badge) >= 4.5
    block = answer.get_by_role("region", name="Ce que les documents ne disent pas")
    expect(block).to_be_visible()
    expect(block.locator("li")).to_have_count(1)
    missing = block.locator("li").first.inner_text()
    assert PARTIAL_MISSING in missing and _contrast(page, block) >= 4.5
    # The cited text keeps only what the passages say: the missing sentence is shown once, in its block.
    expect(answer.locator(".answer-text .cite-btn").first).to_be_visible()
    assert missing not in answer.locator(".answer-text").inner_text()
    assert answer.inner_text().count(missing) == 1
    expect(page.locator("#chat-status")).to_have_text(re.compile("^Réponse partielle reçue"))
    shot(page, "7-reponse-partielle")

    # Answers and refusals look as before: no badge, no block.
    full = ask(page, QUESTION)
    refused = ask(page, "Comment obtenir un prêt garanti par l'État ?")
    for other in (full, refused):
        expect(other.locator(".partial-badge, .missing")).to_have_count(0)
    expect(page.locator("#chat-status")).to_have_text("Pas de réponse trouvée dans les documents.")

    # Reopened from the history, the stored answer is still partial.
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(page.locator(".message")).to_have_count(0)
    page.locator(".history-item").filter(has_text=PARTIAL_QUESTION[:30]).first.click()
    reopened = page.locator(".message .answer").first
    expect(reopened.locator(".partial-badge")).to_have_text("Réponse partielle")
    expect(reopened.get_by_role("region", name="Ce que les documents ne disent pas")).to_contain_text(missing)
    assert not errors, errors


def test_phone_layout(browser, base_url):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR")
    try:
        page = ctx.new_page()
        page.goto(f"{base_url}/")
        expect(page.get_by_role("button", name="Afficher")).to_be_visible()  # history folded on phones
        answer = ask(page, QUESTION)
        answer.locator(".cite-btn").first.tap()
        expect(answer.locator(".preview").first).to_be_visible()
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1] + 1, f"défilement horizontal sur téléphone : {width}"
        shot(page, "6-telephone")
        # The conversations opened (with a long title) and every tab: still no horizontal scroll, every tab's
        # name shown whole.
        page.keyboard.press("Escape")  # closes the source preview
        expect(answer.locator(".preview").first).to_be_hidden()
        ask(page, "Quelles informations l'acheteur doit-il communiquer aux candidats dont l'offre n'a pas été "
                  "retenue, une fois le marché attribué ?")
        page.get_by_role("button", name="Afficher").tap()
        expect(page.locator("#history-list li").first).to_be_visible()
        for name in ["Questions", "Recherche", "Clauses", "Notes & communiqués"]:
            tab = page.get_by_role("tab", name=name)
            tab.tap()
            box = tab.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391, f"onglet « {name} » coupé : {box}"
            width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                        && e.offsetParent !== null).slice(0, 5).map((e) => e.id || e.className || e.tagName)""")
            assert width[0] <= width[1] + 1, f"défilement horizontal sur téléphone ({name}) : {width} {wide}"
        page.get_by_role("tab", name="Questions").tap()
        shot(page, "7-telephone-conversations")
    finally:
        ctx.close()


def test_a_buyer_situation_reads_as_a_checklist(context, base_url):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/")
    answer = ask(page, "Fournitures de 52 000 € HT sur trois mois : écrit ? avance ?")
    items = answer.locator(".answer-text .answer-item")
    # The written contract, the advance, then the rate the Code sets for the advance that applies.
    expect(items).to_have_count(3)
    headings = items.locator(".answer-heading")
    expect(headings.first).to_contain_text("Contrat écrit — article R2112-1 : obligatoire ici")
    expect(headings.nth(1)).to_contain_text("Avance — article R2191-3 : obligatoire ici")
    expect(headings.nth(2)).to_contain_text("Avance : montant — article R2191-7")
    # Each line cites its article; the computed heading itself carries no citation.
    for i in range(3):
        expect(items.nth(i).locator(".cite-btn")).to_have_count(1)
        expect(headings.nth(i).locator(".cite-btn")).to_have_count(0)
    shot(page, "situation-checklist")
    # Two purchases in one question: each under its own line, each point still a checklist item with its heading.
    answer = ask(page, "Deux marchés distincts : le premier, des fournitures à 30 000 € HT sur trois mois ; le second, "
                       "des travaux à 70 000 € HT sur cinq mois. Une avance est-elle due ?")
    expect(answer.locator(".answer-text")).to_contain_text("Achat 1 — 30 000 € HT")
    expect(answer.locator(".answer-text")).to_contain_text("Achat 2 — 70 000 € HT")
    points = answer.locator(".answer-text .answer-item .answer-heading")
    expect(points.filter(has_text="Avance — article R2191-3 : pas obligatoire ici")).to_have_count(1)
    expect(points.filter(has_text="Avance — article R2191-3 : obligatoire ici")).to_have_count(1)
    assert not errors


def test_a_question_past_the_limit_is_kept_and_refused_with_a_message(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}/")
    long_question = "Quelles règles pour les marchés de fournitures ? " * 100  # about 5 000 characters
    box = page.locator("#question")
    box.fill(long_question)
    counter = page.locator("#question-count")
    expect(counter).to_have_class(re.compile(r"\bover-limit\b"))
    expect(counter).to_have_text(f"{len(long_question)} / 2000")
    expect(box).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#chat-status")).to_contain_text("la limite est de 2")
    assert box.input_value() == long_question  # nothing cut, nothing sent
    assert page.locator(".answer, .message.assistant").count() == 0
    box.fill("Quel est le seuil ?")
    expect(counter).not_to_have_class(re.compile(r"\bover-limit\b"))


def test_the_tab_follows_the_hash_both_ways(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.get_by_role("tab", name="Clauses").click()
    assert page.evaluate("location.hash") == "#clauses"
    hashes = page.eval_on_selector_all('[role="tab"][data-hash]', "els => els.map(e => [e.id, e.dataset.hash])")
    for tab_id, hash_ in hashes:
        page.evaluate(f"location.hash = '#{hash_}'")  # a link within the page, or typed in the address bar
        expect(page.locator(f"#{tab_id}")).to_have_attribute("aria-selected", "true")
    page.go_back()  # the history: the previous hash's tab again
    expect(page.locator(f"#{hashes[-2][0]}")).to_have_attribute("aria-selected", "true")


def test_a_reload_keeps_the_conversation_and_offers_an_interrupted_question_again(context, base_url):
    page = context.new_page()
    page.goto(f"{base_url}/")
    ask(page, "Sous combien de jours un département règle-t-il ses factures ?")
    expect(page).to_have_url(re.compile(r"[?&]conversation=[\w-]+"))
    page.reload()
    expect(page.locator(".message .question").first).to_contain_text("un département règle-t-il")
    expect(page.locator(".message .answer").first).to_have_attribute("aria-busy", "false")
    # A question whose answer the reload cut: offered again in one click.
    page.evaluate("""sessionStorage.setItem('alliance-question-en-cours',
        JSON.stringify({question: 'Et pour un hôpital ?', conversationId: null}))""")
    page.reload()
    offer = page.locator(".pending-question")
    expect(offer).to_contain_text("Et pour un hôpital ?")
    offer.get_by_role("button", name="Reposer la question").click()
    expect(page.locator(".message").last.locator(".question")).to_contain_text("Et pour un hôpital ?")
    expect(page.locator(".message").last.locator(".answer")).to_have_attribute("aria-busy", "false", timeout=ANSWER_TIMEOUT)
    assert page.locator(".message").count() == 2  # asked within the same conversation
    page.reload()
    expect(page.locator(".pending-question")).to_have_count(0)  # answered: nothing left to offer
