"""What a figure's value means, to compare figures however they are written.

An amount in digits, with « Md€ » or spelt out in words is one quantity; a percentage in digits or in words
(« N % », « N pour cent ») is another; a full date and the same day without its year agree on what both say.
A quantity is a number (or a range) with a unit class: percent, euro, jobs, times, a date, or the
noun a count counts (« entreprises », « jours »). Nothing here rounds: equal means equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.dates import MONTHS
from assistant.text.normalize import fold
from assistant.text.numbers import without_group_spaces

_UNITS = {"zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
          "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
          "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_SCALES = (("milliard", 1e9), ("md", 1e9), ("mds", 1e9), ("million", 1e6), ("m", 1e6), ("millier", 1e3),
           ("k", 1e3), ("mille", 1e3))
# Nouns that say the same unit (a count of « années » is a count of « ans »).
_SAME_NOUN = {"annee": "an", "ans": "an", "an": "an", "jour": "jour", "mois": "mois", "semaine": "semaine",
              "heure": "heure", "poste": "emploi", "salarie": "emploi", "etp": "emploi", "emploi": "emploi",
              "pme": "pme", "eti": "eti"}
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?")
_WORDS_NUMBER = re.compile(r"(?:(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) +
                           r"|cents?|mille|et)(?:[\s\-]+|$))+", re.I)


@dataclass(frozen=True)
class Quantity:
    low: float | None  # None: a date, compared by its parts
    high: float | None
    unit: str  # percent, euro, emploi, fois, date, ratio, or the counted noun (« entreprise », « jour »)
    date: tuple[int | None, int | None, int | None] = (None, None, None)  # day, month, year

    def same_as(self, other: "Quantity") -> bool:
        """The same value in the same unit (a date agrees when every part both give is equal)."""
        if not self.comparable(other):
            return False
        if self.unit == "date":
            return all(a == b for a, b in zip(self.date, other.date) if a is not None and b is not None) and \
                any(a is not None and b is not None for a, b in zip(self.date, other.date))
        return self.low == other.low and self.high == other.high

    def comparable(self, other: "Quantity") -> bool:
        return self.unit == other.unit


def words_number(text: str) -> float | None:
    """« vingt-deux » -> 22, « quatre-vingt-dix » -> 90, « deux cent mille » -> 200000; None if not a number."""
    tokens = [t for t in re.split(r"[\s\-]+", fold(text).lower()) if t and t != "et"]
    if not tokens:
        return None
    total, current, previous = 0.0, 0.0, None
    for token in tokens:
        if token in ("cent", "cents"):
            current = (current or 1) * 100
        elif token == "mille":
            total += (current or 1) * 1000
            current = 0
        elif token in _UNITS:
            value = _UNITS[token]
            if value == 20 and previous == "quatre":
                current += 80 - 4
            elif value < 20 and previous in ("soixante", "vingt", "vingts") and current % 20 == 0 and current >= 60:
                current += value  # soixante-dix, quatre-vingt-douze
            else:
                current += value
        else:
            return None
        previous = token
    return total + current


_NUMBER_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|cents?|mille)"
_SPELLED = re.compile(rf"\b{_NUMBER_WORD}(?:[\s\-]+(?:et[\s\-]+)?{_NUMBER_WORD})*\b", re.I)


def spelled_as_digits(text: str) -> str:
    """`text` with numbers written in words written in digits (a count in words -> in digits, « trente jours » ->
    « 30 jours »), so that the same fact compares equal however it is written. « un », « une » alone are articles
    more often than numbers: left as they are."""
    def digits(match: re.Match) -> str:
        if fold(match.group(0)).lower() in ("un", "une"):
            return match.group(0)
        value = words_number(match.group(0))
        return match.group(0) if value is None else f"{value:g}"
    return _SPELLED.sub(digits, text)


def _number(text: str) -> tuple[float | None, int]:
    """The first number of `text` (digits or words) and where it ends."""
    digits = _NUMBER.search(text)
    words = _WORDS_NUMBER.search(text)
    if digits and (not words or digits.start() <= words.start()):
        raw = without_group_spaces(digits.group(0)).replace(",", ".")
        return float(raw), digits.end()
    if words:
        value = words_number(words.group(0))
        if value is not None:
            return value, words.end()
    return None, 0


def _scale(rest: str) -> float:
    word = re.match(r"\s*([a-zA-Z]+)", fold(rest))
    if not word:
        return 1.0
    token = word.group(1).lower()
    for prefix, factor in _SCALES:
        if token == prefix or (len(prefix) > 2 and token.startswith(prefix)):
            return factor
    if re.match(r"\s*(?:md|mds)\s?€", fold(rest).lower()):
        return 1e9
    return 1.0


def _noun(unit: str) -> str:
    words = [w for w in re.findall(r"[a-z]+", fold(unit).lower()) if w not in ("de", "d", "des", "du", "l", "la", "le")]
    if not words:
        return "nombre"
    word = words[0]
    if word in ("millions", "million", "milliards", "milliard", "milliers", "millier") and len(words) > 1:
        word = words[1]
    word = _SAME_NOUN.get(word, word)
    word = _SAME_NOUN.get(word.rstrip("sx"), word.rstrip("sx") if len(word) > 3 else word)
    return word


def _date(value: str) -> tuple[int | None, int | None, int | None]:
    folded = fold(value).lower()
    year = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", folded)
    day = re.match(r"\s*(1er|\d{1,2})\s", folded)
    month = next((i for i, m in enumerate(MONTHS, start=1) if re.search(rf"\b{fold(m)}\b", folded)), None)
    return (1 if day and day.group(1) == "1er" else int(day.group(1)) if day else None, month,
            int(year.group(1)) if year else None)


def quantity(value: str, kind: str, unit: str = "") -> Quantity | None:
    """The quantity of a figure (`Found`/`Figure` value, kind and unit), None when it cannot be read."""
    if kind == "date":
        parts = _date(value)
        return Quantity(None, None, "date", parts) if any(p is not None for p in parts) else None
    low, end = _number(value)
    if low is None:
        return None
    high = low
    rest = value[end:]
    second = re.match(r"\s?(?:%\s?)?(?:à|-|–)\s?", rest)  # « 9 à 13 % », « 9 % à 13 % »
    if second:
        other, other_end = _number(rest[second.end():])
        if other is not None:
            high, rest = other, rest[second.end() + other_end:]
    factor = _scale(rest)
    folded = fold(value).lower()
    if kind == "percent":
        unit_class = "point" if "point" in folded else "percent"
    elif kind == "amount" or "€" in value or "euro" in folded:
        unit_class = "euro"
    elif kind == "jobs":
        unit_class = "emploi"
    elif kind == "ratio":
        if "fois" in folded:
            unit_class = "fois"
        else:  # « un sur N »: a share, the percentage it is (« un sur N » is 100/N %)
            parts = re.split(r"\bsur\b", folded)
            denominator = _number(parts[-1])[0] if len(parts) > 1 else None
            if not denominator:
                return None
            share = round(100 * low / denominator, 6)
            return Quantity(share, share, "percent")
    else:
        unit_class = _noun(unit or rest)
    return Quantity(low * factor, high * factor, unit_class)
