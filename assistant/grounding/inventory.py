"""What the index holds: documents a question asks for by name, and articles it cites, checked against the catalog.

A question on the CCAG Travaux, the DC1 form, a court decision or an article the corpus lacks cannot be
answered from the passages of other documents (another CCAG's rules, another article's threshold): the
answer says what is missing and what is indexed instead. The kinds of named documents are data
(inventory.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.index.lexical import FrenchAnalyzer, cited_articles
from assistant.models import DOC_TYPE_LABELS
from assistant.text.normalize import fold, fold_apostrophes

INVENTORY_FILE = Path(__file__).with_name("inventory.yaml")


@dataclass(frozen=True)
class NamedDocument:
    id: str
    what: str  # « le CCAG {name} », completed with the name as the question wrote it
    pattern: re.Pattern
    held: str  # title | title_words | term | doc_type
    doc_types: tuple[str, ...] = ()
    # How to name the document from the pattern's named groups, when the question names it in pieces
    # (the author first, the kind of document later in the question); else the first group, as written.
    name: str | None = None


@dataclass(frozen=True)
class SourceKind:
    """A kind of source a question asks for without naming a document (case law, a form), read by a model."""

    id: str
    what: str  # « de jurisprudence ni de décision de justice »: what the index does not contain
    held: str  # doc_type | title_words
    doc_types: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    except_words: tuple[str, ...] = ()
    acted_on: bool = True  # False: the model learns the kind (so as to tell it from others) but is not followed


@lru_cache(maxsize=2)
def load_kinds(path: Path = INVENTORY_FILE) -> tuple[SourceKind, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(SourceKind(k["id"], k["what"], k["held"], tuple(k.get("doc_types") or ()),
                            tuple(k.get("title_words") or ()), tuple(k.get("except_words") or ()),
                            k.get("acted_on", True))
                 for k in data.get("kinds") or ())


@lru_cache(maxsize=2)
def load_inventory(path: Path = INVENTORY_FILE) -> tuple[NamedDocument, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(NamedDocument(d["id"], d["what"], re.compile(d["pattern"], re.IGNORECASE), d["held"],
                               tuple(d.get("doc_types") or ()), d.get("name")) for d in data["documents"])


@dataclass(frozen=True)
class Publications:
    """How a question names a publication whose content it asks (inventory.yaml `publications`)."""

    asks: re.Pattern
    named: re.Pattern  # the kind of publication and the words after it, up to where the name stops


@lru_cache(maxsize=2)
def load_publications(path: Path = INVENTORY_FILE) -> Publications:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["publications"]
    named = re.compile(rf"\b(?:le|la|les|l'|du|des|de\s+la|de\s+l')\s*(?P<kind>{data['kinds']})\b(?P<rest>.*?)(?={data['ends']}|$)")
    return Publications(re.compile(data["asks"]), named)


def _definite(article: str) -> str:
    """The definite article for a publication named after « du », « des », « de la » (« le », « les », « la »)."""
    article = fold_apostrophes(article).lower()
    if article in ("le", "la", "les", "l'"):
        return article if article == "l'" else article + " "
    if article == "du":
        return "le "
    if article == "des":
        return "les "
    return "l'" if article == "de l'" else "la "


def _article_label(article_id: str) -> str:
    match = re.fullmatch(r"CCAG-FCS-(\d+)", article_id)
    return f"l'article {match.group(1)} du CCAG Fournitures courantes et services" if match else f"l'article {article_id}"


class Inventory:
    """The documents and articles of one index, for the questions that name them."""

    def __init__(self, index, documents: tuple[NamedDocument, ...] | None = None):
        self.index = index
        self.documents = documents if documents is not None else load_inventory()
        self.analyzer = FrenchAnalyzer()

    def missing(self, question: str) -> str | None:
        """Why the index cannot answer: what the question names that it does not hold, in French; else None."""
        absent = [a for a in cited_articles(question) if not self.index.catalog.chunks_for_articles([a])]
        if absent:
            named = " ni ".join(_article_label(a) for a in absent)
            return f"les documents indexés ne contiennent pas {named} ; {self.held()}"
        folded = fold_apostrophes(question)
        for document in self.documents:
            match = document.pattern.search(folded)
            if not match:
                continue
            if document.name:  # named in pieces: the name is built from its parts
                name = shown = document.name.format(**{k: v.upper() if len(v) <= 4 else v
                                                       for k, v in match.groupdict().items() if v})
            else:
                name = match.group(1)
                shown = question[match.start(1):match.end(1)] if len(fold(question)) == len(folded) else name
                shown = shown.upper() if len(shown) <= 6 else shown
            if not self._holds(document, name):
                return f"les documents indexés ne contiennent pas {document.what.format(name=shown)} ; {self.held()}"
        return None

    def publication_not_held(self, question: str) -> str | None:
        """A publication whose content the question asks (« que recommande le <rapport> de <auteur> ? ») and that no
        indexed title holds, named as the question writes it; else None. Named by its kind and at least one word
        telling it apart: « le guide » alone is whichever guide the documents hold. Held when a title has the kind
        and the name's other words, or two of them (a title is seldom cited in full)."""
        publications = load_publications()
        folded = fold_apostrophes(question)
        if not publications.asks.search(folded):
            return None
        # Spans of the folded question index the question as written unless folding changed its length (« œ »).
        aligned = len(fold(question)) == len(folded)
        written = question if aligned else folded
        titles = None
        for match in publications.named.finditer(folded):
            kind = set(self.analyzer(match.group("kind")))
            words = set(self.analyzer(match.group("rest"))) - kind
            if not words:
                continue
            if titles is None:
                titles = [set(self.analyzer(d["title"])) for d in self.index.catalog.documents()]
            if any(kind <= title and (words <= title or len(words & title) >= 2) for title in titles):
                continue
            start = match.start("kind")
            article = written[match.start():start].strip() if aligned else ""
            return f"{_definite(article)}{written[start:match.end('rest')].strip()}"
        return None

    def missing_kinds(self, kinds: list[str]) -> str | None:
        """Why the index cannot answer a question asking for these kinds of sources (ids of `load_kinds`), in
        French; None when it holds them all."""
        absent = [k for k in load_kinds() if k.id in kinds and not self._holds_kind(k)]
        if not absent:
            return None
        return f"les documents indexés ne contiennent pas {' ni '.join(k.what for k in absent)} ; {self.held()}"

    def _holds_kind(self, kind: SourceKind) -> bool:
        documents = self.index.catalog.documents()
        if kind.held == "title_words":
            for document in documents:
                words = set(self.analyzer(document["title"]))
                if (all(set(self.analyzer(w)) <= words for w in kind.title_words)
                        and not any(set(self.analyzer(w)) <= words for w in kind.except_words)):
                    return True
            return False
        return any(d["doc_type"] in kind.doc_types for d in documents)

    def held(self) -> str:
        """What is indexed, by type of document (« ils comprennent : … »)."""
        types = sorted({d["doc_type"] for d in self.index.catalog.documents()})
        return "ils comprennent : " + ", ".join(DOC_TYPE_LABELS.get(t, t).lower() for t in types)

    def _holds(self, document: NamedDocument, name: str) -> bool:
        if document.held == "title":
            wanted = set(self.analyzer(name))
            return any(wanted <= set(self.analyzer(d["title"])) and "ccag" in fold(d["title"])
                       for d in self.index.catalog.documents())
        if document.held == "title_words":
            wanted = set(self.analyzer(name))
            return any(wanted <= set(self.analyzer(d["title"])) for d in self.index.catalog.documents())
        if document.held == "term":
            bm25 = self.index.bm25_index()
            return all(bm25.knows(t) for t in self.analyzer(name.replace(" ", ""))) if bm25 else True
        return any(d["doc_type"] in document.doc_types for d in self.index.catalog.documents())
