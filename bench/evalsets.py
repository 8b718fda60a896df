"""Reading the evaluation sets of bench/eval/.

The sets must not carry sentences of the shared corpus (../shared is not ours to copy), yet many items are built on
the corpus's own words: a quotation to check, a sentence with one figure changed, a question asked in the law's terms.
Those runs of words are stored as references, ``⟦path@start+length⟧`` (characters of a file under
``../shared/corpus``), and put back when a set is read, so every bench and test sees the text as it was written:
line breaks inside the run read as one space, ``|s`` marks a run written with straight apostrophes, and
``|eOFFSET,REMOVED,INSERTED;…`` the few characters the set writes otherwise (a capital, a comma, an accent).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # ../shared, beside the repository
EVAL = Path(__file__).with_name("eval")
CORPUS = SHARED / "corpus"
REFERENCE = re.compile(r"⟦([^@⟧]+)@(\d+)\+(\d+)(\|s)?(?:\|e([^⟧]+))?⟧")
_STRAIGHT = str.maketrans({"’": "'", "‘": "'"})


class MissingCorpus(RuntimeError):
    """An evaluation set refers to the shared corpus, which is not beside the repository."""


@cache
def _corpus_text(corpus: Path, relative: str) -> str:
    path = corpus / relative
    if not path.is_file():
        raise MissingCorpus(f"corpus partagé introuvable : {path}")
    return path.read_text(encoding="utf-8")


def _words(corpus: Path, match: re.Match) -> str:
    start = int(match.group(2))
    words = re.sub(r"\s+", " ", _corpus_text(corpus, match.group(1))[start:start + int(match.group(3))])
    words = words.translate(_STRAIGHT) if match.group(4) else words
    if match.group(5):  # where the set writes the run otherwise: a capital, a comma, an accent
        for edit in reversed(match.group(5).split(";")):
            at, removed, inserted = edit.split(",", 2)
            words = words[:int(at)] + unquote(inserted) + words[int(at) + int(removed):]
    return words


def resolve(value: Any, corpus: Path = CORPUS) -> Any:
    """The value with every corpus reference replaced by the words it points to (lists and mappings walked)."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: _words(corpus, m), value)
    if isinstance(value, list):
        return [resolve(v, corpus) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, corpus) for k, v in value.items()}
    return value


def read(name: str | Path, corpus: Path = CORPUS) -> Any:
    """One set of bench/eval (a file name or a path), references resolved."""
    path = Path(name) if isinstance(name, Path) or "/" in str(name) else EVAL / name
    return resolve(yaml.safe_load(path.read_text(encoding="utf-8")), corpus)
