"""`assistant ask | eval`: the answer engine, one question or an evaluation set."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.cli.common import ENVIRONMENT_ERRORS, console, container, err, fail


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

    answer = None
    # A delta opening a new line is printed once the next one comes: the last one may be the sentences of what
    # the documents lack, shown in their own block below rather than twice.
    held = ""
    try:
        engine = container().answers
        for event in engine.stream(question, conversation_id=conversation):
            if event.type == "delta" and not json_output:
                if held:
                    console.print(held, end="", highlight=False, markup=False)
                    held = ""
                if event.text.startswith("\n"):
                    held = event.text
                else:
                    console.print(event.text, end="", highlight=False, markup=False)
            elif event.type == "answer":
                answer = event.answer
    except (QuestionError, ConversationError, *ENVIRONMENT_ERRORS) as exc:
        fail(str(exc))
    assert answer is not None
    if json_output:
        print(answer.model_dump_json(indent=2))
        return
    if held and held.strip() != " ".join(answer.missing):
        console.print(held, end="", highlight=False, markup=False)
    if answer.abstained:
        console.print(answer.text, highlight=False, markup=False)
        if answer.reason:
            err.print(f"[dim]Motif : {escape(answer.reason)}.[/]", highlight=False)
    else:
        console.print()
    if answer.status == "partial":
        console.print("\n[bold]Réponse partielle[/] : les documents ne répondent qu'à une partie de la question.",
                      highlight=False)
        console.print("[bold]Ce que les documents ne disent pas[/]")
        for sentence in answer.missing:
            console.print(f"- {sentence}", highlight=False, markup=False)
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


def eval_command(
    path: Path = typer.Argument(..., help="Fichier de questions (.jsonl ou .yaml)."),
    json_output: bool = typer.Option(False, "--json", help="Rapport complet en JSON."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="N'évaluer que les N premières questions."),
) -> None:
    """Évaluer le moteur de réponse : rappel, exactitude, citations, abstentions, latence."""
    from assistant.evaluation import EvalError, evaluate, load_items

    try:
        items = load_items(path)[:limit]
        engine = container().answers
        with Progress(TextColumn("[bold]Évaluation"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, disable=json_output or not err.is_terminal) as bar:
            task = bar.add_task("", total=len(items))
            report = evaluate(engine, items, on_item=lambda _: bar.advance(task))
    except (EvalError, *ENVIRONMENT_ERRORS) as exc:
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
    table.add_row("Source attendue citée en premier", pct(report.first_cited_rate))
    table.add_row("Abstentions : précision / rappel",
                  f"{pct(report.abstention_precision)} / {pct(report.abstention_recall)}")
    table.add_row("Refus à tort", pct(report.false_refusal_rate))
    table.add_row("Latence p50 / p95", f"{report.latency_p50_ms:.0f} ms / {report.latency_p95_ms:.0f} ms")
    console.print(table)
    kinds = Table(title="Par type de question")
    for col in ("Type", "N", "Exactitude", "Abstentions", "Réponses partielles", "Rappel des sources"):
        kinds.add_column(col)
    for kind, b in report.by_kind.items():
        kinds.add_row(kind, str(b["n"]), pct(b["accuracy"]), pct(b["abstention_rate"]), pct(b["partial_rate"]),
                      pct(b["retrieval_recall"]))
    console.print(kinds)
