"""A buyer's situation read from a question and the Code's thresholds (read from ../shared/corpus) applied to it."""

from __future__ import annotations

import pytest

from assistant.thresholds.situation import european_floor, findings, read_rules_without_amount, read_situation
from assistant.thresholds.table import ThresholdTable


@pytest.fixture(scope="module")
def table(shared_index):
    return ThresholdTable(shared_index.catalog).all()


def _outcomes(table, question: str, aspect: str) -> dict[str | None, str]:
    situation = read_situation(question)
    assert situation is not None, question
    return {f.contract_type: f.outcome for f in findings(table, situation)[aspect]
            if f.threshold.article == findings(table, situation)[aspect][0].threshold.article}


@pytest.mark.parametrize("question, amount, tax, types, months", [
    ("Achat de mobilier pour 1,2 M€ HT, que dois-je prévoir ?", 1_200_000.0, "HT", ["fournitures"], None),
    ("Prestations de maintenance de 45 000 euros sur trois mois : un écrit est-il nécessaire ?", 45_000.0, None,
     ["services"], 3.0),
    ("Chantier de réfection de voirie à 30 k€ TTC pendant 2 ans, quelles obligations ?", 30_000.0, "TTC",
     ["travaux"], 24.0),
])
def test_the_situation_is_read_from_the_question(question, amount, tax, types, months):
    situation = read_situation(question)
    assert (situation.amount, situation.tax, situation.contract_types, situation.months) == (amount, tax, types, months)


@pytest.mark.parametrize("question, amount, basis", [
    ("Fournitures de papeterie à 20 000 € HT par an sur 3 ans : dispense de mise en concurrence ?", 60_000.0,
     "20 000 € HT par an × 3 ans = 60 000 € HT"),
    ("Maintenance à 1 500 € HT par mois pendant deux ans : faut-il un écrit ?", 36_000.0,
     "1 500 € HT par mois × 24 mois = 36 000 € HT"),
    ("Nettoyage à 12 000 € HT annuels, marché de 4 ans : que dois-je prévoir ?", 48_000.0,
     "12 000 € HT par an × 4 ans = 48 000 € HT"),
    ("Fournitures en trois lots, chacun de 25 000 € HT : dispense possible ?", 75_000.0,
     "25 000 € HT par lot × 3 lots = 75 000 € HT"),
    ("Travaux en 4 lots à 30 000 € HT par lot : faut-il publier ?", 120_000.0,
     "30 000 € HT par lot × 4 lots = 120 000 € HT"),
    ("Nettoyage à 6 000 € HT par trimestre sur 12 mois : faut-il un écrit ?", 24_000.0,
     "6 000 € HT par trimestre × 4 trimestres = 24 000 € HT"),
    # The period a few words after the amount, or said before it.
    ("Services : 2 500 € HT de maintenance par mois pendant un an, faut-il un écrit ?", 30_000.0,
     "2 500 € HT par mois × 12 mois = 30 000 € HT"),
    ("Contrat de location avec un loyer mensuel de 2 500 € HT sur 12 mois : faut-il un écrit ?", 30_000.0,
     "2 500 € HT par mois × 12 mois = 30 000 € HT"),
    ("Chaque trimestre, 7 500 € HT de prestations, sur un an : dispense possible ?", 30_000.0,
     "7 500 € HT par trimestre × 4 trimestres = 30 000 € HT"),
    # Renewals announced are each another period at the amount given.
    ("Marché de services d'un an à 20 000 € HT avec 3 reconductions possibles : faut-il un écrit ?", 80_000.0,
     "20 000 € HT × 4 (la période initiale et 3 reconductions) = 80 000 € HT"),
    ("Nettoyage à 1 500 € HT par mois, marché d'un an renouvelable deux fois : dispense ?", 54_000.0,
     "1 500 € HT par mois × 36 mois, 2 reconductions comprises = 54 000 € HT"),
    ("Services en deux lots, 30 000 € et 40 000 € HT : dispense de mise en concurrence ?", 70_000.0,
     "30 000 € HT + 40 000 € HT = 70 000 € HT"),
    ("Travaux de 45 000 € HT avec une option de 20 000 € HT : faut-il publier ?", 65_000.0,
     "45 000 € HT + 20 000 € HT = 65 000 € HT"),
])
def test_an_amount_per_year_month_or_lot_counts_for_the_whole_contract(question, amount, basis):
    situation = read_situation(question)
    assert situation.amount == amount
    assert situation.total_basis.replace("\u202f", " ") == basis


