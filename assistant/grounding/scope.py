"""What the documents do not cover: subjects outside their scope and kinds of contract covered only in part.

Data staff maintain in scope.yaml; every engine reads it (the answer engine abstains, the brief engine
refuses a topic), so it belongs to the shared grounding layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.models import SearchHit
from assistant.text.normalize import fold_apostrophes

SCOPE_FILE = Path(__file__).with_name("scope.yaml")


@dataclass(frozen=True)
class OutOfScope:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]
    # A question that also speaks of public procurement (« candidat », « titulaire ») asks what the code
    # says about the subject (a candidate's taxes, a grouping's legal form): it stays answerable.
    unless: tuple[re.Pattern, ...] = ()

    def matches(self, folded_question: str) -> bool:
        return (any(_standalone(p, folded_question) for p in self.patterns)
                and not any(p.search(folded_question) for p in self.unless))


def _standalone(pattern: re.Pattern, text: str) -> bool:
    """Whether `pattern` matches in `text` other than as a piece of a hyphenated name: an acronym of the subject
    (a tax's) is another thing inside a name (« <SIGLE>-<SIGLE> », an organisation's)."""
    return any(not (text[max(0, m.start() - 1):m.start()] == "-" or text[m.end():m.end() + 1] == "-")
               for m in pattern.finditer(text))


@lru_cache(maxsize=4)
def _scope_data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=4)
def load_scope(path: Path = SCOPE_FILE) -> tuple[OutOfScope, ...]:
    data = _scope_data(path)
    return tuple(OutOfScope(s["id"], s["label"], tuple(re.compile(p) for p in s["patterns"]),
                            tuple(re.compile(p) for p in s.get("unless") or []))
                 for s in data.get("subjects", []))


@dataclass(frozen=True)
class ContractType:
    """A kind of contract the documents cover only in part: answered only from passages about it."""

    id: str
    label: str
    question: tuple[re.Pattern, ...]
    passage: tuple[re.Pattern, ...]

    @property
    def patterns(self) -> tuple[re.Pattern, ...]:
        """How questions name it (as entities' patterns: blanked out to find what is asked about it)."""
        return self.question

    def covers(self, hit: SearchHit) -> bool:
        text = fold_apostrophes(f"{hit.title} {hit.locator} {hit.text}")
        return any(p.search(text) for p in self.passage)


@lru_cache(maxsize=4)
def load_contract_types(path: Path = SCOPE_FILE) -> tuple[ContractType, ...]:
    data = _scope_data(path)
    return tuple(ContractType(c["id"], c["label"], tuple(re.compile(p) for p in c["question"]),
                              tuple(re.compile(p) for p in c["passage"])) for c in data.get("contract_types", []))


def contract_type(question: str) -> ContractType | None:
    """The partly covered kind of contract the question names (scope.yaml `contract_types`), if any."""
    folded = fold_apostrophes(question)
    return next((c for c in load_contract_types() if any(p.search(folded) for p in c.question)), None)


def out_of_scope_subject(question: str) -> OutOfScope | None:
    """The subject outside the documents' scope that the question is about (scope.yaml), if any."""
    folded = fold_apostrophes(question)
    return next((s for s in load_scope() if s.matches(folded)), None)
