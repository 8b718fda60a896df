"""Several separate purchases in one question, read one by one (assistant.thresholds.purchases)."""

from __future__ import annotations

import pytest

from assistant.thresholds.purchases import purchases
from assistant.thresholds.situation import read_situation


def test_purchases_listed_by_ordinals_each_keep_the_shared_question():
    found = purchases("Syndicat des eaux : deux contrats à signer. Le premier porte sur des fournitures de compteurs à "
                      "45 000 € HT livrées en 3 mois. Le second, des travaux de branchement à 120 000 € HT sur 7 mois. "
                      "Une avance est-elle due ?")
    assert found is not None and len(found) == 2
    parts = [p.question for p in found]
    assert found[1].words == "Le second, des travaux de branchement à 120 000 € HT sur 7 mois"
    assert all(p.startswith("Syndicat des eaux : deux contrats à signer.") and p.endswith("Une avance est-elle due ?")
               for p in parts)
    assert "45 000" in parts[0] and "120 000" not in parts[0]
    assert "120 000" in parts[1] and "45 000" not in parts[1]
    first, second = read_situation(parts[0]), read_situation(parts[1])
    assert (first.amount, first.months) == (45000, 3) and (second.amount, second.months) == (120000, 7)


@pytest.mark.parametrize("question, amounts", [
    ("Pour l'hôpital, trois commandes : a) des gants pour 12 000 € HT ; b) des blouses pour 33 000 € HT ; c) du linge "
     "pour 70 000 € HT. Lesquelles exigent un écrit ?", ["12 000", "33 000", "70 000"]),
    ("Département, deux achats : des licences logicielles à 58 000 € HT, et la maintenance des serveurs à 64 000 € HT. "
     "Peut-on se passer de mise en concurrence ?", ["58 000", "64 000"]),
    ("On a un marché de peinture à 30 000 € HT et un marché de menuiserie à 90 000 € HT : faut-il publier un avis ?",
     ["30 000", "90 000"]),
    ("Deux sous-traitants déclarés : l'un pour 450 € HT, l'autre pour 2 000 € HT. Sont-ils payés en direct ?",
     ["450", "2 000"]),
    # a dashed list, as the chat receives it (its line breaks made spaces)
    ("Bilan de l'année : - entretien des toitures, 38 000 € HT ; - achat de tablettes, 52 000 € HT. Lesquels "
     "devaient être publiés ?", ["38 000", "52 000"]),
    ("Premier marché : des fournitures scolaires pour 21 000 € HT. Marché 2 : du transport pour 47 000 € HT. "
     "Un écrit est-il requis pour chacun ?", ["21 000", "47 000"]),
    # no enumeration word: purchases listed in one sentence, the question saying there are several
    ("Le centre de gestion a des travaux de ravalement à 140 000 € HT et des prestations de ménage à 35 000 € HT, "
     "sans lien entre eux : une avance est-elle due pour l'un ou l'autre ?", ["140 000", "35 000"]),
    # one purchase's reconductions are its own duration, not a sign of parts of one purchase
    ("Deux accords-cadres distincts : l'un à 30 000 € HT par an reconductible deux fois, l'autre à 90 000 € HT. "
     "Quelle publicité pour chacun ?", ["30 000", "90 000"]),
    # told in sequence, the sequence opened
    ("Pour la médiathèque, d'abord des rayonnages à 26 000 € HT, ensuite un logiciel de prêt à 73 000 € HT : faut-il "
     "publier ?", ["26 000", "73 000"]),
    ("En premier lieu le curage des fossés, 48 000 € HT ; en second lieu l'élagage, 15 000 € HT. Un écrit ?",
     ["48 000", "15 000"]),
])
def test_each_way_of_listing_purchases_gives_one_question_each(question, amounts):
    found = purchases(question)
    assert found is not None and len(found) == len(amounts), found
    parts = [p.question for p in found]
    for part, amount in zip(parts, amounts):
        assert amount in part and not any(other in part for other in amounts if other != amount and other not in amount)
        assert part.endswith("?")


