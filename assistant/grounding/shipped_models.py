"""The question models that ship trained (question_model.py): the tests and the retraining command walk them.

`python -m assistant.grounding.shipped_models` retrains each from its examples with the default embedder.
"""

from __future__ import annotations

from pathlib import Path

from assistant.grounding.domain import DomainReader
from assistant.grounding.lint import Linter
from assistant.grounding.permission import PermissionReader
from assistant.grounding.question_model import QuestionModel
from assistant.grounding.sources import SourceReader


def shipped_models(index) -> list[QuestionModel]:
    return [PermissionReader(Linter(), index).model, DomainReader(index).model, SourceReader(index).model]


if __name__ == "__main__":
    import tempfile

    from assistant.config import Settings
    from assistant.index.store import IndexStore

    with tempfile.TemporaryDirectory() as tmp:
        store = IndexStore(Settings(data_dir=Path(tmp)))
        for model in shipped_models(store):
            model.save()
            print(f"{model.model_path} écrit.")
        store.close()
