"""Numbers as French writes them: the surface patterns, plain values, amounts, formatting."""

import re

import pytest

from assistant.text.numbers import (AMOUNT_PATTERN, FIGURE_NUMBER_PATTERN, GROUPED_PATTERN, NUMBER, euros_ht,
                                    french_number, parse_amount, plain_number)


def test_number_finds_standalone_numbers_only():
    text = "Le seuil de 40 000 euros, 3,5 % ou 2.5 fois ; l'article R2122-8 et le lot T3 ; 100\u202f000 €."
    assert [m.group(0) for m in NUMBER.finditer(text)] == ["40 000", "3,5", "2.5", "100\u202f000"]
    assert not NUMBER.search("R2122-8") and not NUMBER.search("2015-2020")


def test_plain_number_gives_one_spelling_per_value():
    assert plain_number("1 200 000") == "1200000"
    assert plain_number("100\u202f000") == plain_number("100\u00a0000") == "100000"
    assert plain_number("3,5") == plain_number("3.5") == "3.5"


@pytest.mark.parametrize("surface,ok", [
    ("1 200", True), ("13\u202f000", True), ("1,8", True), ("22", True),
    ("1.8", False),  # a figure keeps the French decimal comma
    ("1234 567", False),  # a first group of four digits is not a grouped number
    ("1.200.000", False),
])
def test_figure_number(surface, ok):
    assert bool(re.fullmatch(FIGURE_NUMBER_PATTERN, surface)) is ok


@pytest.mark.parametrize("surface,ok", [
    ("1 200 000", True), ("1.200.000", True), ("25\u00a0000", True), ("25000", False), ("12 34", False),
])
def test_grouped_number(surface, ok):
    assert bool(re.fullmatch(GROUPED_PATTERN, surface)) is ok


@pytest.mark.parametrize("text,num,unit", [
    ("1 200 000 €", "1 200 000", "€"),
    ("1.200.000 euros", "1.200.000", "euros"),
    ("1,2 M€", "1,2", "M€"),
    ("1.5 millions d'euros", "1.5", "millions d'euros"),
    ("800 k€", "800", "k€"),
])
def test_amount_pattern_groups(text, num, unit):
    match = re.fullmatch(AMOUNT_PATTERN, text)
    assert match and match.group("num") == num and match.group("unit") == unit


def test_amount_pattern_needs_a_unit():
    assert not re.search(AMOUNT_PATTERN, "1 200 000 entreprises")


@pytest.mark.parametrize("num,unit,value", [
    ("1 200 000", "€", 1_200_000.0),
    ("1.200.000", "euros", 1_200_000.0),
    ("1,2", "M€", 1_200_000.0),
    ("1.5", "millions d'euros", 1_500_000.0),
    ("800", "k€", 800_000.0),
    ("12,50", "€", 12.5),
])
def test_parse_amount(num, unit, value):
    assert parse_amount(num, unit) == value


def test_french_number_and_euros_ht():
    assert french_number(1234567) == "1\u202f234\u202f567"
    assert french_number(3.14159, 2) == "3,14"
    assert french_number(None) == "" and euros_ht(None) == ""
    assert euros_ht(40000) == "40\u202f000 € HT"


@pytest.mark.parametrize("words, value", [("cent mille", 100_000), ("deux cent cinquante mille", 250_000),
                                          ("quatre-vingt-dix mille", 90_000), ("soixante et onze mille", 71_000),
                                          ("un million", 1_000_000), ("deux millions cinq cent mille", 2_500_000),
                                          ("quatre-vingts", 80), ("mille", 1000), ("beaucoup", None)])
def test_spelled_number(words, value):
    from assistant.text.numbers import spelled_number
    assert spelled_number(words) == value


def test_spelled_amounts_are_given_in_figures():
    from assistant.text.numbers import spelled_amounts
    assert spelled_amounts("Travaux pour cent vingt mille euros hors taxes.") == "Travaux pour 120 000 euros hors taxes."
    assert spelled_amounts("un budget de deux millions d'euros") == "un budget de 2 000 000 euros"
    # Small sums and words that only look like numbers are left as written.
    assert spelled_amounts("un ticket de deux euros et mille euros") == "un ticket de deux euros et 1 000 euros"
    assert spelled_amounts("Les euros dépensés") == "Les euros dépensés"
    # A figure with a word of scale is a figure: « 60 millions » is not « 60 » and « un million ».
    assert spelled_amounts("des dépenses de 60 millions d'euros") == "des dépenses de 60 millions d'euros"
    assert spelled_amounts("un marché de 1,5 million d'euros") == "un marché de 1,5 million d'euros"
    assert spelled_amounts("un achat de 30 mille euros") == "un achat de 30 000 euros"
    # Millions without their currency, in a sentence about money or with their tax mention, are euros; millions of
    # anything named are not.
    assert spelled_amounts("nos charges de fonctionnement passent 75 millions, et") == (
        "nos charges de fonctionnement passent 75 millions d'euros, et")
    assert spelled_amounts("une commande de 1,2 million HT") == "une commande de 1,2 million d'euros HT"
    assert spelled_amounts("une région de 3 millions d'habitants") == "une région de 3 millions d'habitants"
    assert spelled_amounts("3 millions de repas servis") == "3 millions de repas servis"
    assert spelled_amounts("une ville de 2 millions, quel seuil ?") == "une ville de 2 millions, quel seuil ?"


def test_an_amount_in_billions_is_read():
    from assistant.text.numbers import parse_amount
    assert parse_amount("1,2", "milliard d'euros") == 1_200_000_000
    assert parse_amount("3", "Md€") == 3_000_000_000 and parse_amount("3", "M€") == 3_000_000


def test_an_amount_in_millions_written_with_figures_is_read_whole():
    from assistant.thresholds.situation import read_situation
    situation = read_situation("Marché de travaux de 2 millions d'euros HT : quelle publicité ?")
    assert situation is not None and situation.amount == 2_000_000
    # « millions » before the euro sign, too
    situation = read_situation("Marché de travaux de 2,5 millions € HT : quelle publicité ?")
    assert situation is not None and situation.amount == 2_500_000


@pytest.mark.parametrize("text, figures", [
    ("notifié il y a dix-huit mois", "notifié il y a 18 mois"),
    ("une durée de trente et un jours", "une durée de 31 jours"),
    ("un délai de quatre-vingt-dix jours", "un délai de 90 jours"),
    ("seize semaines", "16 semaines"),
    # Simple number words are read where they stand; two numbers joined by « et » stay two.
    ("pour trois ans", "pour trois ans"),
    ("entre deux et trois mois", "entre deux et trois mois"),
    ("la sous-traitance deux ans", "la sous-traitance deux ans"),
])
def test_spans_of_time_with_a_compound_number_are_given_in_figures(text, figures):
    from assistant.text.numbers import spelled_amounts
    assert spelled_amounts(text) == figures
