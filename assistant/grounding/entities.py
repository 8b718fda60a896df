"""Entity care: passages about different organisations with similar names are never mixed.

Each passage is assigned the entities it speaks of (named in the passage or its section, or else
the only one its document names). A question naming one entity only gets passages that are not
about another; a question saying just « l'Alliance » gets one answer per entity found, each labelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.index.catalog import Catalog
from assistant.models import SearchHit
from assistant.text.normalize import fold, fold_apostrophes

ENTITIES_FILE = Path(__file__).with_name("entities.yaml")


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]
    pronoun: str | None = None  # « elle » or « il »: how a follow-up refers to it as its subject

    def named_in(self, folded_text: str) -> bool:
        return any(p.search(folded_text) for p in self.patterns)

    def name_in(self, question: str) -> str:
        """The question with its generic « Alliance » made this entity's name (« l'Alliance Industrie du Futur »)."""
        match = re.search(r"\balliances?\b", fold(question))  # fold() keeps lengths: positions match the original
        if not match:
            return question
        name = self.label[2:] if self.label.lower().startswith("l'") else self.label
        return f"{question[:match.start()]}{name}{question[match.end():]}"

    def strip_from(self, text: str) -> str:
        """The text with this entity's name reduced to « Alliance » (to find what others say)."""
        folded = fold_apostrophes(text)
        for pattern in self.patterns:
            match = pattern.search(folded)
            if match:  # fold() keeps lengths for French text, so positions match the original
                return f"{text[:match.start()]}Alliance{text[match.end():]}"
        return text


@dataclass(frozen=True)
class EntityConfig:
    entities: tuple[Entity, ...]
    generic: re.Pattern
    organisations: tuple[Entity, ...] = ()


def _alias_regex(alias: str) -> str:
    """Folded alias with any spacing and either apostrophe."""
    words = [re.escape(w) for w in fold_apostrophes(alias).split()]
    return r"\b" + r"\s+".join(words).replace("'", "['’]\\s*") + r"\b"


@lru_cache(maxsize=1)
def load_entities(path: Path = ENTITIES_FILE) -> EntityConfig:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entities = tuple(
        Entity(e["id"], e["label"], tuple(re.compile(_alias_regex(a)) for a in e["aliases"]), e.get("pronoun"))
        for e in data["entities"])
    organisations = tuple(
        Entity(o["id"], o["label"], tuple(re.compile(_alias_regex(a)) for a in o["aliases"]), o.get("pronoun"))
        for o in data.get("organisations", []))
    return EntityConfig(entities, re.compile(data["generic_mention"]), organisations)


@dataclass
class QuestionEntities:
    named: list[Entity]  # entities the question names explicitly
    ambiguous: bool  # « l'Alliance » without saying which one
    organisations: list[Entity] = field(default_factory=list)  # other organisations it names (CPME…)


def question_entities(question: str, config: EntityConfig | None = None) -> QuestionEntities:
    config = config or load_entities()
    folded = fold(question)
    named = [e for e in config.entities if e.named_in(folded)]
    organisations = [o for o in config.organisations if o.named_in(folded)]
    return QuestionEntities(named, not named and bool(config.generic.search(folded)), organisations)


class EntityTagger:
    """Which entities a passage is about; document-level results are cached per catalog generation."""

    def __init__(self, catalog: Catalog, config: EntityConfig | None = None):
        self.catalog = catalog
        self.config = config or load_entities()
        self._docs: dict[str, frozenset[str]] = {}
        self._generation = -1

    def document_entities(self, doc_id: str) -> frozenset[str]:
        generation = self.catalog.generation()
        if generation != self._generation:
            self._docs, self._generation = {}, generation
        if doc_id not in self._docs:
            doc = self.catalog.document(doc_id) or {}
            text = fold(" ".join([doc.get("title", "")] + [r["text"] for r in self.catalog.chunk_rows(doc_id)]))
            self._docs[doc_id] = frozenset(e.id for e in self.config.entities if e.named_in(text))
        return self._docs[doc_id]

    def passage_entities(self, hit: SearchHit) -> frozenset[str]:
        local = fold(f"{hit.locator} {hit.text}")
        named = frozenset(e.id for e in self.config.entities if e.named_in(local))
        if named:
            return named
        doc = self.document_entities(hit.doc_id)
        return doc if len(doc) == 1 else frozenset()

    def sentence_entities(self, hit: SearchHit, sentence: str) -> frozenset[str]:
        """The entities a sentence of the passage speaks of: those it names, else the part of the passage it is
        in (a heading naming one entity opens its part), else the passage's or its document's."""
        named = frozenset(e.id for e in self.config.entities if e.named_in(fold(sentence)))
        if named:
            return named
        tags = self.passage_entities(hit)
        if len(tags) < 2:
            return tags
        owners = frozenset(e for e in tags if sentence[:60] in self.view(hit, e).text)
        return owners or tags

    def view(self, hit: SearchHit, entity_id: str) -> SearchHit:
        """The passage restricted to its lines about `entity_id` (a passage about several entities).

        A heading-like line naming one entity opens its part; a line naming entities belongs to
        them; other lines belong to the part they are in, or to every entity before any part starts.
        Lines are kept verbatim, so quotes stay exact.
        """
        tags = self.passage_entities(hit)
        if len(tags) < 2:
            return hit
        kept, current = [], None
        for line in hit.text.split("\n"):
            folded = fold(line)
            named = {e.id for e in self.config.entities if e.named_in(folded)}
            stripped = line.strip().strip("#*").strip()
            if len(named) == 1 and len(stripped) < 120 and not stripped.endswith((".", ";")):
                current = next(iter(named))
            owners = named or ({current} if current else set())
            if not owners or entity_id in owners:
                kept.append(line)
        text = "\n".join(kept).strip()
        return hit.model_copy(update={"text": text}) if text else hit

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.config.entities if e.id == entity_id)
