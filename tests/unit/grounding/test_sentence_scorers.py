"""Each sentence scorer of the extractive selector on its own, and swapping one in.

A stand-in index gives hand-made vectors and idf values, so that every expected score can be worked out
by hand (no model is loaded). The examples are invented.
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.grounding.extractive import (DEFAULT_SCORER, AnswerType, E5Similarity, ExtractiveGenerator,
                                            FocusTerm, PassageRank, Scoring, SentenceBM25, SentencePosition,
                                            TermOverlap, Weighted)
from assistant.models import SearchHit


class FakeBM25:
    def __init__(self, idf: dict[str, float]):
        self._idf = idf

    def idf(self, term: str) -> float:
        return self._idf.get(term, 1.0)


class FakeEmbedder:
    def __init__(self, query: np.ndarray):
        self.query = query
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return self.query.tolist()


class FakeIndex:
    """`bm25_index`, `embedder.embed_query` and `vectors_for`: what the selector reads of an index."""

    def __init__(self, idf: dict[str, float] | None = None, vectors: dict[str, list[float]] | None = None,
                 query: list[float] | None = None):
        self.idf = idf
        self.vectors = {t: np.asarray(v, dtype=np.float32) for t, v in (vectors or {}).items()}
        self.embedder = FakeEmbedder(np.asarray(query or [1.0, 0.0], dtype=np.float32))

    def bm25_index(self):
        return FakeBM25(self.idf) if self.idf is not None else None

    def vectors_for(self, texts, hashes, namespace=""):
        return {h: self.vectors[t] for h, t in zip(hashes, texts)}


def _hit(text: str, rank: int = 1, dense: float = 0.8) -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title="Note", doc_type="note", source="s",
                     locator="", chunk_id=f"d{rank}:1", text=text, meta={"dense": dense})


def _scoring(index: FakeIndex, question: str, hits: list[SearchHit], dense: bool = True) -> Scoring:
    selector = ExtractiveGenerator(index)
    return Scoring(selector, question, hits, selector._candidates(hits), dense)


# An invented passage: three sentences of at least five words each.
MILL = ("Le moulin du village fut construit en 1920 par un meunier. "
        "Il broyait le grain de toute la vallée pendant les moissons. "
        "Le moulin ferma définitivement ses portes en 1955.")
S1, S2, S3 = ("Le moulin du village fut construit en 1920 par un meunier.",
              "Il broyait le grain de toute la vallée pendant les moissons.",
              "Le moulin ferma définitivement ses portes en 1955.")


def test_e5_similarity_is_min_max_scaled_over_the_candidates():
    index = FakeIndex(vectors={S1: [0.9, 0.1], S2: [0.5, 0.5], S3: [0.7, 0.3]}, query=[1.0, 0.0])
    scoring = _scoring(index, "Qui construisit le moulin ?", [_hit(MILL)])
    assert E5Similarity()(scoring).tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert [c.dense for c in scoring.candidates] == pytest.approx([0.9, 0.5, 0.7])


def test_e5_similarity_without_sentence_vectors_takes_the_passage_similarity():
    hits = [_hit(S1, 1, dense=0.86), _hit(S2, 2, dense=0.82)]
    scoring = _scoring(FakeIndex(), "Qui construisit le moulin ?", hits, dense=False)
    assert E5Similarity()(scoring).tolist() == [1.0, 0.0]
    assert scoring.vectors is None


def test_e5_similarity_of_equal_candidates_is_one():
    index = FakeIndex(vectors={S1: [0.6, 0.8], S2: [0.6, 0.8], S3: [0.6, 0.8]})
    assert E5Similarity()(_scoring(index, "Qui construisit le moulin ?", [_hit(MILL)])).tolist() == [1.0, 1.0, 1.0]


def test_the_query_is_embedded_once_per_question():
    index = FakeIndex(vectors={S1: [0.9, 0.1], S2: [0.5, 0.5], S3: [0.7, 0.3]})
    selector = ExtractiveGenerator(index)
    selector.select("Qui construisit le moulin ?", [_hit(MILL)])
    selector.select("Qui construisit le moulin ?", [_hit(MILL)])
    assert index.embedder.calls == 1


def test_term_overlap_is_the_weighted_share_of_question_terms():
    # Terms « moulin » and « vallée » weigh the same without an index: S2 holds one of the two.
    scoring = _scoring(FakeIndex(), "Le moulin de la vallée ?", [_hit(MILL)], dense=False)
    assert TermOverlap()(scoring).tolist() == pytest.approx([0.5, 0.5, 0.5])
    rare = _scoring(FakeIndex(idf={"moulin": 1.0, "vall": 3.0}), "Le moulin de la vallée ?", [_hit(MILL)], dense=False)
    assert TermOverlap()(rare).tolist() == pytest.approx([0.1, 0.9, 0.1])  # idf squared: 1 / (1 + 9), 9 / 10


def test_term_overlap_damps_a_long_unit():
    long = "Le moulin " + " ".join(["tournait"] * 60) + " encore."
    scoring = _scoring(FakeIndex(), "Le moulin ?", [_hit(long)], dense=False)
    assert TermOverlap()(scoring)[0] == pytest.approx((35 / 63) ** 0.3)


def test_sentence_bm25_prefers_repeats_and_short_sentences_and_scales_to_one():
    text = ("Le four à pain chauffe le pain du matin au soir. "
            "Le four chauffe toute la maison pendant les longs hivers du nord. "
            "Les enfants jouent dans la cour derrière la ferme.")
    scoring = _scoring(FakeIndex(), "Le four à pain ?", [_hit(text)], dense=False)
    scores = SentenceBM25()(scoring)
    assert scores[0] == 1.0 and 0 < scores[1] < scores[0] and scores[2] == 0.0


def test_sentence_bm25_without_any_shared_term_is_zero():
    scoring = _scoring(FakeIndex(), "La forge du hameau ?", [_hit(MILL)], dense=False)
    assert SentenceBM25()(scoring).tolist() == [0.0, 0.0, 0.0]


def test_focus_term_is_the_rarest_question_term():
    idf = {"moulin": 1.0, "meuni": 4.0}
    scoring = _scoring(FakeIndex(idf=idf), "Quel meunier tenait le moulin ?", [_hit(MILL)], dense=False)
    assert FocusTerm()(scoring).tolist() == [1.0, 0.0, 0.0]


def test_answer_type_marks_the_sentences_giving_the_expected_type():
    dated = _scoring(FakeIndex(), "En quelle année le moulin ferma-t-il ?", [_hit(MILL)], dense=False)
    assert AnswerType()(dated).tolist() == [1.0, 0.0, 1.0]
    untyped = _scoring(FakeIndex(), "Pourquoi le moulin ferma-t-il ?", [_hit(MILL)], dense=False)
    assert AnswerType()(untyped).tolist() == [0.0, 0.0, 0.0]


def test_passage_rank_and_sentence_position():
    scoring = _scoring(FakeIndex(), "Le moulin ?", [_hit(MILL, 1), _hit(S2, 2)], dense=False)
    assert PassageRank()(scoring).tolist() == pytest.approx([1, 1, 1, 0.5])
    assert SentencePosition()(scoring).tolist() == pytest.approx([1, 1 / 2, 1 / 3, 1])


def test_weighted_sums_the_scorers_and_keeps_each_part():
    scoring = _scoring(FakeIndex(), "En quelle année le moulin ferma-t-il ?", [_hit(MILL)], dense=False)
    combined = Weighted((0.5, SentencePosition()), (0.25, AnswerType()))
    assert combined(scoring).tolist() == pytest.approx([0.75, 0.25, 0.5 / 3 + 0.25])
    assert scoring.candidates[2].parts == pytest.approx({"position": 1 / 3, "type": 1.0})
    assert combined.name == "0.5·position + 0.25·type"


def test_default_scorer_is_e5_overlap_rank_and_type():
    assert [(w, s.name) for w, s in DEFAULT_SCORER.parts] == [(0.5, "e5"), (0.5, "overlap"), (0.1, "rank"),
                                                              (0.15, "type")]


def test_a_scorer_is_swapped_in_per_selector_or_per_call():
    question = "Pourquoi le moulin a-t-il fermé ses portes ?"
    by_words = ExtractiveGenerator(FakeIndex()).select(question, [_hit(MILL)], dense=False, limit=1)
    assert [c.text for c in by_words] == [S3]
    by_position = ExtractiveGenerator(FakeIndex(), scorer=SentencePosition())
    assert [c.text for c in by_position.select(question, [_hit(MILL)], dense=False, limit=1)] == [S1]
    assert [c.text for c in by_position.select(question, [_hit(MILL)], dense=False, limit=1,
                                               scorer=TermOverlap())] == [S3]


def test_rank_returns_every_candidate_best_first():
    ranked, scoring = ExtractiveGenerator(FakeIndex()).rank("Le grain de la vallée ?", [_hit(MILL)], dense=False)
    assert ranked[0].text == S2 and len(ranked) == 3 == len(scoring.candidates)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)
    assert ExtractiveGenerator(FakeIndex()).rank("Le grain ?", []) == ([], None)
