"""End to end in Debian's Chromium: the « Notes & communiqués » tab (form, preview with citation previews,
per-section regenerate, Word and Markdown downloads, French errors). Reuses the server and browser fixtures
of test_web_e2e; screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import docx

from assistant.render.footnotes import Footnotes
from tests.browser.test_web_e2e import ARTIFACTS, base_url, browser, context, expect  # noqa: F401 (fixtures)

TOPIC = "La commande publique, levier de réindustrialisation"
DRAFT_TIMEOUT = 180_000  # ms: retrieval shares two cores with other test runs


def test_briefs_tab(context, base_url):  # noqa: F811
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/#notes")
    expect(page.get_by_role("tab", name="Notes & communiqués")).to_have_attribute("aria-selected", "true")

    # Empty topic: a French message, no request.
    page.get_by_role("button", name="Rédiger", exact=True).click()
    expect(page.locator("#briefs-alert")).to_contain_text("sujet")

    # Out-of-scope topic: the server's French refusal is shown.
    page.get_by_label("Sujet").fill("recette de la tarte tatin")
    page.get_by_role("button", name="Rédiger", exact=True).click()
    expect(page.locator("#briefs-alert")).to_contain_text("ne traitent pas", timeout=DRAFT_TIMEOUT)

    page.get_by_label("Sujet").fill(TOPIC)
    page.get_by_label("Format").select_option("note")
    page.get_by_label("Public").select_option("elus")
    page.get_by_role("button", name="Rédiger", exact=True).click()
    expect(page.locator("#briefs-status")).to_have_text(re.compile(r"Document prêt"), timeout=DRAFT_TIMEOUT)
    expect(page.locator("#briefs-alert")).to_be_empty()
    preview = page.locator("#briefs-preview")
    expect(preview.locator("h2")).to_have_text(f"Note de plaidoyer — {TOPIC}")
    sections = preview.locator("section.brief-section")
    assert sections.count() == 6  # with the « Cadre juridique » part
    assert preview.locator("sup.cite").count() >= 8
    synthese_before = preview.locator('section[data-section="synthese"] li').first.inner_text()
    # A citation marker previews its quoted passage.
    marker = preview.locator("sup.cite button").first
    marker.focus()
    expect(preview.locator("sup.cite .preview").first).to_be_visible()
    assert preview.locator("sup.cite .preview-quote").first.inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "notes-1-apercu.png"), full_page=True)
    page.keyboard.press("Escape")

    # Regenerate one section: its sentences change, the others stay.
    figures = preview.locator('section[data-section="chiffres"]')
    before = figures.locator("li").all_inner_texts()
    figures.get_by_role("button", name="Régénérer cette section").click()
    expect(page.locator("#briefs-status")).to_have_text(re.compile("régénérée"), timeout=DRAFT_TIMEOUT)
    after = preview.locator('section[data-section="chiffres"] li').all_inner_texts()
    assert after and not set(after) & set(before)
    assert preview.locator('section[data-section="synthese"] li').first.inner_text() == synthese_before

    # Downloads: what is previewed (regenerated section included) is what is exported.
    with page.expect_download(timeout=DRAFT_TIMEOUT) as download:
        page.get_by_role("button", name="Télécharger en Word", exact=True).click()
    target = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name.startswith("note-la-commande-publique") and target.suffix == ".docx"
    document = docx.Document(str(target))
    assert Footnotes.of(document).texts()
    body = "\n".join(p.text for p in document.paragraphs)
    assert TOPIC in body and "Sources" in body
    first_new = re.sub(r"\d+$", "", after[0]).strip()[:60]
    assert first_new.split(" — ")[-1][:40] in body
    with page.expect_download(timeout=DRAFT_TIMEOUT) as download:
        page.get_by_role("button", name="Télécharger en Markdown", exact=True).click()
    markdown = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(markdown)
    assert markdown.read_text(encoding="utf-8").startswith(f"# Note de plaidoyer — {TOPIC}")
    assert not errors, errors


def test_review_items_sit_apart_from_the_document(context, base_url):  # noqa: F811
    page = context.new_page()
    page.goto(f"{base_url}/#notes")
    page.get_by_label("Sujet", exact=False).first.fill("La commande publique, levier de réindustrialisation")
    page.get_by_role("button", name=re.compile("Rédiger")).click()
    preview = page.locator("#briefs-preview")
    expect(preview).to_have_attribute("aria-busy", "false", timeout=180_000)
    expect(preview.locator(".brief-title")).to_be_visible(timeout=180_000)
    assert "vigilance" not in preview.inner_text().lower()
    # This note quotes a guide older than three years: its review item is in its own panel, with its own download.
    review = page.locator("#briefs-review")
    expect(review).to_contain_text("ne figurent pas dans le document exporté")
    expect(review).to_contain_text("ans")
    expect(review.get_by_role("button", name="Télécharger la fiche de relecture")).to_be_visible()


def test_verify_a_text_panel(context, base_url, tmp_path):  # noqa: F811
    """« Vérifier un texte »: a pasted draft, then a Word file; findings listed with what to correct first, the
    Word export re-read with its comments."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/#notes")
    form = page.locator("#verify-form")
    form.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.locator("#verify-alert")).to_contain_text("Collez le texte")

    form.get_by_label("Texte à vérifier").fill(
        "La commande publique pèse chaque année plus de 100 milliards d'euros.\n"
        "Aujourd'hui, seuls 27 % des achats vont à la fabrication française.")
    form.get_by_role("button", name="Vérifier", exact=True).click()
    summary = page.locator("#verify-summary")
    expect(summary).to_have_text("2 chiffres : 1 confirmé, 1 différent", timeout=DRAFT_TIMEOUT)
    findings = page.locator("#verify-results li.finding")
    expect(findings).to_have_count(2)
    # What to correct comes first, with the source's value.
    expect(findings.first).to_contain_text("Différent dans les sources")
    expect(findings.first).to_contain_text("Selon la source : 22 %")
    expect(findings.nth(1)).to_contain_text("Confirmé")
    findings.first.locator("summary").click()
    expect(findings.first.locator("blockquote")).to_contain_text("22 %")
    page.screenshot(path=str(ARTIFACTS / "verification-1-constats.png"), full_page=True)

    with page.expect_download(timeout=DRAFT_TIMEOUT) as download:
        form.get_by_role("button", name="Télécharger en Word (commentaires)").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    document = docx.Document(str(target))
    assert [c.text.split(" — ")[0] for c in document.comments] == ["Confirmé", "Différent dans les sources"]

    # A Word draft instead of the pasted text.
    draft = docx.Document()
    draft.add_paragraph("L'Alliance du Fabriqué en France compte déjà 4 500 entreprises adhérentes.")
    path = tmp_path / "tribune.docx"
    draft.save(str(path))
    form.get_by_label("Ou un fichier (.txt, .md, .docx)").set_input_files(str(path))
    form.get_by_role("button", name="Vérifier", exact=True).click()
    expect(summary).to_have_text("1 chiffre : 1 introuvable", timeout=DRAFT_TIMEOUT)
    expect(findings.first).to_contain_text("Introuvable")
    assert not errors, errors
