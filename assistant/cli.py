"""Command line: `assistant ingest | search | figures | stats | serve`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from assistant.config import Settings
from assistant.index.embeddings import EmbedderError
from assistant.index.store import IndexStore
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable
from assistant.grounding.llm.base import LLMConfigError
from assistant.cliutil import console, err, fail

app = typer.Typer(help="Alliance Assistant : indexation et recherche dans les documents de l'Alliance.",
                  no_args_is_help=True, add_completion=False)


def _open_index() -> IndexStore:
    return IndexStore(Settings())


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Fichiers ou dossiers à indexer (défaut : le corpus configuré)."),
    prune: bool = typer.Option(False, "--prune", help="Retirer de l'index les documents dont le fichier a disparu."),
    json_output: bool = typer.Option(False, "--json", help="Afficher le rapport en JSON."),
) -> None:
    """Indexer des documents (.md, .txt, .html, .pdf, .docx) ; relancer n'indexe que ce qui a changé."""
    from assistant.ingest.pipeline import Ingestor
    from assistant.ingest.pipeline import Progress as Callbacks

    settings = Settings()
    targets = paths or [settings.corpus_dir]
    try:
        index = IndexStore(settings)
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


@app.command()
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
    from assistant.retrieval.search import HybridSearcher

    if not query.strip():
        fail("la requête est vide")
    try:
        filters = SearchFilters(doc_type=doc_type, audience=audience, date_from=date_from, date_to=date_to)
    except ValueError as exc:
        fail(filter_error_message(exc))
    try:
        index = _open_index()
        index.ensure_ready()
        hits = HybridSearcher(index).search(query, k=k, filters=filters)
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