@pytest.mark.parametrize("question", [
    "Fournitures de papeterie à 20 000 € HT sur 3 ans : dispense de mise en concurrence ?",  # a total already
    "Fournitures de papeterie à 20 000 € HT par an : dispense de mise en concurrence ?",  # no duration to count
    "Travaux de 20 000 € HT répartis en 3 lots : dispense possible ?",  # the whole, split in lots
    "Un lot de 5 000 € HT dans un marché de 20 000 € HT au total : dispense possible ?",  # the total is given
    "Services à 20 000 € HT reconductions comprises, prolongeable 2 fois : faut-il un écrit ?",  # renewals counted
    # A period of something else than the amount, past another figure.
    "Services à 20 000 € HT pour un marché de 12 mois avec des livraisons par mois : faut-il un écrit ?",
])
def test_a_total_or_an_undated_yearly_amount_is_taken_as_written(question):
    situation = read_situation(question)
    assert situation.amount == 20_000.0 and situation.total_basis is None


def test_what_is_asked_or_every_usual_aspect():
    assert read_situation("Un marché de services de 70 000 € HT : faut-il une avance ?").aspects == ["avance"]
    # Publicity does not arise below the exemption threshold: that one is answered first.
    assert read_situation("Services à 70 000 € HT : faut-il une annonce ?").aspects == ["dispense", "publicite"]
    # A word of one aspect inside the words naming another names only the other.
    assert read_situation("Fournitures à 45 000 € HT : dois-je publier les données du contrat ?").aspects \
        == ["donnees-essentielles"]
    # The procedure a statement says the buyer follows is a fact; asked in the question, it is an aspect.
    assert read_situation("Nous passons en procédure adaptée des services de 120 000 € HT : une avance ?").aspects \
        == ["avance"]
    assert "procedure" in read_situation("Services de 120 000 € HT : puis-je passer en procédure adaptée ?").aspects
    # « offre » in the singular asks the time limit for offers as the plural does.
    assert read_situation("Fournitures de 300 000 € HT en appel d'offres ouvert : combien de jours pour remettre son offre ?").aspects \
        == ["delai-reception"]
    everything = read_situation("J'achète des fournitures pour 20 000 € HT, que dois-je prévoir ?").aspects
    assert {"ecrit", "dispense", "avance", "publicite"} <= set(everything)


@pytest.mark.parametrize("question", [
    "Où commence la dispense de consultation ?",  # no amount of a purchase: the threshold itself is asked
    "L'Alliance annonce 40 millions d'euros de fonds : pour quoi faire ?",  # an amount, but no purchase
    "Un marché de 50 000 € HT a été attribué hier.",  # a purchase, but nothing a threshold decides is asked
])
def test_not_a_situation(question):
    assert read_situation(question) is None


def test_both_sides_of_a_threshold_by_kind_of_contract(table):
    below = _outcomes(table, "Travaux de 95 000 € HT : puis-je me passer de mise en concurrence ?", "dispense")
    assert below == {"travaux": "applies"}
    above = _outcomes(table, "Fournitures de 95 000 € HT : puis-je me passer de mise en concurrence ?", "dispense")
    assert above == {"fournitures": "does-not-apply"}
    # Kind not said: each kind gets its own case.
    unsaid = _outcomes(table, "Un marché de 95 000 € HT : puis-je me passer de mise en concurrence ?", "dispense")
    assert unsaid == {"travaux": "applies", "fournitures": "does-not-apply", "services": "does-not-apply"}


def test_equal_to_the_threshold_follows_the_articles_comparison(table):
    assert _outcomes(table, "Fournitures de 25 000 € HT : un contrat écrit ?", "ecrit") == {"fournitures": "applies"}
    assert _outcomes(table, "Fournitures de 24 999 € HT : un contrat écrit ?", "ecrit") == {
        "fournitures": "does-not-apply"}
    # « supérieur à 50 000 » is strict: 50 000 exactly gives no advance.
    assert _outcomes(table, "Services de 50 000 € HT sur six mois : avance ?", "avance") == {
        "services": "does-not-apply"}


def test_a_duration_condition_beside_the_amount(table):
    assert _outcomes(table, "Services de 80 000 € HT sur six mois : avance ?", "avance") == {"services": "applies"}
    assert _outcomes(table, "Services de 80 000 € HT sur un mois : avance ?", "avance") == {
        "services": "does-not-apply"}
    unsaid = findings(table, read_situation("Services de 80 000 € HT : avance ?"))["avance"][0]
    assert unsaid.outcome == "depends" and "durée" in unsaid.unknown[0]


