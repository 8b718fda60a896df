"""Kinds of sources a question asks for without naming a document (sources.py), checked against the catalog."""

from __future__ import annotations

import pytest

from assistant.grounding.inventory import Inventory, load_kinds
from assistant.grounding.question_model import load_examples
from assistant.grounding.sources import EXAMPLES_PATH, SourceReader


def test_every_example_label_is_a_kind_of_the_inventory():
    kinds = {k.id for k in load_kinds()}
    labels = [label for _, found in load_examples(EXAMPLES_PATH) for label in found]
    assert set(labels) == kinds
    assert all(labels.count(kind) >= 30 for kind in kinds)


@pytest.fixture(scope="module")
def reader(shared_index) -> SourceReader:
    return SourceReader(shared_index)


@pytest.mark.parametrize(("question", "kind"), [
    ("Les magistrats administratifs ont-ils déjà cassé un appel d'offres pour un critère mal pondéré ?",
     "jurisprudence"),
    ("Dans le cahier des clauses générales applicable aux chantiers de bâtiment, quel est le délai de réception ?",
     "autre-ccag"),
])
def test_a_kind_described_without_its_name_is_read(reader, question, kind):
    assert kind in reader.asked(question), reader.probabilities(question)


@pytest.mark.parametrize("question", [
    "Quel délai de paiement s'applique aux collectivités territoriales ?",
    "Quelles pénalités de retard prévoit le CCAG Fournitures courantes et services ?",
    "Comment l'acheteur juge-t-il qu'une offre est anormalement basse ?",
])
def test_a_question_on_what_the_documents_hold_asks_for_no_other_kind(reader, question):
    assert reader.asked(question) == [], reader.probabilities(question)


def test_a_kind_the_model_learns_but_is_not_followed_is_never_asked(reader):
    ignored = {k.id for k in load_kinds() if not k.acted_on}
    assert ignored and not ignored & reader.followed


def test_the_inventory_says_which_kind_is_missing_and_what_is_held(shared_index):
    inventory = Inventory(shared_index)
    reason = inventory.missing_kinds(["jurisprudence"])
    assert reason.startswith("les documents indexés ne contiennent pas de jurisprudence") and "ils comprennent" in reason
    assert "autre CCAG" in inventory.missing_kinds(["autre-ccag"])  # only the CCAG FCS is indexed
    assert inventory.missing_kinds([]) is None


def test_a_question_asking_for_case_law_is_refused_saying_so(shared_container):
    answer = shared_container.answers.ask("Les juges ont-ils déjà annulé un marché parce que l'acheteur avait "
                                          "exclu une entreprise sans l'entendre ?")
    assert answer.status == "refused" and "inventaire:refuse" in answer.guards
    assert answer.reason.startswith("les documents indexés ne contiennent pas de jurisprudence"), answer.reason
