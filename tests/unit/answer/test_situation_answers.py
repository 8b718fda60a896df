"""A buyer's situation answered through the engine, on the real Code: one cited line per aspect, the computed
comparison said to be computed, conclusions that follow the articles on both sides of each threshold."""

from __future__ import annotations

import re

import pytest

from assistant.answer.checklist import EUROPEAN_MISSING


@pytest.fixture(scope="module")
def engine(shared_container):
    return shared_container.answers


def _line(answer, label: str) -> str:
    return next(line for line in answer.text.split("\n") if line.startswith(label))


def test_a_checklist_with_one_cited_line_per_aspect(engine):
    answer = engine.ask("Prestations de nettoyage pour 42 000 € HT sur quatre mois : écrit ? avance ? publication des données essentielles ?")
    assert answer.status == "answered" and answer.guards == ["situation:answer"], answer.text
    assert "calculée par l'assistant" in answer.text  # the computed comparisons are said to be
    assert {c.locator for c in answer.citations} == {"R2112-1", "R2191-3", "R2196-1"}
    body = [line for line in answer.text.split("\n")[1:] if line.strip()]
    assert len(body) == 3 and all(re.search(r"\[\d\]", line) for line in body)
    written = _line(answer, "Contrat écrit").replace("\u202f", " ")
    assert "obligatoire ici (42 000 € HT est égal ou supérieur à 25 000 € HT)" in written
    advance = _line(answer, "Avance").replace("\u202f", " ")
    assert "pas obligatoire ici (42 000 € HT n'est pas supérieur à 50 000 € HT" in advance


@pytest.mark.parametrize("amount, verdict", [("58 000", ": possible ici"), ("61 000", ": pas possible ici")])
def test_both_sides_of_the_exemption_threshold(engine, amount, verdict):
    answer = engine.ask(f"Achat de fournitures de bureau pour {amount} € HT : faut-il mettre en concurrence ?")
    line = _line(answer, "Dispense de publicité et de mise en concurrence")
    assert "article R2122-8" in line and verdict in line, answer.text
    assert "60 000 euros hors taxes" in line  # the article's own words, quoted and cited


def test_a_yearly_amount_is_compared_over_the_whole_contract(engine):
    # 20 000 € HT a year is below the exemption threshold; over three years (R2121-1) it is not.
    answer = engine.ask("Fournitures de bureau pour 20 000 € HT par an sur 3 ans : faut-il mettre en concurrence ?")
    assert "20 000 € HT par an × 3 ans = 60 000 € HT" in answer.text.replace("\u202f", " ")
    assert ": pas possible ici" in _line(answer, "Dispense de publicité et de mise en concurrence")


@pytest.mark.parametrize("written, verdict", [
    ("moins de 60 000 €", ": possible ici"),  # strictly below the threshold the article sets
    ("plus de 60 000 €", ": pas possible ici"),
    ("au moins 50 000 €", "possible ou non selon votre montant exact"),  # either side of 60 000
    ("jusqu'à 60 000 €", ": pas possible ici"),  # a maximum, which the estimated value covers
    ("environ 30 000 €", ": possible ici"),  # an estimate, as the estimated value the article compares
])
def test_an_amount_the_buyer_bounds_is_compared_as_an_interval(engine, written, verdict):
    answer = engine.ask(f"Achat de fournitures pour {written} HT : faut-il mettre en concurrence ?")
    assert verdict in _line(answer, "Dispense de publicité et de mise en concurrence"), answer.text


def test_a_value_the_documents_lack_makes_a_partial_answer(engine):
    answer = engine.ask("Travaux de 3 M€ HT : quelle procédure dois-je suivre ?")
    assert answer.status == "partial" and answer.missing == [EUROPEAN_MISSING], answer.text
    assert "ou non selon le montant des seuils européens" in _line(answer, "Procédure")
    assert not re.search(r"\d+ ?\d* ?€ HT est (?:inférieur|supérieur) aux seuils européens", answer.text)


def test_an_unsaid_kind_of_contract_gets_every_case(engine):
    answer = engine.ask("Un achat de 75 000 € HT peut-il se faire sans mise en concurrence ?")
    assert "n'est pas précisé" in answer.text
    line = _line(answer, "Dispense de publicité et de mise en concurrence")
    assert ": possible ici pour les marchés de travaux" in line, answer.text
    assert "; pas possible ici pour les marchés de fournitures et services" in line


def test_a_question_without_a_purchase_amount_is_answered_as_before(engine):
    answer = engine.ask("Au-delà de quelle somme le contrat écrit devient-il la règle ?")
    assert "situation:answer" not in answer.guards
    assert any(c.locator in ("R2112-1", "L2112-1") for c in answer.citations), answer.text



def test_a_duty_asked_without_an_amount_is_answered_by_its_threshold_not_refused(shared_container):
    # Before, the first was refused (the Code's words, « conclus par écrit », are not the buyer's) and the second
    # answered with the advance owed to subcontractors.
    written = shared_container.answers.ask("Doit-on toujours faire un contrat écrit pour un marché ?")
    assert not written.abstained and written.guards == ["seuil-demande:answer"], written.text
    assert "25 000 euros hors taxes" in written.text and "R2112-1" in {c.locator for c in written.citations}
    advance = shared_container.answers.ask("Sommes-nous obligés d'accorder une avance au titulaire ?")
    assert advance.text.startswith("L'acheteur accorde une avance au titulaire"), advance.text
    assert "R2191-3" in {c.locator for c in advance.citations}


