"""Expected answer type: a date for « depuis quand », a quantity for « combien », and which sentences give one."""

from __future__ import annotations

import pytest

from assistant.grounding.answer_type import DATE, QUANTITY, expected_type, gives


@pytest.mark.parametrize("question, kind", [
    ("Depuis quand la règle s'applique-t-elle ?", DATE),
    ("À partir de quand ?", DATE),
    ("Jusqu’à quand l'offre est-elle valable ?", DATE),  # typographic apostrophe
    ("En quelle année l'association est-elle née ?", DATE),
    ("Combien coûte l'adhésion ?", QUANTITY),
    ("Quel est le montant du seuil ?", QUANTITY),
    ("Quels sont les délais ?", QUANTITY),
    ("À partir de quel montant faut-il publier ?", QUANTITY),
    ("Pourquoi acheter français ?", None),
    ("Quelle est la procédure ?", None),
    ("Quelles entreprises sont concernées ?", None),
])
def test_expected_type(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize("sentence, date, quantity", [
    ("Depuis 2019, la règle s'applique.", True, False),
    ("Le label date de mars 2021.", True, False),
    ("Le texte entre en vigueur le 1er juillet.", True, False),
    ("Vingt-cinq entreprises participent.", False, True),
    ("Le taux atteint 5%.", False, True),
    ("Le seuil est fixé à 90 000 euros.", False, True),
    ("Le plan compte des volets distincts.", False, False),
    ("Voir le titre III du livre II.", False, False),
])
def test_gives(sentence, date, quantity):
    assert gives(DATE, sentence) is date
    assert gives(QUANTITY, sentence) is quantity
