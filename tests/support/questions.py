"""Questions several test folders ask of the shared index, so that they are written, and checked, once."""

from __future__ import annotations

# A threshold the Code leaves to an annexed notice the corpus lacks: the engine quotes the articles and says the
# value is missing (a `partial` answer). Invented for the tests.
PARTIAL_QUESTION = "Au-delà de quel montant un achat de fournitures impose-t-il une procédure formalisée ?"
PARTIAL_MISSING = "seuils européens"
