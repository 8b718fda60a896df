"""Every page and tab at 1366×900 and at 390×844 (a phone), in Debian's Chromium: nothing wider than the viewport,
every tab reachable, axe-core without serious violation; a screenshot of each goes to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import _serious
from tests.browser.test_web_e2e import ARTIFACTS, base_url, browser, expect  # noqa: F401 (fixtures)

SIZES = {"bureau": {"width": 1366, "height": 900}, "telephone": {"width": 390, "height": 844}}
TABS = ["Questions", "Recherche", "Clauses", "Notes & communiqués"]
PAGES = ["/connexion", "/docs", "/administration", "document"]

WIDER = """() => Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
            && !e.closest('.tabs'))  /* the tab bar scrolls on its own */
    .slice(0, 5).map((e) => e.id || e.className || e.tagName)"""


def _fits(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"page plus large que l'écran : {width}, {page.evaluate(WIDER)}"
    assert not page.evaluate(WIDER), page.evaluate(WIDER)


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser):  # noqa: F811
    ctx = browser.new_context(viewport=SIZES[request.param], locale="fr-FR",
                              is_mobile=request.param == "telephone", has_touch=request.param == "telephone")
    ctx.set_default_timeout(30_000)
    yield request.param, ctx
    ctx.close()


def test_every_tab_fits_and_is_reachable(sized, base_url):  # noqa: F811
    size, ctx = sized
    page = ctx.new_page()
    page.goto(f"{base_url}/")
    for name in TABS:
        tab = page.get_by_role("tab", name=name)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size]["width"] + 1, (name, box)
        _fits(page)
        assert not _serious(page, f"{size}-{name.split()[0].lower()}"), (size, name)
        page.screenshot(path=str(ARTIFACTS / f"mise-en-page-{size}-{name.split()[0].lower()}.png"), full_page=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits(sized, base_url, path):  # noqa: F811
    size, ctx = sized
    page = ctx.new_page()
    if path == "document":  # a long article of the Code, as a reader opens it from a citation
        docs = page.request.get(f"{base_url}/api/documents").json()
        path = "/documents/" + next(d["doc_id"] for d in docs if d["doc_type"] == "procurement_law")
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).not_to_contain_text("introuvable")
    _fits(page)
    assert not _serious(page, f"{size}-{path.strip('/').split('/')[0]}"), (size, path)
    page.screenshot(path=str(ARTIFACTS / f"mise-en-page-{size}-{path.strip('/').split('/')[0]}.png"), full_page=True)


def test_the_clause_form_with_parameters_open_fits(sized, base_url):  # noqa: F811
    size, ctx = sized
    page = ctx.new_page()
    page.goto(f"{base_url}/#clauses")
    page.get_by_label("Critères d'attribution", exact=False).first.check()
    page.get_by_label("Coût du cycle de vie", exact=False).first.check()
    expect(page.locator("#param-criteres-attribution-poids_prix")).to_be_visible()
    # Every field is wide enough for its value and its label is not squeezed into a narrow column.
    narrow = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#clauses-form input:not([type=checkbox]), #clauses-form select, #clauses-form textarea'))
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().width < 80).map((e) => e.id)""")
    assert not narrow, f"champs trop étroits ({size}) : {narrow}"
    squeezed = page.evaluate("""() => Array.from(document.querySelectorAll('#clause-types-list .type-option > label'))
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().width < 120).map((e) => e.textContent)""")
    assert not squeezed, f"libellés écrasés ({size}) : {squeezed}"
    _fits(page)
    page.locator("#clauses-form").screenshot(path=str(ARTIFACTS / f"clauses-parametres-{size}.png"))
