"""Each sentence scorer of the extractive selector on its own, and swapping one in.

A stand-in index gives hand-made vectors and idf values, so that every expected score can be worked out
by hand (no model is loaded). The examples are invented. The scorers measured and left out live in
bench/sentences.py (tests/eval/test_sentence_bench.py).
"""

from __future__ import annotations

import pytest

from assistant.grounding.extractive import (DEFAULT_SCORER, AnswerType, E5Similarity, ExtractiveGenerator,
                                            PassageRank, StatedValue, TermOverlap, TitledE5, Weighted)
from tests.support.sentence_index import FakeIndex, hit, scoring_of


# An invented passage: three sentences of at least five words each.
MILL = ("Le moulin du village fut construit en 1920 par un meunier. "
        "Il broyait le grain de toute la vallée pendant les moissons. "
        "Le moulin ferma définitivement ses portes en 1955.")
S1, S2, S3 = ("Le moulin du village fut construit en 1920 par un meunier.",
              "Il broyait le grain de toute la vallée pendant les moissons.",
              "Le moulin ferma définitivement ses portes en 1955.")


def test_e5_similarity_is_min_max_scaled_over_the_candidates():
    index = FakeIndex(vectors={S1: [0.9, 0.1], S2: [0.5, 0.5], S3: [0.7, 0.3]}, query=[1.0, 0.0])
    scoring = scoring_of(index, "Qui construisit le moulin ?", [hit(MILL)])
    assert E5Similarity()(scoring).tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert [c.dense for c in scoring.candidates] == pytest.approx([0.9, 0.5, 0.7])


def test_e5_similarity_without_sentence_vectors_takes_the_passage_similarity():
    hits = [hit(S1, 1, dense=0.86), hit(S2, 2, dense=0.82)]
    scoring = scoring_of(FakeIndex(), "Qui construisit le moulin ?", hits, dense=False)
    assert E5Similarity()(scoring).tolist() == [1.0, 0.0]
    assert scoring.vectors is None


def test_e5_similarity_of_equal_candidates_is_one():
    index = FakeIndex(vectors={S1: [0.6, 0.8], S2: [0.6, 0.8], S3: [0.6, 0.8]})
    assert E5Similarity()(scoring_of(index, "Qui construisit le moulin ?", [hit(MILL)])).tolist() == [1.0, 1.0, 1.0]


def test_a_sentence_read_under_its_title_takes_the_better_of_the_two_similarities():
    # Under the passage's title, the sentence without its subject (« Il broyait… ») comes closest to the question.
    index = FakeIndex(vectors={S1: [0.9, 0.1], S2: [0.5, 0.5], S3: [0.7, 0.3],
                               f"Note : {S1}": [0.8, 0.2], f"Note : {S2}": [0.95, 0.05], f"Note : {S3}": [0.6, 0.4]})
    scoring = scoring_of(index, "Que faisait le moulin ?", [hit(MILL)])
    # Alone: 1.0, 0.0, 0.5; under the title, min-max over 0.8, 0.95, 0.6: 0.571, 1.0, 0.0.
    assert TitledE5()(scoring).tolist() == pytest.approx([1.0, 1.0, 0.5])
    assert TitledE5(0.5)(scoring).tolist() == pytest.approx([(1.0 + 0.2 / 0.35) / 2, 0.5, 0.25])
    # Without sentence vectors (a selection over many passages), each sentence takes its passage's similarity.
    assert TitledE5()(scoring_of(index, "Que faisait le moulin ?", [hit(MILL)], dense=False)).tolist() == [1.0, 1.0, 1.0]


def test_the_query_is_embedded_once_per_question():
    index = FakeIndex(vectors={S1: [0.9, 0.1], S2: [0.5, 0.5], S3: [0.7, 0.3]})
    selector = ExtractiveGenerator(index)
    selector.select("Qui construisit le moulin ?", [hit(MILL)])
    selector.select("Qui construisit le moulin ?", [hit(MILL)])
    assert index.embedder.calls == 1


def test_term_overlap_is_the_weighted_share_of_question_terms():
    # Terms « moulin » and « vallée » weigh the same without an index: S2 holds one of the two.
    scoring = scoring_of(FakeIndex(), "Le moulin de la vallée ?", [hit(MILL)], dense=False)
    assert TermOverlap()(scoring).tolist() == pytest.approx([0.5, 0.5, 0.5])
    rare = scoring_of(FakeIndex(idf={"moulin": 1.0, "vall": 3.0}), "Le moulin de la vallée ?", [hit(MILL)], dense=False)
    assert TermOverlap()(rare).tolist() == pytest.approx([0.1, 0.9, 0.1])  # idf squared: 1 / (1 + 9), 9 / 10


def test_term_overlap_damps_a_long_unit():
    long = "Le moulin " + " ".join(["tournait"] * 60) + " encore."
    scoring = scoring_of(FakeIndex(), "Le moulin ?", [hit(long)], dense=False)
    assert TermOverlap()(scoring)[0] == pytest.approx((35 / 63) ** 0.3)


