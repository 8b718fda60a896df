"""The domain model: questions on the documents' subjects, whatever their words, and questions on others that
share those words (domain_questions.yaml)."""

from __future__ import annotations

import pytest

from assistant.grounding.domain import EXAMPLES_PATH, DomainReader
from assistant.grounding.domain import THRESHOLD as DOMAIN_THRESHOLD
from assistant.grounding.question_model import load_examples


def test_the_examples_teach_both_sides():
    examples = load_examples(EXAMPLES_PATH)
    inside = sum(bool(labels) for _, labels in examples)
    assert inside >= 150 and len(examples) - inside >= 150


@pytest.fixture(scope="module")
def reader(shared_index) -> DomainReader:
    return DomainReader(shared_index)


@pytest.mark.parametrize("question", [
    "Une collectivité peut-elle mettre fin à un contrat de fournitures avant son terme pour un motif d'intérêt général ?",
    "Quelles organisations ont fondé avec la CPME l'alliance pour le fabriqué en France ?",
])
def test_a_question_on_the_documents_subject_is_read_as_such(reader, question):
    assert reader.probability(question) >= DOMAIN_THRESHOLD


@pytest.mark.parametrize("question", [
    "Quel est le taux de rémunération du livret A cette année ?",
    "Combien de jours de congé payé un salarié acquiert-il par mois ?",
])
def test_a_question_on_another_subject_is_not(reader, question):
    assert reader.probability(question) < DOMAIN_THRESHOLD


def test_another_subject_is_still_refused_below_the_usual_similarity(shared_container):
    engine = shared_container.answers
    other = engine.ask("Quel est le taux d'intérêt du livret A ?")
    assert other.abstained
