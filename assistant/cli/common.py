"""What every `assistant` sub-command shares: the container, the consoles, the French error exit, record listings."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.grounding.llm.base import LLMConfigError
from assistant.index.embeddings import EmbedderError
from assistant.index.errors import IndexMissing
from assistant.index.vectorstore import VectorStoreUnavailable

if TYPE_CHECKING:
    from assistant.container import Container

console = Console()
err = Console(stderr=True)

# What the environment, not the request, gets wrong (no index yet, Chroma or the embedder down, a
# misconfigured LLM): each command reports them with their own French message and exit code 1.
ENVIRONMENT_ERRORS = (IndexMissing, VectorStoreUnavailable, EmbedderError, LLMConfigError)


def container() -> "Container":
    """The container of the settings read from the environment; one per command run."""
    from assistant.container import Container  # the engines' imports cost time that `--help` need not pay

    return Container()


def fail(message: str, code: int = 1) -> NoReturn:
    """Print « Erreur : message » on stderr and leave with `code`."""
    err.print(f"[bold red]Erreur :[/] {message}", highlight=False)
    raise typer.Exit(code)


def state_readable(settings, path: Path) -> bool:
    """Whether a store of the application state can be read without creating it: it lives in PostgreSQL
    (ASSISTANT_DATABASE_URL), or its SQLite file already exists in the data dir."""
    return settings.database_url is not None or path.exists()


def list_records(records: Sequence[BaseModel], *, as_json: bool, title: str, columns: Sequence[str],
                 row: Callable[[BaseModel], Sequence[str]], empty: str, show_lines: bool = False) -> None:
    """Records as JSON, or as a table (every cell printed as text: rich markup in users' or documents' words is
    never interpreted), or the French `empty` message."""
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        console.print(empty)
        return
    table = Table(title=title, show_lines=show_lines)
    for column in columns:
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*(Text(cell) for cell in row(record)))
    console.print(table)


def utc_label(timestamp: str) -> str:
    """« 2026-11-24T01:23:45Z » -> « 2026-11-24 01:23:45 »."""
    return timestamp.replace("T", " ").rstrip("Z")
