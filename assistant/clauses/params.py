"""Parameter values of a clause: defaults filled, strings from the CLI or the API coerced and checked.

Every error is a French sentence naming the clause, the parameter and the value received.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.clauses.models import ClauseParameter, ClauseType

_TRUE = {"true", "vrai", "oui", "o", "yes", "y", "1"}
_FALSE = {"false", "faux", "non", "n", "no", "0"}
_TYPE_NAMES = {"int": "un nombre entier", "float": "un nombre", "percent": "un pourcentage (nombre entre 0 et 100)",
               "bool": "oui ou non", "str": "un texte", "choice": "une des valeurs proposées"}


class ParameterError(ValueError):
    pass


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("%").removesuffix("€").replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise ValueError
    return float(text)


def coerce(clause: ClauseType, param: ClauseParameter, value: Any) -> Any:
    """The value converted to the parameter's type, or a French ParameterError."""
    where = f"clause « {clause.id} », paramètre « {param.name} » ({param.label})"
    if isinstance(value, (dict, list, tuple, set)):
        raise ParameterError(f"{where} : une valeur simple est attendue ({_TYPE_NAMES[param.type]}), pas une liste.")
    try:
        if param.type == "bool":
            if isinstance(value, bool):
                return value
            key = str(value).strip().lower()
            if key in _TRUE:
                return True
            if key in _FALSE:
                return False
            raise ValueError
        if param.type in ("int", "float", "percent"):
            number = _number(value)
            if param.type == "int":
                if number != int(number):
                    raise ValueError
                number = int(number)
            elif param.type == "percent" and number == int(number):
                number = int(number)
            if param.min is not None and number < param.min:
                raise ParameterError(f"{where} : {_fmt(number)} est inférieur au minimum autorisé ({_fmt(param.min)}).")
            if param.max is not None and number > param.max:
                raise ParameterError(f"{where} : {_fmt(number)} dépasse le maximum autorisé ({_fmt(param.max)}).")
            return number
        if param.type == "choice":
            key = str(value).strip()
            if key not in (param.choices or []):
                raise ParameterError(f"{where} : « {key} » n'est pas une valeur possible "
                                     f"({', '.join(param.choices or [])}).")
            return key
        text = " ".join(str(value).split())
        if param.required and not text:
            raise ParameterError(f"{where} : la valeur est vide.")
        if len(text) > 1000:
            raise ParameterError(f"{where} : le texte dépasse 1 000 caractères.")
        if re.search(r"\{\{|\{%|\}\}|%\}", text):
            raise ParameterError(f"{where} : les accolades de gabarit ({{{{, {{%) ne sont pas admises.")
        return text
    except ParameterError:
        raise
    except (ValueError, TypeError):
        raise ParameterError(f"{where} : « {value} » n'est pas {_TYPE_NAMES[param.type]}.") from None


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number).replace(".", ",")