def test_several_aspects_asked_without_an_amount_get_one_headed_rule_each(shared_container):
    answer = shared_container.answers.ask("Quelles règles pour un marché de fournitures en matière d'écrit, de "
                                          "publicité et d'avance ?")
    assert answer.guards == ["seuil-demande:answer"], answer.guards
    cited = [c.locator for c in answer.citations]
    assert {"R2112-1", "R2122-8", "R2131-12", "R2191-3"} <= set(cited), cited
    for heading in ("Contrat écrit — article R2112-1 :", "Avance — article R2191-3 :"):
        assert heading in answer.text and heading in answer.framing


def test_a_duty_that_applies_is_followed_by_the_rate_the_code_sets_for_this_duration(engine):
    answer = engine.ask("Services de 70 000 € HT sur 20 mois : l'avance est-elle obligatoire ?")
    lines = answer.text.split("\n")
    assert any(line.startswith("Avance — article R2191-3 : obligatoire ici") for line in lines), answer.text
    rate = _line(answer, "Avance : montant — article R2191-7")
    assert "supérieure à douze mois" in rate and "inférieure ou égale à douze mois" not in rate
    assert "petite ou moyenne entreprise" not in rate  # no small firm named: its rate is not quoted
    assert "R2191-7" in {c.locator for c in answer.citations}
    # Below the duty's threshold, no rate is quoted.
    below = engine.ask("Services de 40 000 € HT sur 20 mois : l'avance est-elle obligatoire ?")
    assert "Avance : montant" not in below.text


@pytest.mark.parametrize("share, verdict", [("12", ": possible ici"), ("30", ": pas possible ici")])
def test_a_lot_of_an_allotted_purchase_is_measured_as_a_lot(engine, share, verdict):
    answer = engine.ask(f"Fournitures allotis pour 900 000 € HT, en procédure formalisée ; un lot de 65 000 € HT, les "
                        f"petits lots font {share} % du total. Ce lot peut-il suivre une procédure adaptée ?")
    line = _line(answer, "Procédure de passation — article R2123-1").replace("\u202f", " ")
    assert verdict in line and "le lot de 65 000 € HT est inférieur à 80 000 € HT" in line, answer.text
    assert "R2123-1" in {c.locator for c in answer.citations}


def test_a_plan_beyond_a_limit_of_the_code_is_said_so_with_the_clause_quoted(engine):
    answer = engine.ask("Pour la région, un accord-cadre de fournitures de bureau sur sept ans, c'est envisageable ?")
    assert answer.status == "answered" and "situation:answer" in answer.guards, answer.text
    line = _line(answer, "Limite fixée par le code — article L2125-1")
    assert "plafond dépassé ici (sept ans : au-delà de quatre ans)" in line
    assert "La durée des accords-cadres ne peut dépasser quatre ans" in line and "Le concours" not in line
    assert "L2125-1" in {c.locator for c in answer.citations}


@pytest.mark.parametrize("amount, verdict", [("180 000", "pas obligatoire ici (dispense)"),
                                             ("420 000", "dispense non applicable ici")])
def test_a_clause_releasing_the_buyer_from_a_duty_reads_as_a_dispensation(engine, amount, verdict):
    answer = engine.ask(f"Notre commune confie une maîtrise d'œuvre de {amount} € HT : doit-on passer par un concours ?")
    line = _line(answer, "Concours — article R2172-2").replace("\u202f", " ")
    assert verdict in line, answer.text
    # The item is quoted with the lead-in that says what it releases from.
    assert "n'est pas tenu d'organiser un concours" in line and "6°" in line
    # A dispensation that does not apply does not prove the duty: the answer says what it leaves open.
    assert (answer.status == "partial") == (verdict == "dispense non applicable ici"), answer.status
    if answer.status == "partial":
        assert any("dispense de l'article R2172-2 ne s'applique pas" in m for m in answer.missing)


def test_an_amount_computed_from_parts_opens_with_the_rule_that_has_it_computed(engine):
    answer = engine.ask("Entretien des espaces verts : 15 000 € HT par an pendant 3 ans. Faut-il un écrit ?")
    line = _line(answer, "Valeur estimée du besoin — article R2121-1 : cumul obligatoire ici").replace("\u202f", " ")
    assert "15 000 € HT par an × 3 ans = 45 000 € HT" in line and "R2121-1" in {c.locator for c in answer.citations}
    # Works cut into several contracts of one operation: the works rule.
    works = engine.ask("Rénovation d'une école découpée en deux marchés de la même opération (menuiseries 60 000 et "
                       "peinture 55 000 € HT) : dispense possible ?")
    assert _line(works, "Valeur estimée du besoin — article R2121-5 : cumul obligatoire ici")
    # Each contract is under 100 000 € HT; the operation, 115 000 € HT, is not.
    assert "pas possible ici (115 000 € HT" in _line(works, "Dispense de publicité").replace("\u202f", " ")


@pytest.mark.parametrize("autonomy, summed", [("", True), (" Aucun site n'a d'autonomie pour acheter.", True),
                                              (" Chaque site achète de manière autonome.", False)])
def test_the_needs_of_a_buyers_units_are_counted_together_unless_a_unit_buys_autonomously(engine, autonomy, summed):
    answer = engine.ask("Un département : quatre sites commandent chacun leurs fournitures de bureau, pour 15 000, 12 000, 18 000 et 16 000 € "
                        f"HT.{autonomy} Peut-on continuer sans publicité ni mise en concurrence ?")
    dispense = _line(answer, "Dispense de publicité").replace("\u202f", " ")
    if summed:
        # R2121-2: the value of the contracts of every unit; 61 000 € HT is not below 60 000 € HT.
        assert _line(answer, "Valeur estimée du besoin — article R2121-2 : cumul obligatoire ici")
        assert "pas possible ici (61 000 € HT" in dispense
    else:
        assert "R2121-2" not in {c.locator for c in answer.citations} and "61 000" not in answer.text


