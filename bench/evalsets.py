"""Reading the evaluation sets of bench/eval/.

The sets must not carry sentences of the shared corpus (../shared is not ours to copy), yet many items are built on
the corpus's own words: a quotation to check, a sentence with one figure changed, a question asked in the law's terms.
Those runs of words are stored as references, ``⟦path@start+length⟧`` (characters of a file under
``../shared/corpus``), and put back when a set is read, so every bench and test sees the full text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # ../shared, beside the repository
EVAL = Path(__file__).with_name("eval")
CORPUS = SHARED / "corpus"
REFERENCE = re.compile(r"⟦([^@⟧]+)@(\d+)\+(\d+)⟧")


class MissingCorpus(RuntimeError):
    """An evaluation set refers to the shared corpus, which is not beside the repository."""


@cache
def _corpus_text(corpus: Path, relative: str) -> str:
    path = corpus / relative
    if not path.is_file():
        raise MissingCorpus(f"corpus partagé introuvable : {path}")
    return path.read_text(encoding="utf-8")


def resolve(value: Any, corpus: Path = CORPUS) -> Any:
    """The value with every corpus reference replaced by the words it points to (lists and mappings walked)."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: _corpus_text(corpus, m.group(1))[int(m.group(2)):int(m.group(2)) + int(m.group(3))],
                             value)
    if isinstance(value, list):
        return [resolve(v, corpus) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, corpus) for k, v in value.items()}
    return value


def read(name: str | Path, corpus: Path = CORPUS) -> Any:
    """One set of bench/eval (a file name or a path), references resolved."""
    path = Path(name) if isinstance(name, Path) or "/" in str(name) else EVAL / name
    return resolve(yaml.safe_load(path.read_text(encoding="utf-8")), corpus)
