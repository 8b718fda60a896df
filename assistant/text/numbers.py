"""Numbers as French writes them: 1 234 567 (narrow no-break space), decimal comma, amounts in € HT.

Writing them (french_number, euros_ht), finding them in running text (the patterns below) and reading
an amount back (parse_amount). The one definition of each: callers build their patterns from these.
"""

from __future__ import annotations

import re
from typing import Any

# What French puts between groups of three digits: a space, a no-break space or a narrow no-break space.
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f]")

# « 1 200 000 »: groups of three digits separated by spaces.
SPACE_GROUPED_PATTERN = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
# « 1 200 000 » or « 1.200.000 »: amounts are also grouped with dots.
GROUPED_PATTERN = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+"

# Three readings of a number in running text, kept side by side because each caller depends on its own
# (changing one would move the answer checks, the figures or the linter):
# - NUMBER_PATTERN (citation checks, false premises): digits, space-separated groups of three, a decimal
#   part after a comma or a dot: « 12 », « 12 345 », « 3,5 », « 3.5 »;
NUMBER_PATTERN = r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?"
# - FIGURE_NUMBER_PATTERN (key figures): strictly grouped (« 1 200 », never « 12 000 000 0 »), decimal comma
#   only, since a figure is quoted as French writes it;
FIGURE_NUMBER_PATTERN = rf"(?:{SPACE_GROUPED_PATTERN}|\d+)(?:,\d+)?"
# - AMOUNT_NUMBER_PATTERN (amounts of tender documents): also grouped with dots (« 1.200.000 »), and an
#   ungrouped number may have a decimal dot (« 1.5 M€ »).
AMOUNT_NUMBER_PATTERN = rf"{GROUPED_PATTERN}(?:,\d+)?|\d+(?:[,.]\d+)?"

# A number standing alone: not the digits of « R2122-8 », « 2018-2022 » or « T3 ».
NUMBER = re.compile(r"(?<![\w-])" + NUMBER_PATTERN + r"(?![\w-])")
# An amount with its unit, groups `num` and `unit` (read by parse_amount):
# « <N NNN NNN> € », « <N,N> M€ », « <N,N> million d'euros », « <N,N> millions € », « <N> k€ », « <N NNN> euros »,
# « <N,N> milliard d'euros », « <N> Md€ ».
AMOUNT_PATTERN = (r"(?P<num>" + AMOUNT_NUMBER_PATTERN + r")\s*"
                  r"(?P<unit>milliards?\s+d['’]euros|milliards?\s*(?:€|EUR\b|euros?\b)|Mds?\s?€|"
                  r"millions?\s+d['’]euros|millions?\s*(?:€|EUR\b|euros?\b)|milliers?\s+d['’]euros|M\s?€|k\s?€|K\s?€|"
                  r"M\s?EUR|€|euros?|EUR)")


# Numbers the Code and users write in words (« N mois », « N millions d'euros » in letters).
WORD_NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
                "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40,
                "cinquante": 50, "soixante": 60, "cent": 100}


# The number words that add up (« cent », a multiplier, is read apart).
_SPELLED = {**{word: n for word, n in WORD_NUMBERS.items() if word != "cent"},
            "treize": 13, "quatorze": 14, "seize": 16, "vingts": 20}
_SPELLED_WORD = r"(?:" + "|".join(sorted([*_SPELLED, "cents?", "mille", "millions?", "et"], key=len, reverse=True)) + r")"
# A figure and the word « mille » (« <N> mille euros »): thousands, as « k€ » writes them.
_FIGURE_THOUSANDS = re.compile(r"(?<![\d,.])(?<!\d\s)([1-9]\d{0,2})\s+mille\s+(?:d['’])?euros?\b", re.IGNORECASE)
# An amount written in words before its currency (« <nombre en lettres> mille euros », « <nombre> millions d'euros »),
# not after a figure: « <N> millions d'euros », « <N,N> million d'euros » are figures with a word of scale, read as such.
_SPELLED_AMOUNT = re.compile(rf"(?<![\w-])(?<!\d\s)(?<!\d\u00a0)(?<!\d\u202f)(?P<words>(?!et\b){_SPELLED_WORD}"
                             rf"(?:[\s-]+{_SPELLED_WORD})*)\s+(?:d['’])?euros?\b", re.IGNORECASE)


