"""End to end in Debian's Chromium: the « Clauses » tab (form, live preview of the drafts with their legal
basis, Word download, linter on pasted text, French errors). Reuses the server and browser fixtures of
test_web_e2e; screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import docx

from tests.browser.test_web_e2e import ARTIFACTS, base_url, browser, context, expect  # noqa: F401 (fixtures)

OBJECT = "fourniture de vêtements de travail pour les agents techniques"
DRAFT_TIMEOUT = 180_000  # ms: retrieval shares two cores with other test runs


def open_clauses(page, url: str) -> None:
    page.goto(f"{url}/")
    page.get_by_role("tab", name="Clauses").click()
    expect(page.get_by_role("tab", name="Clauses")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#clause-types-list input[type=checkbox]").first).to_be_visible()


def test_clauses_tab(context, base_url):  # noqa: F811
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_clauses(page, base_url)
    assert page.locator("#clause-types-list input[type=checkbox]").count() >= 15
    expect(page.get_by_label("Durabilité, réparabilité et disponibilité des pièces détachées")).to_be_visible()

    # Missing object: a French message in the alert region, no request.
    page.get_by_role("button", name="Rédiger les clauses").click()
    expect(page.get_by_role("alert")).to_contain_text("objet du marché")

    page.get_by_label("Objet du marché").fill(OBJECT)
    page.get_by_label("Montant estimé (€ HT)").fill("180000")
    page.get_by_label("Acheteur", exact=True).fill("Commune de Saint-Exemple")
    page.get_by_label("Durée (mois)").fill("36")
    # A clause type's parameters appear once it is checked; the weight typed here is the one drafted.
    criteria = page.get_by_label("Critères d'attribution", exact=False).first
    weight = page.locator("#param-criteres-attribution-poids_prix")
    expect(weight).to_be_hidden()
    criteria.check()
    expect(weight).to_be_visible()
    weight.fill("45")
    page.locator("#param-criteres-attribution-poids_technique").fill("30")  # the weights must add up to 100
    expect(page.get_by_label("Proposer les clauses adaptées")).to_be_checked()
    page.get_by_role("button", name="Rédiger les clauses").click()
    expect(page.locator("#clauses-preview")).to_have_attribute("aria-busy", "false", timeout=DRAFT_TIMEOUT)
    expect(page.locator("#clauses-status")).to_have_text(re.compile(r"clause\(s\) rédigée"), timeout=DRAFT_TIMEOUT)
    expect(page.locator("#clauses-alert")).to_be_empty()

    drafts = page.locator("article.draft")
    assert drafts.count() >= 3
    for i in range(drafts.count()):
        draft = drafts.nth(i)
        expect(draft.locator(".badge")).to_have_text(re.compile(r"^(RC|CCAP|CCTP|AE)$"))
        assert draft.locator(".clause-text").inner_text().strip()
        basis = draft.locator(".legal-basis li")
        assert basis.count() >= 1, draft.locator("h3").inner_text()
        assert re.match(r"^(?:[LRD]\d+(?:-\d+)*|CCAG-FCS-\d+)$", basis.first.locator(".article-id").inner_text())
    assert page.locator("article.draft .finding").count() == 0  # no draft trips the linter

    criteria_card = page.locator('article.draft[data-type-id="criteres-attribution"]')
    expect(criteria_card.locator(".clause-text")).to_contain_text("45 %")
    # The drafts' Markdown is shown as text with its structure, never as raw syntax.
    expect(criteria_card.locator(".clause-text table.md-table")).to_be_visible()
    expect(criteria_card.locator(".clause-text strong").first).to_be_visible()
    for i in range(drafts.count()):
        shown = drafts.nth(i).locator(".clause-text").inner_text()
        assert not re.search(r"^#{1,6} |\*\*|^\|?-{3,}", shown, re.M), shown[:300]

    # The article text is folded in a <details>; opening it shows the text.
    first_basis = drafts.first.locator(".legal-basis details").first
    first_basis.locator("summary").click()
    expect(first_basis.locator(".article-text")).to_be_visible()
    assert len(first_basis.locator(".article-text").inner_text()) > 40
    page.screenshot(path=str(ARTIFACTS / "clauses-1-apercu.png"), full_page=True)

    # Word download, re-opened with python-docx.
    with page.expect_download(timeout=DRAFT_TIMEOUT) as download:
        page.get_by_role("button", name="Télécharger en Word").click()
    target = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name.startswith("clauses-fourniture-de-vetements") and target.suffix == ".docx"
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert OBJECT in text and "Fondements juridiques" in text and "Commune de Saint-Exemple" in text
    with page.expect_download(timeout=DRAFT_TIMEOUT) as download:
        page.get_by_role("button", name="Télécharger en Markdown").click()
    markdown = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(markdown)
    assert markdown.suffix == ".md" and OBJECT in markdown.read_text(encoding="utf-8")

    # Linter on pasted text: the origin requirement is quoted with its rule and a rewrite.
    page.get_by_label("Texte d'une clause à vérifier").fill(
        "Les vêtements livrés seront des produits fabriqués en France, en coton biologique.")
    page.get_by_role("button", name="Vérifier", exact=True).click()
    finding = page.locator("#lint-results .finding").first
    expect(finding).to_be_visible()
    expect(finding.locator(".finding-quote")).to_contain_text(re.compile("fabriqués en France", re.I))
    expect(finding).to_contain_text("Réécriture proposée")
    expect(finding).to_contain_text("L3")
    page.locator("#lint-form").screenshot(path=str(ARTIFACTS / "clauses-2-verification.png"))
    assert not errors, errors


def test_clauses_escaping_and_phone(browser, base_url):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fr-FR")
    try:
        page = ctx.new_page()
        page.goto(f"{base_url}/#clauses")
        expect(page.get_by_role("tab", name="Clauses")).to_have_attribute("aria-selected", "true")
        hostile = '<img src=x onerror="window.__pwned=1"> Fabriqué en France'
        page.get_by_label("Texte d'une clause à vérifier").fill(hostile)
        page.get_by_role("button", name="Vérifier", exact=True).click()
        expect(page.locator("#lint-results .finding").first).to_be_visible()
        assert page.locator("#panel-clauses img").count() == 0 and page.evaluate("window.__pwned") is None
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1] + 1, f"défilement horizontal sur téléphone : {width}"
        page.screenshot(path=str(ARTIFACTS / "clauses-3-telephone.png"), full_page=True)

        # Drafting on the phone, a clause type's parameters open: every field is wide enough to read its value,
        # the results below the form are brought into view with their status line.
        page.get_by_label("Objet du marché").fill(OBJECT)
        page.get_by_label("Critères d'attribution", exact=False).first.check()
        narrow = page.evaluate("""() => Array.from(document.querySelectorAll(
            '#clauses-form input:not([type=checkbox]), #clauses-form select, #clauses-form textarea'))
            .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().width < 80).map((e) => e.id)""")
        assert not narrow, f"champs trop étroits : {narrow}"
        page.get_by_role("button", name="Rédiger les clauses").click()
        status = page.locator("#clauses-status")
        expect(status).to_have_text(re.compile(r"clause\(s\) rédigée"), timeout=DRAFT_TIMEOUT)
        expect(status).to_be_in_viewport()
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1] + 1, f"défilement horizontal après rédaction : {width}"
        page.screenshot(path=str(ARTIFACTS / "clauses-4-telephone-resultats.png"))
    finally:
        ctx.close()


def test_an_unlawful_object_is_refused_and_rewritten_in_one_click(context, base_url):  # noqa: F811
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_clauses(page, base_url)
    page.get_by_label("Objet du marché").fill("mobilier scolaire fabriqué en France auprès d'entreprises locales")
    page.get_by_label("Critères d'attribution", exact=False).first.check()
    page.get_by_role("button", name="Rédiger les clauses").click()
    refusal = page.locator("#clauses-alert .refusal")
    expect(refusal).to_contain_text("Rédaction refusée", timeout=DRAFT_TIMEOUT)
    expect(refusal.locator(".finding-quote").first).to_have_text("fabriqué en France")
    expect(refusal).to_contain_text("L3")
    expect(refusal.locator(".rewrite")).to_contain_text("« mobilier scolaire »")
    assert page.locator("article.draft").count() == 0  # nothing drafted
    page.screenshot(path=str(ARTIFACTS / "clauses-3-refus.png"), full_page=True)

    refusal.get_by_role("button", name="Utiliser cette formulation et rédiger").click()
    expect(page.get_by_label("Objet du marché")).to_have_value("mobilier scolaire")
    expect(page.locator("#clauses-status")).to_have_text(re.compile(r"clause\(s\) rédigée"), timeout=DRAFT_TIMEOUT)
    expect(page.locator("#clauses-alert")).to_be_empty()
    assert page.locator("article.draft").count() >= 1
    assert not errors, errors


def test_a_tool_the_role_may_not_use_is_hidden_and_the_way_in_explained(browser, shared_settings):  # noqa: F811
    from tests.support.servers import running_server
    defaults = shared_settings.model_copy(update={"clauses_roles": "buyer,staff,admin", "briefs_roles": "staff,admin"})
    with running_server(defaults) as url:
        ctx = browser.new_context(locale="fr-FR")
        try:
            page = ctx.new_page()
            page.goto(f"{url}/#clauses")
            notice = page.locator("#acces-clauses")
            expect(notice).to_contain_text("réservée aux comptes acheteur public")
            expect(notice.get_by_role("link", name="Se connecter")).to_have_attribute("href", "/connexion")
            expect(page.locator("#clauses-form")).to_be_hidden()
            expect(page.locator("#lint-form")).to_be_visible()  # checking a text stays open to all
            page.get_by_role("tab", name="Notes & communiqués").click()
            expect(page.locator("#acces-briefs")).to_contain_text("équipe de l'Alliance")
            expect(page.locator("#briefs-form")).to_be_hidden()
        finally:
            ctx.close()
