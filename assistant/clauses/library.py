"""The clause library: `prompts/clauses/<id>.yaml` (metadata) + `<id>.md.j2` (clause text).

No clause wording lives in Python: this module only loads, validates and renders the data, with the
one Jinja2 environment of the prompts folder (ASSISTANT_PROMPTS_DIR), strict like every prompt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError
from pydantic import ValidationError

from assistant.clauses.models import ClauseType
from assistant.grounding.prompts import DEFAULT_PROMPTS_DIR, Prompts, prompts_for

FOLDER = "clauses"  # inside the prompts folder


class LibraryError(RuntimeError):
    """The library data is invalid (French message naming the file)."""


class ClauseLibrary:
    """All clause types, by id, with their compiled templates."""

    def __init__(self, prompts: Prompts | None = None):
        self.prompts = prompts or prompts_for(DEFAULT_PROMPTS_DIR)
        self.env = self.prompts.env
        directory = self.directory = self.prompts.directory / FOLDER
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
            self.env.get_template(f"{FOLDER}/{template_path.name}")
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
        text = self.env.get_template(f"{FOLDER}/{clause.id}.md.j2").render(**context)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def evaluate(self, expression: str, context: dict[str, Any]) -> Any:
        return self.env.compile_expression(expression, undefined_to_none=False)(**context)

    def render_string(self, text: str, context: dict[str, Any]) -> str:
        return self.env.from_string(text).render(**context)

