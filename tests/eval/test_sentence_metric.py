"""The answer-sentence metric of `bench/sentences.py`: normalisation, span containment, the tally.

Invented examples only; the selector runs over a stand-in index (no model, no PIAF file).
"""

from __future__ import annotations

import pytest

from assistant.grounding.extractive import ExtractiveGenerator, SentencePosition, TermOverlap
from assistant.models import SearchHit
from bench.sentences import Case, holds, holds_all, measure, normalise, own_items


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


class NoBM25Index:
    def bm25_index(self):
        return None


def _hit(text: str, rank: int = 1) -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title="Note", doc_type="note", source="s",
                     locator="", chunk_id=f"d{rank}:1", text=text, meta={"dense": 0.8})


BAKERY = ("La boulangerie du port ouvre chaque matin à six heures. "
          "Son pain de seigle est cuit au feu de bois depuis trois générations. "
          "Les pêcheurs y passent avant de prendre la mer.")


class _Selector(ExtractiveGenerator):
    """Sentences ranked without embeddings: the tally is measured, not e5."""

    def rank(self, question, hits, exclude=frozenset(), dense=True, scorer=None):
        return super().rank(question, hits, exclude, dense=False, scorer=scorer)


def test_measure_counts_the_best_sentence_the_selection_and_the_ceiling():
    selector = _Selector(NoBM25Index())
    cases = [Case("Comment le pain de seigle est-il cuit ?", [_hit(BAKERY)], ["feu de bois"]),
             Case("Quel bateau les pêcheurs prennent-ils ?", [_hit(BAKERY)], ["chalutier"])]
    by_words = measure(selector, cases, TermOverlap())
    assert (by_words.n, by_words.at1, by_words.ceiling) == (2, 1, 1)
    assert by_words.chars_at1[0] == len("Son pain de seigle est cuit au feu de bois depuis trois générations.")
    lead = measure(selector, cases, SentencePosition())  # the opening sentence does not hold it
    assert (lead.at1, lead.ceiling) == (0, 1)


def test_only_the_odd_half_of_the_blind_set_is_measured():
    blind = own_items()["blind (impairs)"]
    assert blind and all(int(str(i["id"]).rsplit("-", 1)[1]) % 2 == 1 for i in blind)
