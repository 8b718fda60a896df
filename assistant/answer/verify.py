"""Citation verification, shared by every generator (extractive, LLM, clauses, briefs).

A cited sentence is kept only if its passage supports it: every number, amount, percentage and
article id of the sentence appears in the passage, and enough of its content words do too.
Markers pointing to nothing are dropped; sources are renumbered by first use and only the cited
ones are listed, each with the passage sentence(s) that support the claim as its quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.models import Citation
from assistant.index.lexical import FrenchAnalyzer, cited_articles
from assistant.ingest.sentences import split_sentences
from assistant.models import SearchHit

_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
_NUMBER = re.compile(r"(?<![\w-])\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?![\w-])")
# Minimum share of a sentence's content words found in its passage; the numbers check is strict.
MIN_LEXICAL_SUPPORT = 0.5


def facts(text: str) -> set[str]:
    """Numbers (separators removed, decimal comma kept as a dot) and article ids of a text."""
    found = {re.sub(r"[ \u00a0\u202f]", "", m.group(0)).replace(",", ".") for m in _NUMBER.finditer(text)}
    refs = set(cited_articles(text))
    # The digits of an article id are not separate numbers ("R2122-8" is not "2122").
    found -= {d for ref in refs for d in re.findall(r"\d+", ref)}
    return found | refs


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


@dataclass
class VerifiedText:
    text: str
    citations: list[Citation]
    removed: list[str]  # sentences dropped because no passage supported them


def verify_answer(text: str, retrieved: list[SearchHit], keep_uncited: bool = False) -> VerifiedText:
    """Resolve [n] markers to `retrieved[n-1]`, check each cited sentence, renumber by first use."""
    analyzer = FrenchAnalyzer()
    kept: list[str] = []
    removed: list[str] = []
    numbering: dict[int, int] = {}
    citations: list[Citation] = []
    for paragraph in text.split("\n"):
        out_sentences = []
        for sentence in split_sentences(paragraph):
            markers = [int(m) for m in _MARKER.findall(sentence)]
            bare = _MARKER.sub("", sentence).strip()
            valid = [m for m in dict.fromkeys(markers) if 1 <= m <= len(retrieved)]
            supporting = [m for m in valid if check_support(bare, retrieved[m - 1].text, analyzer).ok]
            if not supporting:
                if markers or not keep_uncited:
                    removed.append(bare)
                    continue
                out_sentences.append(bare)
                continue
            labels = []
            for m in supporting:
                if m not in numbering:
                    hit = retrieved[m - 1]
                    numbering[m] = len(numbering) + 1
                    citations.append(Citation(n=numbering[m], doc_id=hit.doc_id, title=hit.title, source=hit.source,
                                              locator=hit.locator, chunk_id=hit.chunk_id,
                                              quote=best_quote(bare, hit.text, analyzer)))
                labels.append(f"[{numbering[m]}]")
            end = re.search(r"[.!?…]+[»\"”)]*$", bare)
            body, punct = (bare[:end.start()], end.group(0)) if end else (bare, "")
            out_sentences.append(f"{body} {''.join(labels)}{punct}")
        if out_sentences:
            kept.append(" ".join(out_sentences))
    return VerifiedText(text="\n".join(kept), citations=citations, removed=removed)