@pytest.mark.parametrize("question", [
    "Travaux de voirie pour 80 000 € HT sur 5 mois : avance ? écrit ?",
    # parts of one purchase: the situation sums them or compares each with the whole
    "Opération de 2 M€ HT en trois lots : l'un à 1,5 M€ HT, l'autre à 300 000 € HT, le dernier à 200 000 € HT. MAPA possible ?",
    "Marché de 400 000 € HT : un premier avenant de 20 000 € HT, puis un second de 25 000 € HT. Est-ce permis ?",
    "Un marché de 60 000 € HT avec une option de 30 000 € HT : quelle publicité ?",
    # amounts in one sentence, nothing saying there are several purchases
    "Des travaux de voirie à 140 000 € HT et des fournitures de bordures à 12 000 € HT : quelle procédure ?",
    # a sequence whose later step has no amount of its own goes on with the same purchase
    "D'abord, la mairie commande des bancs pour 42 000 € HT, puis ils seront posés en deux mois : une avance ?",
])
def test_one_purchase_or_parts_of_one_are_not_split(question):
    assert purchases(question) is None


def test_a_figure_said_after_the_purchases_belongs_to_the_question():
    parts = purchases("Deux marchés de services : le premier à 20 000 € HT, le second à 45 000 € HT. Le titulaire du "
                      "second a écrit il y a 10 jours : que doit-on publier ?")
    assert parts is not None and len(parts) == 2
    parts = [p.question for p in parts]
    assert all("il y a 10 jours" in p for p in parts) and "45 000" not in parts[0]


def test_the_question_after_a_colon_is_asked_of_every_purchase_listed_in_one_sentence():
    found = purchases("L'office a des travaux de toiture à 150 000 € HT et des prestations d'audit à 20 000 € HT, sans "
                      "rapport entre eux : faut-il un écrit pour chacun ?")
    assert found is not None and [p.words for p in found] == [
        "L'office a des travaux de toiture à 150 000 € HT", "des prestations d'audit à 20 000 € HT, sans rapport entre eux"]
    assert all(p.question.endswith("faut-il un écrit pour chacun ?") for p in found)


def test_lots_of_a_whole_are_read_one_by_one_with_the_whole_beside_them():
    # A whole given first, then some of its lots with their own amounts (fewer than it holds): not summed with it.
    found = purchases("Notre accord-cadre de fournitures pèse 900 000 € HT et compte 6 lots. Deux petits lots : "
                      "papeterie à 62 000 € HT et toner à 95 000 € HT. Peut-on les passer en procédure adaptée ?")
    assert found is not None and [p.lot for p in found] == [True, True]
    assert [p.words for p in found] == ["lot papeterie à 62 000 € HT", "lot toner à 95 000 € HT"]
    first, second = (read_situation(p.question) for p in found)
    assert (first.amount, first.lot_amount, first.parts) == (900000, 62000, [])
    assert (second.amount, second.lot_amount) == (900000, 95000)
    # Each named as a lot, in one sentence after the whole's.
    named = purchases("Travaux de 4 M€ HT au-dessus des seuils européens. Lot charpente estimé à 1,2 M€ HT, lot "
                      "serrurerie à 150 000 € HT. Les deux peuvent-ils aller en procédure adaptée ?")
    assert [read_situation(p.question).lot_amount for p in named] == [1200000, 150000]
    assert named[0].words == "lot charpente estimé à 1,2 M€ HT"
    # Listed after « Lots : » with no word between a lot and its amount; or named in the whole's own sentence.
    for question, lots in [("Travaux de 3 M€ HT. Lots : gros oeuvre 1,5 M€ HT, peinture 200 000 € HT, sols 150 000 € HT. "
                            "Lesquels en procédure adaptée ?", [1500000, 200000, 150000]),
                           ("Marché de travaux de 2 M€ HT en 4 lots, dont le lot électricité à 150 000 € HT et le lot "
                            "plomberie à 90 000 € HT. Peut-on passer ces lots en MAPA ?", [150000, 90000])]:
        found = purchases(question)
        assert [(read_situation(p.question).amount, read_situation(p.question).lot_amount) for p in found] == \
            [(3000000 if len(lots) == 3 else 2000000, lot) for lot in lots], question
    assert found[0].words == "lot électricité à 150 000 € HT"


@pytest.mark.parametrize("question", [
    # every lot given, summing to the whole: parts of one, the whole's value
    "Marché de 300 000 € HT en 3 lots : lot 1 à 100 000 € HT, lot 2 à 120 000 € HT, lot 3 à 80 000 € HT. Procédure ?",
    # amounts that are not lots of the first
    "Marché de 500 000 € HT avec une option de 30 000 € HT et une tranche de 20 000 € HT : quelle publicité ?",
])
def test_amounts_that_are_not_lots_of_a_whole_are_not_split(question):
    assert purchases(question) is None
