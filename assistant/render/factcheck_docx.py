"""Word export of a checked draft: the draft as written, each checked claim anchored to a Word comment
(status, what the sources say, the source and the correction taken verbatim from it), after a summary."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.shared import Pt, RGBColor

from assistant.factcheck.models import FactCheck, Finding
from assistant.models import reader_source
from assistant.render.answer_docx import set_language
from assistant.text.dates import french_date

AUTHOR = "Alliance Assistant"
# Claims to look at first are highlighted in the text; confirmed ones only carry their comment.
_HIGHLIGHT = {"different": RGBColor(0xB0, 0x00, 0x20), "not_found": RGBColor(0xB0, 0x00, 0x20),
              "misattributed": RGBColor(0xB0, 0x00, 0x20), "old": RGBColor(0x8A, 0x5A, 0x00)}


def comment_text(finding: Finding) -> str:
    """What the comment says: the status and finding, the source and its sentence, the verbatim correction."""
    parts = [f"{finding.label.capitalize()} — {finding.message}"]
    if finding.evidence is not None:
        evidence = finding.evidence
        where = f"{evidence.title} — {evidence.locator}" if evidence.locator else evidence.title
        if evidence.date:
            where += f" ({evidence.date})"
        source = reader_source(evidence.source)
        parts.append(f"Source : {where}" + (f", {source}" if source else "") + f". « {evidence.sentence} »")
    if finding.suggestion and finding.status != "confirmed":
        parts.append(f"Selon la source : {finding.suggestion}")
    return "\n".join(parts)


def factcheck_docx(report: FactCheck, title: str = "Vérification d'un texte") -> bytes:
    document = Document()
    set_language(document)
    document.core_properties.title = title
    document.core_properties.author = AUTHOR
    document.add_heading(title, level=1)
    meta = document.add_paragraph(f"Vérifié le {french_date(datetime.now())} contre les documents indexés. "
                                  f"{report.summary}")
    meta.runs[0].font.size = Pt(10)
    document.add_paragraph("Chaque chiffre, citation et attribution vérifié porte un commentaire ; ceux à revoir "
                           "sont en couleur. Rien n'a été modifié dans le texte.").runs[0].font.size = Pt(9)
    by_paragraph: dict[int, list[Finding]] = {}
    for finding in report.findings:
        by_paragraph.setdefault(finding.paragraph, []).append(finding)
    for number, text in enumerate(report.paragraphs):
        paragraph = document.add_paragraph()
        position = 0
        for finding, start in _placed(text, by_paragraph.get(number, [])):
            if start > position:
                paragraph.add_run(text[position:start])
            run = paragraph.add_run(text[start:start + len(finding.claim)])
            if finding.status in _HIGHLIGHT:
                run.font.color.rgb = _HIGHLIGHT[finding.status]
                run.bold = True
            document.add_comment(run, text=comment_text(finding), author=AUTHOR, initials="AA")
            position = start + len(finding.claim)
        if position < len(text):
            paragraph.add_run(text[position:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _placed(text: str, findings: list[Finding]) -> list[tuple[Finding, int]]:
    """Each finding's claim located in its paragraph, in order, never overlapping the one before."""
    placed, cursor = [], 0
    for finding in findings:
        at = text.find(finding.sentence)
        start = text.find(finding.claim, max(cursor, at + finding.start if at >= 0 else cursor))
        if start < 0:
            start = text.find(finding.claim, cursor)
        if start < 0:
            continue
        placed.append((finding, start))
        cursor = start + len(finding.claim)
    return placed
