"""What kind of answer a question expects, so that the sentences giving one are preferred.

« Depuis quand… ? » wants a date and « Combien de jours… ? » a quantity: among sentences that share
the question's words, the one stating « à compter du 1er juin 2024 » or « sept jours » answers it,
the one restating the obligation does not.
"""

from __future__ import annotations

import re

from assistant.text.dates import MONTHS_FOLDED_PATTERN, YEAR_PATTERN
from assistant.text.normalize import fold_apostrophes

DATE, QUANTITY = "date", "quantity"

_NUMBER_WORDS = (r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
                 r"seize|vingt|trente|quarante|cinquante|soixante|cent|mille)")
_UNITS = (r"(?:%|pour\s+cent|euros?|€|jours?|mois|ans|annees?|semaines?|heures?|points?|millions?|milliards?|"
          r"emplois|fois|salaries|entreprises|pme|lots?)")
_QUESTIONS = (
    (DATE, re.compile(r"^(?:depuis\s+quand|quand|a\s+partir\s+de\s+quand|jusqu'a\s+quand|a\s+quelle\s+date|"
                      r"en\s+quelle\s+annee|de\s+quand)\b|\b(?:depuis|a\s+partir\s+de)\s+quand\b")),
    (QUANTITY, re.compile(r"\bcombien\b|\bquel(?:le)?s?\s+(?:est\s+|sont\s+|etait\s+)?(?:le\s+|la\s+|les\s+)?"
                          r"(?:montant|taux|nombre|prix|pourcentage|part|proportion|seuil|plafond|delai|duree|"
                          r"cout|budget|somme|limite|minimum|maximum)s?\b|"
                          r"\b(?:a\s+partir\s+de|jusqu'a|au-dessus\s+de|en\s+dessous\s+de)\s+quel(?:le)?\b")),
)
_GIVES = {
    DATE: re.compile(rf"\b(?:1er|[12]?\d|3[01])\s+(?:{MONTHS_FOLDED_PATTERN})\b|\b(?:{MONTHS_FOLDED_PATTERN})\s+"
                     rf"{YEAR_PATTERN}\b|\b(?:en|depuis|des|a\s+compter\s+de)\s+{YEAR_PATTERN}\b"),
    QUANTITY: re.compile(rf"\d(?:[\d\s\u00a0\u202f.,]*\d)?\s*{_UNITS}\b|\b{_NUMBER_WORDS}(?:[\s-]+{_NUMBER_WORDS})*"
                         rf"\s+{_UNITS}\b|\d\s*%"),
}


def expected_type(question: str) -> str | None:
    """DATE or QUANTITY when the question asks for one, else None."""
    folded = fold_apostrophes(question)
    return next((kind for kind, pattern in _QUESTIONS if pattern.search(folded)), None)


def gives(kind: str, sentence: str) -> bool:
    """Whether the sentence states a value of that kind (a date, an amount with its unit)."""
    return bool(_GIVES[kind].search(fold_apostrophes(sentence)))
