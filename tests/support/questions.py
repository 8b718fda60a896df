"""Questions several test folders ask of the shared index, so that they are written, and checked, once."""

from __future__ import annotations

# An amount no passage of the shared corpus contains: the engine answers with the thresholds the passages do
# give and says it found nothing on the amount itself (a `partial` answer). Invented for the tests.
PARTIAL_QUESTION = "Quelle procédure pour un marché de travaux de 70 000 euros ?"
PARTIAL_AMOUNT = "70 000 euros"