def test_a_ttc_amount_is_bounded_by_the_normal_rate_not_converted(table):
    # 20 000 € TTC: the HT amount is lower still, so below 25 000 € HT for sure.
    assert _outcomes(table, "Fournitures de 20 000 € TTC : un contrat écrit ?", "ecrit") == {
        "fournitures": "does-not-apply"}
    # 26 000 € TTC may be under or over 25 000 € HT: it depends on the tax.
    unsure = findings(table, read_situation("Fournitures de 26 000 € TTC : un contrat écrit ?"))["ecrit"][0]
    assert unsure.outcome == "depends" and "hors taxes" in unsure.unknown[0]
    # 36 000 € TTC is at least 30 000 € HT (VAT at most 20 %): over 25 000 € HT for sure, the computation shown.
    over = findings(table, read_situation("Fournitures de 36 000 € TTC : un contrat écrit ?"))["ecrit"][0]
    assert over.outcome == "applies", over
    assert any("au moins 30" in c and "20 %" in c for c in over.compared), over.compared


def test_european_thresholds_are_never_guessed_only_bounded_by_the_code(table):
    floor = european_floor(table)
    assert floor is not None and floor.amount == 90_000.0  # R2131-12: a band from 90 000 € HT up to them
    low = findings(table, read_situation("Fournitures de 70 000 € HT : quelle procédure ?"))["procedure"][0]
    assert low.outcome == "applies" and "inférieur aux seuils européens" in low.compared[0]
    high = findings(table, read_situation("Fournitures de 400 000 € HT : quelle procédure ?"))["procedure"][0]
    assert high.outcome == "depends" and "seuils européens" in high.unknown[0]


@pytest.mark.parametrize("question, aspects", [
    # signing a contract is its written form; when it may be signed is the time limit before signature
    ("Fournitures de 30 000 € HT : doit-on signer un vrai contrat ?", ["ecrit"]),
    ("Fournitures de 300 000 € HT en appel d'offres : au bout de combien de jours puis-je signer ?", ["delai-signature"]),
])
def test_signing_asks_the_written_form_or_the_time_before_it(question, aspects):
    assert read_situation(question).aspects == aspects


def test_a_library_named_as_the_buyer_does_not_make_the_purchase_books(table):
    chairs = findings(table, read_situation("Achat de chaises pour la bibliothèque municipale pour 20 000 € HT : peut-on "
                                            "se passer de mise en concurrence ?"))
    assert "R2122-9" not in {f.threshold.article for fs in chairs.values() for f in fs}
    books = findings(table, read_situation("Achat de romans pour la bibliothèque municipale pour 20 000 € HT : peut-on "
                                           "se passer de mise en concurrence ?"))
    assert "R2122-9" in {f.threshold.article for fs in books.values() for f in fs}


def test_rules_for_a_particular_purchase_stay_out_unless_named(table):
    general = findings(table, read_situation("Services de 200 000 € HT : faut-il un concours ?"))
    articles = {f.threshold.article for fs in general.values() for f in fs}
    assert "R2172-2" not in articles  # maîtrise d'œuvre
    named = findings(table, read_situation("Marché de maîtrise d'œuvre de 200 000 € HT : faut-il un concours ?"))
    assert "R2172-2" in {f.threshold.article for fs in named.values() for f in fs}


@pytest.mark.parametrize("question", [
    "Fournitures de 27 000 € HT : je peux signer directement avec le fournisseur ?",
    "Services à 20 000 € HT, faut-il lancer une consultation ?",
    "Travaux à 60 000 € HT sans pub, c'est bon ?",
])
def test_more_ways_of_asking_about_the_exemption(question):
    assert "dispense" in read_situation(question).aspects


def test_the_buyers_yearly_purchases_decide_the_responsible_purchasing_plan(table):
    question = "Avec 80 M€ HT d'achats annuels, le SPASER est-il obligatoire pour une métropole ?"
    situation = read_situation(question)
    assert situation.aspects == ["schema-achats"]
    (finding, *_) = findings(table, situation)["schema-achats"]
    assert finding.threshold.article in {"D2111-3", "L2111-3"} and finding.outcome == "applies"
    assert _outcomes(table, question.replace("80 M€", "30 M€"), "schema-achats") == {None: "does-not-apply"}


def test_a_verb_shared_by_two_aspects_asks_the_one_named_in_full(table):
    from assistant.thresholds.situation import thresholds_asked
    # « publier » is publicity's verb too: « publier les données essentielles » names the essential data.
    asked = thresholds_asked("Dès quel montant doit-on publier les données essentielles d'un marché ?", table, True)
    assert asked and {t.aspect for t in asked} == {"donnees-essentielles"}, [(t.aspect, t.article) for t in asked]


