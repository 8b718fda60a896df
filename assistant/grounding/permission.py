"""Which rule of equal treatment a buyer's question asks permission about, read two ways.

The linter's patterns name what a rule forbids the way texts and many buyers write it (« fabriqué en
France », « ou équivalent »). Buyers ask in many more words than patterns can list: a pattern written from
one wording misses the next one. So a question is also read by a small linear model over its embedding,
trained on examples of how buyers ask whether they may favour an origin, a locality, a brand… and of
questions that look alike but do not (a lawful permission, an organisation's proposals, a definition).
The examples are data (`permission_questions.yaml`). The model trained from them with the default embedder
ships beside them (`permission_model.npz`, with the embedder's id and the examples' hash; regenerate it with
`python -m assistant.grounding.permission` after changing the examples, a test fails until then). With another
embedder, or examples changed locally, the model is trained from the examples the first time a question is
read (their vectors cached like sentence vectors: a restart does not embed them again).

A rule is asked when its patterns match (as `Linter.asked_all` reads them) or when the model's probability
for it reaches `THRESHOLD`; the most serious rule first, in the order of lint_rules.yaml.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.grounding.lint import Linter, RuleQuestion
from assistant.text.normalize import fold_apostrophes, sha256_hex

EXAMPLES_PATH = Path(__file__).with_name("permission_questions.yaml")
MODEL_PATH = Path(__file__).with_name("permission_model.npz")
# Chosen by 5-fold cross-validation on the examples (885, a third of them look-alikes written to share the
# positives' words): the lowest threshold whose per-rule precision reaches 0.9 (0.91, recall 0.59, 5 of 358
# look-alikes flagged; at 0.5: 0.86 / 0.68 / 9). A rule read where none is asked opens an unrelated answer on
# « Non : … »; a rule missed leaves an ordinary cited answer. Word features beside the embedding and a stronger
# class balance were tried and found more look-alikes.
THRESHOLD = 0.7
QUESTION_NAMESPACE = "/question"
_L2 = 1e-2  # weight decay: tens of examples per rule, 384 dimensions
_STEPS = 600
_RATE = 2.0
_BALANCE = 0.5  # positives weighted by (negatives / positives) ** _BALANCE


def load_examples(path: Path = EXAMPLES_PATH) -> list[tuple[str, list[str]]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(item["q"]), [str(label) for label in item.get("labels") or []]) for item in raw]


def train(vectors: np.ndarray, targets: np.ndarray, l2: float = _L2, steps: int = _STEPS,
          rate: float = _RATE) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regressions by full-batch gradient descent: (weights dim×labels, biases).

    Each label's positives are weighted up (a rule has tens of examples among hundreds), part of the way to
    balancing its negatives. `vectors` are standardised by the caller."""
    n, dim = vectors.shape
    labels = targets.shape[1]
    weights, biases = np.zeros((dim, labels)), np.zeros(labels)
    positives = targets.sum(axis=0)
    balance = np.where(targets > 0, ((n - positives) / np.maximum(positives, 1)) ** _BALANCE, 1.0)
    balance /= balance.mean(axis=0)
    for _ in range(steps):
        probabilities = _sigmoid(vectors @ weights + biases)
        error = (probabilities - targets) * balance
        weights -= rate * (vectors.T @ error / n + l2 * weights)
        biases -= rate * error.mean(axis=0)
    return weights, biases


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


class PermissionReader:
    """`asked(question)`: the rules a permission question touches (patterns, then the model)."""

    def __init__(self, linter: Linter, index, examples_path: Path = EXAMPLES_PATH, threshold: float = THRESHOLD,
                 model_path: Path | None = MODEL_PATH):
        self.linter = linter
        self.index = index
        self.examples_path = examples_path
        self.model_path = model_path
        self.threshold = threshold
        self._model: _Model | None = None
        self._lock = threading.Lock()

    def _questions(self) -> dict[str, RuleQuestion]:
        return {rule.id: rule.question for rule in self.linter.rules.rules if rule.question is not None}

    def model(self) -> "_Model":
        """The model: the shipped one when it was trained from these examples with this embedder, else trained
        once per process from the examples."""
        with self._lock:
            if self._model is None:
                self._model = self._shipped() or self._trained()
            return self._model

    def _shipped(self) -> "_Model | None":
        if self.model_path is None or not self.model_path.exists():
            return None
        with np.load(self.model_path, allow_pickle=False) as data:
            if (str(data["embedder"]) != self.index.model_id or str(data["examples"]) != examples_hash(self.examples_path)
                    or list(data["rules"]) != list(self._questions())):
                return None
            return _Model([str(r) for r in data["rules"]], data["mean"], data["scale"], data["weights"], data["biases"])

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model trained from the examples (never the shipped one) to `path`."""
        model = self._trained()
        np.savez_compressed(path, embedder=self.index.model_id, examples=examples_hash(self.examples_path),
                            rules=np.array(model.rules), mean=model.mean, scale=model.scale,
                            weights=model.weights, biases=model.biases)

    def _trained(self) -> "_Model":
        rules = list(self._questions())
        examples = [(q, labels) for q, labels in load_examples(self.examples_path)
                    if all(label in rules for label in labels)]
        vectors = np.stack(self.index.question_vectors([_text(q) for q, _ in examples], QUESTION_NAMESPACE))
        targets = np.array([[label in labels for label in rules] for _, labels in examples], dtype=float)
        # e5 vectors all point the same way (cosines near 0.8): centred and scaled, the dimensions that tell
        # questions apart weigh.
        mean, scale = vectors.mean(axis=0), vectors.std(axis=0) + 1e-6
        return _Model(rules, mean, scale, *train((vectors - mean) / scale, targets))

    def probabilities(self, question: str) -> dict[str, float]:
        model = self.model()
        vector = (self.index.query_vector(_text(question)) - model.mean) / model.scale
        return dict(zip(model.rules, _sigmoid(vector @ model.weights + model.biases).tolist()))

    def asked(self, question: str, about_organisation: bool = False) -> list[RuleQuestion]:
        found = self.linter.asked_all(question, about_organisation)
        # The model reads what is asked about, not whether permission is asked: a question must still ask it.
        if not self.linter.asks_permission(question, about_organisation):
            return found
        learned = {rule for rule, p in self.probabilities(question).items() if p >= self.threshold}
        found_ids = {q.rule_id for q in found}
        return [q for rule, q in self._questions().items() if rule in found_ids or rule in learned]


@dataclass(frozen=True)
class _Model:
    rules: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    biases: np.ndarray


def examples_hash(path: Path = EXAMPLES_PATH) -> str:
    return sha256_hex(path.read_text(encoding="utf-8"))


def _text(question: str) -> str:
    return fold_apostrophes(" ".join(question.split()))


if __name__ == "__main__":  # python -m assistant.grounding.permission: retrain the shipped model
    import tempfile

    from assistant.config import Settings
    from assistant.index.store import IndexStore

    with tempfile.TemporaryDirectory() as tmp:
        store = IndexStore(Settings(data_dir=Path(tmp)))
        PermissionReader(Linter(), store).save()
        store.close()
    print(f"{MODEL_PATH} écrit.")