def test_below_the_amount_of_a_set_form_of_publicity_that_form_is_not_owed(engine):
    answer = engine.ask("Étude de 70 000 € HT confiée par une commune : faut-il un avis au BOAMP ?")
    line = _line(answer, "Publicité — article R2131-12").replace("\u202f", " ")
    # The verdict is on the form the article sets from 90 000 € HT; the free arrangements are said and both items quoted.
    assert ": pas obligatoire ici sous la forme que l'article impose à partir de 90 000 € HT, modalités libres" in line
    assert "librement adaptées" in answer.text and "Bulletin officiel des annonces des marchés publics" in answer.text


def test_a_duty_owed_on_both_sides_of_the_european_thresholds_does_not_depend_on_their_amount(engine):
    answer = engine.ask("Achat de mobilier pour 240 000 € HT : quelle publicité dois-je faire ?")
    line = _line(answer, "Publicité — article R2131-12")
    assert ": obligatoire ici, quel que soit le montant des seuils européens" in line, answer.text
    # The article for the purchases above them (those of formalised procedures) is quoted and cited too.
    assert "Au-dessus des seuils européens — article R2131-16" in answer.text
    assert {"R2131-12", "R2131-16"} <= {c.locator for c in answer.citations}
    # Which of the two articles' forms applies still rests on the thresholds' amount: the answer says it lacks it.
    assert answer.status == "partial" and EUROPEAN_MISSING in answer.missing


@pytest.mark.parametrize("question, verdict", [
    # below the floor the indexed articles prove for the European thresholds: no formalised procedure
    ("Marché de services de 50 000 € HT : dois-je respecter un délai avant de signer ?", ": pas obligatoire ici"),
    ("Marché de fournitures de 300 000 € HT : faut-il attendre avant de signer le marché ?",
     ": obligatoire ou non selon le montant des seuils européens"),
    # the buyer states the side before asking
    ("Marché de travaux de 8 M€ HT passé en procédure formalisée : y a-t-il un délai avant la signature ?",
     ": obligatoire ici (vous indiquez un marché au-dessus des seuils européens)"),
])
def test_a_rule_for_formalised_procedures_is_measured_against_the_european_thresholds(engine, question, verdict):
    answer = engine.ask(question)
    assert verdict in _line(answer, "Délai avant la signature du marché — article R2182-1"), answer.text
    # A share a rule is conditioned on is not the rate of a duty.
    assert "montant — article R2123-1" not in answer.text


def test_a_framework_agreements_minimum_is_measured_by_the_rule_of_minimums(engine):
    answer = engine.ask("Une région passe un accord-cadre de fournitures à bons de commande, minimum de 70 000 € HT et "
                        "maximum de 250 000 € HT : faut-il une avance ?")
    # The maximum is the estimated value; the minimum is kept for the rule that measures it.
    assert answer.text.replace("\u202f", " ").startswith("Votre achat : 250 000 € HT")
    line = _line(answer, "Avance — article R2191-17").replace("\u202f", " ")
    assert ": obligatoire ici (le montant minimum de 70 000 € HT est supérieur à 50 000 € HT)" in line


def test_a_buyer_the_code_puts_outside_a_chapter_is_answered_by_the_article_that_does(engine):
    answer = engine.ask("Notre office public de l'habitat confie des travaux de 400 000 € HT sur 10 mois : "
                        "l'avance est-elle obligatoire ?")
    line = _line(answer, "Avance — article R2191-1")
    assert ": pas obligatoire ici (l'acheteur indiqué (office public de l'habitat) est de ceux que nomme l'article " \
           "R2100-1)" in line, answer.text
    assert "R2191-1" in {c.locator for c in answer.citations}


@pytest.mark.parametrize("buyer, article, verdict", [
    ("Notre office public de l'habitat lance", "R2131-13", "pas obligatoire ici sous la forme que l'article R2131-12 "
                                                           "impose aux acheteurs qu'il nomme, modalités libres (l'acheteur "
                                                           "indiqué (office public de l'habitat) n'est pas de ceux que "
                                                           "nomme l'article R2131-12)"),
    ("Notre commune lance", "R2131-12", "obligatoire ici"),
])
def test_the_buyers_a_rule_of_publicity_does_not_name_get_the_rule_written_for_them(engine, buyer, article, verdict):
    answer = engine.ask(f"{buyer} un marché de travaux de 150 000 € HT en procédure adaptée : quelle publicité faire ?")
    assert verdict in _line(answer, f"Publicité — article {article}"), answer.text
    # Above the European thresholds the rule for adapted procedures is not the one: every buyer publishes a notice.
    above = engine.ask(f"{buyer} un marché de travaux de 8 M€ HT en procédure formalisée : quelle publicité faire ?")
    assert "obligatoire ici" in _line(above, "Publicité — article R2131-16"), above.text
    assert "R2131-13 :" not in above.text


def test_a_rate_beyond_the_one_the_code_lets_a_buyer_exceed_is_said_possible_with_its_conditions(engine):
    answer = engine.ask("Notre commune voudrait verser 40 % d'avance sur un marché de services de 150 000 € HT sur 9 mois : "
                        "a-t-on le droit ?")
    line = _line(answer, "Règle fixée par le code pour ce taux — article R2191-8")
    assert ": possible ici (40 % : au-delà de 30 %)" in line, answer.text
    assert "garantie à première demande" in line  # the next sentence, which the permission comes with


