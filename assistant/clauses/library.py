"""The clause library: `prompts/clauses/<id>.yaml` (metadata) + `<id>.md.j2` (clause text).

No clause wording lives in Python: this module only loads, validates and renders the data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from pydantic import ValidationError

from assistant.clauses.models import ClauseType

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "prompts" / "clauses"


class LibraryError(RuntimeError):
    """The library data is invalid (French message naming the file)."""


def _nombre(value: Any, decimals: int = 0) -> str:
    """French number formatting: 1 234 567 (narrow no-break space), decimal comma."""
    if value is None:
        return ""
    text = f"{float(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _euros(value: Any) -> str:
    return f"{_nombre(value)} € HT" if value is not None else ""


def make_environment(directory: Path = LIBRARY_DIR) -> Environment:
    """Jinja2 environment of the clause templates: strict (a missing variable is an error)."""
    env = Environment(loader=FileSystemLoader(str(directory)), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["nombre"] = _nombre
    env.filters["euros"] = _euros
    return env


class ClauseLibrary:
    """All clause types, by id, with their compiled templates."""

    def __init__(self, directory: Path = LIBRARY_DIR):
        self.directory = directory
        self.env = make_environment(directory)
        self.types: dict[str, ClauseType] = {}
        if not directory.is_dir():
            raise LibraryError(f"bibliothèque de clauses introuvable : {directory}")
        for path in sorted(directory.glob("*.yaml")):
            clause = self._load(path)
            if clause.id in self.types:
                raise LibraryError(f"{path.name} : identifiant de clause en double « {clause.id} »")
            self.types[clause.id] = clause
        if not self.types:
            raise LibraryError(f"aucune clause dans {directory}")

    def _load(self, path: Path) -> ClauseType:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise LibraryError(f"{path.name} : YAML invalide ({exc})") from exc
        if not isinstance(data, dict):
            raise LibraryError(f"{path.name} : un dictionnaire YAML est attendu")
        if data.get("id") != path.stem:
            raise LibraryError(f"{path.name} : l'identifiant doit être le nom du fichier ({path.stem})")
        template_path = path.with_suffix(".md.j2")
        if not template_path.is_file():
            raise LibraryError(f"{path.name} : gabarit {template_path.name} manquant")
        data["template"] = template_path.read_text(encoding="utf-8")
        try:
            clause = ClauseType.model_validate(data)
        except ValidationError as exc:
            raise LibraryError(f"{path.name} : {exc}") from exc
        try:
            self.env.get_template(template_path.name)
            for rule in clause.errors + clause.warnings:
                self.env.compile_expression(rule.when)
            for param in clause.parameters:
                if param.default_expr:
                    self.env.compile_expression(param.default_expr)
        except TemplateError as exc:
            raise LibraryError(f"{path.name} : gabarit ou expression invalide ({exc})") from exc
        return clause

    def __contains__(self, type_id: str) -> bool:
        return type_id in self.types

    def __iter__(self):
        return iter(self.types.values())

    def __len__(self) -> int:
        return len(self.types)

    def get(self, type_id: str) -> ClauseType:
        if type_id not in self.types:
            raise KeyError(type_id)
        return self.types[type_id]

    def render(self, clause: ClauseType, context: dict[str, Any]) -> str:
        """Render a clause template; blank runs collapse so optional blocks leave no holes."""
        text = self.env.get_template(f"{clause.id}.md.j2").render(**context)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def evaluate(self, expression: str, context: dict[str, Any]) -> Any:
        return self.env.compile_expression(expression, undefined_to_none=False)(**context)

    def render_string(self, text: str, context: dict[str, Any]) -> str:
        return self.env.from_string(text).render(**context)


@lru_cache(maxsize=1)
def default_library() -> ClauseLibrary:
    return ClauseLibrary()
