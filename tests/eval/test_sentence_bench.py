"""`bench/sentences.py`: the answer-sentence metric (normalisation, span containment, the tally) and the
scorers it measured and left out of the selector (BM25 on sentences, focus term, position, neighbours).

Invented examples only; the selector runs over a stand-in index (no model, no PIAF file).
"""

from __future__ import annotations

import pytest

from assistant.grounding.extractive import ExtractiveGenerator, TermOverlap
from bench.sentences import (VARIANTS, Case, FocusTerm, SentenceBM25, SentencePosition, WithPrevious, holds,
                             holds_all, measure, normalise, own_items)
from tests.support.sentence_index import FakeIndex, hit, scoring_of


@pytest.mark.parametrize("text, folded", [
    ("Élevé À L’ÉTÉ", "eleve a l'ete"),
    ("60\u202f000  euros\u00a0HT", "60 000 euros ht"),
    ("  Cœur\nde   ville ", "coeur de ville"),
])
def test_normalise_folds_accents_case_apostrophes_and_spaces(text, folded):
    assert normalise(text) == folded


@pytest.mark.parametrize("text, answers, expected", [
    ("Le phare fut allumé en 1902 sur la pointe.", ["1902"], True),
    ("Le phare fut ALLUMÉ en 1902 sur la pointe.", ["allumé en 1902"], True),  # case and accents folded
    ("Le phare fut allumé en 1902 sur la pointe.", ["1902."], True),  # punctuation around a span is not the fact
    ("Le phare fut allumé l’hiver 1902.", ["l'hiver 1902"], True),  # either apostrophe
    ("Le phare fut allumé en 1902 sur la pointe.", ["1903", "la pointe"], True),  # any of the spans
    ("Le phare fut allumé en 1902 sur la pointe.", ["1903"], False),
    ("Le phare fut allumé en 1902 sur la pointe.", ["  ", ""], False),  # an empty span never counts
    ("Le phare fut allumé en 1902.", ["allumé en 1902 sur la pointe"], False),  # a longer span is not held
])
def test_holds_a_gold_span(text, answers, expected):
    assert holds(text, answers) is expected


def test_holds_all_needs_every_fact():
    text = "La cotisation annuelle est de 40 euros, versée avant le 31 mars."
    assert holds_all(text, ["40 euros", "31 mars"])
    assert not holds_all(text, ["40 euros", "30 avril"])
    assert not holds_all(text, [])


BAKERY = ("La boulangerie du port ouvre chaque matin à six heures. "
          "Son pain de seigle est cuit au feu de bois depuis trois générations. "
          "Les pêcheurs y passent avant de prendre la mer.")


class _Selector(ExtractiveGenerator):
    """Sentences ranked without embeddings: the tally is measured, not e5."""

    def rank(self, question, hits, exclude=frozenset(), dense=True, scorer=None):
        return super().rank(question, hits, exclude, dense=False, scorer=scorer)


def test_measure_counts_the_best_sentence_the_selection_and_the_ceiling():
    selector = _Selector(FakeIndex())
    cases = [Case("Comment le pain de seigle est-il cuit ?", [hit(BAKERY)], ["feu de bois"]),
             Case("Quel bateau les pêcheurs prennent-ils ?", [hit(BAKERY)], ["chalutier"])]
    by_words = measure(selector, cases, TermOverlap())
    assert (by_words.n, by_words.at1, by_words.ceiling) == (2, 1, 1)
    assert by_words.chars_at1[0] == len("Son pain de seigle est cuit au feu de bois depuis trois générations.")
    lead = measure(selector, cases, SentencePosition())  # the opening sentence does not hold it
    assert (lead.at1, lead.ceiling) == (0, 1)


def test_only_the_odd_half_of_the_blind_set_is_measured():
    blind = own_items()["blind.yaml, identifiants impairs"]
    assert blind and all(int(str(i["id"]).rsplit("-", 1)[1]) % 2 == 1 for i in blind)


# An invented passage: three sentences of at least five words each.
MILL = ("Le moulin du village fut construit en 1920 par un meunier. "
        "Il broyait le grain de toute la vallée pendant les moissons. "
        "Le moulin ferma définitivement ses portes en 1955.")


def test_sentence_bm25_prefers_repeats_and_short_sentences_and_scales_to_one():
    text = ("Le four à pain chauffe le pain du matin au soir. "
            "Le four chauffe toute la maison pendant les longs hivers du nord. "
            "Les enfants jouent dans la cour derrière la ferme.")
    scoring = scoring_of(FakeIndex(), "Le four à pain ?", [hit(text)], dense=False)
    scores = SentenceBM25()(scoring)
    assert scores[0] == 1.0 and 0 < scores[1] < scores[0] and scores[2] == 0.0


def test_sentence_bm25_without_any_shared_term_is_zero():
    scoring = scoring_of(FakeIndex(), "La forge du hameau ?", [hit(MILL)], dense=False)
    assert SentenceBM25()(scoring).tolist() == [0.0, 0.0, 0.0]


def test_focus_term_is_the_rarest_question_term():
    idf = {"moulin": 1.0, "meuni": 4.0}
    scoring = scoring_of(FakeIndex(idf=idf), "Quel meunier tenait le moulin ?", [hit(MILL)], dense=False)
    assert FocusTerm()(scoring).tolist() == [1.0, 0.0, 0.0]


def test_sentence_position_favours_the_opening_sentences():
    scoring = scoring_of(FakeIndex(), "Le moulin ?", [hit(MILL, 1), hit("Le grain de la vallée était réputé.", 2)],
                         dense=False)
    assert SentencePosition()(scoring).tolist() == pytest.approx([1, 1 / 2, 1 / 3, 1])


def test_with_previous_adds_a_share_of_the_sentence_before_in_the_same_passage():
    # « Il broyait… » names the mill only through its pronoun: it borrows from the sentence before.
    scoring = scoring_of(FakeIndex(), "Le moulin ?", [hit(MILL, 1), hit("Le moulin était en bois de chêne.", 2)],
                         dense=False)
    own = TermOverlap()(scoring)
    assert WithPrevious(TermOverlap(), 0.5)(scoring).tolist() == pytest.approx(
        [own[0], own[1] + 0.5 * own[0], own[2] + 0.5 * own[1], own[3]])


def test_the_default_is_measured_first():
    assert next(iter(VARIANTS)).startswith("défaut")


def test_the_fitted_weights_rank_the_answering_sentence_first():
    import numpy as np

    from bench.sentence_weights import accuracy_at_1, fit

    rng = np.random.default_rng(0)
    groups = []
    for _ in range(60):  # first signal tells the answer apart, the second is noise
        x = rng.random((5, 2))
        positive = np.zeros(5)
        best = int(np.argmax(x[:, 0]))
        positive[best] = 1.0
        groups.append((x, positive))
    w = fit(groups, steps=200)
    assert w[0] > 0 and abs(w[1]) < w[0] / 3
    assert accuracy_at_1(groups, w) > 0.9
    assert accuracy_at_1(groups, np.array([0.0, 1.0])) < 0.6
