"""Every loader, on files made here, including broken ones: clear French errors, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.loaders import LoadError, load_file
from assistant.ingest.pipeline import Ingestor
from assistant.index.store import IndexStore
from tests.conftest import make_settings

PARA = ("L'acheteur peut diviser son marché en lots afin de faciliter l'accès des petites et moyennes "
        "entreprises à la commande publique. ")


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(user_password=password, algorithm="RC4-128")
        with open(path, "wb") as fh:
            writer.write(fh)
    return path


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Note sur l'allotissement"
    document.add_heading("Allotissement des marchés", level=1)
    document.add_paragraph(PARA * 3)
    document.add_heading("Avances aux PME", level=2)
    document.add_paragraph("Le taux de l'avance versée aux PME est au moins de 30 % dans les marchés de l'État.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Seuil", "Montant"
    table.cell(1, 0).text, table.cell(1, 1).text = "Travaux", "100 000 € HT"
    document.save(str(path))
    return path


def test_markdown_front_matter_and_headings(tmp_path):
    f = tmp_path / "note.md"
    f.write_text("---\ntitle: Ma note\ndoc_type: note\ndate: 2026-02-01\naudience: members\n---\n\n"
                 "# Titre\n\nPremier paragraphe\nsur deux lignes.\n\n## Section\n\n- point un\n- point deux\n",
                 encoding="utf-8")
    doc = load_file(f)
    assert doc.meta["title"] == "Ma note" and doc.meta["audience"] == "members"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Titre"), ("para", "Premier paragraphe sur deux lignes."), ("heading", "Section"),
        ("para", "- point un\n- point deux")]


def test_html_drops_navigation_scripts_and_comments(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Les lots</title><script>var x = 1;</script></head><body>"
        "<nav><ul><li>Accueil</li><li>Adhérer</li></ul></nav><!-- commentaire interne -->"
        f"<h1>Allotissement</h1><p>{PARA}</p><ul><li>Premier lot</li></ul>"
        "<p>Adhérer en ligne</p><footer>Mentions légales</footer></body></html>", encoding="utf-8")
    doc = load_file(f)
    texts = [b.text for b in doc.blocks]
    assert doc.meta["html_title"] == "Les lots"
    assert texts[0] == "Allotissement" and PARA.strip() in texts
    joined = " ".join(texts)
    for absent in ("var x", "Accueil", "commentaire", "Mentions légales", "Adhérer en ligne"):
        assert absent not in joined


def test_pdf_keeps_page_numbers(tmp_path):
    f = make_pdf(tmp_path / "guide.pdf", [PARA * 4, "Deuxième page : les critères d'attribution. " * 5])
    doc = load_file(f)
    assert {b.page for b in doc.blocks} == {1, 2}
    assert any("critères d'attribution" in b.text and b.page == 2 for b in doc.blocks)


def test_docx_keeps_headings_and_tables(tmp_path):
    doc = load_file(make_docx(tmp_path / "note.docx"))
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings == [(1, "Allotissement des marchés"), (2, "Avances aux PME")]
    assert "Travaux | 100 000 € HT" in [b.text for b in doc.blocks]
    assert doc.meta["docx_title"] == "Note sur l'allotissement"


@pytest.mark.parametrize("name, content, message", [
    ("vide.md", b"", "vide"),
    ("blancs.txt", b"   \n\n  \n", "vide"),
    ("casse.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage \x00\x01", "PDF illisible"),
    ("casse.docx", b"PK\x03\x04 ceci n'est pas un docx", "DOCX"),
    ("tableur.xlsx", b"PK\x03\x04", "format non pris en charge"),
    ("binaire.txt", b"\x00\x01\x02\x03" * 20, "binaire"),
])
def test_bad_files_raise_french_errors(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(LoadError, match=message):
        load_file(f)


def test_encrypted_pdf_is_refused(tmp_path):
    f = make_pdf(tmp_path / "secret.pdf", [PARA * 3], password="motdepasse")
    with pytest.raises(LoadError, match="chiffré"):
        load_file(f)


def test_ingest_skips_bad_files_and_keeps_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "guide.pdf", [PARA * 4, "Deuxième page : critères d'attribution. " * 5])
    make_docx(corpus / "note.docx")
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "casse.pdf").write_bytes(b"%PDF-1.4 broken")
    make_pdf(corpus / "secret.pdf", [PARA], password="x")
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n")
    index = IndexStore(make_settings(tmp_path / "data"))
    report = Ingestor(index).run([corpus])
    assert sorted(report.added) == ["guide", "note"]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"vide.txt", "casse.pdf", "secret.pdf", "image.png"}
    assert "vide" in reasons["vide.txt"] and "chiffré" in reasons["secret.pdf"]
    # A later run where a good file became corrupt keeps its previous version indexed.
    (corpus / "note.docx").write_bytes(b"PK\x03\x04 abime")
    report = Ingestor(index).run([corpus])
    assert "note.docx" in {Path(s.path).name for s in report.skipped}
    assert index.catalog.document("note") is not None
    pdf_chunks = list(index.catalog.chunk_rows("guide"))
    assert {c["meta"]["page"] for c in pdf_chunks} >= {1}
    assert any("p. 2" in c["locator"] for c in pdf_chunks) or any(2 in c["meta"]["pages"] for c in pdf_chunks)
