"""The limits the Code sets on what a buyer plans (a rate, a multiple of the contract's amount, a duration), read from
the articles of ../shared/corpus and applied to the value a question gives."""

from __future__ import annotations

import pytest

from assistant.thresholds.caps import extract_limits, planned


@pytest.fixture(scope="module")
def limits(shared_index):
    return extract_limits(list(shared_index.catalog.chunk_rows(synced_only=True)))


def _by_article(limits, article):
    return [l for l in limits if l.article == article]


def test_the_limits_are_read_as_the_articles_write_them(limits):
    shapes = {(l.article, l.kind, l.value, l.small_firms) for l in limits}
    assert {("R2142-7", "multiple", 1.5, False), ("R2191-33", "percent", 5.0, False),
            ("R2191-33", "percent", 3.0, True), ("L2125-1", "duration", 48.0, False),
            ("R2122-4", "duration", 36.0, False), ("L2113-16", "duration", 36.0, False)} <= shapes
    # « ce taux » is the rate of the sentence before; the rate for small firms holds for the larger buyers only.
    small = next(l for l in _by_article(limits, "R2191-33") if l.small_firms)
    assert small.key == ["retenue", "garantie"] and small.buyer_over == 60_000_000.0
    # « sa durée » is the duration of what the item opens with.
    assert {"livraisons", "complementaires"} <= set(_by_article(limits, "R2122-4")[0].key)
    # What is quoted is the clause that sets the limit, word for word, not the whole enumeration around it.
    (framework,) = _by_article(limits, "L2125-1")
    assert framework.quote in framework.sentence and framework.quote.startswith("La durée des accords-cadres")
    assert "Le concours" not in framework.quote


@pytest.mark.parametrize("question, article, outcome", [
    ("Pour des travaux de 120 000 € HT, puis-je demander aux candidats 250 000 € de chiffre d'affaires minimal ?",
     "R2142-7", "exceeded"),
    ("Pour des travaux de 120 000 € HT, puis-je demander aux candidats 150 000 € de chiffre d'affaires minimal ?",
     "R2142-7", "within"),
    ("Une retenue de garantie de 7 % sur un marché de services, c'est permis ?", "R2191-33", "exceeded"),
    ("Nous voulons conclure un accord-cadre de trois ans pour l'entretien des espaces verts : est-ce admis ?",
     "L2125-1", "within"),
    # « et demi » is half a year more: beyond four years
    ("Notre commune veut conclure un accord-cadre de quatre ans et demi pour l'entretien des espaces verts : est-ce admis ?",
     "L2125-1", "exceeded"),
])
def test_a_plan_is_compared_with_the_limit_it_meets(limits, question, article, outcome):
    found = [(p.limit.article, p.outcome) for p in planned(question, limits)]
    assert (article, outcome) in found, found


def test_the_rate_for_small_firms_holds_for_the_buyers_it_names(limits):
    def small_firm_outcomes(question):
        return [p.outcome for p in planned(question, limits) if p.limit.small_firms]
    question = ("Notre ville, dont les dépenses réelles de fonctionnement atteignent {} M€, prévoit une retenue de garantie "
                "de 4 % sur un chantier de 300 000 € HT attribué à une PME : est-ce admis ?")
    assert small_firm_outcomes(question.format(90)) == ["exceeded"]  # above 60 M€: 3 % at most
    assert small_firm_outcomes(question.format(20)) == []  # a smaller buyer: the general 5 % only
    assert small_firm_outcomes("Travaux de 300 000 € HT confiés à une PME, retenue de garantie de 4 % ?") == ["depends"]
    # The lower limit holding replaces the general one it lowers: « within 5 % » would read as allowed.
    assert sorted((p.limit.written, p.outcome) for p in planned(question.format(90), limits)
                  if p.limit.article == "R2191-33") == [("3 %", "exceeded")]
    # Without a small firm named, only the general limit is applied.
    assert all(not p.limit.small_firms for p in planned("Retenue de garantie de 4 % sur des travaux ?", limits))


def test_a_limit_asked_for_in_a_purchase_described_is_said_as_it_holds_there(limits):
    def stated(question):
        return sorted((p.limit.written, p.outcome) for p in planned(question, limits) if p.limit.article == "R2191-33")
    purchase = "{} confie à une PME des travaux de 400 000 € HT : quel plafond pour la retenue de garantie ?"
    # The State: the small firms' rate replaces the general one; a region whose expenses are not given: both, the
    # small firms' one depending on them; a smaller buyer, given: the general one, the small firms' said not to bind.
    assert stated(purchase.format("L'État")) == [("3 %", "stated")]
    assert stated(purchase.format("Une région")) == [("3 %", "depends"), ("5 %", "stated")]
    assert stated(purchase.format("Une commune de 20 M€ de dépenses réelles de fonctionnement")) == [
        ("3 %", "lifted"), ("5 %", "stated")]
    # Not asked for (no « plafond », « maximum »…), or a subject named by one loose word: nothing said.
    assert stated("Une région confie à une PME des travaux de 400 000 € HT : retenue de garantie ?") == []
    assert [p for p in planned("Un jury de concours pour 200 000 € HT : quel montant maximal des indemnités ?", limits)
            if p.outcome == "stated"] == []