@pytest.mark.parametrize("question, heading, verdict", [
    ("Quel délai de paiement s'impose à une commune pour régler une facture de marché public ?",
     "Délai de paiement — article R2192-10", "obligatoire ici."),
    ("Un centre hospitalier doit payer ses fournisseurs sous quel délai ?", "Délai de paiement — article R2192-11",
     "obligatoire ici (acheteur indiqué : un établissement public de santé)"),
    ("Dans un marché de travaux confié à une PME, à quel rythme verser les acomptes ?", "Acomptes — article R2191-22",
     "obligatoire ici (titulaire PME"),
])
def test_a_rule_decided_without_an_amount_is_applied_to_a_question_without_one(engine, question, heading, verdict):
    answer = engine.ask(question)
    assert verdict in _line(answer, heading), answer.text
    assert answer.text.startswith("Règles que le code fixe sans condition de montant")
    assert "€" not in answer.text.split("\n")[0]  # no amount of the buyer's is made up


def test_the_articles_rule_for_a_case_the_question_leaves_open_is_said_quoted_and_asked_back(engine):
    answer = engine.ask("Une commune confie des travaux de 180 000 € HT sur 7 mois. Les acomptes : quel rythme ?")
    assert "obligatoire ici ; sauf cas particulier ci-dessous selon la taille du titulaire." in \
        _line(answer, "Acomptes — article R2191-22"), answer.text
    assert "Cas particulier — article R2191-22 :" in answer.text and "ramené à un mois" in answer.text
    assert "La taille du titulaire (PME ou non) n'est pas précisée" in answer.text
    # Named, the case decides: no open case left.
    named = engine.ask("Une commune confie des travaux de 180 000 € HT sur 7 mois à une PME. Les acomptes : quel rythme ?")
    assert "Cas particulier" not in named.text and "n'est pas précisée" not in named.text


def test_an_aspect_an_amount_decides_is_not_answered_without_one_by_its_dispensation_alone(engine):
    # The social conditions are owed from the European thresholds (L2112-2-1 I): their dispensation for short works
    # alone would hide that duty.
    answer = engine.ask("La clause sociale est-elle obligatoire pour un chantier de 4 mois ?")
    assert not answer.text.startswith("Règles que le code fixe sans condition de montant"), answer.text


@pytest.mark.parametrize("what, months, verdict", [
    ("de voirie, avec beaucoup de bitume,", 10, "obligatoire ici"),
    ("de voirie, avec beaucoup de bitume,", 2, "pas obligatoire ici"),
    ("de peinture", 10, "obligatoire ou non selon la composition de l'achat"),
])
def test_a_rule_on_what_a_purchase_is_made_of_holds_when_the_question_says_it(engine, what, months, verdict):
    answer = engine.ask(f"Marché de travaux {what} de 600 000 € HT sur {months} mois : faut-il une clause de révision des prix ?")
    assert f"Révision du prix — article R2112-14 : {verdict}" in answer.text, answer.text
    asked = "La composition de l'achat (part de matières premières) n'est pas précisée" in answer.text
    assert asked == (verdict.startswith("obligatoire ou non"))


@pytest.mark.parametrize("purchase, verdict, asked", [
    ("Mobilier conçu sur mesure pour la médiathèque, à prix ferme", "obligatoire ici", None),
    ("Ramettes de papier standard (fournitures courantes) à prix ferme", "possible ici", None),
    ("Fournitures courantes à prix révisable", "pas obligatoire ici", None),
    ("Fournitures à prix ferme", "obligatoire ou non selon le caractère courant ou non de l'achat",
     "Le caractère courant ou non de l'achat"),
    ("Travaux", "obligatoire ou non selon la forme du prix", "La forme du prix (ferme ou révisable) n'est pas précisée"),
])
def test_updating_a_firm_price_rests_on_the_form_of_the_price_and_on_what_is_bought(engine, purchase, verdict, asked):
    # R2112-10: a duty for supplies other than « courantes » and for works, a permission for « courantes »; both for a
    # firm price. What the question does not say is asked back; what it says otherwise sets the rule aside.
    answer = engine.ask(f"{purchase}, 150 000 € HT sur 8 mois : faut-il prévoir l'actualisation du prix ?")
    lines = [line for line in answer.text.split("\n") if "— article R2112-10 :" in line]
    assert lines and lines[0].split("— article R2112-10 : ")[1].startswith(verdict), answer.text
    assert asked is None or asked in answer.text
    # A duty that holds is followed by the article of its chapter saying how it is carried out.
    assert ("Mise en œuvre — article R2112-11 :" in answer.text) == verdict.startswith("obligatoire ici"), answer.text


@pytest.mark.parametrize("question, verdict", [
    ("Marché de fournitures de 300 000 € HT en appel d'offres ouvert : quel délai minimal de réception des offres ?",
     "obligatoire ici (vous indiquez une procédure formalisée (appel d'offres ouvert))"),
    ("Quel est le délai minimal de réception des offres en appel d'offres ouvert ?",
     "obligatoire ici (vous indiquez une procédure formalisée (appel d'offres ouvert))"),
    # the procedure followed said as the frame the question is asked in (« dans un <procédure> »)
    ("Dans un appel d'offres ouvert lancé par la région, combien de jours minimum pour la remise des offres ?",
     "obligatoire ici (vous indiquez une procédure formalisée (appel d'offres ouvert))"),
    # the restricted procedure sets one limit for candidatures, another for offers: not this one
    ("Travaux de 8 M€ HT en appel d'offres restreint : quel délai de réception des offres ?", None),
    # no procedure said: the procedure followed decides, the passages answer
    ("Quel est le délai de réception des offres ?", None),
])
def test_a_rule_of_the_chapter_on_formalised_procedures_holds_for_the_procedure_the_buyer_follows(engine, question,
                                                                                                   verdict):
    answer = engine.ask(question)
    heading = "Délai de réception des candidatures et des offres — article R2161-2 : "
    if verdict is None:
        assert heading not in answer.text, answer.text
    else:
        assert heading + verdict in answer.text, answer.text
        assert "vous indiquez un marché au-dessus des seuils européens" not in answer.text