def test_several_aspects_named_with_what_applies_ask_the_rule_of_each(table):
    from assistant.thresholds.situation import thresholds_asked
    asked = thresholds_asked("Marché de services : quelles règles pour l'écrit, la publicité et l'avance ?", table, False)
    # Publicity arises only if its exemption is not used: that one is answered with it, as in a situation.
    assert {t.aspect for t in asked} == {"ecrit", "dispense", "publicite", "avance"}
    # Two aspect words in a question about something else ask neither.
    assert thresholds_asked("En MAPA, la consultation peut-elle prévoir des variantes ?", table, False) == []


@pytest.mark.parametrize("question, aspect, article", [
    ("La retenue sur le prix, la garantie… et l'avance, elle est obligatoire ?", "avance", "R2191-3"),
    ("Sommes-nous obligés d'accorder une avance au titulaire ?", "avance", "R2191-3"),
    ("Doit-on toujours faire un contrat écrit ?", "ecrit", "R2112-1"),
    ("Faut-il publier les données essentielles de nos marchés ?", "donnees-essentielles", "R2196-1"),
    ("Pour un petit achat, dois-je vraiment passer un contrat écrit ?", "ecrit", "R2112-1"),
    # the duty asked first, its conditions asked next
    ("Une avance au titulaire, est-ce obligatoire ? Et dans quels cas ?", "avance", "R2191-3"),
])
def test_a_duty_asked_without_an_amount_is_answered_by_the_threshold_that_decides_it(table, question, aspect, article):
    from assistant.thresholds.situation import thresholds_asked
    asked = thresholds_asked(question, table, False)
    assert asked and asked[0].aspect == aspect and asked[0].article == article, question


@pytest.mark.parametrize("question", [
    # the aspect is not what the duty is asked of (words of another subject, further on)
    "Suis-je obligé d'écarter de notre nouvelle consultation une entreprise déjà sanctionnée ?",
    "Suis-je obligé de répondre à un candidat qui demande des précisions après la publication de l'avis ?",
    # a follow-up carried over: the duty was the previous question's, the new one asks another thing
    "L'avance est-elle obligatoire ? Et quel est son taux minimal pour une PME ?",
])
def test_a_duty_asked_of_something_else_is_not_answered_by_a_threshold(table, question):
    from assistant.thresholds.situation import thresholds_asked
    assert thresholds_asked(question, table, False) == []


@pytest.mark.parametrize("question, amount, buyer", [
    # The buyer's operating expenses or budget, beside the purchase, said after or before the figure.
    ("Syndicat mixte avec 70 M€ de dépenses réelles de fonctionnement : fournitures de 90 000 € HT sur 6 mois, avance ?",
     90_000.0, 70_000_000.0),
    ("Avec un budget de 4 M€, notre commune commande des services pour 35 000 € HT : faut-il un écrit ?", 35_000.0,
     4_000_000.0),
    # A firm's turnover is not the purchase's amount either, nor the buyer's.
    ("Le titulaire réalise 12 M€ de chiffre d'affaires ; travaux de 150 000 € HT sur 4 mois : avance ?", 150_000.0, None),
])
def test_a_figure_of_the_buyer_or_of_a_firm_is_not_the_purchase(question, amount, buyer):
    situation = read_situation(question)
    assert (situation.amount, situation.buyer_amount) == (amount, buyer)


def test_a_buyers_figure_said_as_a_bound_is_compared_as_one(table):
    # « dépassent 60 M€ » said of the very limit (R2191-7: « supérieures à 60 millions d'euros ») is beyond it.
    situation = read_situation("Une ville dont les dépenses réelles de fonctionnement dépassent 60 M€ confie à une PME "
                               "un chantier de 90 000 € HT sur 6 mois : quelle avance ?")
    assert (situation.buyer_amount, situation.buyer_bounded) == (60_000_000.0, "above")
    outcomes = {f.outcome for f in findings(table, situation)["avance"] if f.threshold.article == "R2191-7"}
    assert "applies" in outcomes, outcomes
    # The buyer's operating expenses alone describe no purchase.
    assert read_situation("Et pour une ville dont les dépenses de fonctionnement dépassent 60 M€ ?") is None


def test_the_rules_of_buyers_are_compared_with_the_buyers_own_figure(table):
    situation = read_situation("Une ville dont les dépenses réelles de fonctionnement atteignent 70 M€ confie à une PME "
                               "un chantier de 90 000 € HT sur 6 mois : quelle avance ?")
    by_article = {}
    for f in findings(table, situation)["avance"]:
        by_article.setdefault(f.threshold.article, set()).add(f.outcome)
    assert by_article["R2191-3"] == {"applies"}
    (duty,) = [f for f in findings(table, situation)["avance"] if f.threshold.article == "R2191-3"]
    assert any(c.replace("\u202f", " ").startswith("90 000 € HT est supérieur") for c in duty.compared), duty.compared
    assert "applies" in by_article["R2191-7"]  # 70 M€ > 60 M€, though 90 000 € is not
    smaller = read_situation("Une ville dont les dépenses réelles de fonctionnement atteignent 20 M€ confie à une PME "
                             "un chantier de 90 000 € HT sur 6 mois : quelle avance ?")
    assert {f.outcome for f in findings(table, smaller)["avance"] if f.threshold.article == "R2191-7"} == {"does-not-apply"}


