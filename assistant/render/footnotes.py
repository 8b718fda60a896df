"""Real Word footnotes for python-docx documents (python-docx has no footnote API).

A footnote needs four things in the package, all written here:
- the `word/footnotes.xml` part, holding the separator notes (ids -1 and 0, as Word writes them)
  and one `w:footnote` per note;
- a relationship of type `.../footnotes` from the document part to it;
- its content type override in `[Content_Types].xml` (python-docx derives it from the part);
- a `w:footnoteReference` run in the body where the note is called.
The "footnote text" / "footnote reference" styles are added when the template lacks them, and the
reference runs also carry direct superscript formatting so they render even without the styles.

Usage (also meant for the briefs export):

    notes = Footnotes.of(document)
    paragraph = document.add_paragraph("Une affirmation.")
    notes.add(paragraph, "Titre du document — article 3. « Citation exacte. »")
"""

from __future__ import annotations

import copy

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_EMPTY_FOOTNOTES = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>'
)

_STYLES = (
    f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FootnoteText">'
    '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>',
    f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="FootnoteReference">'
    '<w:name w:val="footnote reference"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
)


def _run(text: str, italic: bool = False):
    run = parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve"></w:t></w:r>')
    if italic:
        rpr = parse_xml(f'<w:rPr xmlns:w="{W_NS}"><w:i/><w:iCs/></w:rPr>')
        run.insert(0, rpr)
    # Assigned through lxml, so the text is escaped and any character is safe.
    run.find(qn("w:t")).text = text
    return run


class Footnotes:
    """The footnotes of one document; create with `Footnotes.of(document)`."""

    def __init__(self, part: XmlPart):
        self.part = part
        self.element = part.element

    @classmethod
    def of(cls, document: DocxDocument) -> "Footnotes":
        """The document's footnotes part, created (with its relationship and styles) if missing."""
        doc_part = document.part
        for rel in doc_part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                part = rel.target_part
                if not isinstance(part, XmlPart):  # loaded from a file as an opaque blob: parse it once
                    part = XmlPart(part.partname, part.content_type, parse_xml(part.blob), part.package)
                    rel._target = part  # noqa: SLF001 - python-docx offers no public way to swap a target
                return cls(part)
        partname = PackURI("/word/footnotes.xml")
        part = XmlPart(partname, CT.WML_FOOTNOTES, parse_xml(_EMPTY_FOOTNOTES), doc_part.package)
        doc_part.relate_to(part, RT.FOOTNOTES)
        _ensure_styles(document)
        return cls(part)

    def _next_id(self) -> int:
        ids = [int(n.get(qn("w:id"))) for n in self.element.findall(qn("w:footnote"))]
        return max([0, *ids]) + 1

    def add(self, paragraph: Paragraph, text: str | list[tuple[str, bool]]) -> int:
        """Call a new footnote at the end of `paragraph`; `text` is plain or a list of (text, italic) runs."""
        note_id = self._next_id()
        runs = [(text, False)] if isinstance(text, str) else text
        note = parse_xml(
            f'<w:footnote xmlns:w="{W_NS}" w:id="{note_id}"><w:p>'
            '<w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
            '</w:p></w:footnote>')
        p = note.find(qn("w:p"))
        for chunk, italic in runs:
            p.append(_run(chunk, italic))
        self.element.append(note)
        paragraph._p.append(parse_xml(  # noqa: SLF001 - the run must be a raw w:footnoteReference
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="FootnoteReference"/>'
            f'<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'))
        return note_id

    def texts(self) -> dict[int, str]:
        """Text of each user footnote by id (for checks and tests)."""
        out = {}
        for note in self.element.findall(qn("w:footnote")):
            if note.get(qn("w:type")) in (None, "normal"):
                out[int(note.get(qn("w:id")))] = "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
        return out


def _ensure_styles(document: DocxDocument) -> None:
    styles = document.styles.element
    present = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for xml in _STYLES:
        style = parse_xml(xml)
        if style.get(qn("w:styleId")) not in present:
            styles.append(copy.deepcopy(style))


def footnote_references(document: DocxDocument) -> list[int]:
    """Ids of the footnotes called in the body, in order."""
    return [int(r.get(qn("w:id"))) for r in document.element.body.iter(qn("w:footnoteReference"))]
