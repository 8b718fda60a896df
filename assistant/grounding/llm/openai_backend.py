"""OpenAI-compatible servers (vLLM, Ollama, llama.cpp server, Albert API, OpenAI) through langchain-openai."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.grounding.llm.base import CONNECT_TIMEOUT, PLACEHOLDER_API_KEY, LLMBackend, LLMConfigError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


class OpenAIBackend(LLMBackend):
    name = "openai"
    package = "langchain-openai"

    def check(self, settings: Settings) -> None:
        super().check(settings)
        if not settings.llm_base_url and not settings.llm_api_key:
            raise LLMConfigError(
                "Ni ASSISTANT_LLM_BASE_URL ni ASSISTANT_LLM_API_KEY ne sont renseignés : indiquez l'adresse de votre "
                "serveur compatible OpenAI (par exemple http://127.0.0.1:11434/v1 pour Ollama) ou une clé d'API.")

    def build(self, settings: Settings) -> "BaseChatModel":
        self.check(settings)
        try:
            import httpx
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise self.missing_extra(exc) from exc
        extra: dict = {}
        if settings.llm_base_url:
            # langchain-openai sends only `max_completion_tokens`; Ollama, llama.cpp and older vLLM read
            # `max_tokens`, so local servers get both (the official API rejects the pair for some models).
            extra["extra_body"] = {"max_tokens": settings.llm_max_tokens}
        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url or None,
            # Only our own setting is used: a stray OPENAI_API_KEY must not be sent to a local server.
            api_key=settings.llm_api_key or PLACEHOLDER_API_KEY,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout=httpx.Timeout(settings.llm_timeout, connect=min(CONNECT_TIMEOUT, settings.llm_timeout)),
            # No retries: the answer engine falls back to the extractive generator at once instead.
            max_retries=0,
            **extra,
        )
