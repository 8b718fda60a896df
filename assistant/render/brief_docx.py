"""Word export of a brief: styled title and headings, each cited sentence with a real footnote giving the
document, its locator and the exact quoted passage, a bibliography, and page numbers in the footer."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.shared import Cm, Pt, RGBColor

from assistant.briefs.models import Brief, BriefSection
from assistant.render.answer_docx import add_cited_text, set_language
from assistant.render.fields import page_number_footer
from assistant.render.footnotes import Footnotes
from assistant.text.dates import french_date

_ACCENT = RGBColor(0x1F, 0x3A, 0x68)
_WARNING = RGBColor(0x9A, 0x3B, 0x00)
REVIEW_NOTICE = "Projet à relire avant diffusion : chaque phrase est tirée des documents cités en note de bas de page."
DATELINE_PLACE = "Paris"  # a press release opens « Paris, le 5 décembre 2026 — »
PRESS_CONTACT = "[nom, fonction, téléphone, adresse électronique]"


def _styled_document(brief: Brief) -> Document:
    document = Document()
    set_language(document)
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = _ACCENT
    properties = document.core_properties
    properties.title = brief.title[:250]
    properties.subject = f"{brief.format_label} — {brief.topic}"[:250]
    properties.author = "Alliance Assistant"
    properties.language = "fr-FR"
    page_number_footer(document, brief.format_label)
    return document


# Footnotes name the document and quote the passage; its source details are in the bibliography.
def _section(document: Document, section: BriefSection, by_n: dict, notes: Footnotes, heading: bool,
             dateline: str | None = None) -> None:
    if heading:
        document.add_heading(section.title, level=1)
    if section.style in ("paragraph", "lead") and section.items:
        paragraph = document.add_paragraph()
        if dateline:
            paragraph.add_run(dateline)
        for i, item in enumerate(section.items):
            add_cited_text(paragraph, (" " if i else "") + item.text, by_n, notes, False)
        if section.style == "lead":
            for run in paragraph.runs:
                run.bold = True
    for item in section.items if section.style not in ("paragraph", "lead") else []:
        if section.style == "quote":
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1)
            add_cited_text(paragraph, item.text, by_n, notes, False)
            for run in paragraph.runs:
                run.italic = True
            if item.label:  # who says it, as the passage names them
                who = document.add_paragraph()
                who.paragraph_format.left_indent = Cm(1)
                who.add_run(f"— {item.label}")
        elif section.style in ("figures", "messages"):  # the figure, or the team's message, then its sentence
            paragraph = document.add_paragraph(style="List Bullet")
            if item.label:
                label = paragraph.add_run(f"{item.label} — ")
                label.bold = True
                label.font.color.rgb = _ACCENT
            add_cited_text(paragraph, item.text, by_n, notes, False)
        elif section.style == "qa":
            question = document.add_paragraph()
            question.add_run(item.label or "").bold = True
            add_cited_text(document.add_paragraph(), item.text, by_n, notes, False)
        else:
            add_cited_text(document.add_paragraph(style="List Bullet"), item.text, by_n, notes, False)


def brief_docx(brief: Brief) -> bytes:
    """The .docx bytes of `brief`."""
    document = _styled_document(brief)
    notes = Footnotes.of(document)
    moment = datetime.fromisoformat(brief.generated_at) if brief.generated_at else datetime.now()
    press = brief.format == "communique"
    if press:
        document.add_paragraph().add_run("COMMUNIQUÉ DE PRESSE").bold = True
    document.add_heading(brief.title, level=0)
    if not press:
        meta = document.add_paragraph()
        meta.add_run(f"{brief.format_label} — à l'attention des {brief.audience_label} — {french_date(moment)}").italic = True
    if brief.format == "note":  # a note states its object before its synthesis
        subject = document.add_paragraph()
        subject.add_run("Objet : ").bold = True
        subject.add_run(brief.topic)
    # The document is the one sent out: the review items (warnings, thin sections) are in the review sheet.
    by_n = {c.n: c for c in brief.citations}
    for section in (s for s in brief.sections if s.items):
        # A press release's standfirst reads as its opening paragraph, after the dateline, without a heading.
        lead = press and section.style == "lead"
        _section(document, section, by_n, notes, heading=not lead,
                 dateline=f"{DATELINE_PLACE}, le {french_date(moment)} — " if lead else None)
    if press:
        contact = document.add_paragraph()
        contact.add_run("Contact presse : ").bold = True
        contact.add_run(PRESS_CONTACT)
    if brief.bibliography:
        document.add_heading("Sources", level=1)
        for entry in brief.bibliography:
            paragraph = document.add_paragraph(style="List Number")
            paragraph.add_run(entry.title.rstrip(".")).bold = True
            details = [entry.type_label, entry.publisher] + ([entry.date] if entry.date else [])
            paragraph.add_run(f". {', '.join(details)}. {entry.link}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
