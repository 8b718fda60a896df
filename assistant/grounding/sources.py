"""Which kind of source a question asks for (case law, another CCAG, an official form, an administration's
guidance), read by a model of how people ask (question_model.py) learned from `source_questions.yaml`:
questions asking for each kind, named or described (by who decides or issues it, not by its title), and look-alikes
that ask what the law says. The inventory then checks whether the index holds that kind (inventory.yaml).
"""

from __future__ import annotations

from pathlib import Path

from assistant.grounding.inventory import load_kinds
from assistant.grounding.question_model import QuestionModel

EXAMPLES_PATH = Path(__file__).with_name("source_questions.yaml")
MODEL_PATH = Path(__file__).with_name("source_model.npz")
# 5-fold cross-validation on the examples: per kind, precision 0.97 and recall 0.67 at 0.8, 4 of 278 look-alikes
# flagged (0.90 / 0.84 / 12 at 0.5). A kind read where none is asked refuses a question the documents answer.
# With the look-alikes on disputes (a court named in a question on deadlines or procedure, 529 examples): 0.97 / 0.67,
# 4 of 323 at 0.8 (0.90 / 0.83 / 15 at 0.5).
THRESHOLD = 0.8


class SourceReader:
    def __init__(self, index, examples_path: Path = EXAMPLES_PATH, model_path: Path | None = MODEL_PATH,
                 threshold: float = THRESHOLD):
        self.threshold = threshold
        self.model = QuestionModel(index, examples_path, [k.id for k in load_kinds()], model_path)
        self.followed = {k.id for k in load_kinds() if k.acted_on}

    def probabilities(self, question: str) -> dict[str, float]:
        return self.model.probabilities(question)

    def asked(self, question: str) -> list[str]:
        """The kinds of sources the question asks for (ids of inventory.yaml `kinds`)."""
        return [kind for kind, p in self.probabilities(question).items() if p >= self.threshold and kind in self.followed]
