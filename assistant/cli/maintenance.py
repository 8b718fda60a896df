"""`assistant backup | restore | reindex`: copies of the data dir, and re-embedding after an embedder change."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from assistant.cli.common import console, container, fail
from assistant.index.embeddings import EmbedderError
from assistant.index.vectorstore import VectorStoreUnavailable


def backup_command(
    dest: Path = typer.Argument(..., help="Dossier à créer, ou archive (nom en .tar.gz)."),
    no_cache: bool = typer.Option(False, "--sans-cache", help="Ne pas inclure le cache des vecteurs "
                                                              "(plus petit ; une réindexation revectorisera)."),
    json_output: bool = typer.Option(False, "--json", help="Afficher le manifeste en JSON."),
) -> None:
    """Sauvegarder l'index et les bases (copie cohérente, même pendant que l'application tourne)."""
    from assistant.maintenance.backup import BackupError, backup
    from assistant.maintenance.lock import LockBusy

    try:
        manifest = backup(container().settings, dest, include_cache=not no_cache)
    except (BackupError, LockBusy, VectorStoreUnavailable, EmbedderError) as exc:
        fail(str(exc))
    if json_output:
        print(json.dumps(asdict(manifest), ensure_ascii=False, indent=2))
        return
    counts = manifest.counts
    console.print(f"Sauvegarde écrite : {dest} — {counts.get('documents', 0)} documents, "
                  f"{counts.get('chunks', 0)} passages, {len(manifest.files)} fichiers "
                  f"(embedder {manifest.embedder or 'inconnu'}, Chroma {manifest.chroma}).", highlight=False)


def restore_command(
    src: Path = typer.Argument(..., help="Dossier ou archive .tar.gz produit par `assistant backup`."),
    force: bool = typer.Option(False, "--force", help="Remplacer un dossier de données non vide."),
) -> None:
    """Restaurer une sauvegarde dans le dossier de données (arrêtez l'application pendant la restauration)."""
    from assistant.maintenance.backup import BackupError, restore
    from assistant.maintenance.lock import LockBusy

    settings = container().settings
    try:
        manifest = restore(settings, src, force=force)
    except (BackupError, LockBusy, VectorStoreUnavailable, EmbedderError) as exc:
        fail(str(exc))
    console.print(f"Sauvegarde du {manifest.created_at} restaurée dans {settings.data_dir} : "
                  f"{manifest.counts.get('documents', 0)} documents, {manifest.counts.get('chunks', 0)} passages.",
                  highlight=False)


def reindex_command(json_output: bool = typer.Option(False, "--json", help="Rapport en JSON.")) -> None:
    """Revectoriser tous les passages avec l'embedder configuré (après un changement d'embedder)."""
    from assistant.maintenance.reindex import reindex

    services = container()
    index = services.index
    if not index.catalog.counts()["chunks"]:
        fail("l'index est vide : lancez d'abord `assistant ingest corpus`")
    try:
        report = reindex(index)
    except (VectorStoreUnavailable, EmbedderError) as exc:
        fail(str(exc))
    finally:
        services.close()
    if json_output:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        return
    console.print(f"Index revectorisé avec {report.embedder} ({report.dim} dimensions) : {report.chunks} passages "
                  f"({report.embedded} vectorisés, le reste repris du cache) en {report.seconds:.1f} s.", highlight=False)