def test_a_duty_that_applies_is_said_with_the_permission_it_rules_out(engine):
    answer = engine.ask("Achat de véhicules pour 2 M€ HT, au-dessus des seuils européens : puis-je rester en procédure "
                        "adaptée ?")
    assert ": obligatoire ici" in _line(answer, "Procédure de passation — article R2124-1")
    assert ": pas possible ici" in _line(answer, "Procédure de passation — article R2123-1"), answer.text


@pytest.mark.parametrize("holder, quoted", [
    # a small firm holding a works contract: the general periodicity and the shorter one, both quoted
    ("à une PME", "ramené à un mois"),
    ("à une entreprise", "au maximum à trois mois"),
])
def test_a_rule_without_an_amount_is_applied_by_the_conditions_it_states(engine, holder, quoted):
    answer = engine.ask(f"Une commune confie des travaux de 180 000 € HT sur 7 mois {holder}. Les acomptes : quel rythme ?")
    line = _line(answer, "Acomptes — article R2191-22")
    assert quoted in line
    if holder == "à une PME":
        assert ": obligatoire ici (titulaire PME : la condition « Lorsque le titulaire" in line and "est remplie" in line
    else:
        # The small-firm sentence stays open: the question does not say the holder's size.
        assert answer.status == "answered" and ": obligatoire ici" in line, answer.text


@pytest.mark.parametrize("kind, months, verdict", [
    ("travaux", "5", ": pas obligatoire ici (dispense)"),  # II 4°: works under six months
    ("travaux", "9", ": obligatoire ici"),
    ("services", "5", ": obligatoire ici"),
])
def test_a_dispensation_read_from_a_duration_and_a_kind_of_contract(engine, kind, months, verdict):
    answer = engine.ask(f"Marché de {kind} de 9 M€ HT passé en procédure formalisée, sur {months} mois : "
                        "faut-il une clause sociale ?")
    assert verdict in _line(answer, "Conditions d'exécution sociales — article L2112-2-1"), answer.text


@pytest.mark.parametrize("months", ["12", "3"])
def test_below_the_duty_a_dispensation_that_fails_is_not_the_answer(engine, months):
    # Services under the European thresholds: the duty of L2112-2-1 I does not hold, whatever its dispensations.
    answer = engine.ask(f"Une mairie commande des prestations d'entretien pour 80 000 € HT sur {months} mois en procédure "
                        "adaptée : une clause d'insertion est-elle exigée ?")
    line = _line(answer, "Conditions d'exécution sociales — article L2112-2-1")
    assert ": pas obligatoire ici (80\u202f000 € HT est inférieur aux seuils européens" in line, answer.text
    assert "dispense" not in line and "durée" not in line
    # The procedure the buyer says they follow is not asked about.
    assert not any(line.startswith(("Procédure de passation", "Dispense")) for line in answer.text.split("\n"))


def test_a_count_the_rules_do_not_give_is_not_answered_as_a_checklist(engine):
    # The number of hours of a social clause is no verdict of the Code's rules: the passages answer it.
    answer = engine.ask("Combien d'heures d'insertion prévoir dans un marché de travaux de 400 000 € HT ?")
    assert "situation:answer" not in answer.guards and "situation:partial" not in answer.guards, answer.text


@pytest.mark.parametrize("question, article", [
    # books for a library, however named: the rule written for them comes before the general one
    ("La médiathèque municipale achète des livres pour 45 000 € HT : peut-on se passer de mise en concurrence ?",
     "R2122-9"),
    ("Achat d'une solution logicielle innovante pour 85 000 € HT : faut-il une mise en concurrence ?", "R2122-9-1"),
    # school books are not the books of R2122-9
    ("Achat de manuels scolaires pour 45 000 € HT : sans mise en concurrence ?", "R2122-8"),
])
def test_the_rule_for_the_kind_of_purchase_named_answers_first(engine, question, article):
    answer = engine.ask(question)
    assert f"Dispense de publicité et de mise en concurrence — article {article} : possible ici" in answer.text, answer.text


def test_what_a_conclusion_rests_on_and_the_buyer_did_not_say_is_asked_back(engine):
    answer = engine.ask("Services pour 120 000 € HT : faut-il une avance ?")
    assert "La durée d'exécution n'est pas précisée : précisez-la, la conclusion en dépend (avance)" in answer.text
    assert "obligatoire ou non selon la durée" in _line(answer, "Avance — article R2191-3")
    # Said once the buyer gives it.
    answer = engine.ask("Services pour 120 000 € HT sur huit mois : faut-il une avance ?")
    assert "n'est pas précisée" not in answer.text


@pytest.mark.parametrize("buyer, heading, verdict", [
    # unnamed: the general rule, its derogations quoted, the kind of buyer asked back
    ("Un acheteur public passe", "Délai de paiement — article R2192-10", "obligatoire ici ; sauf dérogation selon le type "
                                                                        "d'acheteur (article R2192-11)"),
    ("Le centre hospitalier passe", "Délai de paiement — article R2192-11", "obligatoire ici (acheteur indiqué : un "
                                                                            "établissement public de santé)"),
    ("La commune passe", "Délai de paiement — article R2192-10", "obligatoire ici."),
])
def test_a_rule_with_derogations_for_kinds_of_buyer(engine, buyer, heading, verdict):
    answer = engine.ask(f"{buyer} un marché de fournitures de 150 000 € HT : quel délai de paiement ?")
    assert verdict in _line(answer, heading), answer.text
    asked = "Le type d'acheteur n'est pas précisé" in answer.text
    assert asked == (buyer == "Un acheteur public passe")
    assert ("Dérogations selon l'acheteur — article R2192-11" in answer.text) == asked


