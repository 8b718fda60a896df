"""Chat models behind one small interface, chosen by ASSISTANT_LLM_PROVIDER.

`load_chat_model(settings)` returns a LangChain `BaseChatModel` for the configured provider;
`unavailable_reason(exc)` tells whether an exception raised while calling it means the backend cannot
answer (unreachable, too slow, HTTP error), so that callers fall back instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.grounding.llm.base import LLMBackend, LLMConfigError
from assistant.grounding.llm.mistral_backend import MistralBackend
from assistant.grounding.llm.openai_backend import OpenAIBackend

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

BACKENDS: dict[str, type[LLMBackend]] = {"openai": OpenAIBackend, "mistral": MistralBackend}

__all__ = ["BACKENDS", "LLMBackend", "LLMConfigError", "backend_for", "load_chat_model", "unavailable_reason"]


def backend_for(settings: Settings) -> LLMBackend:
    try:
        return BACKENDS[settings.llm_provider]()
    except KeyError:
        choices = ", ".join(sorted(BACKENDS))
        raise LLMConfigError(
            f"Fournisseur de modèle inconnu : {settings.llm_provider!r} "
            f"(ASSISTANT_LLM_PROVIDER vaut {choices}).") from None


def load_chat_model(settings: Settings) -> "BaseChatModel":
    """The chat model of the configured provider; LLMConfigError (French) when the settings cannot work."""
    return backend_for(settings).build(settings)


def unavailable_reason(exc: BaseException) -> str | None:
    """A short French reason when `exc` means the model server cannot answer, else None (a bug to let through)."""
    try:
        import openai
    except ImportError:  # the extra is optional; without it no openai error can be raised anyway
        openai = None  # type: ignore[assignment]
    import httpx

    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return "délai de réponse dépassé"
        if isinstance(exc, openai.APIConnectionError):
            return "connexion au serveur impossible"
        if isinstance(exc, openai.APIStatusError):
            return f"le serveur a répondu HTTP {exc.status_code}"
        if isinstance(exc, openai.APIError):
            return f"réponse inutilisable du serveur ({type(exc).__name__})"
    if isinstance(exc, httpx.TimeoutException):
        return "délai de réponse dépassé"
    if isinstance(exc, httpx.ConnectError):
        return "connexion au serveur impossible"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"le serveur a répondu HTTP {exc.response.status_code}"
    if isinstance(exc, httpx.HTTPError):
        return f"échange avec le serveur interrompu ({type(exc).__name__})"
    try:
        from httpx_sse import SSEError
    except ImportError:
        SSEError = None  # type: ignore[assignment,misc]
    if SSEError is not None and isinstance(exc, SSEError):
        return "le serveur n'a pas répondu en flux (server-sent events)"
    if isinstance(exc, TimeoutError):
        return "délai de réponse dépassé"
    if isinstance(exc, ConnectionError):
        return "connexion au serveur impossible"
    return None
