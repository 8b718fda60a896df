"""Version stamp of an index: catalog schema and embedder (id and dimension) it was built with.

Kept in the catalog's `state` table, so it travels with the catalog in backups. A mismatch with
the running configuration is reported in French by every command and the API (503), which point
to `assistant reindex`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.index.catalog import SCHEMA_VERSION, Catalog
from assistant.index.errors import IndexMissing

EMBEDDER_KEY, DIM_KEY = "index_embedder", "index_dim"
# Active Chroma collection (reindex writes a new one, then switches this key).
COLLECTION_KEY = "vector_collection"


class IndexVersionMismatch(IndexMissing):
    """The index was built by another embedder or a newer schema (French message)."""


@dataclass(frozen=True)
class IndexStamp:
    schema_version: int
    embedder: str | None
    dim: int | None


def read_stamp(catalog: Catalog) -> IndexStamp:
    dim = catalog.get_state(DIM_KEY)
    return IndexStamp(schema_version=int(catalog.get_state("schema_version") or SCHEMA_VERSION),
                      embedder=catalog.get_state(EMBEDDER_KEY), dim=int(dim) if dim else None)


def write_stamp(catalog: Catalog, model_id: str, dim: int) -> None:
    catalog.set_state(EMBEDDER_KEY, model_id)
    catalog.set_state(DIM_KEY, str(dim))


def check_stamp(catalog: Catalog, model_id: str, dim: int) -> None:
    """Raise `IndexVersionMismatch` when the index cannot be read with the running configuration.

    An index without a stamp (built before stamps existed, or still empty) is accepted: the first
    ingest writes the stamp.
    """
    stamp = read_stamp(catalog)
    if stamp.schema_version > SCHEMA_VERSION:
        raise IndexVersionMismatch(
            f"l'index a été construit par une version plus récente de l'assistant (schéma {stamp.schema_version}, "
            f"celle-ci lit le schéma {SCHEMA_VERSION}) : mettez l'assistant à jour")
    if stamp.embedder and (stamp.embedder != model_id or (stamp.dim and stamp.dim != dim)):
        raise IndexVersionMismatch(
            f"l'index a été construit avec l'embedder « {stamp.embedder} » ({stamp.dim} dimensions) mais la "
            f"configuration demande « {model_id} » ({dim} dimensions) ; lancez `assistant reindex` pour "
            "revectoriser les passages avec l'embedder configuré")