def test_answer_type_marks_the_sentences_giving_the_expected_type():
    dated = scoring_of(FakeIndex(), "En quelle année le moulin ferma-t-il ?", [hit(MILL)], dense=False)
    assert AnswerType()(dated).tolist() == [1.0, 0.0, 1.0]
    untyped = scoring_of(FakeIndex(), "Pourquoi le moulin ferma-t-il ?", [hit(MILL)], dense=False)
    assert AnswerType()(untyped).tolist() == [0.0, 0.0, 0.0]


# An invented passage naming a person, a budget and a count, none of which the coarse types all see.
FORGE = ("La fonderie de la vallée emploie des ouvriers depuis longtemps. "
         "Elle est dirigée par Hélène Marchand depuis le printemps. "
         "Son budget de modernisation atteint 3 millions d'euros. "
         "Dix-huit ateliers composent aujourd'hui le site.")


def test_stated_value_marks_the_sentence_naming_the_person_asked_for():
    scoring = scoring_of(FakeIndex(), "Qui dirige la fonderie de la vallée ?", [hit(FORGE)], dense=False)
    assert StatedValue(coarse_share=0.0)(scoring).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert AnswerType()(scoring).tolist() == [0.0, 0.0, 0.0, 0.0]  # the coarse types know no person


def test_stated_value_counts_the_noun_asked_in_words_too():
    scoring = scoring_of(FakeIndex(), "Combien d'ateliers compte la fonderie ?", [hit(FORGE)], dense=False)
    assert StatedValue(coarse_share=0.0)(scoring).tolist() == [0.0, 0.0, 0.0, 1.0]


def test_stated_value_keeps_the_coarse_type_by_its_share():
    # « Combien d'ouvriers » counts workers: the budget is a quantity (coarse) but counts none of them.
    scoring = scoring_of(FakeIndex(), "Combien d'ouvriers compte la fonderie ?", [hit(FORGE)], dense=False)
    assert AnswerType()(scoring).tolist() == [0.0, 0.0, 1.0, 0.0]
    assert StatedValue(coarse_share=0.0)(scoring).tolist() == [0.0, 0.0, 0.0, 0.0]
    assert StatedValue()(scoring).tolist() == [0.0, 0.0, 1.0, 0.0]
    # A question asking no particular value is scored by the coarse type alone.
    untyped = scoring_of(FakeIndex(), "Pourquoi la fonderie emploie-t-elle des ouvriers ?", [hit(FORGE)], dense=False)
    assert StatedValue()(untyped).tolist() == AnswerType()(untyped).tolist()


def test_passage_rank():
    scoring = scoring_of(FakeIndex(), "Le moulin ?", [hit(MILL, 1), hit(S2, 2)], dense=False)
    assert PassageRank()(scoring).tolist() == pytest.approx([1, 1, 1, 0.5])


def test_weighted_sums_the_scorers_and_keeps_each_part():
    scoring = scoring_of(FakeIndex(), "En quelle année le moulin ferma-t-il ?", [hit(MILL)], dense=False)
    combined = Weighted((0.5, PassageRank()), (0.25, AnswerType()))
    assert combined(scoring).tolist() == pytest.approx([0.75, 0.5, 0.75])
    assert scoring.candidates[2].parts == pytest.approx({"rank": 1.0, "type": 1.0})
    assert combined.name == "0.5·rank + 0.25·type"


def test_default_scorer_is_e5_overlap_rank_and_type():
    assert [(w, s.name) for w, s in DEFAULT_SCORER.parts] == [(0.5, "e5 titré"), (0.5, "overlap"), (0.1, "rank"),
                                                              (0.15, "valeur")]


def test_a_scorer_is_swapped_in_per_selector_or_per_call():
    question = "Pourquoi le moulin a-t-il fermé ses portes ?"
    by_words = ExtractiveGenerator(FakeIndex()).select(question, [hit(MILL)], dense=False, limit=1)
    assert [c.text for c in by_words] == [S3]
    by_type = ExtractiveGenerator(FakeIndex(), scorer=AnswerType())  # untyped question: reading order
    assert [c.text for c in by_type.select(question, [hit(MILL)], dense=False, limit=1)] == [S1]
    assert [c.text for c in by_type.select(question, [hit(MILL)], dense=False, limit=1,
                                           scorer=TermOverlap())] == [S3]


def test_rank_returns_every_candidate_best_first():
    ranked, scoring = ExtractiveGenerator(FakeIndex()).rank("Le grain de la vallée ?", [hit(MILL)], dense=False)
    assert ranked[0].text == S2 and len(ranked) == 3 == len(scoring.candidates)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    assert ExtractiveGenerator(FakeIndex()).rank("Le grain ?", []) == ([], None)


def test_the_selector_never_abstains_while_a_sentence_can_be_quoted():
    # Refusing is the engine's decision: whatever the scores (here none shares a word with the question),
    # the best sentence is always returned; the relative floor only trims the sentences after it.
    chosen = ExtractiveGenerator(FakeIndex()).select("La forge du hameau ?", [hit(MILL)], dense=False)
    assert chosen and chosen[0].text == S1