@pytest.mark.parametrize("question, parts", [
    # Amounts listed before one unit, parts of one operation cut into several contracts or lots.
    ("Voirie découpée en trois marchés (terrassement 20 000, enrobés 45 000, signalisation 15 000 € HT), chacun sous "
     "60 000 € : publicité ?", [20_000.0, 45_000.0, 15_000.0]),
    ("Fournitures en 2 lots de 12 000 et 18 000 € HT : faut-il un écrit ?", [12_000.0, 18_000.0]),
])
def test_amounts_listed_before_one_unit_are_added_up(question, parts):
    situation = read_situation(question)
    assert situation.parts == parts and situation.amount == sum(parts)
    assert situation.tax == "HT"


@pytest.mark.parametrize("question, kind", [
    ("Une mission d'accompagnement RH chiffrée à 50 000 € HT : dispense ?", "services"),
    ("Audit énergétique des bâtiments pour 30 000 € HT : un écrit ?", "services"),
    ("Livraisons de consommables chez le même fournisseur, 40 000 € HT : dispense ?", "fournitures"),
])
def test_more_ways_of_naming_the_kind_of_contract(question, kind):
    assert read_situation(question).contract_types == [kind]


@pytest.mark.parametrize("sentence, months, holds", [
    ("Lorsque la durée du marché est inférieure ou égale à douze mois, le taux est de N %.", 12, True),
    ("Lorsque la durée du marché est inférieure ou égale à douze mois, le taux est de N %.", 13, False),
    ("Lorsque la durée du marché est supérieure à 12 mois, le taux est de N %.", 18, True),
    ("Lorsque la durée du marché est supérieure à douze mois, le taux est de N %.", None, None),
    ("Le taux est de N %.", 6, None),
])
def test_a_sentences_condition_on_the_contracts_duration(sentence, months, holds):
    from assistant.thresholds.situation import duration_holds
    assert duration_holds(sentence, months) is holds


def test_one_lot_beside_the_whole_and_the_side_of_the_european_thresholds_the_buyer_states():
    situation = read_situation("Travaux allotis pour 3 M€ HT, passés en procédure formalisée. Un des lots est estimé à "
                               "95 000 € HT ; les petits lots pèsent 15 % du total. Sans publicité ?")
    assert (situation.amount, situation.lot_amount, situation.lots_share, situation.european) == \
        (3_000_000.0, 95_000.0, 15.0, "above")
    per_lot = read_situation("Services allotis de 2 M€ HT : quatre lots de 50 000 € HT chacun en procédure adaptée ?")
    assert (per_lot.amount, per_lot.lot_amount, per_lot.lots_asked) == (2_000_000.0, 50_000.0, 4)
    # Asked, not stated: the side of the European thresholds stays unknown.
    assert read_situation("Fournitures de 300 000 € HT : dois-je passer en procédure formalisée ?").european is None


def test_the_small_lots_route_holds_while_the_lots_share_stays_within_the_codes_limit(table):
    def dispense(question):
        return {f.outcome for f in findings(table, read_situation(question))["dispense"] if f.threshold.subject_kind == "lot"}
    base = "Travaux allotis pour 3 M€ HT. Un des lots est estimé à 95 000 € HT ; les petits lots pèsent {} % du total. Sans publicité ?"
    assert dispense(base.format(15)) == {"applies"}
    assert dispense(base.format(25)) == {"does-not-apply"}
    # Without the lots' amounts, a rule measuring each lot depends on them.
    unknown = findings(table, read_situation("Travaux de 150 000 € HT en trois lots : sans publicité ?"))["dispense"]
    assert any(f.threshold.subject_kind == "lot" and f.outcome == "depends" and "le montant de chaque lot" in f.unknown
               for f in unknown)


