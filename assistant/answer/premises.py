"""False premises: the answer corrects the question instead of answering it as asked.

Three checks, all generic except the first, whose data staff maintain:
- known misconceptions (premises.yaml), corrected with passages found for their query/articles;
- numbers in the question that none of the retrieved passages contain (« fixé à 40 000 euros »);
- facts attributed to one entity that the documents give for another (« créée en 2015 »).
The corrections' facts always come from cited passages; only the framing sentence is fixed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.answer.entities import Entity, EntityTagger, load_entities
from assistant.answer.verify import facts
from assistant.models import SearchHit
from assistant.textutil import fold

PREMISES_FILE = Path(__file__).with_name("premises.yaml")
SCOPE_FILE = Path(__file__).with_name("scope.yaml")
_NUMBER_SURFACE = re.compile(r"(?<![\w-])\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:\s?(?:%|euros?|€|ans?|mois|jours?))?")
# Capitalised words that are not names of people or organisations.
_COMMON_CAPITALS = {"quel", "quelle", "quels", "quelles", "pourquoi", "comment", "combien", "qui", "que", "quand",
                    "ou", "le", "la", "les", "un", "une", "d'apres", "selon", "puisque", "depuis", "alliance",
                    "france", "code", "etat", "et", "est", "dans", "pour", "en"}


@dataclass(frozen=True)
class Misconception:
    id: str
    patterns: tuple[re.Pattern, ...]
    message: str
    query: str
    articles: tuple[str, ...]


@lru_cache(maxsize=1)
def load_misconceptions(path: Path = PREMISES_FILE) -> tuple[Misconception, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Misconception(m["id"], tuple(re.compile(p) for p in m["patterns"]), m["message"], m["query"],
                               tuple(m.get("articles") or [])) for m in data["misconceptions"])


@dataclass(frozen=True)
class OutOfScope:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]
    # A question that also speaks of public procurement (« candidat », « titulaire ») asks what the code
    # says about the subject (a candidate's taxes, a grouping's legal form): it stays answerable.
    unless: tuple[re.Pattern, ...] = ()

    def matches(self, folded_question: str) -> bool:
        return (any(p.search(folded_question) for p in self.patterns)
                and not any(p.search(folded_question) for p in self.unless))


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
        text = fold(f"{hit.title} {hit.locator} {hit.text}").replace("’", "'")
        return any(p.search(text) for p in self.passage)


@lru_cache(maxsize=4)
def load_contract_types(path: Path = SCOPE_FILE) -> tuple[ContractType, ...]:
    data = _scope_data(path)
    return tuple(ContractType(c["id"], c["label"], tuple(re.compile(p) for p in c["question"]),
                              tuple(re.compile(p) for p in c["passage"])) for c in data.get("contract_types", []))


def contract_type(question: str) -> ContractType | None:
    """The partly covered kind of contract the question names (scope.yaml `contract_types`), if any."""
    folded = fold(question).replace("’", "'")
    return next((c for c in load_contract_types() if any(p.search(folded) for p in c.question)), None)


def out_of_scope_subject(question: str) -> OutOfScope | None:
    """The subject outside the documents' scope that the question is about (scope.yaml), if any."""
    folded = fold(question).replace("’", "'")
    return next((s for s in load_scope() if s.matches(folded)), None)


def match_misconception(question: str) -> Misconception | None:
    folded = fold(question).replace("’", "'")
    return next((m for m in load_misconceptions() if any(p.search(folded) for p in m.patterns)), None)


@dataclass
class PremiseFinding:
    kind: str  # misconception | number | entity
    message: str  # French framing sentence shown before the cited correction
    misconception: Misconception | None = None
    details: list[str] = field(default_factory=list)


def unsupported_numbers(question: str, hits: list[SearchHit]) -> list[str]:
    """Numbers written in the question (as written) that no retrieved passage contains (with its document's
    title and section: « le plan 2015-2020 » names its years in its title only)."""
    found = set().union(*(facts(f"{h.title}\n{h.locator}\n{h.text}") for h in hits)) if hits else set()
    out = []
    for match in _NUMBER_SURFACE.finditer(question):
        surface = match.group(0).strip()
        if facts(surface) and not facts(surface) <= found:
            out.append(surface)
    return out


def numbered_names(question: str, numbers: list[str]) -> list[str]:
    """Of `numbers`, those that belong to a name in capitals in the question (« ISO 9001 », « NF EN 13432 »),
    written with it: a name to look for, not a premise to correct."""
    found = (re.search(rf"\b(?:[A-Z]{{2,}}\s+)+{re.escape(n)}\b", question) for n in numbers)
    return [m.group(0) for m in found if m]


def _names(question: str) -> list[str]:
    """Capitalised words of the question (people, places, organisations), folded."""
    words = re.findall(r"(?<![\w'’])([A-ZÉÈÀÂÎÔÛÇ][\w'’-]+)", question)
    return [fold(w) for w in words if fold(w) not in _COMMON_CAPITALS and len(w) > 2]


def entity_conflicts(question: str, named: list[Entity], hits: list[SearchHit],
                     tagger: EntityTagger) -> tuple[Entity, list[str]] | None:
    """A fact of the question found only in passages of another entity than the one it names."""
    if len(named) != 1:
        return None
    own = named[0]
    texts_own, texts_other = [], {}
    for hit in hits:
        tags = tagger.passage_entities(hit)
        if own.id in tags:
            # A comparison note names both: only its lines about the one asked about speak for it, and its
            # table rows (one column per organisation) speak for neither.
            view = tagger.view(hit, own.id).text
            if len(tags) > 1:
                view = "\n".join(line for line in view.split("\n") if not line.lstrip().startswith("|"))
            texts_own.append(view)
        for other in tags - {own.id}:
            texts_other.setdefault(other, []).append(hit.text)
    alias_words = {w for e in tagger.config.entities for w in fold(e.label).replace("'", " ").split()}
    q_facts = {f for f in facts(question) if not re.match(r"[LRD]\d", f)}
    own_facts = set().union(*(facts(t) for t in texts_own)) if texts_own else set()
    own_folded = fold(" ".join(texts_own))
    for other_id, texts in texts_other.items():
        other_facts = set().union(*(facts(t) for t in texts))
        other_folded = fold(" ".join(texts))
        conflicts = sorted(f for f in q_facts if f in other_facts and f not in own_facts)
        conflicts += [n for n in _names(question) if n not in alias_words and n in other_folded and n not in own_folded]
        if conflicts:
            return tagger.entity(other_id), conflicts
    return None