def test_rules_for_the_plans_on_one_side_of_a_rate(limits):
    # « peut porter … au-delà de N % »: a permission for a rate above N; « Pour les <…> supérieures / inférieures ou
    # égales à N % »: the item for the rates on its side, named by its article's subject.
    rules = sorted((l.article, l.rule, l.value) for l in limits if l.rule not in ("max", "min"))
    assert rules == [("R2191-11", "over", 30.0), ("R2191-11", "upto", 30.0), ("R2191-8", "beyond", 30.0)]
    (item,) = [l for l in limits if l.article == "R2191-11" and l.rule == "over"]
    assert item.quote.startswith("2° Pour les avances supérieures à 30 %") and item.context[0].startswith("Dans le silence")

    def found(question):
        return sorted((p.limit.article, p.limit.rule, p.outcome) for p in planned(question, limits)
                      if p.limit.rule not in ("max", "min"))
    assert found("Services de 150 000 € HT sur 9 mois : verser 40 % d'avance, est-ce permis ?") == [("R2191-8", "beyond", "allowed")]
    assert found("Services de 150 000 € HT sur 9 mois : verser 20 % d'avance, est-ce permis ?") == []
    assert found("Services de 150 000 € HT, avance de 50 % : quand débute le remboursement de l'avance ?") == [
        ("R2191-11", "over", "holds"), ("R2191-8", "beyond", "allowed")]
    assert found("Services de 150 000 € HT, avance de 20 % : quand débute le remboursement de l'avance ?") == [
        ("R2191-11", "upto", "holds")]
    # The conditions of the plan asked as a whole: every rule for that side of the rate, the repayment included.
    assert found("Travaux de 300 000 € HT sur 8 mois, avance prévue de 45 % : quelles modalités ?") == [
        ("R2191-11", "over", "holds"), ("R2191-8", "beyond", "allowed")]
    assert found("Travaux de 300 000 € HT sur 8 mois : une avance de 15 %, quelles règles ?") == [
        ("R2191-11", "upto", "holds")]


def test_a_value_without_the_subject_or_a_subject_without_a_value_is_no_plan(limits):
    assert planned("Quelle est la retenue de garantie maximale ?", limits) == []
    assert planned("Un marché de travaux de 7 % plus cher que prévu : que faire ?", limits) == []


def test_a_limit_named_by_the_buyers_abbreviation(limits):
    # « ESS » is the buyers' word for the entreprises de l'économie sociale et solidaire the article names.
    (found,) = [p for p in planned("Un marché réservé aux structures de l'ESS sur quatre ans, est-ce permis ?", limits)
                if p.limit.article == "L2113-16"]
    assert found.outcome == "exceeded" and found.limit.quote.startswith("La durée d'un marché réservé")


def test_a_limit_written_apart_for_the_other_kind_of_buyer(limits):
    (framework,) = _by_article(limits, "L2125-1")
    assert (framework.value, framework.entities_value) == (48.0, 96.0)
    question = "Un accord-cadre de six ans pour une entité adjudicatrice du secteur de l'énergie, est-ce possible ?"
    (found,) = [p for p in planned(question, limits) if p.limit.article == "L2125-1"]
    assert found.outcome == "within" and "huit ans" in found.compared
    (public,) = [p for p in planned(question.replace("une entité adjudicatrice", "une mairie"), limits)
                 if p.limit.article == "L2125-1"]
    assert public.outcome == "exceeded"


def test_time_gone_by_is_not_a_duration_planned(shared_container):
    from assistant.thresholds.caps import planned
    limits = shared_container.thresholds.limits()
    # « il y a deux ans » dates a past contract: no duration limit is applied to it
    assert not [p for p in planned("Une structure de l'ESS a eu un marché réservé il y a deux ans : un nouveau marché "
                                   "réservé est-il possible ?", limits) if p.limit.kind == "duration"]
    assert [p.outcome for p in planned("Un marché réservé aux entreprises de l'ESS sur quatre ans, c'est possible ?",
                                       limits) if p.limit.article == "L2113-16"] == ["exceeded"]


def test_a_period_from_an_event_is_met_by_the_time_gone_by_since_it(limits):
    # « … ne peut dépasser N ans à compter de la notification du marché initial »: the time since that notification.
    (similar,) = _by_article(limits, "R2122-7")
    assert similar.since and not _by_article(limits, "L2125-1")[0].since
    asked = ("Le marché initial de maintenance, mis en concurrence, a été notifié il y a {}. Pouvons-nous conclure les "
             "nouveaux marchés de prestations similaires avec son titulaire ?")
    (recent,) = [p for p in planned(asked.format("vingt mois"), limits) if p.limit.article == "R2122-7"]
    assert recent.outcome == "within" and "vingt mois écoulés" in recent.compared
    (late,) = [p for p in planned(asked.format("cinq ans"), limits) if p.limit.article == "R2122-7"]
    assert late.outcome == "exceeded"
    # Time gone by written with a compound number (« trente-huit mois »: over three years, not « huit mois »).
    (compound,) = [p for p in planned(asked.format("trente-huit mois"), limits) if p.limit.article == "R2122-7"]
    assert compound.outcome == "exceeded" and "38 mois écoulés" in compound.compared
    # A duration planned is not time gone by: the period from the event is not compared with it.
    assert not [p for p in planned("Nouveaux marchés similaires conclus pour deux ans avec le titulaire initial ?", limits)
                if p.limit.article == "R2122-7"]


