"""False premises: the answer corrects the question instead of answering it as asked.

Three checks, all generic except the first, whose data staff maintain:
- known misconceptions (premises.yaml), corrected with passages found for their query/articles;
- numbers in the question that none of the retrieved passages contain (an amount stated as the rule);
- facts attributed to one entity that the documents give for another (one organisation's founding year).
The corrections' facts always come from cited passages; only the framing sentence is fixed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.grounding.entities import Entity, EntityTagger
from assistant.grounding.verify import facts
from assistant.models import SearchHit
from assistant.text.normalize import fold, fold_apostrophes
from assistant.text.numbers import NUMBER_PATTERN

PREMISES_FILE = Path(__file__).with_name("premises.yaml")
_NUMBER_SURFACE = re.compile(r"(?<![\w-])" + NUMBER_PATTERN + r"(?:\s?(?:%|euros?|€|ans?|mois|jours?))?")
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


def match_misconception(question: str) -> Misconception | None:
    folded = fold_apostrophes(question)
    return next((m for m in load_misconceptions() if any(p.search(folded) for p in m.patterns)), None)


def unsupported_numbers(question: str, hits: list[SearchHit]) -> list[str]:
    """Numbers written in the question (as written) that no retrieved passage contains (with its document's
    title and section: a plan named by its years, « AAAA-AAAA », gives them in its title only)."""
    found = set().union(*(facts(f"{h.title}\n{h.locator}\n{h.text}") for h in hits)) if hits else set()
    return [surface for surface in numbers_in(question) if not facts(surface) <= found]


def numbers_in(question: str) -> list[str]:
    """The numbers a question writes (amounts, years, durations…), as written."""
    return [surface for m in _NUMBER_SURFACE.finditer(question) if facts(surface := m.group(0).strip())]


def numbered_names(question: str, numbers: list[str]) -> list[str]:
    """Of `numbers`, those that belong to a name in capitals in the question (« ISO 14001 », « NF EN 13432 »),
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
