"""Word export of a clause set (python-docx): title, buyer and object, the clauses numbered by
document (RC, CCAP, CCTP, AE), the annex « Fondements juridiques » quoting each cited article with
its date of entry into force, the generation date, and the notice that the draft must be validated."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from assistant.clauses.models import ClauseSet
from assistant.render.clauses_layout import NOTICE, article_label, body_lines, by_document, legal_annex, request_lines
from assistant.text.dates import french_date_iso
from assistant.models import reader_source

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ACCENT = RGBColor(0x00, 0x00, 0x91)  # dark blue of French public documents
_WARNING = RGBColor(0xB3, 0x40, 0x00)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBERED = re.compile(r"^\d+\.\s+")


def _styled_document() -> Document:
    """A blank document with the house style: sober fonts, blue headings."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = _ACCENT
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = NOTICE
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = _WARNING
    return doc


def _rich_paragraph(doc: Document, text: str, style: str | None = None) -> None:
    """A paragraph whose **bold** spans become bold runs."""
    paragraph = doc.add_paragraph(style=style)
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            paragraph.add_run(text[pos:match.start()])
        paragraph.add_run(match.group(1)).bold = True
        pos = match.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def _table(doc: Document, rows: list[str]) -> None:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows
             if not re.fullmatch(r"\|?[\s:|-]+\|?", row.strip())]
    if not cells:
        return
    table = doc.add_table(rows=len(cells), cols=max(len(r) for r in cells))
    table.style = "Table Grid"
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
            if i == 0:
                for run in table.cell(i, j).paragraphs[0].runs:
                    run.bold = True


def _clause_body(doc: Document, text: str) -> None:
    """The clause's Markdown subset: ### headings, paragraphs, - and 1. lists, tables, **bold**."""
    lines = body_lines(text)
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            _table(doc, block)
            continue
        if line.startswith("#"):
            doc.add_heading(line.lstrip("#").strip(), level=3)
        elif line.startswith("- "):
            _rich_paragraph(doc, line[2:], style="List Bullet")
        elif _NUMBERED.match(line):
            _rich_paragraph(doc, _NUMBERED.sub("", line), style="List Number")
        else:
            _rich_paragraph(doc, line)
        i += 1


def clauses_docx(clause_set: ClauseSet) -> bytes:
    doc = _styled_document()
    doc.add_heading(f"Projet de clauses — {clause_set.request.object}", level=0)
    notice = doc.add_paragraph()
    run = notice.add_run(NOTICE)
    run.bold = True
    run.font.color.rgb = _WARNING
    for label, value in request_lines(clause_set):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label} : ").bold = True
        paragraph.add_run(value)

    for _, title, drafts in by_document(clause_set):
        doc.add_heading(title, level=1)
        for n, draft in enumerate(drafts, start=1):
            doc.add_heading(f"Article {n} — {draft.title}", level=2)
            _clause_body(doc, draft.text)
            basis = doc.add_paragraph()
            basis_run = basis.add_run("Fondements : " + ", ".join(b.article_id for b in draft.legal_basis) + ".")
            basis_run.italic = True
            basis_run.font.size = Pt(9)
            for warning in draft.warnings:
                w = doc.add_paragraph().add_run(f"Point de vigilance : {warning.message}")
                w.italic = True
                w.font.size = Pt(9)
                w.font.color.rgb = _WARNING

    annex = legal_annex(clause_set)
    if annex:
        doc.add_page_break()
        doc.add_heading("Annexe — Fondements juridiques", level=1)
        for entry in annex:
            basis = entry.basis
            doc.add_heading(article_label(basis.article_id), level=2)
            meta = doc.add_paragraph()
            if basis.in_force_since:
                meta.add_run(f"En vigueur depuis le {french_date_iso(basis.in_force_since)}. ").italic = True
            meta.add_run(f"Source : {basis.title}.").italic = True
            doc.add_paragraph("Cité par : " + " ; ".join(entry.cited_by) + ".")
            for line in basis.text.split("\n"):
                if line.strip():
                    doc.add_paragraph(line.strip(), style="Quote")

    guides = [(d, c) for _, _, drafts in by_document(clause_set) for d in drafts for c in d.citations]
    if guides:
        doc.add_heading("Annexe — Passages des guides cités", level=1)
        for draft, c in guides:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{draft.title} — ").bold = True
            paragraph.add_run(f"{c.title}, {c.locator}{f' ({reader_source(c.source)})' if reader_source(c.source) else ''} : « {c.quote} »")

    closing = doc.add_paragraph()
    closing.add_run(f"{NOTICE}. Document généré le {french_date_iso(clause_set.generated_at)}.").italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
