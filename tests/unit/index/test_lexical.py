"""Legal reference detection and the French analyzer's handling of references and numbers."""

from __future__ import annotations

import pytest

from assistant.index.lexical import FrenchAnalyzer, cited_articles, normalize_legal_refs


@pytest.mark.parametrize("text, refs", [
    ("selon l'article R. 2122-8 et L 2112-2", ["R2122-8", "L2112-2"]),
    ("article R.2122-8", ["R2122-8"]),
    ("D2111-3 et r2122-1", ["D2111-3", "R2122-1"]),
    ("R2122-8-1", ["R2122-8-1"]),
])
def test_normalize_legal_refs(text, refs):
    assert normalize_legal_refs(text) == refs


@pytest.mark.parametrize("text", ["XR2122-8", "le 2122-8", "un montant de 2 122 euros", "la version 2-1"])
def test_no_legal_ref_without_its_letter_standing_alone(text):
    assert normalize_legal_refs(text) == []


def test_cited_articles_reads_code_and_ccag_in_text_order_without_repeats():
    assert cited_articles("article 6 du CCAG puis R. 2122-8") == ["CCAG-FCS-6", "R2122-8"]
    assert cited_articles("CCAG-FCS, article 14") == ["CCAG-FCS-14"]
    assert cited_articles("R2122-8 et encore R. 2122-8") == ["R2122-8"]
    assert cited_articles("l'article 6 du contrat") == []


def test_short_article_ids_are_detected():
    assert cited_articles("Que dit l'article L3 ?") == ["L3"]


def test_analyzer_keeps_a_reference_as_one_term_and_joins_grouped_numbers():
    assert FrenchAnalyzer()("Selon l’article R. 2122-8, 25 000 € HT") == ["r2122-8", "selon", "25000", "ht"]
