"""Relevance rules: coverage of the question by the passages, what a question asks about a name."""

from __future__ import annotations

import pytest

from assistant.grounding.entities import load_entities
from assistant.grounding.relevance import (
    FULL_COVERAGE,
    Asked,
    Relevance,
    asked_terms,
    contract_subject,
    entity_attribute,
    mentions,
    question_wording,
    relevance,
)
from assistant.grounding.scope import contract_type
from assistant.index.lexical import FrenchAnalyzer
from assistant.models import SearchHit

ANALYZER = FrenchAnalyzer()


class FakeBM25:
    """The two questions relevance asks of the BM25 index: how rare a stem is, whether any passage has it."""

    def __init__(self, idf: dict[str, float], known: set[str] = frozenset(), default: float = 1.0):
        self._idf, self._known, self._default = idf, set(known), default

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._default)

    def knows(self, term: str) -> bool:
        return term in self._known


def _hit(text: str, dense: float | None = None, rank: int = 1, title: str = "Guide", locator: str = "") -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"doc{rank}", title=title, doc_type="note", source="s",
                     locator=locator, chunk_id=f"doc{rank}:0001", text=text,
                     meta={} if dense is None else {"dense": dense})


# --- Relevance.sufficient ------------------------------------------------------------------------

def test_sufficient_needs_coverage_and_similarity():
    assert Relevance(coverage=0.5, dense=0.85, uncovered=[]).sufficient(0.4, 0.83)
    assert not Relevance(coverage=0.3, dense=0.85, uncovered=[]).sufficient(0.4, 0.83)  # too little covered
    assert not Relevance(coverage=0.5, dense=0.80, uncovered=[]).sufficient(0.4, 0.83)  # too far


def test_sufficient_full_coverage_makes_up_for_a_low_similarity():
    assert Relevance(coverage=FULL_COVERAGE, dense=0.70, uncovered=[]).sufficient(0.4, 0.83)
    assert not Relevance(coverage=FULL_COVERAGE - 0.01, dense=0.70, uncovered=[]).sufficient(0.4, 0.83)


def test_sufficient_rejects_a_rare_uncovered_word():
    rel = Relevance(coverage=0.8, dense=0.9, uncovered=["zorglub"], max_uncovered_idf=9.5)
    assert rel.sufficient(0.4, 0.83)  # no limit by default
    assert not rel.sufficient(0.4, 0.83, max_uncovered_idf=8.0)
    assert rel.sufficient(0.4, 0.83, max_uncovered_idf=9.5)


def test_a_jargon_word_is_covered_by_a_passage_in_the_codes_words_for_it():
    # « avenant » is the glossary's jargon for « modification du marché »: a passage saying that covers it.
    hits = [_hit("La modification du marché est possible sans nouvelle procédure dans les cas suivants.", dense=0.9)]
    rel = relevance("Un avenant est-il possible ?", hits, None, ANALYZER)
    assert rel.uncovered == [] and rel.coverage == 1.0
    plain = relevance("Un pourboire est-il possible ?", hits, None, ANALYZER)
    assert [t[:6] for t in plain.uncovered] == ["pourbo"]


# --- question_wording ------------------------------------------------------------------------------

def test_question_wording_holds_how_questions_are_asked_not_their_subject():
    wording = question_wording(ANALYZER)
    for word in ("combien", "quand", "puis", "faut", "pourquoi"):
        assert word in wording
    for subject in ("seuil", "march", "cotis", "budget"):
        assert subject not in wording
    folded = question_wording(ANALYZER, folded=True)
    assert {"combien", "quand", "puis"} <= folded and "seuil" not in folded
    assert question_wording(ANALYZER) is wording  # computed once


def test_the_modal_verb_a_question_is_put_with_is_not_an_uncovered_word():
    hits = [_hit("Les syndicats entendent peser sur les prochaines élections professionnelles.", dense=0.84)]
    rel = relevance("Sur quelles élections les syndicats veulent-ils peser en vue de la rentrée ?", hits, None, ANALYZER)
    assert rel.uncovered == ["rentr"]  # « veulent » and « vue » are how it is asked; « rentrée » is what is asked
    # « devez » is not one of them: its stem is that of « devis », a subject
    assert "dev" not in question_wording(ANALYZER)


# --- relevance ----------------------------------------------------------------------------------