@pytest.mark.parametrize("question, outcome", [
    ("Prestations de services notifiées pour 300 000 € HT ; nous envisageons un avenant de 24 000 € HT : le marché "
     "peut-il être modifié ainsi ?", "applies"),
    ("Prestations de services notifiées pour 300 000 € HT ; nous envisageons un avenant de 36 000 € HT : le marché "
     "peut-il être modifié ainsi ?", "does-not-apply"),  # 12 % of the initial amount: over the 10 % of services
    ("Chantier notifié pour 300 000 € HT de travaux ; nous envisageons un avenant de 36 000 € HT : le marché "
     "peut-il être modifié ainsi ?", "applies"),
])
def test_a_modification_is_measured_against_the_initial_amount(table, question, outcome):
    situation = read_situation(question)
    assert (situation.amount, situation.modification_amount) == (300_000.0, float(question.split("avenant de ")[1][:6].replace(" ", "")))
    (finding, *_) = [f for f in findings(table, situation)["modification"] if f.threshold.article == "R2194-8"]
    assert finding.outcome == outcome, finding.compared


def test_the_rules_of_subcontracting_measure_the_part_subcontracted(table):
    situation = read_situation("Travaux de 90 000 € HT : le titulaire veut sous-traiter le nettoyage pour 400 € TTC. "
                               "Le sous-traitant est-il payé directement ?")
    assert (situation.amount, situation.subcontract_amount) == (90_000.0, 400.0)
    direct = findings(table, situation)["paiement-direct"]
    assert {f.outcome for f in direct} == {"does-not-apply"}  # under 600 € TTC
    # The part subcontracted is shown as written (TTC), not with the purchase's tax.
    assert any("400 € TTC" in c.replace("\u202f", " ") for f in direct for c in f.compared), [f.compared for f in direct]
    unknown = findings(table, read_situation("Travaux de 90 000 € HT : le sous-traitant est-il payé directement ?"))
    assert {f.outcome for f in unknown["paiement-direct"]} == {"depends"}


def test_a_prohibition_written_with_pouvoir_is_no_permission(shared_index):
    from assistant.thresholds.situation import is_permission
    from assistant.thresholds.table import ThresholdTable
    table = ThresholdTable(shared_index.catalog).all()
    delays = next(t for t in table if t.article == "R2143-1")  # « … ne peuvent être inférieurs aux délais minimaux »
    variants = next(t for t in table if t.article == "L2151-2")  # « … est autorisée sauf mention contraire »
    assert not is_permission(delays) and is_permission(variants)


def test_the_part_of_the_code_some_buyers_are_put_outside_of_is_read_from_the_article(shared_index):
    from assistant.thresholds.table import ThresholdTable
    exclusions = ThresholdTable(shared_index.catalog).exclusions()
    assert [(e.article, e.buyers_article, e.prefix, e.kept) for e in exclusions] == [
        ("R2191-1", "R2100-1", "R2191", ["R2191-20", "R2191-21"])]


@pytest.mark.parametrize("question, aspects", [
    ("Un centre hospitalier doit payer ses fournisseurs sous quel délai ?", ["delai-paiement"]),
    ("Dans un marché de travaux confié à une PME, à quel rythme verser les acomptes ?", ["acomptes"]),
    ("La clause sociale est-elle obligatoire pour un chantier de 4 mois ?", ["clause-sociale"]),
    # What the rule is, not what applies; an amount given (a situation); an aspect decided by amounts.
    ("Qu'est-ce qu'une clause sociale ?", None),
    ("Quel objectif de clauses sociales fixe le plan national ?", None),
    ("Travaux de 80 000 € HT confiés à une PME : à quel rythme verser les acomptes ?", None),
    ("L'avance est-elle obligatoire pour un chantier de 4 mois ?", None),
    # A follow-up that asks another thing of the rule's subject; a short one that only adds a circumstance.
    ("Quel est le délai de paiement d'une commune ? Et s'il paie en retard, quelle indemnité forfaitaire doit-il verser ?", None),
    ("Quel est le délai de paiement d'une commune ? Et pour un hôpital ?", ["delai-paiement"]),
])
def test_rules_decided_without_an_amount_are_read_from_a_question_without_one(question, aspects):
    situation = read_rules_without_amount(question)
    assert (situation.aspects if situation else None) == aspects
    if situation is not None:
        assert not situation.amount_given


@pytest.mark.parametrize("question, types", [
    ("La préfecture (un service de l'État) achète des fournitures pour 50 000 € HT : avance ?", ["fournitures"]),
    ("Nos services techniques achètent du mobilier pour 30 000 € HT : contrat écrit ?", ["fournitures"]),
    ("Des services de nettoyage pour 30 000 € HT : contrat écrit ?", ["services"]),
])
def test_an_administration_s_unit_is_the_buyer_not_a_kind_of_contract(question, types):
    assert read_situation(question).contract_types == types


def test_a_vat_rate_written_without_a_preposition_converts_a_ttc_amount():
    situation = read_situation("Fournitures à 36 000 € TTC (TVA 20 %) : un écrit est-il obligatoire ?")
    assert situation is not None and situation.amount == 30000 and situation.tax == "HT"