@app.command()
def figures(
    query: str = typer.Argument(..., help="Sujet recherché (« commande publique », « emplois »…)."),
    k: int = typer.Option(10, "-k", "--k", min=1, max=100, help="Nombre de chiffres."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Filtrer par type (séparés par des virgules)."),
    kind: Optional[str] = typer.Option(None, "--nature", help="percent, amount, jobs, count, date, ratio "
                                                               "(séparés par des virgules)."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Chercher les chiffres clés extraits des documents, chacun avec sa phrase, sa source et sa date."""
    from assistant.figures.store import FigureStore

    if not query.strip():
        fail("la requête est vide")
    try:
        index = _open_index()
        index.ensure_ready()
    except IndexMissing as exc:
        fail(str(exc))
    store = FigureStore(index.settings.figures_path)
    store.ensure_synced(index.catalog)  # an index built before the figures existed is extracted now
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


@app.command()
def ask(
    question: str = typer.Argument(..., help="Votre question, en français."),
    json_output: bool = typer.Option(False, "--json", help="Afficher la réponse complète en JSON."),
    conversation: str | None = typer.Option(None, "--conversation", "-c",
                                            help="Identifiant de conversation (questions de suivi) ; créé s'il "
                                                 "n'existe pas."),
) -> None:
    """Poser une question : réponse courte en français, chaque phrase citée et vérifiée."""
    from assistant.answer.conversations import ConversationError
    from assistant.answer.engine import QuestionError
    from assistant.container import Container

    answer = None
    try:
        engine = Container().answers
        for event in engine.stream(question, conversation_id=conversation):
            if event.type == "delta" and not json_output:
                console.print(event.text, end="", highlight=False, markup=False)
            elif event.type == "answer":
                answer = event.answer
    except (QuestionError, ConversationError, IndexMissing, VectorStoreUnavailable, EmbedderError,
            LLMConfigError) as exc:
        fail(str(exc))
    assert answer is not None
    if json_output:
        print(answer.model_dump_json(indent=2))
        return
    if answer.abstained:
        console.print(answer.text, highlight=False, markup=False)
        if answer.reason:
            err.print(f"[dim]Motif : {escape(answer.reason)}.[/]", highlight=False)
    else:
        console.print()
    if answer.notice:
        err.print(f"[yellow]Remarque :[/] {answer.notice}", highlight=False)
    if answer.standalone_question != answer.question:
        err.print(f"[dim]Question comprise : {answer.standalone_question}[/]", highlight=False)
    if answer.citations:
        console.print("\n[bold]Sources[/]")
    for c in answer.citations:
        console.print(f"[{c.n}] {c.title} — {c.locator} ({c.source})", highlight=False, markup=False)
        console.print(f"    « {c.quote} »", highlight=False, markup=False, style="dim")
    if answer.abstained and answer.suggestions:
        console.print("\n[bold]Sources les plus proches[/]")
        for s in answer.suggestions:
            console.print(f"- {s.title} — {s.locator} ({s.source})", highlight=False, markup=False)
    if answer.conversation_id:
        err.print(f"[dim]Conversation : {answer.conversation_id}[/]")


@app.command(name="eval")
def eval_command(
    path: Path = typer.Argument(..., help="Fichier de questions (.jsonl ou .yaml)."),
    json_output: bool = typer.Option(False, "--json", help="Rapport complet en JSON."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="N'évaluer que les N premières questions."),
) -> None:
    """Évaluer le moteur de réponse : rappel, exactitude, citations, abstentions, latence."""
    from assistant.container import Container
    from assistant.evaluation import EvalError, evaluate, load_items

    try:
        items = load_items(path)[:limit]
        engine = Container().answers
        with Progress(TextColumn("[bold]Évaluation"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, disable=json_output or not err.is_terminal) as bar:
            task = bar.add_task("", total=len(items))
            report = evaluate(engine, items, on_item=lambda _: bar.advance(task))
    except (EvalError, IndexMissing, VectorStoreUnavailable, EmbedderError, LLMConfigError) as exc:
        fail(str(exc))
    if json_output:
        print(report.model_dump_json(indent=2))
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}".replace(".", ",")

    table = Table(title=f"Évaluation ({report.n} questions)", show_header=False)
    table.add_row("Rappel des sources (top 5)", pct(report.retrieval_recall))
    table.add_row("Exactitude (faits attendus présents)", pct(report.accuracy))
    table.add_row("Précision des citations", pct(report.citation_precision))
    table.add_row("Rappel des citations", pct(report.citation_recall))
    table.add_row("Abstentions : précision / rappel",
                  f"{pct(report.abstention_precision)} / {pct(report.abstention_recall)}")
    table.add_row("Refus à tort", pct(report.false_refusal_rate))
    table.add_row("Latence p50 / p95", f"{report.latency_p50_ms:.0f} ms / {report.latency_p95_ms:.0f} ms")
    console.print(table)
    kinds = Table(title="Par type de question")
    for col in ("Type", "N", "Exactitude", "Abstentions", "Rappel des sources"):
        kinds.add_column(col)
    for kind, b in report.by_kind.items():
        kinds.add_row(kind, str(b["n"]), pct(b["accuracy"]), pct(b["abstention_rate"]), pct(b["retrieval_recall"]))
    console.print(kinds)


@app.command()
def stats(json_output: bool = typer.Option(False, "--json", help="Sortie JSON.")) -> None:
    """Afficher le contenu de l'index."""
    index = _open_index()
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


@app.command()
def serve(
    host: str = typer.Option(None, help="Adresse d'écoute (défaut 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (défaut 8000)."),
    workers: int = typer.Option(1, min=1, max=64, help="Nombre de processus serveurs."),
) -> None:
    """Servir l'application web et l'API."""
    import uvicorn

    settings = Settings()
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, log_level="info")


# Clause generator commands (`clause`, `clause-types`, `lint-clause`) live with the generator.
from assistant.clauses.cli import register as _register_clause_commands  # noqa: E402

_register_clause_commands(app)

# Accounts (`users add|list|revoke|token|password`) live with the auth package.
from assistant.auth.cli import register as _register_user_commands  # noqa: E402

_register_user_commands(app)

# Brief generator command (`brief`) lives with the generator.
from assistant.briefs.cli import register as _register_brief_commands  # noqa: E402

_register_brief_commands(app)

# Maintenance commands (`backup`, `restore`, `reindex`) live with the maintenance code.
from assistant.maintenance.cli import register as _register_maintenance_commands  # noqa: E402

_register_maintenance_commands(app)


# Audit log of document management (`audit`) lives with the log.
from assistant.services.audit import register as _register_audit_commands  # noqa: E402

_register_audit_commands(app)


# Users' ratings of answers (`feedback`), for staff to see what should have been refused or answered.
from assistant.services.feedback import register as _register_feedback_commands  # noqa: E402

_register_feedback_commands(app)


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="assistant")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
