"""Small models of how people ask, learned from written examples rather than listed as patterns.

A pattern written from one wording misses the next one; a linear model over the question's embedding,
trained on hundreds of examples of a class of questions and of look-alikes that are not, reads wordings
no one listed. Each model is data: a YAML file of examples (`- q: …` / `labels: […]`, `[]` for a
look-alike) written by helper sessions that saw only the corpus and the class's description, never the code
or the evaluation sets. The model trained from them with the default embedder ships beside them (`.npz`, with
the embedder's id and the examples' hash; `python -m assistant.grounding.shipped_models` retrains every
shipped model, and a test fails while one is stale). With another embedder, or examples changed locally, the
model is trained from the examples the first time it is asked (their vectors cached like sentence vectors:
a restart does not embed them again).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.text.normalize import fold_apostrophes, sha256_hex

QUESTION_NAMESPACE = "/question"
_L2 = 1e-2  # weight decay: tens of examples per label, 384 dimensions
_STEPS = 600
_RATE = 2.0
_BALANCE = 0.5  # positives weighted by (negatives / positives) ** _BALANCE


def load_examples(path: Path) -> list[tuple[str, list[str]]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(item["q"]), [str(label) for label in item.get("labels") or []]) for item in raw]


def examples_hash(path: Path) -> str:
    return sha256_hex(path.read_text(encoding="utf-8"))


def train(vectors: np.ndarray, targets: np.ndarray, l2: float = _L2, steps: int = _STEPS,
          rate: float = _RATE) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regressions by full-batch gradient descent: (weights dim×labels, biases).

    Each label's positives are weighted up (a label has tens of examples among hundreds), part of the way to
    balancing its negatives. `vectors` are standardised by the caller."""
    n, dim = vectors.shape
    labels = targets.shape[1]
    weights, biases = np.zeros((dim, labels)), np.zeros(labels)
    positives = targets.sum(axis=0)
    balance = np.where(targets > 0, ((n - positives) / np.maximum(positives, 1)) ** _BALANCE, 1.0)
    balance /= balance.mean(axis=0)
    for _ in range(steps):
        probabilities = sigmoid(vectors @ weights + biases)
        error = (probabilities - targets) * balance
        weights -= rate * (vectors.T @ error / n + l2 * weights)
        biases -= rate * error.mean(axis=0)
    return weights, biases


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class Weights:
    labels: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    biases: np.ndarray


class QuestionModel:
    """`probabilities(question)`: for each label, how likely the question is of it (one-vs-rest)."""

    def __init__(self, index, examples_path: Path, labels: list[str], model_path: Path | None):
        self.index = index
        self.examples_path = examples_path
        self.labels = list(labels)
        self.model_path = model_path
        self._weights: Weights | None = None
        self._lock = threading.Lock()

    def weights(self) -> Weights:
        """The shipped weights when they were trained from these examples with this embedder, else trained once
        per process from the examples."""
        with self._lock:
            if self._weights is None:
                self._weights = self.shipped() or self.trained()
            return self._weights

    def shipped(self) -> Weights | None:
        if self.model_path is None or not self.model_path.exists():
            return None
        with np.load(self.model_path, allow_pickle=False) as data:
            if (str(data["embedder"]) != self.index.model_id or str(data["examples"]) != examples_hash(self.examples_path)
                    or [str(label) for label in data["labels"]] != self.labels):
                return None
            return Weights(self.labels, data["mean"], data["scale"], data["weights"], data["biases"])

    def _examples(self) -> list[tuple[str, list[str]]]:
        return [(q, found) for q, found in load_examples(self.examples_path)
                if all(label in self.labels for label in found)]

    def example_vectors(self) -> np.ndarray:
        """The examples' question vectors (cached with the index's sentence vectors)."""
        return np.stack(self.index.question_vectors([_text(q) for q, _ in self._examples()], QUESTION_NAMESPACE))

    def read(self, vectors: np.ndarray, model: Weights | None = None) -> np.ndarray:
        """Probabilities of each label (columns) for raw question vectors (rows)."""
        model = model or self.weights()
        return sigmoid((vectors - model.mean) / model.scale @ model.weights + model.biases)

    def trained(self) -> Weights:
        examples = self._examples()
        vectors = self.example_vectors()
        targets = np.array([[label in found for label in self.labels] for _, found in examples], dtype=float)
        # e5 vectors all point the same way (cosines near 0.8): centred and scaled, the dimensions that tell
        # questions apart weigh.
        mean, scale = vectors.mean(axis=0), vectors.std(axis=0) + 1e-6
        return Weights(self.labels, mean, scale, *train((vectors - mean) / scale, targets))

    def save(self) -> None:
        """Write the weights trained from the examples (never the shipped ones) to `model_path`."""
        model = self.trained()
        np.savez_compressed(self.model_path, embedder=self.index.model_id, examples=examples_hash(self.examples_path),
                            labels=np.array(model.labels), mean=model.mean, scale=model.scale,
                            weights=model.weights, biases=model.biases)

    def probabilities(self, question: str) -> dict[str, float]:
        model = self.weights()
        return dict(zip(model.labels, self.read(self.index.query_vector(_text(question)), model).tolist()))


def _text(question: str) -> str:
    return fold_apostrophes(" ".join(question.split()))
