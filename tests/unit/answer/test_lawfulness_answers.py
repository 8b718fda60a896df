"""May a buyer require an origin, a locality, a brand? The answer leads with the rule, quoted from its articles."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def engine(shared_container):
    return shared_container.answers


def _cited_articles(answer) -> list[str]:
    return [c.locator for c in answer.citations]


def test_an_origin_requirement_is_answered_with_the_rule_first(engine):
    answer = engine.ask("Un acheteur peut-il exiger des vêtements de travail fabriqués en France ?")
    assert not answer.abstained
    assert answer.text.startswith("Non :") and answer.framing and answer.text.startswith(answer.framing[0])
    cited = _cited_articles(answer)
    assert cited[:2] == ["L3", "R2111-7"]  # the rule's own articles come first, in its order
    quote = next(c.quote for c in answer.citations if c.locator == "R2111-7")
    assert "provenance ou origine déterminée" in quote


def test_a_locality_requirement_cites_equal_treatment_and_the_award_criteria(engine):
    answer = engine.ask("Dans un appel d'offres, est-il possible de noter mieux les fournisseurs installés dans "
                        "notre département ?")
    assert not answer.abstained and answer.text.startswith("Non :")
    assert {"L3", "R2152-7"} <= set(_cited_articles(answer))


def test_a_brand_question_says_when_a_brand_may_be_named(engine):
    answer = engine.ask("Peut-on citer le nom d'une marque d'imprimantes dans le cahier des charges ?")
    assert not answer.abstained and "« ou équivalent »" in answer.text
    assert "R2111-7" in _cited_articles(answer)


def test_a_figure_about_french_made_purchases_is_not_read_as_a_lawfulness_question(engine):
    answer = engine.ask("Selon l'Alliance, quelle part des achats des entreprises va au fabriqué en France ?")
    assert not answer.text.startswith("Non :")


def test_a_lawful_criterion_that_suits_nearby_firms_is_not_answered_no(engine):
    answer = engine.ask("Noter les délais de livraison favorise les fournisseurs voisins : est-ce régulier ?")
    assert answer.text.startswith("Oui, si le critère mesure la performance elle-même"), answer.text
    assert "R2152-7" in {c.locator for c in answer.citations}
    # The locality rule still follows: the firms' location itself may not be favoured.
    assert "ne peut être ni exigée ni favorisée (article L3)" in answer.text
