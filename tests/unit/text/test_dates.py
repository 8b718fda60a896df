"""French dates: month names, written dates read as ISO, dates written out in full."""

import re
from datetime import date, datetime

import pytest

from assistant.text.dates import (FULL_DATE, MONTH_NUMBERS, MONTHS, MONTHS_ANY_ACCENT_PATTERN, MONTHS_FOLDED_PATTERN,
                                  YEAR_PATTERN, find_full_date, find_month_year, french_date, french_date_iso)


def test_month_names_and_numbers():
    assert len(MONTHS) == 12 and MONTHS[1] == "février" and MONTHS[7] == "août" and MONTHS[11] == "décembre"
    assert MONTH_NUMBERS["fevrier"] == 2 and MONTH_NUMBERS["aout"] == 8 and MONTH_NUMBERS["decembre"] == 12
    assert "février" not in MONTH_NUMBERS  # keys are folded


def test_month_alternations():
    any_accent = re.compile(rf"^(?:{MONTHS_ANY_ACCENT_PATTERN})$")
    for name in ("février", "fevrier", "août", "aout", "décembre", "decembre", "mai"):
        assert any_accent.match(name), name
    assert not any_accent.match("fevr") and not any_accent.match("mardi")
    folded = re.compile(rf"^(?:{MONTHS_FOLDED_PATTERN})$")
    assert folded.match("fevrier") and folded.match("aout") and not folded.match("février")


@pytest.mark.parametrize("year,ok", [("1999", True), ("2026", True), ("1899", False), ("2100", False), ("202", False)])
def test_year_pattern(year, ok):
    assert bool(re.fullmatch(YEAR_PATTERN, year)) is ok


@pytest.mark.parametrize("text,iso", [
    ("Publié le 12 mars 2025 par l'Alliance", "2025-03-12"),
    ("Paris, le 1er Février 2024", "2024-02-01"),
    ("le 3 fevrier 2024", "2024-02-03"),
    ("15 AOÛT 2023", "2023-08-15"),
    ("mars 2025", None),  # no day
    ("le 12 mars 1850", None),  # year out of range
    ("le 12 brumaire 2025", None),
    ("", None),
])
def test_find_full_date(text, iso):
    assert find_full_date(text) == iso


@pytest.mark.parametrize("text,iso", [
    ("Mise à jour : mars 2025", "2025-03"),
    ("Décembre 2019", "2019-12"),
    ("le 12 mars 2025", "2025-03"),  # the month and year of a full date
    ("mars", None),
    ("en 2025", None),
])
def test_find_month_year(text, iso):
    assert find_month_year(text) == iso


def test_full_date_groups_are_day_month_year():
    match = FULL_DATE.search("le 28 janvier 2026")
    assert match.groups() == ("28", "janvier", "2026")


def test_french_date_writes_a_date_or_datetime():
    assert french_date(datetime(2026, 8, 22, 15, 30)) == "22 août 2026"
    assert french_date(date(2025, 2, 3)) == "3 février 2025"
    assert french_date(date(2026, 8, 1)) == "1 août 2026"  # the exports' day is a plain number


@pytest.mark.parametrize("iso,written", [
    ("2026-08-22", "22 août 2026"),
    ("2026-08-01", "1er août 2026"),
    ("2025-12-31", "31 décembre 2025"),
    ("2026-08", "2026-08"),  # not a full ISO day: returned as is
    ("2026-08-22T10:00:00", "2026-08-22T10:00:00"),
    ("22/08/2026", "22/08/2026"),
    ("", ""),
    (None, ""),
])
def test_french_date_iso(iso, written):
    assert french_date_iso(iso) == written
