"""Query preparation: buyers' jargon and acronyms expanded into the Code's own words."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.text.normalize import fold, fold_apostrophes


@lru_cache(maxsize=1)
def _glossary() -> list[tuple[re.Pattern[str], str]]:
    entries = yaml.safe_load(Path(__file__).with_name("glossary.yaml").read_text(encoding="utf-8"))
    out = []
    for entry in entries:
        alternatives = "|".join(re.escape(fold(t)) for t in sorted(entry["terms"], key=len, reverse=True))
        out.append((re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), entry["expand"]))
    return out


def expand_query(query: str) -> str:
    """The query followed by the Code's wording of the jargon it contains (if any)."""
    folded = fold_apostrophes(query)
    extra = [expansion for pattern, expansion in _glossary() if pattern.search(folded)]
    return f"{query} {' '.join(extra)}" if extra else query


def jargon(query: str) -> list[tuple[str, str]]:
    """The jargon the query contains, as written there (folded), each with the Code's words for it."""
    folded = fold_apostrophes(query)
    return [(match.group(0), expansion) for pattern, expansion in _glossary() for match in pattern.finditer(folded)]
