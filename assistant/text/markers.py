"""Citation markers: « phrase [2]. » cites the passage or source numbered 2. The one definition of the pattern."""

from __future__ import annotations

import re
from collections.abc import Mapping

MARKER_PATTERN = r"\[(\d{1,3})\]"
MARKER = re.compile(MARKER_PATTERN)
# A marker with the spaces before it, as removed from a sentence or turned into a footnote.
SPACED_MARKER = re.compile(r"\s*" + MARKER_PATTERN)
# Markers written after the final punctuation (« phrase. [1] »), moved before it by the verifier.
MARKERS_AFTER_PUNCT = re.compile(r"([.!?…]+)((?:\s*" + MARKER_PATTERN + r")+)")


def marker_numbers(text: str) -> list[int]:
    """The numbers of the markers of `text`, in order (repeats kept)."""
    return [int(n) for n in MARKER.findall(text)]


def strip_markers(text: str) -> str:
    """The text without its markers (nor the spaces before them)."""
    return SPACED_MARKER.sub("", text)


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """Each marker [n] rewritten as [mapping[n]]; a number the mapping lacks becomes [0], which cites nothing."""
    return MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), 0)}]", text)


def cite_sentence(text: str, n: int) -> str:
    """The sentence with the marker [n] before its final punctuation (a full stop added when it has none)."""
    text = text.rstrip()
    if text[-1:] in ".!?…":
        return f"{text[:-1]} [{n}]{text[-1]}"
    return f"{text} [{n}]."


def markdown_footnotes(text: str) -> str:
    """« phrase [2]. » -> « phrase[^2]. » (Markdown footnote references)."""
    return SPACED_MARKER.sub(lambda m: f"[^{m.group(1)}]", text)
