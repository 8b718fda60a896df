"""The parts of a question asking several things: each ask in the user's words, the situation said before them left out."""

from __future__ import annotations

import pytest

from assistant.grounding.question_parts import question_parts


@pytest.mark.parametrize("question, parts", [
    # One ask: one part, whatever its commas and « et ».
    ("Quel est le délai de paiement d'une commune ?", ["Quel est le délai de paiement d'une commune"]),
    ("Quels sont les droits et les devoirs du titulaire ?", ["Quels sont les droits et les devoirs du titulaire"]),
    # Two asks joined by « et » + an interrogative word, by a comma, or by « et » + an inversion.
    ("Qui signe le bon de commande et dans quel délai doit-il être envoyé ?",
     ["Qui signe le bon de commande", "et dans quel délai doit-il être envoyé"]),
    ("Quelle garantie demander au sous-traitant, quelle durée lui donner ?",
     ["Quelle garantie demander au sous-traitant", "quelle durée lui donner"]),
    ("Comment se calcule la pénalité et peut-on la plafonner ?", ["Comment se calcule la pénalité", "et peut-on la plafonner"]),
    # « et » opening a clause whose subject comes first and whose interrogative word comes later.
    ("Le marché est conclu pour combien de temps, et il peut être reconduit combien de fois ?",
     ["Le marché est conclu pour combien de temps", "et il peut être reconduit combien de fois"]),
    ("Quel est le taux et il s'applique à partir de quand ?", ["Quel est le taux", "et il s'applique à partir de quand"]),
    # A word that folding lengthens (« œ » -> « oe ») does not shift the cuts.
    ("Qui choisit le maître d'œuvre et dans quel délai ?", ["Qui choisit le maître d'œuvre", "et dans quel délai"]),
    # Two questions, each with its mark.
    ("Le label est-il reconnu en Europe ? Où consulter son référentiel ?",
     ["Le label est-il reconnu en Europe", "Où consulter son référentiel"]),
    # The situation before a colon or a comma is context, not an ask.
    ("Pour une crèche de 40 places : quel délai de préavis et quelle pénalité prévoir ?",
     ["quel délai de préavis", "et quelle pénalité prévoir"]),
    ("Dans un accord-cadre à bons de commande, quel maximum faut-il fixer ?",
     ["quel maximum faut-il fixer"]),
    # After an ask, what follows its colon or sits in parentheses gives examples or options: no part of its own.
    ("Quel support faut-il utiliser : papier, clé, courriel ?", ["Quel support faut-il utiliser"]),
    ("Quel niveau de garantie (simple, renforcée) exiger ?", ["Quel niveau de garantie exiger"]),
    # A relative clause after a comma is not an ask.
    ("Quel rôle joue le délégué régional, qui a été nommé en mars ?", ["Quel rôle joue le délégué régional, qui a été nommé en mars"]),
])
def test_question_parts(question, parts):
    assert [" ".join(p.split()) for p in question_parts(question)] == parts
