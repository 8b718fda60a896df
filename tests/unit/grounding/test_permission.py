"""The permission reader: which equal-treatment rule a question asks about, by the patterns or by the model of
how buyers ask (trained from permission_questions.yaml with the index's embedder)."""

from __future__ import annotations

import pytest

from assistant.grounding.lint import Linter
from assistant.grounding.permission import EXAMPLES_PATH, PermissionReader
from assistant.grounding.question_model import load_examples


def test_every_example_label_is_a_rule_a_question_can_ask_about():
    rules = {rule.id for rule in Linter().rules.rules if rule.question is not None}
    examples = load_examples(EXAMPLES_PATH)
    assert len(examples) >= 300
    labels = [label for _, found in examples for label in found]
    assert set(labels) <= rules
    # Every rule is taught by tens of examples, and so is « none of them ».
    assert all(labels.count(rule) >= 20 for rule in rules), {rule: labels.count(rule) for rule in rules}
    assert sum(not found for _, found in examples) >= 100


@pytest.fixture(scope="module")
def reader(shared_index) -> PermissionReader:
    return PermissionReader(Linter(), shared_index)


# Worded unlike the rules' patterns (checked below), as buyers write: the model reads them.
@pytest.mark.parametrize(("question", "rule"), [
    ("Le conseil départemental souhaite que les bancs du parc soient produits sur le territoire national, est-ce "
     "jouable ?", "origine-nationale"),
    ("Est-il possible de ne retenir que des fournisseurs ayant la certification ISO 14001, sans autre preuve ?",
     "norme-label-sans-equivalent"),
    ("Avant de lancer l'appel d'offres, puis-je inviter deux fabricants à m'aider à écrire le cahier des charges ?",
     "sourcing-egalite"),
])
def test_a_question_worded_unlike_the_patterns_is_read_by_the_model(reader, question, rule):
    assert reader.linter.asked_all(question) == []  # the patterns miss it
    assert rule in [r.rule_id for r in reader.asked(question)], reader.probabilities(question)


def test_a_rule_about_one_stage_is_read_by_the_model_only_in_a_question_on_that_stage(reader):
    stages = {means.stage for means in reader.linter.rules.allowed}
    staged = {rule: q.stage for rule, q in reader.questions.items() if q.stage}
    assert staged and set(staged.values()) <= stages
    # Steps of a procedure after its preparation, asked in the words of a consultation and a holder: not sourcing.
    for question in ("La consultation terminée, dois-je informer les entreprises non retenues avant de signer ?",
                     "Dois-je remettre gratuitement le dossier de consultation aux entreprises intéressées ?",
                     "Le marché initial a été mis en concurrence il y a deux ans : pouvons-nous conclure un nouveau marché "
                     "de prestations similaires avec son titulaire ?"):
        assert "sourcing-egalite" not in [r.rule_id for r in reader.asked(question)], reader.probabilities(question)


@pytest.mark.parametrize("question", [
    "Peut-on prolonger de six mois un marché de maintenance des ascenseurs ?",
    "Combien d'emplois l'Alliance attribue-t-elle à un million d'euros d'achats ?",
    "Qu'est-ce que la préférence donnée aux offres variantes ?",
    "Une entreprise condamnée pour corruption est-elle exclue des marchés publics ?",  # excluded, but not for origin
])
def test_a_question_of_another_kind_touches_no_rule(reader, question):
    assert reader.asked(question) == [], reader.probabilities(question)


def test_the_patterns_still_decide_alone_when_they_match(reader):
    question = "Ai-je le droit d'imposer des meubles fabriqués en France dans mon marché ?"
    assert [r.rule_id for r in reader.asked(question)][:1] == ["origine-nationale"]
    # France named by its metonym
    hexagon = "Le département veut des bancs fabriqués dans l'Hexagone, est-ce jouable ?"
    assert [r.rule_id for r in reader.linter.asked_all(hexagon)][:1] == ["origine-nationale"]


def test_a_question_about_an_organisation_needs_a_purchase_to_be_read_by_the_model(reader):
    question = "Comment l'Alliance veut-elle que l'on achète davantage français ?"
    assert reader.asked(question, about_organisation=True) == []


@pytest.mark.parametrize("question", [
    "Pour le mobilier de la médiathèque, on ne prend que des chaises assemblées dans le département, ça passe ?",
    "Dois-je écarter une offre parce que les pièces viennent d'Asie ?",
    "On note la distance entre l'atelier du candidat et la mairie, ok ou pas ?",
    "Je garde la marque de nos photocopieurs dans le descriptif, non ?",
    # whether a plan holds up, or how to write what is wanted
    "Je compte noter l'ancrage territorial du candidat sur 20 points. C'est juridiquement tenable ?",
    "Nous avons repris la fiche d'un fabricant pour le CCTP : on s'expose à quelque chose ?",
    "Les élus veulent des jouets fabriqués en France pour la crèche : comment le rédiger ?",
    # a named guide as the source, the buyer asking what they may do
    "Selon le guide, puis-je exiger une marque de photocopieurs ?",
])
def test_approval_and_obligation_asked_informally_are_permission_questions(reader, question):
    # The ways buyers ask whether something is allowed or required beyond « puis-je » and « est-il légal ».
    assert reader.linter.asks_permission(question)


@pytest.mark.parametrize("question", [
    "Quel est le montant des achats publics en France ?",
    "Comment la CPME finance-t-elle l'Alliance ?",
    "Quels sont les délais de paiement d'une commune ?",
    # what a named guide or report says, though its words are a rule's (« doivent-elles »)
    "Combien de temps les écrans doivent-ils rester réparables, d'après le guide des achats responsables ?",
    "Selon le rapport, quelles entreprises faut-il privilégier ?",
])
def test_a_plain_question_asks_no_permission(reader, question):
    assert not reader.linter.asks_permission(question)
