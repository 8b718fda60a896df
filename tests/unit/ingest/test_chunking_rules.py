"""Chunking rules on small documents: article headings, chapters, in-force dates, sections, pages, sizes."""

from __future__ import annotations

import pytest

from assistant.ingest.chunking import MAX_WORDS, article_id_from_heading, chapter_of, chunk_document
from assistant.models import Block, DocumentMeta, LoadedDocument
from assistant.text.normalize import word_count


@pytest.mark.parametrize("heading, ident", [
    ("Article R2122-8", ("R2122-8", "R2122-8")),
    ("Article R. 2122-8", ("R2122-8", "R2122-8")),
    ("  Article D2111-3  ", ("D2111-3", "D2111-3")),
    ("Article L3", ("L3", "L3")),
    ("Article CCAG Fournitures et services 6", ("CCAG-FCS-6", "CCAG-FCS art. 6")),
])
def test_article_id_from_heading(heading, ident):
    assert article_id_from_heading(heading) == ident


@pytest.mark.parametrize("heading", ["Article 6", "Articles R2122-8", "Article R2122-8 (abrogé)", "Chapitre II"])
def test_other_headings_are_not_articles(heading):
    assert article_id_from_heading(heading) is None


def test_chapter_of_a_code_article_by_its_first_four_digits():
    assert chapter_of("R2122-8") == "Marchés passés sans publicité ni mise en concurrence préalables"
    assert chapter_of("L2122-1") == chapter_of("R2122-8")  # legislative and regulatory parts share the plan
    assert chapter_of("L3") is None
    assert chapter_of("CCAG-FCS-6") is None
    assert chapter_of("R9999-1") is None


def _meta(doc_id: str, title: str, **extra) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, title=title, doc_type="note", date=None, source="s", extra=extra)


def test_legal_chunks_carry_id_chapter_in_force_date_and_header():
    doc = LoadedDocument([
        Block("para", "> Partie › Titre II"),
        Block("heading", "Article R2122-8", 2), Block("para", "*En vigueur depuis le 2019-04-01.*"),
        Block("para", "Premier alinéa."), Block("para", "Second alinéa."),
        Block("heading", "Article R2122-9", 2),  # no text: no chunk
        Block("heading", "Article L3", 2), Block("para", "Principe."),
    ])
    chunks = chunk_document(_meta("code/x", "Code", position="Partie › Titre II"), doc)
    assert [(c.chunk_id, c.ord, c.locator, c.text) for c in chunks] == [
        ("code/x:R2122-8", 0, "R2122-8", "Premier alinéa.\nSecond alinéa."), ("code/x:L3", 1, "L3", "Principe.")]
    first = chunks[0]
    assert first.embed_text == ("Article R2122-8 — Titre II — Marchés passés sans publicité ni mise en concurrence "
                                "préalables\nPremier alinéa.\nSecond alinéa.")
    assert first.meta == {"article_id": "R2122-8", "position": "Partie › Titre II", "section": "Titre II",
                          "chapter": "Marchés passés sans publicité ni mise en concurrence préalables",
                          "in_force_since": "2019-04-01", "part": 1, "parts": 1}
    assert chunks[1].meta["in_force_since"] is None and chunks[1].embed_text == "Article L3 — Titre II\nPrincipe."


def test_generic_chunks_follow_sections_and_pages():
    doc = LoadedDocument([
        Block("heading", "Mon guide", 1),  # the title itself
        Block("heading", "Première partie", 2), Block("para", "mot " * 200, page=1), Block("para", "mot " * 100, page=2),
        Block("heading", "Seconde partie", 2), Block("para", "autre " * 30, page=3),
    ])
    chunks = chunk_document(_meta("guide/x", "Mon guide"), doc)
    assert [(c.chunk_id, c.locator, c.meta) for c in chunks] == [
        ("guide/x:0000", "Première partie — p. 1-2", {"section": "Première partie", "page": 1, "pages": [1, 2]}),
        ("guide/x:0001", "Seconde partie — p. 3", {"section": "Seconde partie", "page": 3, "pages": [3]}),
    ]
    assert [word_count(c.text) for c in chunks] == [300, 30]
    assert chunks[1].embed_text.startswith("Mon guide — Seconde partie\nautre")


def test_a_short_tail_joins_the_previous_chunk_of_its_section():
    doc = LoadedDocument([Block("para", "mot " * 300), Block("para", "fin " * 40)])
    chunks = chunk_document(_meta("note/y", "Note"), doc)
    assert len(chunks) == 1 and word_count(chunks[0].text) == 340 and chunks[0].locator == "extrait 1"


def test_a_long_text_is_cut_under_the_size_limit():
    sentence = "Le titulaire livre les fournitures dans les délais fixés. "
    doc = LoadedDocument([Block("para", sentence * 60)])  # one paragraph of 540 words
    chunks = chunk_document(_meta("note/z", "Note"), doc)
    assert len(chunks) == 2
    assert all(word_count(c.text) <= MAX_WORDS for c in chunks)
    assert sum(word_count(c.text) for c in chunks) == 540
