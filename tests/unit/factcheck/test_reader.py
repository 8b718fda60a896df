"""Reading a draft: pasted text, .txt (UTF-8 or Windows), .md, .docx; French refusals, nothing cut silently."""

from __future__ import annotations

import io

import docx
import pytest

from assistant.factcheck.reader import MAX_DRAFT_CHARS, DraftError, checked, draft_text


def _docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_order():
    text = draft_text("tribune.docx", _docx("Premier.", "Second.", table=[["Chiffre", "22 %"]]))
    assert text.split("\n") == ["Premier.", "Second.", "Chiffre", "22 %"]


def test_text_files_in_utf8_or_windows_encoding():
    assert draft_text("post.txt", "Seuls 22 % des achats.".encode("utf-8")) == "Seuls 22 % des achats."
    assert draft_text("post.md", "Achats publics : près de 100 Md€.".encode("cp1252")).endswith("100 Md€.")


@pytest.mark.parametrize("name, data, words", [
    ("note.pdf", b"%PDF", "Format non pris en charge"),
    ("note.docx", b"pas un zip", "Document Word illisible"),
    ("vide.txt", b"   \n", "vide"),
    ("long.txt", b"a" * (MAX_DRAFT_CHARS + 1), "Texte trop long"),
])
def test_bad_drafts_are_refused_in_french(name, data, words):
    with pytest.raises(DraftError, match=words):
        draft_text(name, data)


def test_pasted_text_is_kept_whole():
    text = "x" * MAX_DRAFT_CHARS
    assert checked(text) == text


def test_control_characters_are_dropped_so_the_word_export_can_hold_the_draft():
    from assistant.factcheck.models import FactCheck
    from assistant.render.factcheck_docx import factcheck_docx

    text = checked("Un\x00 chiffre\x0b : 22\x1f %.\n\nFin\ufffe.")
    assert text == "Un chiffre : 22 %.\n\nFin."
    document = docx.Document(io.BytesIO(factcheck_docx(FactCheck(paragraphs=text.split("\n\n"), max_age_years=3))))
    assert "Un chiffre : 22 %." in [p.text for p in document.paragraphs]
    with pytest.raises(DraftError, match="vide"):
        checked("\x00\x01\x02")
