"""Word export: real footnotes (part, relationship, content type, references) that python-docx re-opens."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from lxml import etree

from assistant.answer.models import Answer
from assistant.models import Citation, Suggestion
from assistant.render.answer_docx import answer_docx, export_filename
from assistant.render.footnotes import Footnotes, footnote_references

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def sample_answer() -> Answer:
    cites = [
        Citation(n=1, doc_id="alliance/001", title="Livre blanc <Achats> & co", source="Alliance",
                 locator="Chiffres clés", chunk_id="alliance/001:0002",
                 quote="Près de 40 % des achats sont orientés vers la fabrication française."),
        Citation(n=2, doc_id="code/r2152", title="Code de la commande publique", source="Légifrance",
                 locator="R2152-7", chunk_id="code/r2152:0000", quote="Pour attribuer le marché, l'acheteur se fonde…"),
    ]
    text = ("Près de 40 % des achats sont orientés vers la fabrication française [1].\n"
            "- L'acheteur se fonde sur des critères objectifs [2].\n"
            "Les deux textes se complètent [1] [2].")
    return Answer(text=text, citations=cites, question="Quelle part des achats est orientée vers la fabrication française ?")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_answer_docx_has_real_footnotes():
    data = answer_docx(sample_answer())
    files = parts(data)
    # The part, its content type and its relationship: what Word needs to find the notes.
    assert "word/footnotes.xml" in files
    types = etree.fromstring(files["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"] == FOOTNOTES_CT
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    assert any(r.get("Type").endswith("/footnotes") and r.get("Target") == "footnotes.xml" for r in rels)

    notes = etree.fromstring(files["word/footnotes.xml"])
    ids = [int(n.get(f"{W}id")) for n in notes.iter(f"{W}footnote")]
    assert ids[:2] == [-1, 0] and ids[2:] == [1, 2, 3, 4]  # separators, then one note per marker
    body = etree.fromstring(files["word/document.xml"])
    refs = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert refs == [1, 2, 3, 4]
    # Each note starts with its own number (w:footnoteRef) and carries the exact quote.
    for note in notes.iter(f"{W}footnote"):
        if note.get(f"{W}type") is None:
            assert note.find(f".//{W}footnoteRef") is not None
    styles = etree.fromstring(files["word/styles.xml"])
    style_ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    assert {"FootnoteText", "FootnoteReference"} <= style_ids
    # No marker left in the body text: they became footnote calls.
    assert not re.search(r"\[\d+\]", "".join(t.text or "" for t in body.iter(f"{W}t")))


def test_answer_docx_reopens_with_python_docx():
    document = docx.Document(io.BytesIO(answer_docx(sample_answer())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Quelle part des achats" in text and "Documents cités" in text
    assert "Livre blanc <Achats> & co — Chiffres clés (Alliance)" in text  # escaped, not markup
    assert any(p.style.name == "List Bullet" for p in document.paragraphs)
    assert footnote_references(document) == [1, 2, 3, 4]
    notes = Footnotes.of(document).texts()
    assert "« Près de 40 % des achats sont orientés vers la fabrication française. »" in notes[1]
    assert notes[2].startswith("Code de la commande publique — R2152-7. Légifrance.")
    assert document.core_properties.title.startswith("Réponse : Quelle part")


def test_footnotes_can_be_added_to_a_reopened_document():
    """The module works on a document that already has notes (reused by the briefs export)."""
    document = docx.Document(io.BytesIO(answer_docx(sample_answer())))
    notes = Footnotes.of(document)
    paragraph = document.add_paragraph("Une phrase ajoutée.")
    assert notes.add(paragraph, "Une note de plus.") == 5
    out = io.BytesIO()
    document.save(out)
    again = docx.Document(io.BytesIO(out.getvalue()))
    assert Footnotes.of(again).texts()[5] == "Une note de plus."
    assert footnote_references(again) == [1, 2, 3, 4, 5]
    assert parts(out.getvalue())["word/footnotes.xml"].count(b"<w:footnote ") == 7


def test_abstention_export_and_file_name():
    answer = Answer(text="Les documents de l'Alliance consultés ne contiennent pas cette information.", abstained=True,
                    reason="aucun passage trouvé", question="Quelle est la capitale de l'Australie ?",
                    notice="Le modèle de langue configuré est injoignable.",
                    suggestions=[Suggestion(doc_id="a", title="Guide", source="DAE", locator="p. 3", chunk_id="a:0")])
    document = docx.Document(io.BytesIO(answer_docx(answer)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "n'a pas trouvé la réponse" in text and "Remarque : Le modèle de langue" in text
    assert "Guide — p. 3 (DAE)" in text and footnote_references(document) == []
    assert export_filename(answer) == "reponse-quelle-est-la-capitale-de-l-australie.docx"


@pytest.mark.parametrize("xml_part", ["word/document.xml", "word/footnotes.xml", "word/styles.xml"])
def test_parts_are_well_formed_xml(xml_part):
    root = etree.fromstring(parts(answer_docx(sample_answer()))[xml_part])
    assert root.tag.startswith(W)
