"""Figure quantities: the same value however it is written, another value never equal."""

from __future__ import annotations

import pytest

from assistant.figures.quantity import quantity, words_number


@pytest.mark.parametrize("a, b", [
    (("100 milliards d'euros", "amount"), ("100 Md€", "amount")),
    (("100 milliards d'euros", "amount"), ("cent milliards d'euros", "amount")),
    (("1,2 M€", "amount"), ("1 200 000 €", "amount")),
    (("22 %", "percent"), ("vingt-deux pour cent", "percent")),
    (("13 emplois", "jobs"), ("treize emplois", "jobs")),
    (("30 jours", "count"), ("trente jours", "count")),
    (("3 ans", "count"), ("trois années", "count")),
    (("2 000 PME", "count"), ("2000 PME", "count")),
    (("28 janvier 2026", "date"), ("28 janvier", "date")),
])
def test_same_value_written_differently(a, b):
    first, second = quantity(*a, unit=_unit(a[0])), quantity(*b, unit=_unit(b[0]))
    assert first is not None and second is not None
    assert first.same_as(second) and second.same_as(first)


@pytest.mark.parametrize("a, b", [
    (("22 %", "percent"), ("25 %", "percent")),
    (("100 milliards d'euros", "amount"), ("100 millions d'euros", "amount")),
    (("40 000 euros HT", "amount"), ("60 000 euros hors taxes", "amount")),
    (("30 jours", "count"), ("30 mois", "count")),
    (("28 janvier 2026", "date"), ("28 janvier 2025", "date")),
    (("13 emplois", "jobs"), ("13 %", "percent")),
])
def test_other_values_differ(a, b):
    first, second = quantity(*a, unit=_unit(a[0])), quantity(*b, unit=_unit(b[0]))
    assert not first.same_as(second)


def test_units_say_what_can_be_compared():
    assert quantity("30 jours", "count", "jours").comparable(quantity("quinze jours", "count", "jours"))
    assert not quantity("30 jours", "count", "jours").comparable(quantity("30 %", "percent"))
    # A share is the percentage it is: « un achat sur cinq » and « 20 % » say the same.
    assert quantity("un achat sur deux", "ratio").low == 50
    assert quantity("un sur cinq", "ratio").same_as(quantity("20 %", "percent"))
    assert quantity("13 à 15 %", "percent").high == 15
    assert quantity("9 % à 13 %", "percent").high == 13


@pytest.mark.parametrize("text, value", [("vingt-deux", 22), ("quatre-vingt-dix", 90), ("soixante-dix", 70),
                                         ("deux cent mille", 200_000), ("dix-huit", 18), ("mille", 1000)])
def test_words_number(text, value):
    assert words_number(text) == value


def test_words_number_refuses_other_words():
    assert words_number("vingt pommes") is None


def _unit(value: str) -> str:
    return value.split(" ", 1)[1] if " " in value else ""


from assistant.figures.quantity import spelled_as_digits  # noqa: E402


def test_numbers_in_words_are_written_in_digits_but_articles_are_not():
    assert spelled_as_digits("six autres, trente jours, quatre-vingt-dix jours") == "6 autres, 30 jours, 90 jours"
    assert spelled_as_digits("vingt et un jours ; deux cent mille euros") == "21 jours ; 200000 euros"
    assert spelled_as_digits("un écrit et une avance, aucun marché") == "un écrit et une avance, aucun marché"
