"""Cleaning of raw text: site boilerplate, HTML comments, PDF line breaks, repeats, whitespace.

Cleaning removes things; it never rewrites the words that remain, so quotes stay faithful.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.models import Block
from assistant.text.normalize import fold

_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_SOURCE_IN_COMMENT = re.compile(r"source:\s*(\S+)")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u202f\u2007\u3000]+")
_BULLET = re.compile(r"^\s*([-*•–—▪●◦]|\d{1,2}[.)]|[a-z][.)])\s+")
_TERMINAL = tuple(".!?…:;")
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|sur)\s*\d{1,4})?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _boilerplate_patterns() -> list[re.Pattern[str]]:
    data = yaml.safe_load((Path(__file__).with_name("boilerplate.yaml")).read_text(encoding="utf-8"))
    return [re.compile(p) for p in data.get("lines", [])]


def strip_html_comments(text: str) -> tuple[str, list[str]]:
    """Remove HTML comments, returning the text and the comments' contents."""
    comments = [c.strip() for c in _HTML_COMMENT.findall(text)]
    return _HTML_COMMENT.sub("", text), comments


def source_from_comments(comments: list[str]) -> str | None:
    for comment in comments:
        match = _SOURCE_IN_COMMENT.search(comment)
        if match:
            return match.group(1)
    return None


def normalize_whitespace(line: str) -> str:
    return _SPACES.sub(" ", _ZERO_WIDTH.sub("", line)).strip()


# A byline whose author's name was lost in the page's markup leaves « par » glued to the first word of the text
# (« parLe <nom> … »): the remnant is not content.
_BYLINE_REMNANT = re.compile(r"^(?:par|by)(?=[A-ZÀ-Ý][a-zà-ÿ’']+\b)")


def strip_byline_remnant(line: str) -> str:
    return _BYLINE_REMNANT.sub("", line)


def is_boilerplate(line: str) -> bool:
    """True for a line of site chrome (login banners, membership menus, photo credits…)."""
    folded = fold(line).strip(" .!")
    if not folded:
        return False
    if "©" in line and len(line) < 160:
        return True  # photo credit or copyright line, not content
    return any(p.fullmatch(folded) for p in _boilerplate_patterns())


def _is_nav_item(line: str) -> bool:
    """A bare menu entry; headings and list items written by an author are content."""
    words = line.split()
    if line.lstrip().startswith("#") or _BULLET.match(line):
        return False
    return 0 < len(words) <= 5 and not line.rstrip().endswith((".", ":", ";", ","))


def drop_navigation_runs(lines: list[str]) -> list[str]:
    """Drop runs of 3+ menu-like short lines at the very start or end of a page (navigation lists)."""
    def trim(seq: list[str]) -> list[str]:
        run = 0
        for line in seq:
            if not line.strip():
                continue
            if _is_nav_item(line):
                run += 1
            else:
                break
        if run >= 3:
            kept, removed = [], 0
            for line in seq:
                if removed < run and (not line.strip() or _is_nav_item(line)):
                    removed += bool(line.strip())
                    continue
                kept.append(line)
            return kept
        return seq

    return list(reversed(trim(list(reversed(trim(lines))))))


def looks_like_pdf_text(lines: list[str]) -> bool:
    """Text converted from PDF has many short lines cut mid-sentence."""
    nonempty = [ln for ln in lines if ln.strip()]
    if len(nonempty) < 15:
        return False
    lengths = sorted(len(ln) for ln in nonempty)
    median = lengths[len(lengths) // 2]
    cut_mid_sentence = sum(1 for ln in nonempty if not ln.rstrip().endswith(_TERMINAL)) / len(nonempty)
    return median < 75 and cut_mid_sentence > 0.5


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _should_join(prev: str, nxt: str) -> bool:
    if _BULLET.match(nxt):
        return False
    if _is_upper(prev) or _is_upper(nxt):
        return _is_upper(prev) and _is_upper(nxt)
    first = nxt.lstrip()[:1]
    if prev.rstrip().endswith(_TERMINAL):
        return first.islower()
    if prev.rstrip().endswith(",") or first.islower() or not first.isalpha():
        return True
    # A long line without final punctuation was cut by the page width, not by the author.
    return len(prev) >= 55


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join lines that PDF conversion broke inside sentences; blank lines stay paragraph breaks."""
    out: list[str] = []
    current = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                out.append(current)
                current = ""
            out.append("")
            continue
        if current and _should_join(current, line):
            if re.search(r"\w-$", current) and line[:1].islower():
                current = current[:-1] + line  # hyphenated word cut at the line end
            else:
                current = f"{current} {line}"
        else:
            if current:
                out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def drop_repeated_paragraphs(blocks: list[Block], min_chars: int = 40) -> list[Block]:
    """Keep the first occurrence of a paragraph repeated verbatim inside one section of a document.

    The scope is the section: two articles of a code may legitimately share an identical alinéa.
    """
    seen: set[str] = set()
    kept = []
    for block in blocks:
        if block.kind == "heading":
            seen = set()
        key = " ".join(block.text.split())
        if block.kind == "para" and len(key) >= min_chars:
            if key in seen:
                continue
            seen.add(key)
        kept.append(block)
    return kept


def running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated on most pages (running headers and footers) or bare page numbers."""
    if len(pages) < 3:
        return set()
    counts = Counter()
    for page in pages:
        counts.update({normalize_whitespace(ln) for ln in page if ln.strip()})
    threshold = max(3, len(pages) // 2 + 1)
    return {ln for ln, n in counts.items() if n >= threshold and len(ln) < 120}


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))
