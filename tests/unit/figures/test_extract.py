"""Figure extraction rules on small passages: sentences, ids, neighbours' sources, legal texts, repeats."""

from __future__ import annotations

from assistant.figures.extract import (
    EXTRACTOR_VERSION,
    extract_chunk,
    extract_document,
    figure_id,
    find_figures,
    passage_sentences,
)


def _row(text: str, doc_type: str = "press_article", chunk_id: str = "alliance/x:0001") -> dict:
    return {"doc_id": "alliance/x", "chunk_id": chunk_id, "text": text, "doc_type": doc_type, "title": "Titre",
            "locator": "Section", "date": "2024-01-01", "source": "src", "audience": "public"}


def _short(figures: list[dict]) -> list[tuple]:
    return [(f["value"], f["kind"], f["attribution"]) for f in figures]


def test_passage_sentences_by_paragraph_without_markup_tables_or_rules():
    text = ("# Titre du rapport\n- Le marché pèse 12 milliards d’euros. Selon l’Insee, 3 000 entreprises sont "
            "concernées.\n| a | 12 % |\n---\n\nSource : Insee.")
    assert passage_sentences(text) == [
        ["Titre du rapport"],
        ["Le marché pèse 12 milliards d’euros.", "Selon l’Insee, 3 000 entreprises sont concernées."],
        ["Source : Insee."],
    ]
    assert all(s in text for paragraph in passage_sentences(text) for s in paragraph)  # verbatim slices
    assert passage_sentences("") == []


def test_a_line_wrapped_by_a_hard_break_is_read_with_the_line_it_goes_on_from():
    # Texts extracted from PDFs break lines inside sentences; list items wrap too.
    text = ("Le plan fixe pour objectif :\n- 30 % des achats portent une clause\nsociale.\n"
            "L'acheteur veille à ce que l'entreprise réponde : si\nelle ne répond pas, il relance.\n"
            "# Un titre\nla ligne après un titre reste à part.\nUne phrase finie.\nune autre ligne.")
    assert passage_sentences(text) == [
        ["Le plan fixe pour objectif :"],
        ["30 % des achats portent une clause\nsociale."],
        ["L'acheteur veille à ce que l'entreprise réponde : si\nelle ne répond pas, il relance."],
        ["Un titre"], ["la ligne après un titre reste à part.", ], ["Une phrase finie."], ["une autre ligne."],
    ]
    assert all(s in text for paragraph in passage_sentences(text) for s in paragraph)  # verbatim slices
    # The list item's subject is the line that introduces the list.
    [figure] = extract_chunk(_row(text))
    assert (figure["value"], figure["context"]) == ("30 %", "Le plan fixe pour objectif :")


def test_figure_id_is_stable_short_and_depends_on_every_part():
    first = figure_id("d", "Une phrase.", "12 %", 3)
    assert first == figure_id("d", "Une phrase.", "12 %", 3) and len(first) == 20
    assert len({first, figure_id("e", "Une phrase.", "12 %", 3), figure_id("d", "Autre phrase.", "12 %", 3),
                figure_id("d", "Une phrase.", "13 %", 3), figure_id("d", "Une phrase.", "12 %", 4)}) == 5
    assert EXTRACTOR_VERSION  # part of every id: bumping it re-extracts everything


def test_extract_chunk_borrows_the_source_of_a_neighbour_without_figures():
    figures = extract_chunk(_row("L’usine emploie 250 salariés. Source : Insee.\n"
                                 "Le chiffre d’affaires atteint 4 millions d’euros selon le rapport annuel de la société."))
    assert [(f["value"], f["kind"], f["unit"], f["measures"], f["attribution"], f["context"]) for f in figures] == [
        ("250 salariés", "jobs", "salariés", "salariés", "Source : Insee", None),
        ("4 millions d’euros", "amount", "millions d’euros", "chiffre d’affaires",
         "selon le rapport annuel de la société", None),
    ]
    first = figures[0]
    assert first["sentence"] == "L’usine emploie 250 salariés."
    assert first["id"] == figure_id("alliance/x", first["sentence"], "250 salariés", 16)
    assert (first["chunk_id"], first["doc_id"], first["title"], first["doc_type"], first["locator"], first["date"],
            first["source"], first["audience"]) == ("alliance/x:0001", "alliance/x", "Titre", "press_article",
                                                    "Section", "2024-01-01", "src", "public")


def test_a_neighbour_stating_its_own_figure_lends_no_source():
    figures = extract_chunk(_row("Le secteur compte 3 000 entreprises. Selon l’Insee, 12 % sont des PME."))
    assert _short(figures) == [("3 000 entreprises", "count", None), ("12 %", "percent", "Selon l’Insee")]
    assert figures[1]["context"] == "Le secteur compte 3 000 entreprises."


def test_legal_texts_yield_amounts_percentages_and_durations_only():
    text = "Le seuil est de 40 000 euros HT, soit 20 % de plus, depuis le 1er janvier 2024."
    assert [f["value"] for f in extract_chunk(_row(text, doc_type="procurement_law"))] == ["40 000 euros HT", "20 %"]
    assert [f.kind for f in find_figures(text)] == ["amount", "percent", "date"]
    # A delay is a figure a draft quotes from the law; other counts of a legal text are numbering.
    law = "Le délai est de trente jours ; les 3 candidats retenus et les 2 lots sont notifiés."
    assert [f["value"] for f in extract_chunk(_row(law, doc_type="procurement_law"))] == ["trente jours"]


def test_no_figure_without_a_unit_or_in_an_article_id():
    assert extract_chunk(_row("Voir l’article R2122-8 et le point 3 du chapitre 2.")) == []
    assert extract_chunk(_row("")) == []


def test_extract_document_counts_a_repeated_sentence_once():
    text = "L’usine emploie 250 salariés."
    rows = [_row(text, chunk_id="alliance/x:0001"), _row(text, chunk_id="alliance/x:0002")]
    figures = extract_document(rows)
    assert [(f["value"], f["chunk_id"]) for f in figures] == [("250 salariés", "alliance/x:0001")]
    assert extract_document([]) == []
