"""Extractive selection rules: term overlap, answer-type bonus, continuation sentences, plural-free terms.

No embedding is computed: `select(dense=False)` scores sentences with their passage's similarity, and the
index is a stand-in without BM25 (every term weighs the same).
"""

from __future__ import annotations

import pytest

from assistant.grounding.extractive import ExtractiveGenerator, plain_term
from assistant.models import SearchHit


class NoBM25Index:
    def bm25_index(self):
        return None


@pytest.fixture(scope="module")
def generator() -> ExtractiveGenerator:
    return ExtractiveGenerator(NoBM25Index())


def _hit(text: str, rank: int = 1, dense: float = 0.8) -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title="Note", doc_type="note", source="s",
                     locator="", chunk_id=f"d{rank}:1", text=text, meta={"dense": dense})


def _texts(candidates) -> list[str]:
    return [c.text for c in candidates]


@pytest.mark.parametrize("term, plain", [("conclus", "conclu"), ("marches", "marche"), ("prix", "prix"),
                                         ("bus", "bus"), ("lot", "lot"), ("offre", "offre")])
def test_plain_term_drops_a_final_s_or_x_of_long_terms(term, plain):
    assert plain_term(term) == plain


DELAY = ("La durée de réception des offres est au minimum de trente jours. "
         "Cette durée peut être réduite en cas d'urgence dûment justifiée. "
         "Les candidats sont informés par écrit du rejet.")


def test_select_keeps_the_sentence_sharing_the_question_words(generator):
    chosen = generator.select("Quelle procédure pour les candidats informés du rejet ?", [_hit(DELAY)], dense=False,
                              limit=1)
    assert _texts(chosen) == ["Les candidats sont informés par écrit du rejet."]
    assert (chosen[0].hit_index, chosen[0].position) == (0, 2)
    assert chosen[0].lexical == 0.75  # three of its four words


def test_select_adds_the_sentence_that_continues_a_chosen_one(generator):
    chosen = generator.select("Combien de jours pour la réception des offres ?", [_hit(DELAY)], dense=False)
    assert _texts(chosen) == ["La durée de réception des offres est au minimum de trente jours.",
                              "Cette durée peut être réduite en cas d'urgence dûment justifiée."]


def test_select_no_continuation_when_the_next_sentence_speaks_of_something_else(generator):
    text = DELAY.replace("Cette durée", "Cette procédure")
    chosen = generator.select("Combien de jours pour la réception des offres ?", [_hit(text)], dense=False)
    assert _texts(chosen) == ["La durée de réception des offres est au minimum de trente jours."]


def test_select_continuation_respects_the_limit(generator):
    chosen = generator.select("Combien de jours pour la réception des offres ?", [_hit(DELAY)], dense=False, limit=1)
    assert _texts(chosen) == ["La durée de réception des offres est au minimum de trente jours."]


OBLIGATION = ("L'obligation s'applique aux acheteurs publics de l'État et des collectivités. "
              "L'obligation s'applique aux acheteurs publics depuis le 1er janvier 2024.")


def test_select_prefers_the_sentence_giving_the_expected_type_of_answer(generator):
    dated = "L'obligation s'applique aux acheteurs publics depuis le 1er janvier 2024."
    when = generator.select("Depuis quand l'obligation s'applique-t-elle aux acheteurs publics ?", [_hit(OBLIGATION)],
                            dense=False, limit=1)
    assert _texts(when) == [dated]
    why = generator.select("Pourquoi l'obligation s'applique-t-elle aux acheteurs publics ?", [_hit(OBLIGATION)],
                           dense=False, limit=1)
    assert _texts(why) != [dated]
    # A rewritten follow-up (« previous ? new ») is typed by its last question.
    followup = generator.select("Pourquoi l'obligation s'applique-t-elle aux acheteurs publics ? Depuis quand ?",
                                [_hit(OBLIGATION)], dense=False, limit=1)
    assert _texts(followup) == [dated]


def test_select_honours_exclude_and_returns_reading_order(generator):
    chosen = generator.select("Combien de jours pour la réception des offres ?", [_hit(DELAY)], dense=False,
                              exclude=frozenset({"La durée de réception des offres est au minimum de trente jours."}))
    assert "La durée de réception des offres est au minimum de trente jours." not in _texts(chosen)
    assert [c.position for c in chosen] == sorted(c.position for c in chosen)


def test_select_drops_sentences_far_below_the_best_one(generator):
    hits = [_hit("Les candidats sont informés par écrit du rejet de leur offre.", 1, dense=0.86),
            _hit("Les adhérents se réunissent chaque année en assemblée générale.", 2, dense=0.78)]
    chosen = generator.select("Comment les candidats sont-ils informés du rejet de leur offre ?", hits, dense=False)
    assert _texts(chosen) == ["Les candidats sont informés par écrit du rejet de leur offre."]


def test_select_orders_by_passage_rank_then_position(generator):
    hits = [_hit("Les offres anormalement basses sont rejetées après vérification.", 1),
            _hit("Une offre anormalement basse doit être justifiée par le candidat.", 2)]
    chosen = generator.select("Que faire d'une offre anormalement basse ?", hits, dense=False)
    assert [(c.hit_index, c.position) for c in chosen] == [(0, 0), (1, 0)]


def test_select_without_passages_or_citable_sentences(generator):
    assert generator.select("Quel seuil ?", [], dense=False) == []
    assert generator.select("Quel seuil ?", [_hit("Titre court")], dense=False) == []  # a heading states nothing


PLAN = ("La fédération a présenté son plan le 3 mars, à Lyon, devant ses adhérents. "
        "Il vise à doubler l'export en s'appuyant sur des axes précis. "
        "Formation des salariés, aide à l'investissement, accès au crédit et conquête de marchés. "
        "La presse régionale a salué l'initiative.")


def test_a_list_question_reads_the_list_after_the_sentence_announcing_it(generator):
    # One sentence asked for: the list comes with it, as the two are one answer.
    chosen = _texts(generator.select("Quels axes retient-il pour doubler l'export ?", [_hit(PLAN)], dense=False,
                                     limit=1))
    assert chosen == ["Il vise à doubler l'export en s'appuyant sur des axes précis.",
                      "Formation des salariés, aide à l'investissement, accès au crédit et conquête de marchés."]


def test_a_question_asking_no_list_does_not_take_the_sentence_after(generator):
    chosen = _texts(generator.select("Quand le plan de la fédération a-t-il été présenté ?", [_hit(PLAN)], dense=False,
                                     limit=1))
    assert chosen == ["La fédération a présenté son plan le 3 mars, à Lyon, devant ses adhérents."]
