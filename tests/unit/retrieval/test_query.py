"""Query preparation: buyers' jargon expanded into the Code's own words (glossary.yaml)."""

from __future__ import annotations

import pytest

from assistant.retrieval.query import expand_query


@pytest.mark.parametrize("query, expansion", [
    ("Puis-je passer un MAPA ?", "procédure adaptée"),
    ("Le Dume est-il obligatoire ?", "document unique de marché européen"),  # any case
    ("Qu’est-ce que le délai d’attente ?", "délai minimal signature du marché"),  # accents, typographic apostrophe
    ("Une OAB ?", "offre anormalement basse"),
    ("Peut-on négocier de gré à gré ?", "sans publicité ni mise en concurrence préalables"),
])
def test_jargon_is_followed_by_the_codes_wording(query, expansion):
    assert expand_query(query) == f"{query} {expansion}"


def test_every_matching_entry_is_added_once_in_glossary_order():
    assert expand_query("Un MAPA pour les PME et les TPE") == \
        "Un MAPA pour les PME et les TPE procédure adaptée petites et moyennes entreprises"


@pytest.mark.parametrize("query", [
    "Question sans jargon",
    "Le mapage est nouveau",  # a longer word is not the term
    "Le dc1-bis",  # nor is a term glued to a hyphen
])
def test_no_expansion_without_a_whole_glossary_term(query):
    assert expand_query(query) == query
