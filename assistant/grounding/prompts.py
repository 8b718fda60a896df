"""Jinja2 templates: the one environment over the `prompts/` directory (model prompts, clause texts, brief layouts).

Templates are trusted files of the project; the values rendered into them (passages, questions,
previous turns) are data. The `data` filter neutralises the delimiter tags that prompts use to fence
data off, so that a passage cannot close its fence and pass itself off as an instruction.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from assistant.text.markers import markdown_footnotes
from assistant.text.numbers import euros_ht, french_number

DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"

# Tags used as data fences in the templates (<documents>, <passage n="1">, <echange>…).
FENCE_TAGS = ("documents", "passage", "echange", "question")
_FENCE = re.compile(r"<\s*/?\s*(?:%s)\b[^>]*>" % "|".join(FENCE_TAGS), re.IGNORECASE)


class PromptError(RuntimeError):
    """A prompt template is missing or cannot be rendered (French message)."""


def fence_safe(value: Any) -> str:
    """The text with its fence tags defused (« </documents> » -> « ‹/documents› »), so it stays fenced."""
    text = "" if value is None else str(value)
    return _FENCE.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


class Prompts:
    """The templates of one prompts directory (`render("answer/system.md.j2", **vars)`)."""

    def __init__(self, directory: Path | str = DEFAULT_PROMPTS_DIR):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise PromptError(f"Dossier des gabarits introuvable : {self.directory} (réglage ASSISTANT_PROMPTS_DIR).")
        # Plain text prompts, not HTML: no autoescape; undefined variables are errors, never blanks.
        self.env = Environment(loader=FileSystemLoader(str(self.directory)), undefined=StrictUndefined,
                               autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
        self.env.filters["data"] = fence_safe
        self.env.filters["nombre"] = french_number  # clause templates: « 12 345 »
        self.env.filters["euros"] = euros_ht
        self.env.filters["md"] = markdown_footnotes  # brief layouts: « [2] » becomes the footnote « [^2] »

    def render(self, name: str, **variables: Any) -> str:
        try:
            template = self.env.get_template(name)
        except TemplateNotFound as exc:
            raise PromptError(f"Gabarit introuvable : {name} (dans {self.directory}).") from exc
        return template.render(**variables).strip()


@lru_cache(maxsize=8)
def prompts_for(directory: Path | str = DEFAULT_PROMPTS_DIR) -> Prompts:
    """A shared `Prompts` per directory (templates are compiled once per process)."""
    return Prompts(directory)
