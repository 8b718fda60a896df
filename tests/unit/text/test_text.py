"""French analyzer, legal references, sentence splitting, query expansion."""

from assistant.index.lexical import FrenchAnalyzer, cited_articles
from assistant.text.sentences import split_sentences, unglued
from assistant.retrieval.query import expand_query


def test_legal_references_are_one_token_whatever_the_spelling():
    analyze = FrenchAnalyzer()
    for spelling in ("R2122-8", "R. 2122-8", "article R.2122-8", "R 2122-8"):
        assert "r2122-8" in analyze(spelling), spelling
    assert cited_articles("voir l'article L. 2112-2 et R2152-7") == ["L2112-2", "R2152-7"]
    assert cited_articles("article 6 du CCAG-FCS") == ["CCAG-FCS-6"]


def test_amounts_match_with_or_without_thousand_separators():
    analyze = FrenchAnalyzer()
    assert "25000" in analyze("25 000 €") and "25000" in analyze("25000 euros")
    assert "100000" in analyze("100\u202f000 euros HT")


def test_accents_elisions_and_stopwords():
    terms = FrenchAnalyzer()("L'acheteur définit les spécifications techniques")
    assert terms == FrenchAnalyzer()("l’acheteur definit LES specifications techniques")
    assert "les" not in terms and "l" not in terms


def test_sentences_keep_abbreviations_together():
    text = "Voir l'art. 6 du CCAG. M. Dupont cite l'article L. 2112-2 du code. Une étude publiée fin 2025. Fin."
    assert split_sentences(text) == ["Voir l'art. 6 du CCAG.", "M. Dupont cite l'article L. 2112-2 du code.",
                                     "Une étude publiée fin 2025.", "Fin."]


def test_jargon_expansion_adds_code_wording():
    assert "procédure adaptée" in expand_query("puis-je passer en MAPA ?")
    assert "modification du marché" in expand_query("un avenant de 20 %")
    assert expand_query("question sans jargon") == "question sans jargon"


def test_fold_apostrophes_unifies_accents_case_and_apostrophes():
    from assistant.text.normalize import fold_apostrophes

    assert fold_apostrophes("Jusqu’à l’Échéance") == "jusqu'a l'echeance"
    assert fold_apostrophes("d'après") == "d'apres"
    assert fold_apostrophes("Œuvre") == "oeuvre"
    assert "’" not in fold_apostrophes("l’acheteur ‘cité’") and "‘" in fold_apostrophes("‘")  # only ’ is rewritten


def test_paragraphs_glued_by_a_conversion_are_cut_apart_for_reading_rules():
    # « …de son prix.Lorsqu'un marché… »: a full stop between a word and a capitalised word, with no space.
    assert unglued("Le prix est ferme.Lorsqu'il est révisé, une clause le dit.") == [
        "Le prix est ferme.", "Lorsqu'il est révisé, une clause le dit."]
    assert unglued("Voir M.Dupont et le site data.gouv.fr, art.6.") == ["Voir M.Dupont et le site data.gouv.fr, art.6."]