@pytest.mark.parametrize("question, interval", [
    # an HT amount with its rate: its TTC amount is known
    ("Marché de travaux : sous-traitant accepté pour 500 € HT, TVA à 20 % : paiement direct ?", (600.0, 600.0)),
    # no rate: between the HT amount and the HT amount at the normal rate
    ("Marché de travaux : sous-traitant accepté pour 500 € HT : paiement direct ?", (500.0, 600.0)),
    # a TTC amount given with its rate stays that TTC amount
    ("Marché de travaux : sous-traitant accepté pour 660 € TTC, TVA à 10 % : paiement direct ?", (660.0, 660.0)),
])
def test_the_ttc_values_a_purchase_may_have_for_a_threshold_written_ttc(question, interval):
    situation = read_situation(question)
    assert situation is not None
    assert tuple(round(v, 2) for v in situation.ttc_interval()) == interval


@pytest.mark.parametrize("question, amount, parts", [
    # A total reached with the options holds them: not added to the base.
    ("Marché de services informatiques : base estimée à 70 000 € HT, avec les options on arriverait à 95 000 € HT. "
     "Publicité ?",
     95_000.0, []),
    # A ceiling the buyer says the figure keeps under is not a part of the purchase.
    ("Entretien des espaces verts : 14 000 € HT par an pendant deux ans ; comme on reste sous 20 000 € par an, "
     "faut-il un écrit ?", 28_000.0, []),
    # Lots named without a determiner are lots of the whole, not added to it.
    ("Construction d'un gymnase de 3 M€ HT. Lot charpente estimé à 600 000 € HT, lot peinture à 90 000 € HT. "
     "Procédure adaptée possible ?", 3_000_000.0, []),
])
def test_amounts_that_are_not_further_parts_of_the_purchase(question, amount, parts):
    situation = read_situation(question)
    assert (situation.amount, situation.parts) == (amount, parts), question


@pytest.mark.parametrize("question, months", [
    ("Marché de nettoyage de 80 000 € HT sur 18 mois, payé à 45 jours : avance ?", 18.0),
    ("Marché de nettoyage de 80 000 € HT avec un délai de paiement de 40 jours : avance ?", None),
    ("Fournitures de 90 000 € HT livrées tous les 3 mois : écrit ?", None),
    # A compound number is one number: not « huit mois » inside « dix-huit mois ».
    ("Marché de services de 80 000 € HT d'une durée de dix-huit mois : avance ?", 18.0),
    ("Travaux de 200 000 € HT sur vingt-quatre mois : quelle avance ?", 24.0),
])
def test_a_time_limit_or_a_rhythm_is_not_the_contracts_duration(question, months):
    assert read_situation(question).months == months


@pytest.mark.parametrize("holder, outcome", [("une PME", "applies"), ("un grand groupe, pas une PME", "does-not-apply"),
                                             ("une ETI", "does-not-apply"), ("une entreprise", "depends")])
def test_a_holder_said_not_to_be_a_small_firm_is_not_one(table, holder, outcome):
    situation = read_situation(f"Marché de services de 150 000 € HT sur un an attribué à {holder} : quelles règles "
                               f"pour les acomptes ?")
    small_firms = [f for f in findings(table, situation)["acomptes"]
                   if any(c.kind == "titulaire" for c in f.threshold.conditions)]
    assert small_firms and {f.outcome for f in small_firms} == {outcome}, [f.compared for f in small_firms]


def test_successive_modifications_are_measured_by_their_sum():
    # R2194-8: « l'acheteur prend en compte leur montant cumulé »; the later one may be named by its rank only.
    situation = read_situation("Marché de services de 200 000 € HT : un premier avenant de 12 000 € HT a été signé, "
                               "nous en préparons un second de 10 000 € HT. Modification de faible montant ?")
    assert situation.amount == 200_000
    assert (situation.modification_amount, situation.modification_parts) == (22_000, [12_000, 10_000])
    single = read_situation("Marché de services de 200 000 € HT : un avenant de 12 000 € HT, modification de faible montant ?")
    assert (single.modification_amount, single.modification_parts) == (12_000, [])


@pytest.mark.parametrize("duration, months", [("sur un an et demi", 18.0), ("sur 2 ans et demi", 30.0),
                                              ("de trois mois et demi", 3.5), ("sur 18 mois", 18.0)])
def test_a_duration_and_a_half_is_read_whole(duration, months):
    assert read_situation(f"Marché de fournitures de 80 000 € HT {duration} : avance ?").months == months


