"""`assistant serve`: the web app and the API under uvicorn."""

from __future__ import annotations

import typer

from assistant.cli.common import container


def serve(
    host: str = typer.Option(None, help="Adresse d'écoute (défaut 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (défaut 8000)."),
    workers: int = typer.Option(1, min=1, max=64, help="Nombre de processus serveurs."),
) -> None:
    """Servir l'application web et l'API."""
    import uvicorn

    # Only the settings are read here: each server process builds its own container.
    settings = container().settings
    uvicorn.run("api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, log_level="info")