def test_a_ttc_amount_with_its_vat_rate_is_converted_and_the_computation_shown(engine):
    answer = engine.ask("Un fournisseur nous propose des fauteuils de bureau pour 66 000 € TTC, TVA à 20 % : "
                        "peut-on les commander sans mise en concurrence ?")
    assert "66\u202f000 € TTC / 1,2 (TVA à 20 %) = 55\u202f000 € HT" in answer.text, answer.text
    assert ": possible ici" in _line(answer, "Dispense de publicité et de mise en concurrence — article R2122-8")
    # Without the rate, a TTC amount only bounds the HT one: above the threshold, the HT amount is asked back.
    unsure = engine.ask("Un fournisseur nous propose des fauteuils de bureau pour 66 000 € TTC : peut-on les commander "
                        "sans mise en concurrence ?")
    assert "TVA à" not in unsure.text and "hors taxes n'est pas précisé" in unsure.text, unsure.text


def test_an_amount_written_in_words_is_read_as_the_purchase(engine):
    answer = engine.ask("Notre syndicat des eaux achète des fournitures (compteurs) pour soixante-dix mille euros hors taxes : "
                        "faut-il une publicité ?")
    assert answer.text.startswith("Votre achat : 70\u202f000 € HT, fournitures"), answer.text
    assert ": pas possible ici" in _line(answer, "Dispense de publicité et de mise en concurrence — article R2122-8")


def test_two_purchases_in_one_question_are_answered_each_under_its_own_heading(engine):
    answer = engine.ask("Notre commune a deux marchés à notifier : le premier, des fournitures de mobilier pour "
                        "48 000 € HT livrées en 3 mois ; le second, des travaux de toiture pour 90 000 € HT sur 5 mois. "
                        "Faut-il verser une avance ?")
    assert answer.guards == ["situation:answer"], answer.text
    text = answer.text.replace("\u202f", " ")
    assert text.startswith("Votre question décrit 2 achats distincts")
    first, second = re.split(r"(?m)^Achat 2 — ", text.split("Achat 1 — ", 1)[1])
    assert first.startswith("48 000 € HT") and "90 000" not in first
    assert "Avance — article R2191-3 : pas obligatoire ici (48 000 € HT n'est pas supérieur à 50 000 € HT" in first
    assert second.startswith("90 000 € HT") and "Avance — article R2191-3 : obligatoire ici (90 000 € HT" in second
    assert "R2191-3" in {c.locator for c in answer.citations}
    # Each line of a heading is a heading of its own (the chat shows a point's computed conclusion apart).
    framing = [f.replace("\u202f", " ") for f in answer.framing]
    assert any(f.startswith("Achat 2 — 90 000 € HT") for f in framing)
    assert any(f.startswith("Avance — article R2191-3 : obligatoire ici") for f in framing)


def test_lots_of_one_whole_are_judged_each_by_the_rules_of_lots(engine):
    answer = engine.ask("Opération de travaux de 5 M€ HT, au-dessus des seuils européens. Lot charpente estimé à "
                        "1,4 M€ HT, lot plâtrerie à 300 000 € HT. Je peux mettre les deux en procédure adaptée ?")
    text = answer.text.replace("\u202f", " ")
    assert text.startswith("Votre question décrit 2 lots d'un même marché"), text
    first, second = re.split(r"(?m)^Achat 2 — ", text.split("Achat 1 — ", 1)[1])
    assert first.startswith("lot charpente estimé à 1,4 M€ HT (marché entier : 5 000 000 € HT")
    assert "article R2123-1 : pas possible ici (le lot de 1 400 000 € HT n'est pas inférieur à 1 000 000 € HT" in first
    assert second.startswith("lot plâtrerie à 300 000 € HT")
    assert "le lot de 300 000 € HT est inférieur à 1 000 000 € HT" in second and "1 400 000" not in second
    # The whole is never added to its lots.
    assert "6 700 000" not in text
    # A kind of contract left open (goods and the services they are for): a rule for every kind beside one per kind.
    mixed = engine.ask("Notre accord-cadre de denrées pour la restauration du personnel pèse 1,1 M€ HT (procédure "
                       "formalisée) et compte 6 lots. Deux petits lots : café à 70 000 € HT et pâtisserie à 90 000 € HT. "
                       "Peut-on les passer en procédure adaptée ?")
    assert mixed.text.startswith("Votre question décrit 2 lots d'un même marché"), mixed.text


@pytest.mark.parametrize("amount, verdict", [
    ("480 € HT", "pas obligatoire ici (le montant sous-traité (480 € HT), soit au plus 576 € TTC au taux normal de TVA"),
    ("500 € HT, TVA à 20 %", "obligatoire ici (le montant sous-traité (500 € HT), soit 600 € TTC avec la TVA à 20 %"),
    ("550 € HT", "obligatoire ou non selon votre montant toutes taxes comprises (550 € HT, TVA comprise"),
])
def test_an_ht_amount_is_compared_with_a_threshold_written_ttc_through_the_vat(engine, amount, verdict):
    answer = engine.ask(f"Sur notre marché de travaux, le titulaire a fait accepter un sous-traitant pour {amount} : "
                        "est-il payé directement par nous ?")
    line = _line(answer, "Paiement direct du sous-traitant").replace("\u202f", " ")
    assert "article R2193-10" in line and verdict in line, answer.text


