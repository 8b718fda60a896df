"""`assistant ingest | search | figures | stats`: building the index and reading it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from assistant.cli.common import console, container, err, fail, list_records
from assistant.index.embeddings import EmbedderError
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable



# How `assistant thresholds --limites` says what a rule on a rate does with its value.
_RULE_LABELS = {"max": "{} au plus", "beyond": "au-delà de {} : permis", "over": "au-delà de {}", "upto": "jusqu'à {}"}

def ingest(
    paths: list[Path] = typer.Argument(None, help="Fichiers ou dossiers à indexer (défaut : le corpus configuré)."),
    prune: bool = typer.Option(False, "--prune", help="Retirer de l'index les documents dont le fichier a disparu."),
    json_output: bool = typer.Option(False, "--json", help="Afficher le rapport en JSON."),
) -> None:
    """Indexer des documents (.md, .txt, .html, .pdf, .docx) ; relancer n'indexe que ce qui a changé."""
    from assistant.ingest.pipeline import Ingestor
    from assistant.ingest.pipeline import Progress as Callbacks

    services = container()
    targets = paths or [services.settings.corpus_dir]
    try:
        index = services.index
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[info]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                      console=err, transient=False, disable=json_output or not err.is_terminal) as bar:
            files = bar.add_task("Documents à indexer", total=None, info="")
            chunks = bar.add_task("Passages vectorisés", total=None, info="")
            state = {"embedded": 0, "tokens": 0, "t0": None}

            def on_chunks(n: int, tokens: int) -> None:
                import time
                state["t0"] = state["t0"] or time.perf_counter()
                state["embedded"] += n
                state["tokens"] += tokens
                rate = state["embedded"] / max(time.perf_counter() - state["t0"], 1e-6)
                bar.update(chunks, advance=n, info=f"{rate:.1f} passages/s")

            def on_start(n_files: int, n_chunks: int) -> None:
                bar.update(files, total=n_files)
                bar.update(chunks, total=n_chunks)

            callbacks = Callbacks(
                on_start=on_start,
                on_file=lambda name: bar.update(files, info=name[-50:]),
                on_chunks=on_chunks,
                on_file_done=lambda: bar.advance(files),
            )
            report = Ingestor(index, callbacks).run(list(targets), prune=prune)
    except (VectorStoreUnavailable, EmbedderError, IndexMissing) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("indexation interrompue : l'index précédent reste utilisable ; "
              "relancez la même commande pour terminer (le travail déjà fait est conservé).", code=130)
    if json_output:
        print(report.model_dump_json(indent=2))
        return
    table = Table(title="Rapport d'indexation", show_header=False)
    table.add_row("Fichiers examinés", str(report.files_seen))
    table.add_row("Ajoutés / mis à jour / inchangés",
                  f"{len(report.added)} / {len(report.updated)} / {report.unchanged}")
    table.add_row("Retirés (--prune)", str(len(report.removed)))
    table.add_row("Passages écrits", str(report.chunks_written))
    table.add_row("Vectorisés / repris du cache", f"{report.chunks_embedded} / {report.chunks_from_cache}")
    if report.embed_seconds:
        table.add_row("Vitesse de vectorisation",
                      f"{report.chunks_embedded / report.embed_seconds:.1f} passages/s, "
                      f"{report.tokens_embedded / report.embed_seconds:.0f} tokens/s")
    table.add_row("Durée", f"{report.seconds:.1f} s")
    console.print(table)
    for skipped in report.skipped:
        console.print(f"[yellow]Ignoré[/] {skipped.path} : {skipped.reason}")
    counts = index.catalog.counts()
    console.print(f"Index : {counts['documents']} documents, {counts['chunks']} passages.")


