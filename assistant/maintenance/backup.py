"""`assistant backup` / `assistant restore`: a consistent snapshot of the data dir.

A backup holds the data dir's write lock (no ingest, reindex or restore meanwhile), copies every
SQLite database with SQLite's online backup API (the app may keep writing conversations and
feedback: the copy is still a consistent state), copies the other files (embedded Chroma, BM25,
uploaded documents), and writes `manifest.json` (format, version, embedder, counts, time, SHA-256
of every file). With a Chroma server the collection's vectors are exported (`vectors.npz`) and the
restore upserts them into the configured server.

The result is a directory, or a `.tar.gz` archive when DEST ends with `.tar.gz`/`.tgz`. A restore
checks the manifest and the checksums, builds the new data dir beside the current one, then swaps
them by renaming: an interrupted restore leaves the current data dir untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from assistant import __version__
from assistant.config import Settings
from assistant.index.catalog import SCHEMA_VERSION, Catalog
from assistant.maintenance.lock import LOCK_NAME, write_lock
from assistant.index.version import COLLECTION_KEY, read_stamp

MANIFEST = "manifest.json"
VECTORS = "vectors.npz"
FORMAT = 1
# Never copied: the lock, SQLite side files (the backup API copies the database), temporary folders.
_SKIP_SUFFIXES = (".sqlite-wal", ".sqlite-shm", ".sqlite-journal")
_SKIP_MARKERS = (".tmp-", ".restore-", ".replaced-")  # in a folder name: temporary work of a writer


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (French message)."""


@dataclass
class Manifest:
    format: int
    created_at: str
    app_version: str
    schema_version: int
    embedder: str | None
    dim: int | None
    chroma: str  # "embedded" (folder chroma/ in the backup) or "server" (vectors.npz)
    collection: str
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256