QUESTION = "Quel est le seuil de publicité pour les marchés de travaux ?"


def test_relevance_partial_coverage_lists_the_missing_term():
    rel = relevance(QUESTION, [_hit("Le seuil des marchés de travaux est fixé par le code.", dense=0.84)], None)
    assert rel == Relevance(coverage=0.75, dense=0.84, uncovered=["publiqu"], max_uncovered_idf=1.0)


def test_relevance_takes_the_best_of_the_top_passages_and_the_best_similarity():
    hits = [_hit("Le seuil des marchés de travaux est fixé par le code.", dense=0.84, rank=1),
            _hit("La publicité des marchés de travaux au-delà du seuil.", dense=0.81, rank=2)]
    rel = relevance(QUESTION, hits, None)
    assert (rel.coverage, rel.dense, rel.uncovered, rel.max_uncovered_idf) == (1.0, 0.84, [], 0.0)


def test_relevance_counts_title_and_locator_of_the_passage():
    hit = _hit("Le seuil est fixé par le code.", title="Publicité des marchés", locator="Travaux")
    assert relevance(QUESTION, [hit], None).coverage == 1.0


def test_a_role_asked_in_other_words_is_covered_by_the_passage_naming_it():
    # « à la tête de » asks the role « président » says.
    hit = _hit("Jeanne Exemple, présidente de la Fédération des meuniers, a pris la parole.")
    rel = relevance("Jeanne Exemple est à la tête de quelle fédération ?", [hit], None)
    assert rel.coverage == 1.0 and rel.uncovered == []


def test_relevance_only_reads_the_first_three_passages():
    off_topic = [_hit("Les adhérents se réunissent chaque année.", rank=i) for i in (1, 2, 3)]
    on_topic = _hit("La publicité des marchés de travaux au-delà du seuil.", rank=4)
    assert relevance(QUESTION, off_topic + [on_topic], None).coverage == 0.0


def test_relevance_of_an_off_topic_passage_and_of_no_passage():
    off = relevance(QUESTION, [_hit("Les adhérents se réunissent chaque année.", dense=0.79)], None)
    assert off == Relevance(coverage=0.0, dense=0.79, uncovered=["seuil", "publiqu", "march", "traval"],
                            max_uncovered_idf=1.0)
    none = relevance(QUESTION, [], None)
    assert (none.coverage, none.dense, none.uncovered) == (0.0, 0.0, ["seuil", "publiqu", "march", "traval"])


def test_relevance_weights_terms_by_rarity():
    bm25 = FakeBM25({"publiqu": 3.0})  # the other three weigh 1.0 each
    rel = relevance(QUESTION, [_hit("Le seuil des marchés de travaux est fixé par le code.")], bm25)
    assert rel.coverage == 0.5 and rel.uncovered == ["publiqu"] and rel.max_uncovered_idf == 3.0


# --- asked_terms / entity_attribute ---------------------------------------------------------------

ORGANISATIONS = load_entities().organisations


def test_asked_terms_blank_out_the_name_and_keep_rare_words_rarest_first():
    bm25 = FakeBM25({"budget": 6.0, "annuel": 5.0, "cpme": 9.0})
    assert asked_terms("Quel est le budget annuel de la CPME ?", ORGANISATIONS, bm25) == [
        (6.0, "budge", "budget"), (5.0, "annue", "annuel")]


def test_asked_terms_drop_common_words_and_unknown_ones_when_asked():
    bm25 = FakeBM25({"budget": 6.0, "annuel": 2.0}, known={"annuel"})
    assert asked_terms("Quel est le budget annuel de la CPME ?", ORGANISATIONS, bm25) == [(6.0, "budge", "budget")]
    # known_only: « budget » is in no passage, so only the word the documents use remains
    assert asked_terms("Quel est le budget annuel de la CPME ?", ORGANISATIONS, bm25, min_idf=1.0,
                       known_only=True) == [(2.0, "annue", "annuel")]


def test_asked_terms_show_inverted_verbs_without_their_pronoun():
    terms = asked_terms("Comment calcule-t-on la cotisation ?", [], None, min_idf=0.0)
    assert (1.0, "calcu", "calcule") in terms and (1.0, "cotis", "cotisation") in terms


