"""What the index holds: a question naming a document or an article the corpus lacks is told so, never answered
from another document."""

from __future__ import annotations

import pytest

from assistant.grounding.inventory import Inventory, load_inventory


@pytest.fixture(scope="module")
def inventory(shared_index) -> Inventory:
    return Inventory(shared_index)


@pytest.mark.parametrize(("question", "missing"), [
    ("Quelles pénalités de retard prévoit le CCAG Travaux ?", "le CCAG Travaux"),
    ("Le CCAG-PI règle-t-il la cession des droits d'auteur ?", "le CCAG PI"),
    ("Quelles pièces joindre au formulaire DC4 ?", "le formulaire DC4"),
    ("Que dit la jurisprudence du Conseil d'État sur les variantes ?", "de jurisprudence"),
    ("Quelle position l'Autorité de la concurrence a-t-elle prise sur les lots ?", "de jurisprudence"),
    ("Que prévoit l'article 27 du CCAG-FCS sur la réception ?", "l'article 27 du CCAG Fournitures courantes et services"),
    ("Que dit l'article R2162-57 ?", "l'article R2162-57"),  # the one article the shared corpus lacks
    ("Que recommande la fiche technique de la DAJ sur les critères ?", "la fiche technique de la DAJ"),
    ("Que prévoit la circulaire du 3 mai 2011 sur les achats ?", "la circulaire du 3 mai 2011"),
    ("Peux-tu me donner la convention type avec le centre de formation ?", "la convention type"),
    ("Que fixe l'arrêté du 9 juin 2020 relatif aux avis ?", "l'arrêté du 9 juin 2020"),
    # an implementing text named by its year, subject, author or the article providing for it, read as the source
    ("Selon le décret de 2019 sur la facturation électronique, quel format retenir ?",
     "le décret de 2019 sur la facturation électronique"),
    ("Quels montants retient l'arrêté prévu à l'article R2196-1 ?", "l'arrêté prévu à l'article R2196-1"),
    ("Que prévoit la circulaire relative à l'achat public durable pour les véhicules ?",
     "la circulaire relative à l'achat public durable"),
    ("Quel plafond le décret de 2010 fixe-t-il pour les petits achats ?", "le décret de 2010"),
    # named in pieces: the author, then « son guide »
    ("Quelles clauses la DAJ propose-t-elle dans son guide sur l'achat de véhicules ?", "le document « guide de la DAJ »"),
])
def test_a_named_document_or_article_the_index_lacks_is_reported(inventory, question, missing):
    reason = inventory.missing(question)
    assert reason is not None and f"ne contiennent pas {missing}" in reason
    assert "texte juridique (commande publique)" in reason  # and says what is indexed instead


@pytest.mark.parametrize("question", [
    "Que dit l'article 6 du CCAG ?",  # chapter 1 of the CCAG-FCS is indexed
    "Le CCAG FCS s'applique-t-il à des travaux ?",  # names the indexed CCAG, then a word of another
    "Que dit l'article R2122-8 ?",
    "Quel est le délai de paiement des collectivités ?",
    # a court named in a question on the law's deadlines or procedure, not on its decisions
    "Quel délai pour saisir le tribunal administratif après le rejet de mon offre ?",
    # the Code's own words that a text sets a value: asked of the Code, not of that text
    "Les données essentielles sont-elles fixées par arrêté ?",
    "Le seuil est-il fixé par le décret ?",
])
def test_what_the_index_holds_is_not_reported(inventory, question):
    assert inventory.missing(question) is None


def test_the_kinds_of_named_documents_are_data():
    assert {d.id for d in load_inventory()} == {"ccag", "formulaire", "jurisprudence", "document-officiel",
                                                  "texte-d-application", "document-officiel-possessif"}


def test_the_answer_refuses_with_the_missing_document(shared_container):
    answer = shared_container.answers.ask("Quel est le plafond des pénalités dans le CCAG Travaux ?")
    assert answer.abstained and "CCAG Travaux" in answer.reason and not answer.citations


@pytest.mark.parametrize(("question", "named"), [
    ("Quelles propositions avance le rapport sénatorial de mars 2024 sur les circuits courts ?",
     "le rapport sénatorial de mars 2024"),
    ("Que préconise le guide de l'ADEME pour l'achat de véhicules ?", "le guide de l'ADEME"),
    ("Quels sont les enseignements du baromètre annuel des achats responsables ?",
     "le baromètre annuel des achats responsables"),
])
def test_the_content_of_a_publication_the_index_lacks_is_told_missing(inventory, question, named):
    assert inventory.publication_not_held(question) == named


@pytest.mark.parametrize("question", [
    "Que recommande le guide pratique pour des achats numériques responsables sur le réemploi ?",  # a title, cut
    "Quel indice le guide recommande-t-il de prendre en compte ?",  # « le guide » alone: whichever is indexed
    "Selon le rapport sénatorial de mars 2024, combien de contrôles ont lieu ?",  # a figure, which the press quotes
    "Que doit contenir l'avis de marché ?",  # a notice of the Code, not a publication
])
def test_a_publication_held_or_not_asked_as_a_whole_is_not_reported(inventory, question):
    assert inventory.publication_not_held(question) is None


def test_the_answer_keeps_what_the_passages_say_of_a_publication_it_lacks(shared_container):
    answer = shared_container.answers.ask("Quelles recommandations contient le rapport parlementaire de décembre 2025 "
                                          "sur les produits importés ?")
    assert answer.status == "partial" and "publication-absente:partial" in answer.guards
    assert "ne contiennent pas le rapport parlementaire de décembre 2025" in answer.missing[0]