def _is_archive(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _sqlite_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(str(dst))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()


def _skipped(rel: Path, include_cache: bool) -> bool:
    name = rel.name
    if name == LOCK_NAME or name.endswith(_SKIP_SUFFIXES) or name.endswith(("-wal", "-shm")):
        return True
    if any(part.endswith((".old", ".partiel")) or any(m in part for m in _SKIP_MARKERS) for part in rel.parts[:-1]):
        return True  # BM25's previous copy (bm25.old) or a writer's temporary folder
    return not include_cache and rel.parts[0] == "cache"


def _export_vectors(settings: Settings, collection: str, dest: Path) -> int:
    """The server collection's vectors into `dest` (ids, embeddings, metadatas as JSON)."""
    from assistant.index.embeddings import describe_embedder
    from assistant.index.vectorstore import open_vector_store

    model_id, dim = describe_embedder(settings.embedder)
    store = open_vector_store(settings, dim=dim, model_id=model_id, collection=collection)
    ids: list[str] = []
    vectors: list[np.ndarray] = []
    metadatas: list[dict] = []
    for batch_ids, batch_vectors, batch_meta in store.get_all():
        ids += batch_ids
        vectors.append(batch_vectors)
        metadatas += batch_meta
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
    with open(dest, "wb") as fh:
        np.savez(fh, ids=np.asarray(ids, dtype=object), vectors=matrix,
                 metadatas=np.asarray(json.dumps(metadatas, ensure_ascii=False)))
    return len(ids)


def backup(settings: Settings, dest: Path, include_cache: bool = True, lock_timeout: float = 600) -> Manifest:
    """Snapshot the data dir into `dest` (directory, or .tar.gz archive); returns the manifest."""
    data_dir = settings.data_dir
    if settings.database_url:
        raise BackupError("le catalogue de l'index est dans PostgreSQL (ASSISTANT_DATABASE_URL) : sauvegardez la "
                          "base avec pg_dump et les vecteurs avec le dossier du serveur Chroma ; le dossier de "
                          "données de cette réplique ne contient que des caches")
    if not (settings.catalog_path.exists()):
        raise BackupError(f"aucun index à sauvegarder dans {data_dir} (catalogue absent)")
    dest = dest.expanduser().resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"la destination {dest} existe déjà : choisissez un nouveau nom")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sauvegarde-", dir=dest.parent))
    try:
        with write_lock(data_dir, timeout=lock_timeout):
            catalog = Catalog(settings.catalog_path)
            try:
                stamp = read_stamp(catalog)
                counts = catalog.counts()
                collection = catalog.get_state(COLLECTION_KEY) or settings.chroma_collection
            finally:
                catalog.close()
            for path in sorted(data_dir.rglob("*")):
                rel = path.relative_to(data_dir)
                if not path.is_file() or _skipped(rel, include_cache):
                    continue
                if settings.chroma_url is None or rel.parts[0] != "chroma":
                    target = staging / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if path.suffix == ".sqlite" or (path.suffix == ".sqlite3" and _is_sqlite(path)):
                        _sqlite_copy(path, target)
                    else:
                        shutil.copy2(path, target)
            if settings.chroma_url:
                counts["vectors"] = _export_vectors(settings, collection, staging / VECTORS)
        manifest = Manifest(
            format=FORMAT, created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            app_version=__version__, schema_version=stamp.schema_version, embedder=stamp.embedder, dim=stamp.dim,
            chroma="server" if settings.chroma_url else "embedded", collection=collection, counts=counts)
        manifest.files = {str(p.relative_to(staging)): _sha256(p) for p in sorted(staging.rglob("*")) if p.is_file()}
        (staging / MANIFEST).write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
        if _is_archive(dest):
            partial = dest.with_name(dest.name + ".partiel")
            with tarfile.open(partial, "w:gz") as tar:
                for path in sorted(staging.rglob("*")):
                    tar.add(path, arcname=str(path.relative_to(staging)), recursive=False)
            os.replace(partial, dest)
        else:
            if dest.exists():
                dest.rmdir()
            staging.rename(dest)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_manifest(root: Path) -> Manifest:
    """The manifest of an unpacked backup, checked against the files (French `BackupError`)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise BackupError("sauvegarde invalide : manifest.json absent") from None
    except (ValueError, TypeError) as exc:
        raise BackupError(f"sauvegarde invalide : manifest.json illisible ({exc})") from None
    if manifest.format != FORMAT:
        raise BackupError(f"format de sauvegarde {manifest.format} non pris en charge (attendu : {FORMAT})")
    if manifest.schema_version > SCHEMA_VERSION:
        raise BackupError(f"sauvegarde faite par une version plus récente (schéma {manifest.schema_version}) : "
                          "mettez l'assistant à jour avant de la restaurer")
    for rel, digest in manifest.files.items():
        path = root / rel
        if not path.is_file():
            raise BackupError(f"sauvegarde incomplète : {rel} manquant")
        if _sha256(path) != digest:
            raise BackupError(f"sauvegarde corrompue : l'empreinte de {rel} ne correspond pas au manifeste")
    if not (root / "catalog.sqlite").is_file():
        raise BackupError("sauvegarde invalide : catalog.sqlite absent")
    return manifest


def _unpack(src: Path, into: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, into, dirs_exist_ok=True)
        return
    if not _is_archive(src) or not src.is_file():
        raise BackupError(f"{src} n'est ni un dossier de sauvegarde ni une archive .tar.gz")
    try:
        with tarfile.open(src, "r:gz") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, "..", links outside
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"archive illisible ({exc})") from exc


def _import_vectors(settings: Settings, root: Path, manifest: Manifest) -> int:
    """Upsert the exported vectors into the configured Chroma (server, or the restored embedded folder)."""
    from assistant.index.vectorstore import open_vector_store

    with np.load(root / VECTORS, allow_pickle=True) as data:
        ids = [str(i) for i in data["ids"]]
        vectors = data["vectors"]
        metadatas = json.loads(str(data["metadatas"]))
    store = open_vector_store(settings, dim=int(manifest.dim or vectors.shape[1]),
                              model_id=manifest.embedder or "", collection=manifest.collection)
    stale = store.ids() - set(ids)
    if stale:
        store.delete(sorted(stale))
    if ids:
        store.upsert(ids, vectors, metadatas)
    return len(ids)


def _is_empty(data_dir: Path) -> bool:
    return not data_dir.exists() or not any(p.name != LOCK_NAME for p in data_dir.iterdir())


def restore(settings: Settings, src: Path, force: bool = False) -> Manifest:
    """Replace the data dir by the backup at `src` (refused over a non-empty data dir without `force`)."""
    if settings.database_url:
        raise BackupError("le catalogue de l'index est dans PostgreSQL (ASSISTANT_DATABASE_URL) : restaurez la base "
                          "avec pg_restore ; une réplique vide rattrape seule le catalogue")
    src = src.expanduser().resolve()
    if not src.exists():
        raise BackupError(f"sauvegarde introuvable : {src}")
    data_dir = settings.data_dir.expanduser().resolve()
    if not _is_empty(data_dir) and not force:
        raise BackupError(f"le dossier de données {data_dir} n'est pas vide : relancez avec --force pour le "
                          "remplacer par la sauvegarde")
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.restore-", dir=data_dir.parent))
    try:
        _unpack(src, staging)
        manifest = read_manifest(staging)
        (staging / MANIFEST).unlink()
        if manifest.chroma == "server" and not settings.chroma_url:
            _import_vectors(settings.model_copy(update={"data_dir": staging}), staging, manifest)
            (staging / VECTORS).unlink()
        with write_lock(data_dir, timeout=600):
            old = data_dir.with_name(f".{data_dir.name}.replaced-{int(time.time())}")
            if data_dir.exists():
                data_dir.rename(old)
            staging.rename(data_dir)
        shutil.rmtree(old, ignore_errors=True)
        if settings.chroma_url:
            if manifest.chroma == "server":
                _import_vectors(settings, data_dir, manifest)
                (data_dir / VECTORS).unlink()
            else:
                raise BackupError(
                    "données restaurées, mais cette sauvegarde vient d'un Chroma embarqué (dossier chroma/) alors "
                    "qu'ASSISTANT_CHROMA_URL désigne un serveur : restaurez sans ASSISTANT_CHROMA_URL, ou lancez "
                    "`assistant reindex` pour remplir le serveur depuis le catalogue")
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)
