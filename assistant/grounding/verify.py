"""Citation verification, shared by every generator (extractive, LLM, clauses, briefs).

A cited sentence is kept only if its passage supports it: every number, amount, percentage and
article id of the sentence appears in the passage, and enough of its content words do too.
Markers pointing to nothing are dropped; sources are renumbered by first use and only the cited
ones are listed, each with the passage sentence(s) that support the claim as its quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.models import Citation
from assistant.index.lexical import without_articles, FrenchAnalyzer, cited_articles
from assistant.text.sentences import split_sentences
from assistant.models import SearchHit
from assistant.text.markers import MARKERS_AFTER_PUNCT, marker_numbers, renumber, strip_markers
from assistant.text.numbers import NUMBER, plain_number

# « 2018-2022 »: two years, which NUMBER leaves out as it leaves out the digits of « R2122-8 ».
_YEAR_SPAN = re.compile(r"(?<![\w-])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w-])")
# Minimum share of a sentence's content words found in its passage; the numbers check is strict.
MIN_LEXICAL_SUPPORT = 0.5


def facts(text: str) -> set[str]:
    """Numbers (separators removed, decimal comma kept as a dot) and article ids of a text."""
    # The digits of an article id are not separate numbers ("R2122-8" is not "2122"), but the same digits written
    # elsewhere are: a passage of article R2123-1 that lists « 1° » states a 1.
    bare = without_articles(text)
    found = {plain_number(m.group(0)) for m in NUMBER.finditer(bare)}
    found |= {year for m in _YEAR_SPAN.finditer(bare) for year in m.groups()}
    return found | set(cited_articles(text))


@dataclass
class Support:
    ok: bool
    missing_facts: list[str] = field(default_factory=list)
    lexical: float = 0.0


def check_support(sentence: str, passage: str, analyzer: FrenchAnalyzer | None = None) -> Support:
    analyzer = analyzer or FrenchAnalyzer()
    missing = sorted(facts(sentence) - facts(passage))
    terms = {t for t in analyzer(sentence) if not t[0].isdigit()}
    passage_terms = set(analyzer(passage))
    lexical = len(terms & passage_terms) / len(terms) if terms else 1.0
    return Support(ok=not missing and lexical >= MIN_LEXICAL_SUPPORT, missing_facts=missing, lexical=lexical)


def best_quote(claim: str, passage: str, analyzer: FrenchAnalyzer | None = None) -> str:
    """The passage sentence that shares the most content words (and all facts, if possible) with the claim."""
    analyzer = analyzer or FrenchAnalyzer()
    claim_terms = set(analyzer(claim))
    claim_facts = facts(claim)
    best, best_score = passage.strip(), -1.0
    for sentence in split_sentences(passage.replace("\n", " ")):
        terms = set(analyzer(sentence))
        score = len(claim_terms & terms) / (len(claim_terms) or 1) + (2.0 if claim_facts <= facts(sentence) else 0.0)
        if score > best_score:
            best, best_score = sentence, score
    return best


# « Phrase. [1] » is written by some models: the marker belongs to the sentence before it.


def normalize_markers(text: str) -> str:
    """Move markers written after the final punctuation before it (« a. [1] » -> « a [1]. »)."""
    return MARKERS_AFTER_PUNCT.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)


_AFTER_CITED_SENTENCE = re.compile(r"(?<=\][.!?…])\s+")


def cited_sentences(text: str) -> list[str]:
    """Sentences of a draft: « … [n]. » always ends one, whatever starts the next (a quote, a digit, a dash)."""
    return [s for part in _AFTER_CITED_SENTENCE.split(normalize_markers(text)) for s in split_sentences(part)]


def _with_locator(hit: SearchHit) -> str:
    return f"{hit.locator}\n{hit.text}" if hit.locator else hit.text


class CitationVerifier:
    """Checks sentences one at a time against the retrieved passages (usable while streaming).

    Markers [n] resolve to `retrieved[n-1]`; markers pointing to nothing are dropped; a sentence
    with no supporting passage is removed; sources are numbered by first use.
    """

    def __init__(self, retrieved: list[SearchHit]):
        self.retrieved = retrieved
        self.analyzer = FrenchAnalyzer()
        self.numbering: dict[int, int] = {}
        self.citations: list[Citation] = []
        self.removed: list[str] = []

    def sentence(self, sentence: str) -> str | None:
        """The verified sentence with renumbered markers, or None when it is removed."""
        markers = marker_numbers(sentence)
        bare = strip_markers(sentence).strip()
        if not bare:
            return None
        valid = [m for m in dict.fromkeys(markers) if 1 <= m <= len(self.retrieved)]
        # The article id of a legal passage is its locator, not part of its text.
        supporting = [m for m in valid if check_support(bare, _with_locator(self.retrieved[m - 1]), self.analyzer).ok]
        if not supporting:
            self.removed.append(bare)
            return None
        labels = []
        for m in supporting:
            if m not in self.numbering:
                hit = self.retrieved[m - 1]
                self.numbering[m] = len(self.numbering) + 1
                self.citations.append(Citation(n=self.numbering[m], doc_id=hit.doc_id, title=hit.title,
                                               source=hit.source, locator=hit.locator, chunk_id=hit.chunk_id,
                                               quote=best_quote(bare, hit.text, self.analyzer)))
            labels.append(f"[{self.numbering[m]}]")
        end = re.search(r"[.!?…]+[»\"”)]*$", bare)
        body, punct = (bare[:end.start()], end.group(0)) if end else (bare, "")
        return f"{body} {''.join(labels)}{punct}"


def verify_stream(pieces: Iterator[str], verifier: CitationVerifier,
                  mapping: dict[int, int] | None = None) -> Iterator[str]:
    """Cut a stream of draft text into sentences, verify each, yield the kept ones with their spacing.

    `mapping` turns the generator's marker numbers (ranks in the hits it was given) into ranks in
    the verifier's pool; a marker outside it becomes [0], which points to nothing and is dropped.
    """
    buffer = ""
    separator = ""  # what goes before the next kept sentence: nothing, a space or a line break

    def emit(sentences: list[str]) -> Iterator[str]:
        nonlocal separator
        for sentence in sentences:
            if mapping is not None:
                sentence = renumber(sentence, mapping)
            out = verifier.sentence(sentence)
            if out:
                yield separator + out
                separator = " "

    for piece in pieces:
        buffer += piece
        *complete_lines, buffer = buffer.split("\n")
        for line in complete_lines:
            yield from emit(cited_sentences(line))
            if separator:
                separator = "\n"
        sentences = cited_sentences(buffer)
        # The last sentence may still grow (or receive its marker), so it waits for more text.
        if len(sentences) >= 2:
            yield from emit(sentences[:-1])
            # Keep the trailing space: « Le » + « seuil » must not become « Leseuil ».
            buffer = sentences[-1] + buffer[len(buffer.rstrip()):]
    yield from emit(cited_sentences(buffer))
