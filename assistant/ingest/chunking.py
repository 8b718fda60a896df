"""Structure-aware chunking.

Legal texts: one chunk per article (a long article is cut into parts that keep its id; two
articles are never merged). Other documents: by headings and paragraphs, 150–350 words,
cut on sentence boundaries. Chunk ids depend only on the document id and the structure, so
they are stable across re-ingests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from functools import lru_cache
from pathlib import Path

import yaml

from assistant.ingest.metadata import is_legal_text
from assistant.text.sentences import split_sentences
from assistant.models import Block, Chunk, DocumentMeta, LoadedDocument
from assistant.text.normalize import word_count

MIN_WORDS = 150
MAX_WORDS = 350
LEGAL_MAX_WORDS = 450
_ARTICLE = re.compile(r"^Article\s+(?:(?P<code>[LRD])\.?\s?(?P<num>\d+(?:-\d+)*)|CCAG\s.*?(?P<ccag>\d+))\s*$")
_IN_FORCE = re.compile(r"^\*?En vigueur depuis le (\d{4}-\d{2}-\d{2})\.?\*?$")


def chunk_document(meta: DocumentMeta, doc: LoadedDocument) -> list[Chunk]:
    if is_legal_text(doc):
        return _legal_chunks(meta, doc)
    return _generic_chunks(meta, doc)


def _split_words(paragraphs: list[str], limit: int) -> list[list[str]]:
    """Group paragraphs (cut into sentences when too long) into parts of at most `limit` words."""
    pieces: list[str] = []
    for para in paragraphs:
        if word_count(para) <= limit:
            pieces.append(para)
        else:
            pieces.extend(split_sentences(para))
    parts: list[list[str]] = [[]]
    words = 0
    for piece in pieces:
        n = word_count(piece)
        if parts[-1] and words + n > limit:
            parts.append([])
            words = 0
        parts[-1].append(piece)
        words += n
    return [p for p in parts if p]


# --- legal texts ------------------------------------------------------------------------------

def article_id_from_heading(heading: str) -> tuple[str, str] | None:
    """("R2152-7", "R2152-7") or ("CCAG-FCS-6", "CCAG-FCS art. 6") for an article heading."""
    match = _ARTICLE.match(heading.strip())
    if not match:
        return None
    if match.group("ccag"):
        number = match.group("ccag")
        return f"CCAG-FCS-{number}", f"CCAG-FCS art. {number}"
    article_id = f"{match.group('code')}{match.group('num')}"
    return article_id, article_id


@lru_cache(maxsize=1)
def _code_chapters() -> dict[str, str]:
    data = yaml.safe_load(Path(__file__).with_name("code_chapters.yaml").read_text(encoding="utf-8"))
    return {str(k): v for k, v in data.items()}


def chapter_of(article_id: str) -> str | None:
    """Chapter title of a code article from its number (R2122-8 -> « Marchés passés sans publicité… »)."""
    match = re.match(r"[LRD](\d{4})", article_id)
    return _code_chapters().get(match.group(1)) if match else None


def _legal_chunks(meta: DocumentMeta, doc: LoadedDocument) -> list[Chunk]:
    position = meta.extra.get("position", "")
    section = position.split("›")[-1].strip() if position else ""
    articles: list[tuple[str, str, list[str], str | None]] = []
    for block in doc.blocks:
        if block.kind == "heading":
            ident = article_id_from_heading(block.text)
            if ident:
                articles.append((ident[0], ident[1], [], None))
            continue
        if not articles:
            continue  # file header: position, article count, licence line
        text = block.text.strip()
        in_force = _IN_FORCE.match(text)
        if in_force and not articles[-1][2]:
            aid, loc, paras, _ = articles[-1]
            articles[-1] = (aid, loc, paras, in_force.group(1))
            continue
        articles[-1][2].append(text)
    chunks: list[Chunk] = []
    for article_id, locator, paragraphs, in_force in articles:
        if not paragraphs:
            continue
        parts = _split_words(paragraphs, LEGAL_MAX_WORDS) if word_count(" ".join(paragraphs)) > LEGAL_MAX_WORDS \
            else [paragraphs]
        for i, part in enumerate(parts, start=1):
            text = "\n".join(part)
            label = f"Article {locator}" if not locator.startswith("CCAG") else locator
            chapter = chapter_of(article_id)
            context = [section] if section else []
            if chapter and chapter.lower() not in section.lower():
                context.append(chapter)
            header = f"{label} — {' — '.join(context)}" if context else label
            if len(parts) > 1:
                header += f" (partie {i}/{len(parts)})"
            chunk_meta = {"article_id": article_id, "position": position, "section": section, "chapter": chapter,
                          "in_force_since": in_force, "part": i, "parts": len(parts)}
            chunks.append(Chunk(
                chunk_id=f"{meta.doc_id}:{article_id}" + (f"~{i}" if len(parts) > 1 else ""),
                doc_id=meta.doc_id, ord=len(chunks), text=text, embed_text=f"{header}\n{text}",
                locator=locator, meta=chunk_meta,
            ))
    return chunks


# --- other documents --------------------------------------------------------------------------

@dataclass
class _Draft:
    lines: list[str] = field(default_factory=list)
    words: int = 0
    section: str = ""
    pages: list[int] = field(default_factory=list)


def _generic_chunks(meta: DocumentMeta, doc: LoadedDocument) -> list[Chunk]:
    drafts: list[_Draft] = []
    current = _Draft()
    headings: dict[int, str] = {}

    def flush() -> None:
        nonlocal current
        if current.words:
            drafts.append(current)
        current = _Draft(section=current_section())

    def current_section() -> str:
        return headings[max(headings)] if headings else ""

    blocks: list[Block] = doc.blocks
    for block in blocks:
        if block.kind == "heading":
            if block.level == 1 and block.text == meta.title and not current.lines:
                continue  # the title itself is metadata
            if current.words >= MIN_WORDS:
                flush()
            headings = {lvl: h for lvl, h in headings.items() if lvl < block.level}
            headings[block.level] = block.text
            if current.words:
                current.lines.append(block.text)
            else:
                current.section = block.text
            continue
        for part in _split_words([block.text], MAX_WORDS):
            piece = " ".join(part)
            n = word_count(piece)
            if current.words and current.words + n > MAX_WORDS:
                flush()
            current.lines.append(piece)
            current.words += n
            if block.page is not None and block.page not in current.pages:
                current.pages.append(block.page)
    flush()
    # A short tail joins the previous chunk of the same section rather than standing alone.
    merged: list[_Draft] = []
    for draft in drafts:
        prev = merged[-1] if merged else None
        if prev and draft.words < MIN_WORDS // 2 and prev.section == draft.section \
                and prev.words + draft.words <= MAX_WORDS * 1.3:
            prev.lines.extend(draft.lines)
            prev.words += draft.words
            prev.pages.extend(p for p in draft.pages if p not in prev.pages)
            continue
        merged.append(draft)
    chunks = []
    for i, draft in enumerate(merged):
        text = "\n".join(draft.lines)
        page_label = ""
        if draft.pages:
            page_label = f"p. {draft.pages[0]}" if len(draft.pages) == 1 else f"p. {draft.pages[0]}-{draft.pages[-1]}"
        locator = " — ".join(x for x in (draft.section, page_label) if x) or f"extrait {i + 1}"
        context = meta.title if not draft.section or draft.section == meta.title else f"{meta.title} — {draft.section}"
        chunks.append(Chunk(
            chunk_id=f"{meta.doc_id}:{i:04d}", doc_id=meta.doc_id, ord=i, text=text,
            embed_text=f"{context}\n{text}", locator=locator,
            meta={"section": draft.section, "page": draft.pages[0] if draft.pages else None,
                  "pages": draft.pages},
        ))
    return chunks
