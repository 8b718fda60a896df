"""Word fields python-docx cannot write: page numbers (« Page 2 sur 5 ») in the footer."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt

from assistant.render.footnotes import W_NS


def _field(paragraph, instruction: str) -> None:
    # A simple field with a placeholder result: Word and LibreOffice compute the number when rendering.
    paragraph._p.append(parse_xml(  # noqa: SLF001 - python-docx has no field API
        f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" {instruction} \\* MERGEFORMAT ">'
        '<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))


def page_number_footer(document: DocxDocument, label: str = "") -> None:
    """Footer of every page: an optional label, then « Page N sur M », centred."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if label:
        paragraph.add_run(f"{label} — ")
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" sur ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)
