"""Cleaning rules on small inputs: comments, whitespace, boilerplate, menus, PDF lines, repeats, page furniture."""

from __future__ import annotations

import pytest

from assistant.ingest.cleaning import (
    drop_navigation_runs,
    drop_repeated_paragraphs,
    is_boilerplate,
    is_page_number,
    join_broken_lines,
    looks_like_pdf_text,
    normalize_whitespace,
    running_lines,
    source_from_comments,
    strip_html_comments,
)
from assistant.models import Block


def test_strip_html_comments_returns_text_and_comments():
    assert strip_html_comments("Avant <!-- source: https://ex.fr/a --> après <!--\nnote\n-->fin") == (
        "Avant  après fin", ["source: https://ex.fr/a", "note"])
    assert strip_html_comments("Aucun commentaire.") == ("Aucun commentaire.", [])


def test_source_from_comments():
    assert source_from_comments(["note", "source:  https://ex.fr/a suite"]) == "https://ex.fr/a"
    assert source_from_comments(["note sans adresse"]) is None
    assert source_from_comments([]) is None


def test_normalize_whitespace_removes_invisible_characters_and_squeezes_spaces():
    assert normalize_whitespace("\u200b  Le\u00a0 seuil\t est\u202fbas\u00ad  ") == "Le seuil est bas"
    assert normalize_whitespace("Déjà propre.") == "Déjà propre."


@pytest.mark.parametrize("line", ["Se connecter", "Pourquoi adhérer ?", "© Photo Jean Dupont",
                                  "Tous droits réservés 2024", "Menu"])
def test_site_chrome_is_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["", "Le seuil est de 40 000 euros.", "Accueil des candidats sur la plateforme.",
                                  "Le menu de la cantine privilégie les produits de saison."])
def test_content_is_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_navigation_runs_dropped_at_both_ends_only():
    lines = ["Accueil", "Actualités", "Contact", "", "Le seuil des marchés est fixé par décret.",
             "Mentions légales", "Plan du site", "Cookies"]
    assert drop_navigation_runs(lines) == ["", "Le seuil des marchés est fixé par décret."]


def test_short_runs_headings_and_list_items_are_kept():
    two = ["Accueil", "Contact", "Le seuil des marchés est fixé par décret."]
    assert drop_navigation_runs(two) == two
    authored = ["# Titre", "- un", "- deux", "Le seuil."]
    assert drop_navigation_runs(authored) == authored


def test_looks_like_pdf_text_needs_many_short_unfinished_lines():
    assert looks_like_pdf_text(["Le marché est passé selon une"] * 16)
    assert not looks_like_pdf_text(["Le marché est passé."] * 16)  # lines end their sentences
    assert not looks_like_pdf_text(["Le marché est passé selon une"] * 5)  # too few lines to tell


def test_join_broken_lines():
    lines = ["Le marché est passé", "selon une procédure adaptée.", "", "TITRE EN", "MAJUSCULES", "- un point",
             "suite du point", "Un mot coupé en fin de ligne avec un trait d’uni-", "on bien."]
    assert join_broken_lines(lines) == [
        "Le marché est passé selon une procédure adaptée.", "", "TITRE EN MAJUSCULES", "- un point suite du point",
        "Un mot coupé en fin de ligne avec un trait d’union bien."]


def test_join_broken_lines_keeps_finished_sentences_and_headings_apart():
    lines = ["Le marché est passé.", "Le candidat répond.", "TITRE", "Texte qui suit le titre."]
    assert join_broken_lines(lines) == lines


def test_repeated_paragraph_dropped_within_a_section_only():
    para = "Le titulaire respecte les délais de livraison fixés au contrat."
    blocks = [Block("heading", "Article 1"), Block("para", para), Block("para", para), Block("para", "Court."),
              Block("para", "Court."), Block("heading", "Article 2"), Block("para", para)]
    kept = drop_repeated_paragraphs(blocks)
    assert [(b.kind, b.text) for b in kept] == [("heading", "Article 1"), ("para", para), ("para", "Court."),
                                                ("para", "Court."), ("heading", "Article 2"), ("para", para)]


def test_running_lines_repeated_on_most_pages():
    pages = [["Guide 2024", "texte a", "12"], ["Guide 2024", "texte b", "13"], ["Guide  2024", "texte c", "14"],
             ["texte d"]]
    assert running_lines(pages) == {"Guide 2024"}
    assert running_lines([["Guide 2024"], ["Guide 2024"]]) == set()  # too few pages to tell


@pytest.mark.parametrize("line, expected", [("12", True), (" Page 3 sur 10 ", True), ("3/10", True),
                                            ("12 jours", False), ("Page de garde", False)])
def test_is_page_number(line, expected):
    assert is_page_number(line) is expected
