"""French dates: the month names, « 12 mars 2025 » / « mars 2025 » read as ISO, dates written out in full.

The one definition of the month names; every pattern that looks for a written date is built from them.
"""

from __future__ import annotations

import datetime as _dt

import re
from datetime import date

from assistant.text.normalize import fold

# The months as French writes them.
MONTHS: tuple[str, ...] = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                           "octobre", "novembre", "décembre")
# Folded (see normalize.fold) month name -> month number: « fevrier » -> 2.
MONTH_NUMBERS: dict[str, int] = {fold(name): number for number, name in enumerate(MONTHS, start=1)}
# Regex alternation of the folded names, for text passed through fold(): « janvier|fevrier|…|decembre ».
MONTHS_FOLDED_PATTERN = "|".join(MONTH_NUMBERS)
# Regex alternation accepting both spellings of each name, for raw text (authors drop accents):
# « janvier|février|fevrier|…|août|aout|…|décembre|decembre ».
MONTHS_ANY_ACCENT_PATTERN = "|".join(
    alternative for name in MONTHS for alternative in dict.fromkeys((name, fold(name))))
# A year of a publication or of a cited text: 1900–2099.
YEAR_PATTERN = r"(?:19|20)\d{2}"

# « 12 mars 2025 », « 1er juin 2024 » (folded text): groups day, month name, year.
FULL_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + MONTHS_FOLDED_PATTERN + r")\s+(" + YEAR_PATTERN + r")\b")
# « mars 2025 » (folded text): groups month name, year.
MONTH_YEAR = re.compile(r"\b(" + MONTHS_FOLDED_PATTERN + r")\s+(" + YEAR_PATTERN + r")\b")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def find_full_date(text: str) -> str | None:
    """The first real « 12 mars 2025 » of `text` (any case, accents or not) as ISO « 2025-03-12 »; None if there is
    none. A date that cannot exist (« 31 février ») is a typo of its source, not a date to show: it is skipped."""
    for match in FULL_DATE.finditer(fold(text)):
        year, month, day = int(match.group(3)), MONTH_NUMBERS[match.group(2)], int(match.group(1))
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def find_month_year(text: str) -> str | None:
    """The first « mars 2025 » of `text` (any case, accents or not) as ISO « 2025-03 »; None if there is none."""
    match = MONTH_YEAR.search(fold(text))
    if not match:
        return None
    return f"{match.group(2)}-{MONTH_NUMBERS[match.group(1)]:02d}"


def _written(day: int, month: int, year: int, first: str) -> str:
    return f"{first if day == 1 else day} {MONTHS[month - 1]} {year}"


def french_date(moment: date) -> str:
    """A date or datetime written out: « 22 août 2026 », « 1 août 2026 » (the day as a plain number).

    Used by the answer and brief exports, which have always written « 1 » on the first day;
    french_date_iso writes « 1er ».
    """
    return _written(moment.day, moment.month, moment.year, first="1")


def french_date_iso(iso: str | None) -> str:
    """« 2026-08-22 » -> « 22 août 2026 » (« 1er » for the first day); anything else is returned as is ("" for None).

    Used by the clause exports (generation date, date a legal basis came into force).
    """
    match = _ISO_DAY.fullmatch(iso or "")
    if not match:
        return iso or ""
    return _written(int(match.group(3)), int(match.group(2)), int(match.group(1)), first="1er")