def search(
    query: str = typer.Argument(..., help="Question ou mots-clés ; une référence d'article (R2152-7) est reconnue."),
    k: int = typer.Option(5, "-k", "--k", min=1, max=100, help="Nombre de passages."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Filtrer par type (séparés par des virgules)."),
    audience: Optional[str] = typer.Option(None, "--audience", help="Filtrer par public : public, members, staff."),
    date_from: Optional[str] = typer.Option(None, "--depuis", help="Documents datés à partir de AAAA-MM-JJ."),
    date_to: Optional[str] = typer.Option(None, "--jusqu-a", help="Documents datés jusqu'à AAAA-MM-JJ."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Rechercher les passages les plus pertinents (recherche hybride BM25 + vecteurs)."""
    from assistant.index.filters import SearchFilters, filter_error_message

    if not query.strip():
        fail("la requête est vide")
    try:
        filters = SearchFilters(doc_type=doc_type, audience=audience, date_from=date_from, date_to=date_to)
    except ValueError as exc:
        fail(filter_error_message(exc))
    try:
        hits = container().ready_searcher().search(query, k=k, filters=filters)
    except (IndexMissing, VectorStoreUnavailable, EmbedderError) as exc:
        fail(str(exc))
    if json_output:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("Aucun passage trouvé.")
    for hit in hits:
        console.print(f"[bold]{hit.rank}.[/] [cyan]{hit.title}[/] — {hit.locator}  [dim]({hit.doc_type}, score {hit.score:.3f})[/]")
        console.print(f"   {hit.text[:300]}{'…' if len(hit.text) > 300 else ''}", highlight=False)
        console.print(f"   [dim]{hit.source}[/]")


def figures(
    query: str = typer.Argument(..., help="Sujet recherché (« commande publique », « emplois »…)."),
    k: int = typer.Option(10, "-k", "--k", min=1, max=100, help="Nombre de chiffres."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Filtrer par type (séparés par des virgules)."),
    kind: Optional[str] = typer.Option(None, "--nature", help="percent, amount, jobs, count, date, ratio "
                                                               "(séparés par des virgules)."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Chercher les chiffres clés extraits des documents, chacun avec sa phrase, sa source et sa date."""
    if not query.strip():
        fail("la requête est vide")
    services = container()
    try:
        services.index.ensure_ready()
    except IndexMissing as exc:
        fail(str(exc))
    store = services.figures
    store.ensure_synced(services.index.catalog)  # an index built before the figures existed is extracted now
    split = lambda v: [x.strip() for x in v.split(",") if x.strip()] if v else None  # noqa: E731
    hits = store.search(query, k=k, doc_type=split(doc_type), kind=split(kind))
    if json_output:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("Aucun chiffre trouvé.")
        return
    table = Table(title=f"Chiffres clés — « {query} »", show_lines=True)
    table.add_column("Chiffre", style="bold", no_wrap=True)
    table.add_column("Ce qu'il mesure (phrase)")
    table.add_column("Source")
    table.add_column("Date", no_wrap=True)
    table.add_column("Attribution")
    for hit in hits:
        claim = f"[cyan]{hit.measures}[/]\n" if hit.measures else ""
        table.add_row(hit.value, claim + hit.sentence, f"{hit.title}\n[dim]{hit.locator}[/]", hit.date or "—",
                      hit.attribution or "—")
    console.print(table)


def stats(json_output: bool = typer.Option(False, "--json", help="Sortie JSON.")) -> None:
    """Afficher le contenu de l'index."""
    index = container().index
    counts = index.catalog.counts()
    by_type = index.catalog.stats_by_type()
    data = {**counts, "by_type": by_type, "data_dir": str(index.settings.data_dir.resolve()),
            "embedder": index.settings.embedder, "generation": index.catalog.generation()}
    if json_output:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Index ({data['data_dir']})")
    table.add_column("Type")
    table.add_column("Documents", justify="right")
    table.add_column("Passages", justify="right")
    for row in by_type:
        table.add_row(row["doc_type"], str(row["documents"]), str(row["chunks"]))
    table.add_row("[bold]Total", f"[bold]{counts['documents']}", f"[bold]{counts['chunks']}")
    console.print(table)


def thresholds(
    aspect: Optional[str] = typer.Option(None, "--aspect", help="Ce que décide le seuil (ecrit, publicite, avance…)."),
    article: Optional[str] = typer.Option(None, "--article", help="Seulement cet article (« R2122-8 »)."),
    missing: bool = typer.Option(False, "--manquants", help="Seulement les seuils dont la valeur n'est pas dans les "
                                                           "documents (avis annexé, texte non indexé)."),
    limits: bool = typer.Option(False, "--limites", help="Les limites fixées à ce que prévoit l'acheteur (taux, "
                                                         "multiple du montant, durée) au lieu des seuils."),
    cases: bool = typer.Option(False, "--sans-montant", help="Les cas où un article permet, quel que soit le montant, "
                                                              "ce qu'un seuil permet en dessous d'un montant (urgence, "
                                                              "œuvre d'art…) au lieu des seuils."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Les seuils du Code de la commande publique lus dans les articles indexés : montant, comparaison, marchés
    concernés, conditions et conséquence, chacun avec son article (--limites : les plafonds de taux et de durée ;
    --sans-montant : les cas admis sans condition de montant)."""
    from assistant.thresholds.table import aspect_ids, bound_label

    if aspect and aspect not in aspect_ids():
        fail(f"Aspect inconnu « {aspect} » : choisissez parmi {', '.join(aspect_ids())}.")
    services = container()
    try:
        services.index.ensure_ready()
    except IndexMissing as exc:
        fail(str(exc))
    if limits:
        found = [l for l in services.thresholds.limits() if not article or l.article.upper() == article.upper()]
        list_records(found, as_json=json_output, title="Limites fixées par le Code de la commande publique",
                     row=lambda l: [l.article, l.subject, _RULE_LABELS[l.rule].format(l.written) + (" (PME)" if l.small_firms else ""),
                                    l.quote],
                     show_lines=True, columns=("Article", "Ce qui est borné", "Limite", "Disposition"),
                     empty="Aucune limite trouvée dans les articles indexés.")
        return
    if cases:
        found = [c for c in services.thresholds.cases() if (not article or c.article.upper() == article.upper())
                 and (not aspect or c.aspect == aspect)]
        list_records(found, as_json=json_output, title="Cas admis sans condition de montant",
                     row=lambda c: [c.article, c.aspect_label, c.case, ", ".join(c.contract_types) or "tous",
                                    ", ".join(c.words)],
                     show_lines=True, columns=("Article", "Décide", "Cas", "Marchés", "Mots qui le reconnaissent"),
                     empty="Aucun cas sans condition de montant trouvé dans les articles indexés.")
        return
    rows = services.thresholds.select(aspect=aspect, article=article, missing=True if missing else None)

    def row(t) -> list[str]:
        conditions = "\n".join(c.text for c in t.conditions) or "—"
        # A rule the Code decides without an amount (a duration, a kind of contract, a small firm) shows its conditions.
        compared = "\n".join(bound_label(b) for b in t.bounds) or "sans montant : voir les conditions"
        return [t.article, t.aspect_label or "—", f"{t.subject}\n{compared}",
                conditions, t.effect]

    list_records(rows, as_json=json_output, title="Seuils du Code de la commande publique", row=row, show_lines=True,
                 columns=("Article", "Décide", "Comparaison", "Autres conditions", "Disposition"),
                 empty="Aucun seuil trouvé dans les articles indexés.")