def test_a_purchase_no_rule_answers_is_named_not_left_out(engine):
    answer = engine.ask("Deux marchés distincts : le premier, des fournitures à 30 000 € HT ; le second, des travaux dont "
                        "le montant reste à estimer. Faut-il un contrat écrit ?")
    text = answer.text.replace("\u202f", " ")
    assert "Achat 1 — 30 000 € HT" in text and "Contrat écrit — article R2112-1 : obligatoire ici" in text, text
    assert "Achat 2 (« le second, des travaux dont le montant reste à estimer ») : aucune règle du code" in text


def test_a_lot_above_the_amount_an_item_lists_fails_the_item_whatever_its_other_conditions(engine):
    # R2123-1 2°: a lot of an allotted contract « qui remplit les deux conditions suivantes : a) <montant du lot> ;
    # b) <part des petits lots> »: the lot's amount fails a), so the share left unsaid cannot make it possible.
    answer = engine.ask("Travaux allotis pour 10 M€ HT, au-dessus des seuils européens ; un lot de 1,2 M€ HT. Ce lot "
                        "peut-il passer en procédure adaptée ?")
    line = _line(answer, "Procédure de passation — article R2123-1").replace("\u202f", " ")
    assert ": pas possible ici" in line and "n'est pas inférieur à 1 000 000 € HT" in line, answer.text


def test_what_a_rule_failing_anyway_would_also_need_is_not_asked_back(engine):
    # The lot's own amount fails the rule of small lots: the small lots' share of the whole would change nothing.
    # (Two lots described are each answered under their own heading: test_lots_of_one_whole_are_judged_each…)
    answer = engine.ask("Opération de travaux de 8 M€ HT, au-dessus des seuils européens. Le lot charpente est estimé à "
                        "1,5 M€ HT. Peut-il suivre une procédure adaptée ?")
    assert "n'est pas précisée" not in answer.text, answer.text
    line = _line(answer, "Procédure de passation — article R2123-1").replace("\u202f", " ")
    assert ": pas possible ici" in line and "le lot de 1 500 000 € HT n'est pas inférieur" in line, answer.text


def test_a_follow_up_the_rules_do_not_read_is_not_answered_with_the_same_checklist(engine):
    from assistant.models import Turn
    first = "Dans un appel d'offres ouvert, quel est le délai minimal de réception des offres ?"
    answer = engine.ask(first)
    assert answer.guards == ["situation:answer"] and "trente-cinq jours" in answer.text
    history = [Turn(question=first, standalone_question=answer.standalone_question, answer=answer.text)]
    # The circumstance the follow-up adds is read by no rule of the table: the passages answer it.
    urgent = engine.ask("Et en cas d'urgence dûment justifiée ?", history=history)
    assert not any(g.startswith("situation") for g in urgent.guards), urgent.text
    assert "urgence" in urgent.text
    # A follow-up changing what the rules read still gets its checklist.
    priced = engine.ask("Et pour des services à 300 000 € HT ?", history=history)
    assert "situation:answer" in priced.guards


def test_successive_modifications_are_compared_cumulated(engine):
    answer = engine.ask("Marché de fournitures de 150 000 € HT : un premier avenant de 9 000 € HT, puis un deuxième de "
                        "7 000 € HT. Sommes-nous toujours dans les modifications de faible montant ?")
    text = answer.text.replace("\u202f", " ")
    assert "9 000 € HT + 7 000 € HT = 16 000 € HT" in text and "R2194-8" in text
    line = _line(answer, "Modification du marché — article R2194-8").replace("\u202f", " ")
    assert line.split(" : ", 1)[1].startswith("pas possible ici"), line  # 16 000 € is 10,7 % of 150 000 €


@pytest.mark.parametrize("paid, obligatory", [("payé directement par nous", False), ("payé par le titulaire", True)])
def test_the_advance_is_measured_without_the_part_subcontracted_and_paid_directly(engine, paid, obligatory):
    answer = engine.ask(f"Travaux de voirie : 90 000 € HT sur 6 mois ; le titulaire sous-traite 45 000 € HT à une entreprise "
                        f"de marquage, {paid}. Faut-il verser une avance ?")
    line = _line(answer, "Avance — article R2191-3").replace("\u202f", " ")
    if obligatory:
        assert "obligatoire ici (90 000 € HT est supérieur" in line and "R2191-6" not in answer.text
    else:
        # R2191-6: the initial amount less the part paid directly, 45 000 € HT, is not above 50 000 € HT.
        assert "pas obligatoire ici" in line and "(45 000 € HT) n'est pas supérieur à 50 000 € HT" in line
        deducted = _line(answer, "Avance : montant à comparer — article R2191-6").replace("\u202f", " ")
        assert "90 000 € HT − 45 000 € HT = 45 000 € HT" in deducted and "R2191-6" in {c.locator for c in answer.citations}


def test_the_part_subcontracted_is_read_after_an_aside_and_its_direct_payment_is_not_a_contract_awarded_directly(engine):
    answer = engine.ask("Marché d'entretien de la piscine. Un sous-traitant a été accepté (paiement agréé) pour une "
                        "intervention ponctuelle de 450 € HT, TVA à 20 %. Doit-on régler ce sous-traitant directement ?")
    assert _line(answer, "Paiement direct du sous-traitant — article R2193-10").startswith(
        "Paiement direct du sous-traitant — article R2193-10 : pas obligatoire ici")
    assert not any(line.startswith("Dispense de publicité") for line in answer.text.split("\n"))


