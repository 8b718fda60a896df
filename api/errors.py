"""Every error the API shows, in French: domain exceptions mapped to a status and a message, in one table.

Routes let the assistant's typed errors propagate; the handlers registered by `register(app)` turn them
into responses. Streaming routes, whose status is already sent, report the same status and message
inside the stream (`problem`). `/v1/` routes also carry the OpenAI error object (`error.message`), which
OpenAI clients show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.answer.conversations import ConversationError, ConversationNotYours
from assistant.answer.engine import QuestionError
from assistant.auth.ratelimit import RateLimited
from assistant.briefs.generator import BriefError
from assistant.clauses.generator import ClauseInputError, UnlawfulInput
from assistant.factcheck.reader import DraftError
from assistant.grounding.llm.base import LLMConfigError
from assistant.index.embeddings import EmbedderError
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.ingest.loaders import LoadError
from assistant.services.documents import DocumentNotDeletable, DocumentNotFound, IndexingFailed, RawFileUnavailable
from assistant.services.feedback import FeedbackError, UnknownMessage
from assistant.services.uploads import UploadRefused
from assistant.statedb import StateDBUnavailable
from assistant.validation import validation_messages

log = logging.getLogger(__name__)

ENGINE_FAILED = "Le moteur de réponses a rencontré une erreur inattendue : réessayez dans un instant."
SEARCH_DOWN = "Service de recherche indisponible : {exc}"
INTERNAL_ERROR = "Erreur interne du serveur : l'incident est enregistré dans le journal ; réessayez plus tard."
# Starlette's own errors (unknown route, wrong method) are in English.
FRENCH_HTTP = {"Not Found": "Adresse inconnue : cette page ou ce document n'existe pas.",
               "Method Not Allowed": "Méthode HTTP non autorisée pour cette adresse."}


class AnswersUnavailable(Exception):
    """The answer engine could not be built (a misconfigured LLM…): a 503, never a 500."""


class AnswerFailed(Exception):
    """An unexpected error while answering: the engine's failure (503), its cause in the log."""


@dataclass(frozen=True)
class Problem:
    status: int
    message: str
    headers: dict[str, str] | None = field(default=None)
    extra: dict[str, Any] | None = field(default=None)  # fields beside `detail` a client acts on


class Row(NamedTuple):
    status: int | Callable[[Exception], int]
    message: str | Callable[[Exception], str]  # a format string of `exc`, or a function of it
    headers: dict[str, str] | Callable[[Exception], dict[str, str]] | None = None
    extra: Callable[[Exception], dict[str, Any]] | None = None


def _unlawful_input(exc: UnlawfulInput) -> dict[str, Any]:
    return {"constats": [f.model_dump() for f in exc.findings], "reecriture": exc.rewrite}


# One row per domain error; the most specific class of an exception wins (its MRO is walked).
ERRORS: dict[type[Exception], Row] = {
    QuestionError: Row(422, "{exc}"),
    ConversationError: Row(422, "{exc}"),
    ConversationNotYours: Row(404, "{exc}"),
    IndexMissing: Row(503, "Index indisponible : {exc}"),
    VectorStoreUnavailable: Row(503, SEARCH_DOWN),
    EmbedderError: Row(503, SEARCH_DOWN),
    LLMConfigError: Row(503, "Modèle de langue mal configuré : {exc}"),
    AnswersUnavailable: Row(503, "Moteur de réponses indisponible : {exc}"),
    AnswerFailed: Row(503, ENGINE_FAILED),
    # PostgreSQL down: the worker stays up and clients retry soon.
    StateDBUnavailable: Row(503, "{exc}", {"Retry-After": "5"}),
    RateLimited: Row(429, "{exc}", lambda exc: {"Retry-After": str(exc.retry_after)}),
    BriefError: Row(422, "{exc}"),
    DraftError: Row(422, "{exc}"),
    ClauseInputError: Row(422, lambda exc: "Requête invalide : " + " ; ".join(exc.messages)),
    UnlawfulInput: Row(422, lambda exc: "Rédaction refusée, la demande elle-même est contraire au code : "
                       + " ".join(exc.messages), extra=_unlawful_input),
    UploadRefused: Row(lambda exc: exc.status, "{exc.message}"),
    LoadError: Row(422, "Valeur refusée : {exc}."),
    DocumentNotFound: Row(404, "{exc}"),
    RawFileUnavailable: Row(404, "{exc}"),
    DocumentNotDeletable: Row(409, "{exc}"),
    IndexingFailed: Row(503, "Indexation impossible, rien n'a été modifié : {exc}"),
    FeedbackError: Row(422, "{exc}"),
    UnknownMessage: Row(404, "{exc}"),
}


def problem(exc: Exception) -> Problem | None:
    """The status and French message of a domain error, or None for an error the table does not know."""
    for cls in type(exc).__mro__:
        if cls in ERRORS:
            status, message, headers, extra = ERRORS[cls]
            return Problem(status(exc) if callable(status) else status,
                           message(exc) if callable(message) else message.format(exc=exc),
                           headers(exc) if callable(headers) else headers, extra(exc) if extra else None)
    return None


# The search backend failing mid-answer keeps its own message; any other error is the engine's failure.
_KEPT_WHILE_ANSWERING = (VectorStoreUnavailable, EmbedderError)


@contextmanager
def engine_failures() -> Iterator[None]:
    """Around the production of an answer: an unexpected error becomes AnswerFailed (a 503, never a 500)."""
    try:
        yield
    except _KEPT_WHILE_ANSWERING:
        raise
    except Exception as exc:
        log.exception("answer engine failed", exc_info=exc)
        raise AnswerFailed(ENGINE_FAILED) from exc


def error_response(request: Request, status: int, message: Any, headers: dict[str, str] | None = None,
                   extra: dict[str, Any] | None = None) -> JSONResponse:
    """`detail` for our clients (and what they can act on, `extra`); on `/v1/` also the OpenAI error object that
    OpenAI clients show."""
    content = {"detail": message, **(extra or {})}
    if request.url.path.startswith("/v1/"):
        kind = "invalid_request_error" if status < 500 else "service_unavailable"
        content["error"] = {"message": message, "type": kind, "param": None, "code": status}
    return JSONResponse(status_code=status, content=content, headers=headers)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    found = problem(exc)  # never None: only the table's classes are routed here
    if isinstance(exc, StateDBUnavailable):
        log.warning("shared database unavailable: %s", exc)
    return error_response(request, found.status, found.message, found.headers, found.extra)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = FRENCH_HTTP.get(exc.detail, exc.detail) if isinstance(exc.detail, str) else exc.detail
    return error_response(request, exc.status_code, detail, exc.headers)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Each field named with its problem (« question : doit être un texte »), malformed JSON said as such.
    return error_response(request, 422, "Paramètres invalides : " + " ; ".join(validation_messages(exc.errors(), skip=1)) + ".")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A bug still answers in French; Starlette re-raises it afterwards so the server logs the traceback.
    return error_response(request, 500, INTERNAL_ERROR)


def register(app: FastAPI) -> None:
    """Install the handlers: the table's errors, HTTP and validation errors, and any other as a French 500."""
    for cls in ERRORS:
        app.add_exception_handler(cls, _domain)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)