def test_entity_attribute_is_the_two_rarest_words_beside_the_name_that_the_documents_use():
    bm25 = FakeBM25({"budget": 6.0, "annuel": 5.0, "bonjour": 9.0}, known={"budget", "annuel"})
    assert entity_attribute("Quel est le budget annuel de la CPME ?", ORGANISATIONS, bm25) == \
        Asked(("budge", "annue"), "budget")
    # A greeting no passage contains is not what is asked, however rare.
    assert entity_attribute("Bonjour, quel est le budget de la CPME ?", ORGANISATIONS, bm25) == \
        Asked(("budge",), "budget")


def test_who_is_asking_is_not_what_is_asked():
    bm25 = FakeBM25({"acheteuse": 8.0, "hopital": 7.0, "budget": 6.0}, known={"acheteuse", "hopital", "budget"})
    # the asker's presentation, up to its colon, then the question proper
    assert entity_attribute("Bonjour, je travaille pour un hôpital, acheteuse : quel budget a la CPME ?", ORGANISATIONS,
                            bm25) == Asked(("budge",), "budget")
    # a qualifier of what is asked (« grands ») is not what is asked
    assert entity_attribute("Quels sont les grands projets de la CPME ?", ORGANISATIONS,
                            FakeBM25({"grand": 8.0, "projet": 6.0}, known={"grand", "projet"})) == \
        Asked(("proje",), "projets")


def test_entity_attribute_none_when_only_the_name_is_asked_about():
    bm25 = FakeBM25({}, default=9.0)  # every word rare: still nothing asked beyond « que fait la CPME »
    assert entity_attribute("Que fait la CPME ?", ORGANISATIONS, bm25) is None


def test_entity_attribute_of_a_past_participle_keeps_its_verb_root():
    bm25 = FakeBM25({"cre": 5.0}, known={"cre"})
    assert entity_attribute("Quand la CPME a-t-elle été créée ?", ORGANISATIONS, bm25) == \
        Asked(("cree",), "créée", ("cre",))


# --- contract_subject ------------------------------------------------------------------------------

CONCESSION_QUESTION = "Comment calcule-t-on la valeur estimée d'une concession ?"


def test_contract_subject_two_rarest_words_the_documents_use():
    kind = contract_type(CONCESSION_QUESTION)
    assert kind is not None and kind.id == "concessions"
    bm25 = FakeBM25({"calcul": 3.0, "valeur": 2.5, "estim": 4.0}, known={"valeur", "estim"})
    assert contract_subject(CONCESSION_QUESTION, kind, bm25) == Asked(("estim", "valeu"), "estimée")


def test_contract_subject_none_when_nothing_is_asked_beyond_the_contract():
    kind = contract_type(CONCESSION_QUESTION)
    bm25 = FakeBM25({}, known={"concess"}, default=8.0)
    assert contract_subject("Qu'est-ce qu'une concession ?", kind, bm25) is None


# --- mentions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Son budget annuel est voté en assemblée.", True),
    ("Les budgets sont publiés.", True),
    ("Elle compte plusieurs milliers d'adhérents.", False),
])
def test_mentions_by_stem_prefix(text, expected):
    assert mentions(text, Asked(("budge",), "budget")) is expected


@pytest.mark.parametrize("text, expected", [
    ("L'organisation a été créée après la guerre.", True),
    ("Sa création remonte à l'après-guerre.", True),  # root « cre » + « ation »
    ("Elle crée des emplois.", True),
    ("Elle a été fondée après la guerre.", False),
    ("Le créateur est inconnu.", False),  # « ateur » is not an ending of the verb
])
def test_mentions_by_verb_root(text, expected):
    assert mentions(text, Asked(("cree",), "créée", ("cre",))) is expected


def test_a_question_on_the_documents_subject_needs_a_little_less_similarity():
    from assistant.config import Settings
    from assistant.grounding.relevance import Relevance

    settings = Settings()
    near_miss = Relevance(coverage=0.4, dense=(settings.abstain_min_dense + settings.abstain_min_dense_in_domain) / 2,
                          uncovered=[])
    assert not near_miss.passes(settings) and near_miss.passes(settings, in_domain=True)
    far = Relevance(coverage=0.4, dense=settings.abstain_min_dense_in_domain - 0.01, uncovered=[])
    assert not far.passes(settings, in_domain=True)
