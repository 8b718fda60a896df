"""What every LLM backend provides, and the errors shared by all of them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

# Local servers (vLLM, Ollama, llama.cpp) usually ignore the key, but the clients refuse an empty one.
PLACEHOLDER_API_KEY = "sans-cle"
# A dead host should fail fast even when answers are allowed to take long.
CONNECT_TIMEOUT = 5.0


class LLMConfigError(ValueError):
    """The LLM settings are incomplete or the optional packages are missing (French message)."""


class LLMBackend(ABC):
    """Builds a LangChain chat model for one provider from the settings."""

    name: str = "backend"
    package: str = ""  # the pip package of the extra, named in the error message when it is missing

    def check(self, settings: Settings) -> None:
        """Raise LLMConfigError with a French message when the settings cannot work for this provider."""
        if not (settings.llm_model or "").strip():
            raise LLMConfigError(
                "Aucun modèle de langue n'est indiqué : renseignez ASSISTANT_LLM_MODEL avec le nom du modèle servi "
                "(par exemple mistral-small), ou revenez au moteur extractif avec ASSISTANT_LLM=extractive.")
        url = (settings.llm_base_url or "").strip()
        if url and not url.startswith(("http://", "https://")):
            raise LLMConfigError(
                f"ASSISTANT_LLM_BASE_URL doit commencer par http:// ou https:// (reçu : {url!r}), par exemple "
                "http://127.0.0.1:8001/v1.")
        if settings.llm_timeout <= 0:
            raise LLMConfigError("ASSISTANT_LLM_TIMEOUT doit être un nombre de secondes positif.")

    def missing_extra(self, exc: ImportError) -> LLMConfigError:
        return LLMConfigError(
            f"Le fournisseur « {self.name} » demande le paquet {self.package}, qui n'est pas installé "
            f"({exc.name or exc}) : installez l'extra llm avec `pip install -e '.[llm]'`.")

    @abstractmethod
    def build(self, settings: Settings) -> "BaseChatModel":
        """The chat model (call `check` first)."""