@pytest.mark.parametrize("buyer, outcome", [
    ("La communauté d'agglomération", "applies"),
    ("La préfecture de région", "does-not-apply"),  # the State: the 6° is written for local authorities only
    ("Un établissement public national", "does-not-apply"),
    ("Notre organisme", "applies"),  # no family named: the rule's buyer condition is not judged
])
def test_a_rule_written_for_one_family_of_buyers_does_not_hold_for_the_other(table, buyer, outcome):
    situation = read_situation(f"{buyer} attribue un marché de maîtrise d'œuvre de 180 000 € HT pour agrandir un "
                               f"gymnase : le concours s'impose-t-il ?")
    local = [f for f in findings(table, situation)["concours"]
             if any(c.kind == "acheteur" and "local" in c.text for c in f.threshold.conditions)]
    assert local and {f.outcome for f in local} == {outcome}, [f.compared for f in local]
    if outcome == "does-not-apply":
        assert any("que la règle ne vise pas" in said for f in local for said in f.compared)


@pytest.mark.parametrize("purchase, outcome", [
    # R2172-2: the 6° item's amount fails, but the question describes the 1° or the 2° case (no amount condition)
    ("la rénovation lourde et la réhabilitation d'une halle existante", "applies"),
    ("un pavillon d'essais pour la recherche et l'expérimentation agronomique", "applies"),
    # one word of an item is not its case; an item negating what it names is not read from the question's words
    ("un groupe scolaire neuf", "does-not-apply"),
    ("une salle de sport neuve, avec une mission de conception complète", "does-not-apply"),
])
def test_another_case_of_the_list_named_by_the_question_holds_whatever_the_amount(table, purchase, outcome):
    situation = read_situation(f"La commune confie la maîtrise d'œuvre pour {purchase}, soit 520 000 € HT : un concours "
                               f"est-il imposé ?")
    local = [f for f in findings(table, situation)["concours"] if f.threshold.alternatives]
    assert local and {f.outcome for f in local} == {outcome}, [f.compared for f in local]
    if outcome == "applies":
        assert all("autre cas de l'article" in f.compared[0] for f in local)


def test_the_other_items_of_an_enumeration_are_kept_beside_the_item_with_an_amount(table):
    item = next(t for t in table if t.article == "R2172-2" and any(b.amount == 300_000 for b in t.bounds))
    assert [a[:2] for a in item.alternatives] == ["1°", "2°", "3°", "4°", "5°"]


@pytest.fixture(scope="module")
def cases(shared_index):
    return ThresholdTable(shared_index.catalog).cases()


def test_cases_allowed_whatever_the_amount_are_read_beside_the_rule_an_amount_decides(cases):
    by_article = {c.article: c for c in cases}
    # R2122-8 allows it below an amount; these articles allow the same (« peut passer un marché sans publicité … »)
    # in cases of their own: an urgency, a work of art, similar services.
    assert {"R2122-1", "R2122-3", "R2122-7"} <= set(by_article)
    assert all(by_article[a].aspect == "dispense" for a in ("R2122-1", "R2122-3", "R2122-7"))
    assert by_article["R2122-7"].contract_types == ["travaux", "services"]
    assert {"urgenc", "imperi"} <= set(by_article["R2122-1"].words)
    # Not: the rule with the amount itself, a case whose amount another article caps (modifications, R2194-3), nor
    # another thing granted under the same aspect (the holder may refuse the advance).
    assert not {"R2122-8", "R2194-2", "R2194-5", "R2191-5"} & set(by_article)


@pytest.mark.parametrize("question, article", [
    ("Urgence impérieuse après une inondation : réparation de la digue pour 400 000 € HT. Peut-on passer le marché sans "
     "publicité ni mise en concurrence ?", "R2122-1"),
    ("Des prestations de services similaires à celles du marché précédent, pour 150 000 € HT : peut-on les confier "
     "sans mise en concurrence ?", "R2122-7"),
    # the press's everyday words are not a case's (« fabriqués », « développement »)
    ("Des vêtements fabriqués en France pour le développement de la filière, 120 000 € HT. Peut-on passer le marché "
     "sans publicité ni mise en concurrence ?", None),
    # a case kept for other contracts than the one said (services and works only)
    ("Des fournitures similaires à celles du marché précédent pour 150 000 € HT. Peut-on passer le marché sans "
     "publicité ni mise en concurrence ?", None),
])
def test_a_case_without_an_amount_is_named_by_its_own_words(table, cases, question, article):
    found = findings(table, read_situation(question), cases=cases)["dispense"]
    named = [f.threshold.article for f in found if f.without_amount]
    assert named == ([article] if article else []), named
    assert all(f.outcome == "applies" for f in found if f.without_amount)
