"""Validation errors in French: each field named with its problem, malformed JSON said as such."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError

from assistant.validation import validation_messages


class _Form(BaseModel):
    question: str = Field(min_length=2, max_length=10)
    k: int = Field(5, ge=1, le=20)
    actif: bool = True


def _messages(data) -> list[str]:
    try:
        _Form.model_validate(data)
    except ValidationError as exc:
        return validation_messages(exc.errors(), {"k": "nombre de passages"})
    raise AssertionError("valid")


def test_each_field_is_named_with_its_problem():
    assert _messages({}) == ["question : valeur obligatoire"]
    assert _messages({"question": 5}) == ["question : doit être un texte"]
    assert _messages({"question": "x" * 11}) == ["question : au plus 10 caractères"]
    assert _messages({"question": "ok", "k": 0}) == ["nombre de passages : doit être supérieur ou égal à 1"]
    assert _messages({"question": "ok", "k": "dix"}) == ["nombre de passages : doit être un nombre entier"]
    assert _messages({"question": "ok", "actif": "peut-être"}) == ["actif : doit être vrai ou faux (true/false)"]


def test_malformed_json_is_said_with_where_it_breaks():
    try:
        _Form.model_validate_json('{"question": "bonjour')
    except ValidationError as exc:
        (message,) = validation_messages(exc.errors())
    assert message.startswith("le corps de la requête n'est pas un JSON valide (erreur près du caractère")
