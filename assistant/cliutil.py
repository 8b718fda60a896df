"""What every `assistant` sub-command shares: the consoles and the French error exit."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print « Erreur : message » on stderr and leave with `code`."""
    err.print(f"[bold red]Erreur :[/] {message}", highlight=False)
    raise typer.Exit(code)
