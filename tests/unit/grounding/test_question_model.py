"""Models of how people ask, learned from examples (question_model.py): trained, shipped, kept current."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.grounding.question_model import QuestionModel, sigmoid, train
from assistant.grounding.shipped_models import shipped_models


def test_training_separates_what_it_is_shown():
    rng = np.random.default_rng(1)
    centre = rng.normal(size=16)
    positives = centre + 0.3 * rng.normal(size=(12, 16))
    negatives = -centre + 0.3 * rng.normal(size=(60, 16))
    vectors = np.vstack([positives, negatives])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    targets = np.array([[1.0]] * 12 + [[0.0]] * 60)
    weights, biases = train(vectors, targets)
    probabilities = sigmoid(vectors @ weights + biases)[:, 0]
    # Balanced: a minority class is still found (12 among 72), and the majority is not flagged.
    assert (probabilities[:12] >= 0.5).all() and (probabilities[12:] < 0.5).all()



@pytest.fixture(scope="module")
def models(shared_index) -> list[QuestionModel]:
    return shipped_models(shared_index)


def test_the_shipped_models_are_the_ones_their_examples_train(models):
    """After examples change, `python -m assistant.grounding.shipped_models` must be run: a stale shipped model is
    ignored (and retrained at the first question of every new data directory)."""
    for model in models:
        shipped = model.shipped()
        assert shipped is not None, f"{model.model_path.name} périmé : lancer python -m assistant.grounding.shipped_models"
        trained = model.trained()
        assert shipped.labels == trained.labels
        # Compared by what they decide on the examples: the embedder's arithmetic differs slightly between
        # processors, and 600 steps of training carry that into the weights (about 1e-2 of them, 0.02 of a
        # probability at most).
        vectors = model.example_vectors()
        assert np.abs(model.read(vectors, shipped) - model.read(vectors, trained)).max() < 0.05


def test_without_a_shipped_model_the_examples_are_embedded_once(shared_index, models, monkeypatch):
    model = models[0]
    QuestionModel(shared_index, model.examples_path, model.labels, None).weights()
    calls = []
    original = shared_index.embedder.embed_query
    monkeypatch.setattr(shared_index.embedder, "embed_query", lambda text: calls.append(text) or original(text))
    restarted = QuestionModel(shared_index, model.examples_path, model.labels, None)
    restarted.weights()  # a restart: the vectors come from the cache
    assert calls == []
    question = "Une question qui n'a jamais été posée ?"
    assert set(restarted.probabilities(question)) == set(model.labels)
