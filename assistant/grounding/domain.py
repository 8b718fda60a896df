"""Whether a question is about what the documents cover (public procurement, the Alliance and made in France),
read by a model of how people ask (question_model.py) learned from `domain_questions.yaml`: questions on
those subjects, whether or not the documents hold the answer, and questions close in words that are not (tax,
labour law, a named company's figures, the economy, other countries' law).

It does not decide that a question is answered: the relevance test does. It tells a near miss of that test
on the documents' own subject (a rare provision worded otherwise than the law) from a question about
something else that shares their words.
"""

from __future__ import annotations

from pathlib import Path

from assistant.grounding.question_model import QuestionModel

EXAMPLES_PATH = Path(__file__).with_name("domain_questions.yaml")
MODEL_PATH = Path(__file__).with_name("domain_model.npz")
LABEL = "domaine"
# 0.7 reads 81 % of the examples on the documents' subjects as such and 24 of 222 look-alikes on others
# (5-fold cross-validation on the examples).
THRESHOLD = 0.7


class DomainReader:
    def __init__(self, index, examples_path: Path = EXAMPLES_PATH, model_path: Path | None = MODEL_PATH):
        self.model = QuestionModel(index, examples_path, [LABEL], model_path)

    def probability(self, question: str) -> float:
        return self.model.probabilities(question)[LABEL]

    def reads(self, question: str) -> bool:
        """Whether the question is on the documents' subjects."""
        return self.probability(question) >= THRESHOLD