def test_a_duration_limit_of_the_article_the_question_is_about(limits):
    # The buyer names the contract by its object, not by the article's words: the passages found say which article.
    question = "Notre commune voudrait confier l'entretien de ses toitures à la même société pendant sept ans : est-ce possible ?"
    assert not [p for p in planned(question, limits) if p.limit.article == "L2125-1"]
    (found,) = [p for p in planned(question, limits, about=frozenset({"L2125-1"})) if p.limit.article == "L2125-1"]
    assert found.outcome == "exceeded" and found.compared.startswith("sept ans")
    # Not a limit of a rate or a multiple: a percentage said beside an article's passages is not a plan for it.
    assert not [p for p in planned("Une hausse de 7 % des prix, que faire ?", limits, about=frozenset({"R2191-33"}))]


def test_the_floors_of_a_rate_are_read_as_the_article_writes_them(limits):
    floors = sorted((l.value, l.small_firms, l.state_only, l.buyer_over, l.range_top)
                    for l in _by_article(limits, "R2191-7") if l.rule == "min")
    # « fixé entre 5 % et 30 % » (written twice, read once); for small firms, 30 % for the State, 10 % for the others
    # beyond 60 M€ of expenses.
    assert floors == [(5.0, False, False, None, 30.0), (10.0, True, False, 60_000_000.0, None), (30.0, True, True, None, None)]


@pytest.mark.parametrize("question, outcome", [
    ("Préfecture : achat de matériel pour 95 000 € HT livré en 5 mois par une PME, avance de 15 % ?", ("30 %", "short")),
    ("Préfecture : achat de matériel pour 95 000 € HT livré en 5 mois par une PME, avance de 35 % ?", ("30 %", "reached")),
    ("Département aux dépenses de fonctionnement de 400 M€ : travaux de 320 000 € HT sur 7 mois confiés à une PME, "
     "avance de 8 % ?", ("10 %", "short")),
    # (The general floor is met; the small firms' one depends on the buyer's expenses, not given.)
    ("Commune : travaux de 320 000 € HT sur 7 mois confiés à une PME, avance de 8 % ?", [("10 %", "depends"),
                                                                                         ("5 %", "reached")]),
    ("Services de 80 000 € HT sur 4 mois, une avance de 2 % ?", ("5 %", "short")),
    # Above the range, the rule for the rates beyond it speaks, not the floor; a rate asked alone is no plan.
    ("Services de 80 000 € HT sur 4 mois, une avance de 40 % ?", None),
    ("Une avance de 2 %, c'est permis ?", None),
])
def test_a_planned_rate_is_compared_with_the_floor_the_buyer_is_held_to(limits, question, outcome):
    floors = sorted((p.limit.written, p.outcome) for p in planned(question, limits) if p.limit.rule == "min")
    assert floors == (outcome if isinstance(outcome, list) else [outcome] if outcome else [])


@pytest.mark.parametrize("question, outcome", [
    # Beyond a public authority's four years, within the other buyers' eight: the buyer's quality decides.
    ("Nous voulons un accord-cadre de sept ans pour nos pièces de rechange, c'est possible ?", "depends"),
    ("Le département voudrait un accord-cadre de sept ans, c'est possible ?", "exceeded"),
    ("En tant qu'entité adjudicatrice, un accord-cadre de sept ans, c'est possible ?", "within"),
    ("Nous voulons un accord-cadre de dix ans, c'est possible ?", "exceeded"),
])
def test_a_duration_between_the_two_buyers_limits_depends_on_the_buyer(limits, question, outcome):
    (found,) = [p for p in planned(question, limits) if p.limit.article == "L2125-1"]
    assert found.outcome == outcome
    if outcome == "depends":
        assert "n'est pas précisée" in found.compared


@pytest.mark.parametrize("question, outcome, said", [
    ("Pour la commune, un accord-cadre de 3 ans renouvelable une fois 2 ans, c'est possible ?", "exceeded",
     "3 ans + 1 × 2 ans de reconduction = 5 ans"),
    ("Pour la commune, un accord-cadre de deux ans reconductible deux fois un an, c'est possible ?", "within",
     "deux ans + 2 × 1 an de reconduction = 4 ans"),
    # A renewal without its own period renews the initial one.
    ("Pour la commune, un accord-cadre de 3 ans reconductible une fois, c'est possible ?", "exceeded",
     "3 ans + 1 × 3 ans de reconduction = 6 ans"),
])
def test_the_renewals_planned_count_in_the_duration(limits, question, outcome, said):
    (found,) = [p for p in planned(question, limits) if p.limit.article == "L2125-1"]
    assert found.outcome == outcome and said in found.compared
