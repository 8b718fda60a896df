"""`assistant reindex`: rebuild the vectors (and BM25) from the catalog's chunk texts with the
configured embedder, into a new Chroma collection, then switch to it in one catalog transaction.

Source files are not re-read: the catalog keeps every chunk's embedding text. Until the switch,
readers keep the old collection; a reindex killed midway leaves the old index in place, and the
rerun starts the new collection over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from assistant.index.embeddings import describe_embedder
from assistant.index.store import IndexStore
from assistant.index.vectorstore import open_vector_store
from assistant.maintenance.lock import write_lock
from assistant.index.version import COLLECTION_KEY, DIM_KEY, EMBEDDER_KEY
from assistant.text.normalize import sha256_hex

_BATCH = 256


@dataclass
class ReindexReport:
    chunks: int
    embedded: int
    embedder: str
    dim: int
    collection: str
    previous_collection: str
    seconds: float


def target_collection(base: str, model_id: str, active: str) -> str:
    """Deterministic name per embedder (a killed run's leftovers are found and replaced)."""
    name = f"{base}-{sha256_hex(model_id)[:8]}"
    return name + "-b" if name == active else name


def reindex(index: IndexStore, on_progress: Callable[[int, int], None] = lambda done, total: None) -> ReindexReport:
    started = time.perf_counter()
    settings = index.settings
    catalog = index.catalog
    model_id, dim = describe_embedder(settings.embedder)
    with write_lock(settings.data_dir, database_url=settings.database_url):
        active = catalog.get_state(COLLECTION_KEY) or settings.chroma_collection
        name = target_collection(settings.chroma_collection, model_id, active)
        store = open_vector_store(settings, dim=dim, model_id=model_id, collection=name)
        # The old collection stays readable until the switch; leftovers of a killed reindex are dropped.
        leftovers = store.ids()
        if leftovers:
            store.delete(sorted(leftovers))
        rows = list(catalog.chunk_rows())
        before = len(index.cached_vectors([r["content_hash"] for r in rows]))
        for start in range(0, len(rows), _BATCH):
            batch = rows[start:start + _BATCH]
            vectors = index.vectors_for([r["embed_text"] for r in batch], [r["content_hash"] for r in batch])
            store.upsert([r["chunk_id"] for r in batch], np.stack([vectors[r["content_hash"]] for r in batch]),
                         [index.vector_metadata(r) for r in batch])
            on_progress(min(start + _BATCH, len(rows)), len(rows))
        generation = catalog.generation()
        catalog.switch_vectors({COLLECTION_KEY: name, EMBEDDER_KEY: model_id, DIM_KEY: str(dim),
                                "vectors_generation": str(generation + 1)})
        store.drop_other(active)
        index.rebuild_bm25()
    return ReindexReport(chunks=len(rows), embedded=len(rows) - before, embedder=model_id, dim=dim,
                         collection=name, previous_collection=active,
                         seconds=round(time.perf_counter() - started, 3))
