"""Mistral through langchain-mistralai: La Plateforme, or any server speaking its API at ASSISTANT_LLM_BASE_URL."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.grounding.llm.base import PLACEHOLDER_API_KEY, LLMBackend, LLMConfigError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


class MistralBackend(LLMBackend):
    name = "mistral"
    package = "langchain-mistralai"

    def check(self, settings: Settings) -> None:
        super().check(settings)
        if not settings.llm_base_url and not settings.llm_api_key:
            raise LLMConfigError(
                "Le fournisseur mistral sans ASSISTANT_LLM_BASE_URL appelle l'API de Mistral AI, qui demande "
                "une clé : renseignez ASSISTANT_LLM_API_KEY, ou ASSISTANT_LLM_BASE_URL pour un serveur local.")
        if not 0.0 <= settings.llm_temperature <= 1.0:
            raise LLMConfigError(
                "Avec le fournisseur mistral, ASSISTANT_LLM_TEMPERATURE doit être comprise entre 0 et 1.")

    def build(self, settings: Settings) -> "BaseChatModel":
        self.check(settings)
        try:
            from langchain_mistralai import ChatMistralAI
        except ImportError as exc:
            raise self.missing_extra(exc) from exc
        options: dict = {}
        if settings.llm_base_url:
            # Without it the client would read MISTRAL_BASE_URL or call api.mistral.ai.
            options["base_url"] = settings.llm_base_url.rstrip("/")
        return ChatMistralAI(
            model=settings.llm_model,
            api_key=settings.llm_api_key or PLACEHOLDER_API_KEY,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout=max(1, math.ceil(settings.llm_timeout)),  # the client takes whole seconds
            # tenacity counts attempts: 1 means a single try, so a dead server fails fast.
            max_retries=1,
            **options,
        )
