"""The claims of a draft: its figures, quotations, attributions (« selon X ») and article references.

A draft is read as its author wrote it: paragraphs (lines), then sentences. A quotation is found on its
paragraph (a quotation may hold several sentences) and belongs to the sentence it starts in; its speaker
is read as the press writes it (grounding/quotes). Nothing is rewritten: every claim is a slice of its
sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.figures.extract import Found, find_attribution, find_figures
from assistant.text.quotes import SHORT_QUOTATION, Speaker, quotations
from assistant.index.lexical import cited_articles
from assistant.text.sentences import split_sentences

_MARKER = re.compile(r"^(?:(?:[-*•>+]|#{1,6}|\d+[.)])\s+)+")
_MARKDOWN = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")


@dataclass
class Quoted:
    """A quotation of the draft: its words without the marks, and who the draft says speaks."""

    text: str  # as written, with its marks
    inner: str
    start: int  # in its sentence
    speaker: Speaker | None


@dataclass
class DraftSentence:
    paragraph: int
    text: str
    figures: list[Found] = field(default_factory=list)
    quotations: list[Quoted] = field(default_factory=list)
    attribution: str | None = None
    articles: list[str] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """The draft's paragraphs: non-empty lines, list and heading marks and Markdown emphasis removed."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MARKDOWN.sub("", _MARKER.sub("", line.strip())).strip()
        if line:
            out.append(line)
    return out


def draft_sentences(text: str) -> list[DraftSentence]:
    """Every sentence of the draft with the claims it makes."""
    out: list[DraftSentence] = []
    for number, paragraph in enumerate(paragraphs(text)):
        speakers = {start: who for start, _, who in quotations(paragraph, short=True)}
        quoted = [(m.start(), m.end()) for m in SHORT_QUOTATION.finditer(paragraph)]
        cursor = 0
        for sentence in _headlines_joined(paragraph, split_sentences(paragraph)):
            at = paragraph.find(sentence, cursor)
            if at < 0:
                continue
            cursor = at + len(sentence)
            item = DraftSentence(number, sentence)
            inside = [(s, e) for s, e in quoted if at <= s < cursor]
            for s, e in inside:
                raw = paragraph[s:e]
                item.quotations.append(Quoted(raw, raw[1:-1].strip(), s - at, speakers.get(s)))
            # A figure inside a quotation is the quotation's: it is checked with its words.
            spans = [(s - at, e - at) for s, e in quoted if s < cursor and at < e]
            item.figures = [f for f in find_figures(sentence)
                            if not any(s <= f.start < e for s, e in spans)]
            item.attribution = find_attribution(sentence)
            item.articles = cited_articles(sentence)
            out.append(item)
    return out


def _headlines_joined(paragraph: str, sentences: list[str]) -> list[str]:
    """A figure set alone as a sentence (« 0,008 %. C'est la part… », a post's opening) is said by the sentence
    after it: the two are read as one."""
    out: list[str] = []
    pending: str | None = None
    for sentence in sentences:
        if pending is not None:
            start = paragraph.find(pending)
            end = paragraph.find(sentence, start + len(pending))
            sentence = paragraph[start:end + len(sentence)] if start >= 0 and end >= 0 else f"{pending} {sentence}"
            pending = None
        figures = find_figures(sentence)
        rest = sentence
        for figure in figures:
            rest = rest.replace(figure.value, " ")
        if figures and len(re.findall(r"\w+", rest)) <= 2 and sentence is not sentences[-1]:
            pending = sentence
            continue
        out.append(sentence)
    if pending is not None:
        out.append(pending)
    return out
