"""Vector store backends. Chroma (embedded on disk, or a server through its HTTP client).

We always pass our own vectors: Chroma's default embedding function would try to download
an English model, which fails offline.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings


class VectorStoreUnavailable(RuntimeError):
    """The vector store cannot be reached (French message)."""


class VectorStore(Protocol):
    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None: ...
    def delete(self, ids: list[str]) -> None: ...
    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]: ...
    def ids(self) -> set[str]: ...
    def count(self) -> int: ...


class ChromaStore:
    """Chroma collection with cosine distance; scores returned as cosine similarities."""

    _BATCH = 2000

    def __init__(self, settings: Settings, dim: int, model_id: str, collection: str | None = None):
        import chromadb

        self.collection_name = collection or settings.chroma_collection

        chroma_settings = chromadb.Settings(anonymized_telemetry=False)
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                self._client = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1", port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https", settings=chroma_settings)
                self._client.heartbeat()
                self.location = settings.chroma_url
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
                self.location = str(settings.chroma_dir)
            self._collection = self._client.get_or_create_collection(
                self.collection_name, embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_search": 128}},
                metadata={"embedder": model_id, "dim": dim})
        except Exception as exc:  # noqa: BLE001 - connection and config errors have many types
            raise VectorStoreUnavailable(
                f"base vectorielle Chroma injoignable ({settings.chroma_url or settings.chroma_dir}) : {exc}") from exc
        stored = (self._collection.metadata or {}).get("embedder")
        if stored and stored != model_id:
            raise VectorStoreUnavailable(
                f"l'index a été construit avec l'embedder « {stored} » mais la configuration demande "
                f"« {model_id} » ; lancez `assistant reindex` pour revectoriser les passages avec l'embedder "
                "configuré")

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            if "connect" in str(exc).lower() or exc.__class__.__name__ in ("ConnectError", "ConnectTimeout"):
                raise VectorStoreUnavailable(f"base vectorielle Chroma injoignable : {exc}") from exc
            raise

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), self._BATCH):
            end = start + self._BATCH
            self._call(self._collection.upsert, ids=ids[start:end],
                       embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                       metadatas=metadatas[start:end])

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), self._BATCH):
            self._call(self._collection.delete, ids=ids[start:start + self._BATCH])

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        result = self._call(self._collection.query, query_embeddings=[np.asarray(vector, dtype=np.float32)],
                            n_results=k, where=where or None, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            batch = self._call(self._collection.get, include=[], limit=10000, offset=offset)["ids"]
            out.update(batch)
            if len(batch) < 10000:
                return out
            offset += len(batch)

    def count(self) -> int:
        return int(self._call(self._collection.count))

    def get_all(self, batch: int = 2000):
        """(ids, embeddings, metadatas) batches of the whole collection (backups)."""
        offset = 0
        while True:
            got = self._call(self._collection.get, include=["embeddings", "metadatas"], limit=batch, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], np.asarray(got["embeddings"], dtype=np.float32), got["metadatas"]
            offset += len(got["ids"])

    def drop_other(self, name: str) -> None:
        """Delete another collection of the same Chroma (the one a reindex replaced)."""
        if name != self.collection_name:
            try:
                self._call(self._client.delete_collection, name)
            except VectorStoreUnavailable:
                raise
            except Exception:  # noqa: BLE001 - already gone: nothing to delete
                pass


def open_vector_store(settings: Settings, dim: int, model_id: str, collection: str | None = None) -> VectorStore:
    return ChromaStore(settings, dim=dim, model_id=model_id, collection=collection)
