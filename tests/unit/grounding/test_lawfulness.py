"""Questions of lawfulness read with the linter's rules: « may a buyer require this? » names the rule to lead with."""

from __future__ import annotations

import pytest

from assistant.grounding.lint import Linter


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


@pytest.mark.parametrize(("question", "rule"), [
    ("Ai-je le droit d'imposer des meubles fabriqués en France dans mon marché ?", "origine-nationale"),
    ("Est-il interdit de réserver le marché à des entreprises françaises ?", "origine-nationale"),  # polarity aside
    ("Peut-on demander que les chaussures soient produites en Italie ?", "origine-nationale"),
    ("Pour l'entretien des espaces verts, puis-je choisir uniquement des prestataires locaux ?",
     "localisation-geographique"),
    ("Est-ce légal d'exiger un fournisseur situé à moins de 30 km de la mairie ?", "localisation-geographique"),
    ("Peut-on écrire la marque du logiciel dans le cahier des charges ?", "marque-sans-equivalent"),
    ("Puis-je exiger un écolabel pour le papier de la collectivité ?", "norme-label-sans-equivalent"),
])
def test_a_permission_question_names_the_rule(linter, question, rule):
    asked = linter.asked(question)
    assert asked is not None and asked.rule_id == rule
    assert asked.articles and asked.framing and asked.query


def test_the_opening_names_the_articles_it_rests_on(linter):
    asked = linter.asked("Puis-je exiger que les uniformes soient fabriqués en France ?")
    assert asked.framing.startswith("Non :")
    assert all(article in asked.framing for article in ("L3", "R2111-7"))


@pytest.mark.parametrize("question", [
    "Combien d'emplois créent les achats de produits fabriqués en France ?",  # a figure, not a permission
    "Quel est le délai de paiement d'un marché public ?",  # a permission-free legal question
    "Puis-je allotir un marché de travaux ?",  # a permission question no rule forbids
])
def test_other_questions_name_no_rule(linter, question):
    assert linter.asked(question) is None


def test_a_question_about_an_organisation_must_speak_of_a_purchase(linter):
    question = "L'Alliance peut-elle promouvoir les produits fabriqués en France ?"
    assert linter.asked(question) is not None  # read alone, it has the words of the rule…
    assert linter.asked(question, about_organisation=True) is None  # …but it asks what the Alliance does
    in_a_purchase = "Selon l'Alliance, un acheteur peut-il exiger des produits fabriqués en France ?"
    assert linter.asked(in_a_purchase, about_organisation=True).rule_id == "origine-nationale"


def test_a_label_rule_needs_a_requirement(linter):
    # The label rule applies to a label that is required, not to one merely mentioned.
    assert linter.asked("Puis-je parler du label Ange Bleu à mes collègues ?") is None


@pytest.mark.parametrize("question", [
    "Comment l'Alliance veut-elle favoriser le fabriqué en France dans les achats publics ?",
    "Que peut faire l'Alliance pour le fabriqué en France dans la commande publique ?",
])
def test_an_organisations_proposals_are_not_a_permission_question(linter, question):
    # What an organisation wants or does is its advocacy, to be answered from its documents, not « Non : … ».
    assert linter.asked(question, about_organisation=True) is None


@pytest.mark.parametrize("question, rule_id", [
    ("Puis-je favoriser les PME de mon département ?", "localisation-geographique"),
    ("Peut-on noter les candidats sur leur implantation locale ?", "localisation-geographique"),
    ("Peut-on exiger des produits en circuit court pour la restauration scolaire ?", "circuit-court-geographique"),
])
def test_ways_buyers_ask_about_locality(linter, question, rule_id):
    assert [r.rule_id for r in linter.asked_all(question)] == [rule_id]


def test_a_question_touching_two_rules_asks_both_most_serious_first(linter):
    question = "Peut-on exiger le label Origine France Garantie pour des uniformes ?"
    assert [r.rule_id for r in linter.asked_all(question)] == ["origine-nationale", "norme-label-sans-equivalent"]
    assert linter.asked(question).rule_id == "origine-nationale"


@pytest.mark.parametrize(("question", "rule"), [
    ("Notre mairie a-t-elle le droit d'acheter uniquement tricolore pour ses drapeaux ?", "origine-nationale"),
    ("Le marché est-il attaquable si on retient le prestataire parce qu'il est français ?", "origine-nationale"),
    ("Est-il régulier de demander que le titulaire ait un dépôt dans notre agglomération ?",
     "localisation-geographique"),
    ("Peut-on noter la proximité des fournisseurs ?", "localisation-geographique"),
    ("Quels risques si l'on exclut les produits qui proviennent de Turquie ?", "origine-pays-tiers"),
    ("Une préférence européenne dans nos achats de bus serait-elle légale ?", "origine-pays-tiers"),
    ("Puis-je imposer dans le CCTP un modèle précis de chaudière ?", "marque-sans-equivalent"),
])
def test_more_ways_buyers_ask(linter, question, rule):
    assert linter.asked(question) is not None and linter.asked(question).rule_id == rule, linter.asked_all(question)


def test_third_country_questions_keep_the_origin_rule_second(linter):
    question = "Puis-je refuser des fournisseurs chinois dans un marché de fournitures ?"
    assert [r.rule_id for r in linter.asked_all(question)][:1] == ["origine-pays-tiers"]


@pytest.mark.parametrize(("question", "stage"), [
    ("Pendant la préparation du dossier, puis-je sonder quelques entreprises du secteur ?", "preparation"),
    ("Peut-on imposer une condition de participation sur le siège social ?", "candidature"),
    ("Peut-on valoriser le bilan carbone du transport ?", "attribution-environnement"),
    ("Puis-je réserver des lots aux PME de la région ?", "allotissement"),
    ("Une clause d'insertion réservée aux habitants du quartier est-elle possible ?", "execution"),
    ("Puis-je demander une attestation délivrée par un organisme français ?", "justificatifs"),
    ("Peut-on imposer la norme NF pour les extincteurs ?", "specifications"),
    ("Peut-on confier ce lot de blanchisserie à un ESAT sans concurrence ?", "reservation"),
    ("Puis-je exiger que les sauvegardes soient hébergées en France ?", "localisation-des-moyens"),
    # L2112-4 names the means that maintain the products bought
    ("Puis-je exiger que le service après-vente des photocopieurs soit assuré depuis la France ?", "localisation-des-moyens"),
    ("Puis-je donner des points supplémentaires aux fournisseurs qui livrent en moins de 24 h ?", "criteres"),
])
def test_a_permission_question_names_the_stage_of_the_purchase(linter, question, stage):
    assert stage in [m.stage for m in linter.allowed_asked(question)]


def test_a_question_naming_no_stage_gets_none(linter):
    assert linter.allowed_asked("Peut-on exiger des chaises fabriquées en France ?") == []


@pytest.mark.parametrize("question", [
    "Un sourcing auprès de trois entreprises choisies par nous est-il régulier ?",
    "Est-il permis d'organiser des échanges préalables avec un seul fournisseur avant de rédiger le CCTP ?",
])
def test_sourcing_is_asked_about_as_its_own_rule(linter, question):
    assert linter.asked(question).rule_id == "sourcing-egalite"
    assert "R2111-1" in linter.asked(question).framing


def test_a_lawful_request_to_foreign_bidders_is_not_a_lawfulness_question(linter):
    assert linter.asked_all("Peut-on demander aux candidats étrangers une traduction de leurs pièces ?") == []
