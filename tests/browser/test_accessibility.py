"""axe-core (shipped by the PyPI package axe-playwright-python) on every page and tab of the web app, in Debian's
Chromium: no serious or critical violation. The full report of any violation goes to test-artifacts/."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_web_e2e import ARTIFACTS, ask, base_url, browser, context, expect  # noqa: F401 (fixtures)

SERIOUS = {"serious", "critical"}


def _serious(page, name: str) -> list[str]:
    results = Axe().run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    if found:
        (ARTIFACTS / f"axe-{name}.txt").write_text(results.generate_report(), encoding="utf-8")
    return [f"{v['id']} ({v['impact']}) : {len(v['nodes'])} élément(s), ex. {v['nodes'][0]['target']}" for v in found]


@pytest.mark.parametrize("tab", ["Questions", "Recherche", "Clauses", "Notes & communiqués"])
def test_every_tab_has_no_serious_violation(context, base_url, tab):  # noqa: F811
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.get_by_role("tab", name=tab).click()
    expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
    assert not _serious(page, f"onglet-{tab.split()[0].lower()}"), tab


def test_an_answer_with_its_sources_has_no_serious_violation(context, base_url):  # noqa: F811
    page = context.new_page()
    page.goto(f"{base_url}/")
    ask(page, "Quelles pièces un candidat remet-il avec sa candidature ?")
    assert not _serious(page, "reponse")


@pytest.mark.parametrize("path", ["/connexion", "/docs", "/administration",
                                  "/documents/commande-publique/code/073-deuxieme-partie-marches-publics-livre-ie-titre-v-phase-d-offre"])
def test_every_page_has_no_serious_violation(context, base_url, path):  # noqa: F811
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    assert not _serious(page, path.strip("/").split("/")[0] or "accueil"), path


def test_drafted_clauses_and_a_refusal_have_no_serious_violation(context, base_url):  # noqa: F811
    page = context.new_page()
    page.goto(f"{base_url}/#clauses")
    page.get_by_label("Objet du marché").fill("fourniture de mobilier scolaire fabriqué en France")
    page.get_by_label("Critères d'attribution", exact=False).first.check()
    page.get_by_role("button", name="Rédiger les clauses").click()
    expect(page.locator("#clauses-alert .refusal")).to_be_visible(timeout=180_000)
    assert not _serious(page, "clauses-refus")
    page.locator("#clauses-alert .refusal").get_by_role("button").click()
    expect(page.locator("#clauses-status")).to_contain_text("rédigée", timeout=180_000)
    assert not _serious(page, "clauses-redigees")
