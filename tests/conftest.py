"""Shared fixtures: one index of ../shared/corpus per test session, embeddings cached on disk."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.container import Container
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
CODE_DIR = SHARED_CORPUS / "commande-publique" / "code"
# Embeddings survive between local test sessions here (content-addressed, so never stale).
EMBED_CACHE = ROOT / ".test-cache" / "embeddings.sqlite"
VENV_BIN = Path(sys.executable).parent

if not SHARED_CORPUS.is_dir():  # pragma: no cover - CI always has ../shared
    raise RuntimeError(f"../shared/corpus introuvable ({SHARED_CORPUS}) : les tests utilisent le corpus réel")


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for a test data dir, pre-seeded with the shared embedding cache."""
    cache = data_dir / "cache" / "embeddings.sqlite"
    if EMBED_CACHE.exists() and not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EMBED_CACHE, cache)
    # Tests run an open deployment (every tool to every role, as ASSISTANT_CLAUSES_ROLES / ASSISTANT_BRIEFS_ROLES
    # allow); the default access by role is tested on its own (tests/api/test_roles.py).
    open_access = {"clauses_roles": "public,member,buyer,staff,admin", "briefs_roles": "public,member,buyer,staff,admin",
               "verify_roles": "public,member,buyer,staff,admin"}
    return Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus", **{**open_access, **overrides})


def save_embeddings(settings: Settings) -> None:
    """Keep the vectors computed by a test for the next session."""
    if settings.embedding_cache_path.exists():
        EMBED_CACHE.parent.mkdir(parents=True, exist_ok=True)
        import sqlite3

        src = sqlite3.connect(str(settings.embedding_cache_path))
        dst = sqlite3.connect(str(EMBED_CACHE))
        src.backup(dst)
        src.close()
        dst.close()


@pytest.fixture(scope="session")
def shared_settings(tmp_path_factory) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("shared-index"))
    index = IndexStore(settings)
    report = Ingestor(index).run([SHARED_CORPUS])
    assert report.added, "le corpus partagé n'a pas été indexé"
    index.close()
    save_embeddings(settings)
    return settings


@pytest.fixture(scope="session")
def shared_index(shared_settings) -> IndexStore:
    index = IndexStore(shared_settings)
    yield index
    index.close()


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env["ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "assistant"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def container_for(index: IndexStore, **overrides) -> Container:
    """The application container over an open index (settings changed by `overrides`), as the API builds it."""
    settings = index.settings.model_copy(update=overrides) if overrides else index.settings
    return Container(settings, index=index)


@pytest.fixture(scope="session")
def shared_container(shared_index) -> Container:
    """The container of the shared index: the engines as the API and the CLI use them."""
    container = Container(shared_index.settings, index=shared_index)
    yield container
    container.close()
