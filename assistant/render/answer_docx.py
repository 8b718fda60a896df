"""Word export of an answer: the question, the answer with each [n] marker turned into a real footnote
giving the document, its locator, its source and the exact quoted passage, then the documents cited."""

from __future__ import annotations

import io
import re
from datetime import datetime

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

from assistant.answer.models import Answer
from assistant.models import Citation
from assistant.models import reader_source
from assistant.render.footnotes import W_NS, Footnotes
from assistant.text.dates import french_date
from assistant.text.normalize import slugify
from assistant.text.markers import SPACED_MARKER

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


def footnote_runs(citation: Citation, with_source: bool = True) -> list[tuple[str, bool]]:
    where = f"{citation.title} — {citation.locator}" if citation.locator else citation.title
    runs = [(f"{where}. ", False)]
    if with_source and reader_source(citation.source):
        runs.append((f"{reader_source(citation.source)}. ", False))
    # The source's Markdown emphasis is layout, not words: Word gets the words only.
    runs.append((f"« {citation.quote.strip().replace('**', '').replace('__', '')} »", True))
    return runs


def add_cited_text(paragraph, text: str, by_n: dict[int, Citation], notes: Footnotes, with_source: bool = True) -> None:
    """Append `text` to the paragraph, each [n] marker becoming a real footnote on citation n."""
    position = 0
    for match in SPACED_MARKER.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position:match.start()])
        citation = by_n.get(int(match.group(1)))
        if citation is not None:
            notes.add(paragraph, footnote_runs(citation, with_source))
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _where(title: str, locator: str, source: str) -> str:
    source = reader_source(source)
    return f"{title} — {locator}" + (f" ({source})" if source else "")


def set_language(document, lang: str = "fr-FR") -> None:
    """French proofing for the whole document (Normal style), so Word does not flag every word."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/>'))


def answer_docx(answer: Answer, generated_at: datetime | None = None) -> bytes:
    """The .docx bytes of `answer` (abstentions, partial answers and notices are exported as such)."""
    moment = generated_at or datetime.now()
    document = Document()
    set_language(document)
    document.core_properties.title = f"Réponse : {answer.question}"[:250]
    document.core_properties.author = "Alliance Assistant"
    document.core_properties.language = "fr-FR"
    notes = Footnotes.of(document)

    document.add_heading("Réponse de l'Alliance Assistant", level=1)
    meta = document.add_paragraph()
    meta.add_run("Question : ").bold = True
    meta.add_run(answer.question or "—")
    dated = document.add_paragraph(f"Document produit le {french_date(moment)}.")
    dated.runs[0].font.size = Pt(9)

    if answer.notice:
        document.add_paragraph().add_run(f"Remarque : {answer.notice}").italic = True
    if answer.abstained:
        document.add_paragraph().add_run(
            "L'assistant n'a pas trouvé la réponse dans les documents consultés.").bold = True
    if answer.status == "partial":
        document.add_paragraph().add_run(
            "Réponse partielle : les documents consultés ne répondent qu'à une partie de la question.").bold = True

    by_n = {c.n: c for c in answer.citations}
    for line in answer.stated().split("\n"):
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        paragraph = document.add_paragraph(style="List Bullet" if bullet else None)
        if bullet:
            line = line[bullet.end():]
        add_cited_text(paragraph, line, by_n, notes)

    if answer.abstained and answer.reason:
        document.add_paragraph(f"Motif : {answer.reason}.")
    if answer.missing:
        document.add_heading("Ce que les documents ne disent pas", level=2)
        for sentence in answer.missing:
            document.add_paragraph(sentence, style="List Bullet")
    if answer.suggestions:
        document.add_heading("Documents proches à consulter", level=2)
        for s in answer.suggestions:
            document.add_paragraph(_where(s.title, s.locator, s.source), style="List Bullet")

    cited: dict[tuple[str, str], Citation] = {}
    for c in answer.citations:
        cited.setdefault((c.doc_id, c.locator), c)
    if cited:
        document.add_heading("Documents cités", level=2)
        for c in cited.values():
            document.add_paragraph(_where(c.title, c.locator, c.source), style="List Bullet")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def export_filename(answer: Answer) -> str:
    """An ASCII file name for the download (the question's first words)."""
    return f"reponse-{slugify(answer.question, 50, 'alliance')}.docx"
