"""Small rules of the fact-checker: figures bounded by the draft, values written beside others, role words."""

from __future__ import annotations

import pytest

from assistant.factcheck.checker import _agrees, _qualifier, _role_words, _same_role, _spelled_out, _writes, _writes_day
from assistant.figures.quantity import quantity


@pytest.mark.parametrize(("before", "bound"), [
    ("le chiffre atteint plus de ", "above"),
    ("au moins ", "above"),
    ("Près de ", "about"),
    ("environ ", "about"),
    ("jusqu'à ", None),  # a maximum, often the value itself: never read as a bound
    ("moins de ", None),
    ("le taux est de ", None),
])
def test_qualifier(before, bound):
    assert _qualifier(before) == bound


def _percent(value: str):
    return quantity(value, "percent", "%")


def test_a_bounded_figure_agrees_with_a_source_value_inside_its_bound():
    assert _agrees(_percent("80 %"), _percent("84 %"), "above")
    assert not _agrees(_percent("80 %"), _percent("78 %"), "above")
    assert not _agrees(_percent("50 %"), _percent("84 %"), "above")  # far beyond: another fact
    assert _agrees(_percent("100 %"), _percent("95 %"), "about") and not _agrees(_percent("100 %"), _percent("80 %"), "about")
    assert not _agrees(_percent("80 %"), _percent("84 %"), None)  # an exact figure must be the source's
    assert _agrees(_percent("80 %"), _percent("80 %"), None)


def test_a_value_written_beside_others_in_a_sentence():
    sentence = "Le guide propose N1 heures jusqu'à X euros, 150 heures de A à B euros et 300 heures au-delà."
    assert _writes(sentence, "150 heures") and _writes(sentence, "300 heures")
    assert not _writes(sentence, "50 heures") and not _writes(sentence, "15 heures")


def test_role_words_read_feminine_plural_and_chargee_de_as_en_charge_de():
    assert _role_words("vice-présidente de l'Union X chargée de l'export") <= \
        _role_words("dirigeante de la société Y et vice-présidente de l'Union X en charge de l'export")
    assert _role_words("présidente de l'Union") == _role_words("président de l'Union")
    assert not _role_words("présidente de la CPME") <= _role_words("vice-présidente de la CPME")


def test_an_acronym_is_read_in_its_body_s_name_written_out():
    assert _spelled_out("BCE", "au taux appliqué par la Banque centrale européenne à ses opérations")
    assert _spelled_out("INSEE", "selon l'Institut national de la statistique et des études économiques")
    # A long name may skip a word inside it, and need not be capitalised.
    assert _spelled_out("SPASER", "un schéma de promotion des achats publics socialement et écologiquement responsables")
    # Initials met by chance: lower case words for a short acronym, function words, words too far apart.
    assert not _spelled_out("CPME", "Cette part minimale est établie par voie réglementaire.")
    assert not _spelled_out("BCE", "la banque centrale européenne")
    assert not _spelled_out("ADEME", "Avec des entreprises, mais aussi de multiples établissements")


def test_a_day_and_month_without_year_in_a_document_of_that_year():
    full = quantity("18 mai 2015", "date", "date")
    import datetime as dt
    assert _writes_day("présidé par le ministre le 18 mai dernier.", full, dt.date(2015, 6, 1))
    assert _writes_day("le 18 mai dernier", full, dt.date(2016, 1, 10))  # « dernier » may be the year before
    assert not _writes_day("le 18 mai dernier", full, dt.date(2019, 6, 1))  # another year's May
    assert not _writes_day("le 18 mai 2014", full, dt.date(2015, 6, 1))  # a year given is the year
    assert not _writes_day("le 8 mai dernier", full, dt.date(2015, 6, 1))


def test_a_head_s_title_said_in_general_words():
    assert _same_role("patron de l'Union X du meuble", "président de l'Union X du meuble")
    assert _same_role("patronne de la PMI X", "dirigeante de la PMI X")
    assert not _same_role("patron de la CPME", "membre de la CPME")  # not a head's title
    assert not _same_role("patron de la CPME", "président de la CPME Normandie")  # another body
    assert not _same_role("président de la CPME", "directeur de la CPME")  # a title said is that title