# A figure with a word of scale and no currency (« <N> millions », « <N> milliards »), in a sentence about money: the buyer's
# expenses, a budget, a turnover or a purchase, or followed by its tax mention. Not a scale of something else, which
# names it (« <N> millions de <noms> », « d'<noms> »).
_BARE_SCALE = re.compile(r"(?<![\d,.])(?P<num>\d+(?:[,.]\d+)?)\s+(?P<scale>millions?|milliards?)\b"
                         r"(?!\s*(?:€|euros?\b|EUR\b|de\b|d['’]))(?P<tax>\s+(?:HT|TTC|hors\s+taxes?)\b)?", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:d[ée]penses|charges|budget|chiffre\s+d['’]affaires|montant|co[uû]t|recettes|enveloppe|"
                           r"march[ée]|achats?|ach[eè]te\w*)\b[^.?!;]{0,60}$", re.IGNORECASE)


def _bare_scales(text: str) -> str:
    def euros(match: re.Match) -> str:
        if not (match.group("tax") or _MONEY_BEFORE.search(text[max(0, match.start() - 80):match.start()])):
            return match.group(0)
        return f"{match.group('num')} {match.group('scale')} d'euros{match.group('tax') or ''}"
    return _BARE_SCALE.sub(euros, text)


def spelled_number(words: str) -> int | None:
    """« deux cent cinquante mille » -> 250000, « quatre-vingt-dix » -> 90; None when the words make no number."""
    total, current, previous = 0, 0, ""
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "et":
            continue
        if word in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4
        elif word in _SPELLED:
            current += _SPELLED[word]
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word == "mille":
            total, current = total + (current or 1) * 1000, 0
        elif word in ("million", "millions"):
            total, current = total + (current or 1) * 1_000_000, 0
        else:
            return None
        previous = word
    value = total + current
    return value or None


# A span of time written with a compound number (« dix-huit mois », « vingt-quatre mois », « trente et un jours »,
# « seize semaines »): the readers of durations know the simple number words only, and would read « huit mois » in
# « dix-huit mois ». Numbers joined by « et » otherwise (« deux et trois mois ») are two numbers, not one.
_COMPOUND = r"(?:[a-z]+(?:-[a-z]+)+|(?:vingt|trente|quarante|cinquante|soixante)\s+et\s+(?:un|une|onze)|treize|quatorze|seize)"
_SPELLED_SPAN = re.compile(rf"(?<![\w-])(?P<words>{_COMPOUND})(?=\s+(?:mois|ans?|ann[ée]es?|semaines?|jours?)\b)",
                           re.IGNORECASE)


def spelled_amounts(text: str) -> str:
    """The text with the amounts it writes in words given in figures (« trois cent mille euros » -> « 300 000 euros »), so
    that they are read as any amount is; amounts under a thousand are left as written (« deux euros »). Spans of time
    written with a compound number are given in figures too (« dix-huit mois » -> « 18 mois »); a figure of thousands
    written with « mille » too (« <N> mille euros » -> « <N> 000 euros »), and a figure of millions said without its
    currency in a sentence about money (« des dépenses de <N> millions » -> « <N> millions d'euros »)."""
    def figures(match: re.Match) -> str:
        value = spelled_number(match.group("words"))
        if value is None or value < 1000:
            return match.group(0)
        return f"{value:,}".replace(",", " ") + " euros"

    def span(match: re.Match) -> str:
        value = spelled_number(match.group("words"))
        return match.group(0) if value is None else str(value)
    text = _FIGURE_THOUSANDS.sub(lambda m: f"{int(m.group(1)) * 1000:,}".replace(",", " ") + " euros", text)
    text = _bare_scales(text)
    return _SPELLED_SPAN.sub(span, _SPELLED_AMOUNT.sub(figures, text))


def without_group_spaces(number: str) -> str:
    """« 1 200 000 » (any kind of space between the groups) -> « 1200000 »."""
    return _GROUP_SPACE.sub("", number)


def plain_number(number: str) -> str:
    """« 1 200,5 » -> « 1200.5 »: one spelling per value, to compare numbers however they are written."""
    return without_group_spaces(number).replace(",", ".")


def parse_amount(num: str, unit: str) -> float:
    """"1 200 000" "€" -> 1200000.0 ; "1,2" "M€" -> 1200000.0 ; "800" "k€" -> 800000.0."""
    digits = without_group_spaces(num)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        digits = digits.replace(".", "")  # 1.200.000
    value = float(digits.replace(",", "."))
    unit = unit.lower().replace(" ", "")
    if unit.startswith("milliard") or unit.startswith("md"):
        value *= 1_000_000_000
    elif unit.startswith("million") or unit.startswith("m"):
        value *= 1_000_000
    elif unit.startswith("millier") or unit.startswith("k"):
        value *= 1_000
    return value


def french_number(value: Any, decimals: int = 0) -> str:
    """French number formatting: 1 234 567 (narrow no-break space), decimal comma; "" for None."""
    if value is None:
        return ""
    return f"{float(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def euros_ht(value: Any) -> str:
    """« 12 500 € HT »; "" for None."""
    return f"{french_number(value)} € HT" if value is not None else ""
