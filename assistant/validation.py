"""Pydantic validation errors in French, naming the field and the problem: the API's 422 and the CLI say the same."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_TYPES = {"string": "un texte", "int": "un nombre entier", "float": "un nombre", "bool": "vrai ou faux (true/false)",
          "list": "une liste", "dict": "un objet JSON", "model": "un objet JSON", "date": "une date (AAAA-MM-JJ)",
          "datetime": "une date et une heure", "decimal": "un nombre"}


def french_error(error: Mapping) -> str:
    """The problem of one pydantic error, in French (without the field's name)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "json_invalid":
        loc = error.get("loc") or ()
        where = re.search(r"column (\d+)", str(ctx.get("error", "")))
        position = loc[-1] if loc and isinstance(loc[-1], int) else where.group(1) if where else None
        near = f" (erreur près du caractère {position})" if position is not None else ""
        return f"le corps de la requête n'est pas un JSON valide{near} : vérifiez les guillemets, les virgules et les accolades"
    if kind == "value_error" and ctx.get("error"):  # a validator's own French message
        return str(ctx["error"])
    if kind == "missing":
        return "valeur obligatoire"
    if kind == "extra_forbidden":
        return "champ inconnu"
    if kind == "string_too_short":
        return f"au moins {ctx.get('min_length')} caractère(s)"
    if kind == "string_too_long":
        return f"au plus {ctx.get('max_length')} caractères"
    if kind == "too_short":
        return f"au moins {ctx.get('min_length')} élément(s)"
    if kind == "too_long":
        return f"au plus {ctx.get('max_length')} éléments"
    bounds = {"greater_than_equal": ("supérieur ou égal à", "ge"), "greater_than": ("supérieur à", "gt"),
              "less_than_equal": ("inférieur ou égal à", "le"), "less_than": ("inférieur à", "lt")}
    if kind in bounds:
        words, key = bounds[kind]
        return f"doit être {words} {ctx.get(key)}"
    if kind in ("literal_error", "enum"):
        return f"valeur non autorisée (valeurs possibles : {ctx.get('expected', '?')})"
    for prefix, label in _TYPES.items():
        if kind in (f"{prefix}_type", f"{prefix}_parsing"):
            return f"doit être {label}"
    return "valeur invalide"


def validation_messages(errors: Iterable[Mapping], labels: Mapping[str, str] | None = None,
                        skip: int = 0) -> list[str]:
    """One French line per error: « question : doit être un texte ». `skip` drops the first parts of each location
    (« body » in a request); `labels` names fields as the user knows them."""
    out = []
    for error in errors:
        if error.get("type") == "json_invalid":
            out.append(french_error(error))
            continue
        parts = [str(p) for p in error.get("loc", ())[skip:]]
        field = ".".join(parts)
        label = (labels or {}).get(parts[0], field) if parts else "requête"
        out.append(f"{label or 'requête'} : {french_error(error)}")
    return list(dict.fromkeys(out))