def test_lots_given_without_their_whole_are_judged_each_beside_their_sum(engine):
    answer = engine.ask("Marché de services de traduction en trois lots : lot 1 à 14 000 € HT, lot 2 à 12 000 € HT, lot 3 à "
                        "40 000 € HT. Peut-on passer les lots sans publicité ni mise en concurrence ?")
    text = answer.text.replace("\u202f", " ")
    # R2121-1: the whole is every lot; its sum is computed and said to be.
    assert "calculé par l'assistant sur l'ensemble des lots (article R2121-1) : 14 000 € HT + 12 000 € HT + 40 000 € HT = " \
           "66 000 € HT" in text
    first = text.split("Achat 1 — ", 1)[1].split("Achat 2 — ")[0]
    assert first.startswith("lot 1 à 14 000 € HT (marché entier : 66 000 € HT")
    # 14 000 / 66 000 is 21 % of the whole: more than the small lots' 20 %.
    assert "article R2122-8 : pas possible ici (le lot de 14 000 € HT est inférieur à 60 000 € HT ; la part des lots (21" in first


def test_the_total_of_the_lots_named_gives_their_share_of_the_whole(engine):
    answer = engine.ask("Restructuration d'un collège : 8 M€ HT de travaux en 14 lots, procédure formalisée. Je voudrais "
                        "passer en procédure adaptée le lot ascenseurs (700 000 € HT) et le lot clôtures (250 000 € HT), "
                        "soit 950 000 € HT à eux deux. C'est possible ?")
    text = answer.text.replace("\u202f", " ")
    assert "calculée par l'assistant : 950 000 € HT / 8 000 000 € HT = 11,9 %" in text
    first = text.split("Achat 1 — ", 1)[1].split("Achat 2 — ")[0]
    assert "lot ascenseurs (700 000 € HT) (marché entier : 8 000 000 € HT" in first.split("\n")[0]
    assert "article R2123-1 : possible ici (le lot de 700 000 € HT est inférieur à 1 000 000 € HT ; la part indiquée " \
           "(11,9 %) remplit la condition" in first


def test_a_buyers_figure_alone_decides_the_limits_written_for_larger_buyers(engine):
    # No purchase amount: the buyer's expenses, in billions, still decide the small firms' 3 % (R2191-33).
    answer = engine.ask("Département aux dépenses de fonctionnement de 1,4 milliard d'euros : une retenue de garantie de "
                        "4 % sur un marché confié à une PME, c'est possible ?")
    assert _line(answer, "Limite fixée par le code — article R2191-33").startswith(
        "Limite fixée par le code — article R2191-33 : plafond dépassé ici (4 % : au-delà de 3 %)")


def test_an_amendment_named_by_what_it_adds_and_a_side_of_the_european_thresholds_said_in_other_words(engine):
    answer = engine.ask("Marché de fournitures de bureau de 200 000 € HT. Nous voulons passer un avenant ajoutant des "
                        "fauteuils ergonomiques pour 15 000 € HT, bien loin des seuils européens. Est-ce une modification "
                        "possible ?")
    line = _line(answer, "Modification du marché — article R2194-8").replace("\u202f", " ")
    assert "possible ici (vous indiquez un marché en dessous des seuils européens ; l'avenant de 15 000 € HT représente " \
           "7,5 % du montant initial" in line


def test_a_value_planned_for_a_rule_set_without_an_amount_is_answered_by_the_rule_for_that_buyer(engine):
    answer = engine.ask("Nous sommes un CHU. Dans notre CCAP de fournitures, on voudrait payer à 45 jours, c'est permis ?")
    line = _line(answer, "Délai de paiement — article R2192-11")
    assert "établissement public de santé" in line and "Cinquante jours" in line
    # Without a value planned, a permission asked about payments is not read as that situation.
    plain = engine.ask("Peut-on payer une facture avant la livraison ?")
    assert not any(g.startswith("situation") for g in plain.guards)


@pytest.mark.parametrize("described, verdict", [
    # Said to be passed without publicity: the rule for procedures that publish a call for competition does not hold.
    ("passé sans publicité ni mise en concurrence (urgence impérieuse)", "pas obligatoire ici"),
    ("passé après un avis publié au BOAMP", "obligatoire ici"),
    # Not said: the rule holds, with the condition it rests on said.
    ("", "obligatoire ici"),
])
def test_a_rule_for_procedures_with_a_call_for_competition_reads_how_the_purchase_is_passed(engine, described, verdict):
    answer = engine.ask(f"Marché de services de 120 000 € HT {described} : faut-il publier le dossier de consultation "
                        "sur notre profil d'acheteur ?".replace("  ", " "))
    line = _line(answer, "Documents de la consultation sur un profil d'acheteur — article R2132-2")
    assert line.split(" : ", 1)[1].startswith(verdict)
    if not described:
        assert "si la procédure donne lieu à la publication d'un avis d'appel à la concurrence" in line


def test_a_case_allowed_whatever_the_amount_is_a_line_of_its_own_after_the_amounts_rule(engine):
    answer = engine.ask("La commune commande à une artiste la création d'une œuvre unique pour la place, 150 000 € HT : "
                        "peut-elle se dispenser de toute mise en concurrence ?")
    amounts = _line(answer, "Dispense de publicité et de mise en concurrence — article R2122-8")
    case = _line(answer, "Dispense de publicité et de mise en concurrence — article R2122-3")
    assert "pas possible ici" in amounts, answer.text
    assert ": possible ici (votre achat semble relever d'un cas que l'article admet sans condition de montant" in case
    assert "œuvre d'art" in case and "R2122-3" in {c.locator for c in answer.citations}
