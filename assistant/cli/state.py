"""`assistant audit | feedback`: what the application recorded — document changes, users' ratings of answers."""

from __future__ import annotations

import json

import typer

from assistant.cli.common import container, fail, list_records, state_readable, utc_label
from assistant.services.audit import AuditEntry, audit_path
from assistant.answer.models import Answer
from assistant.services.feedback import RatedAnswer, feedback_path


def audit(
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=10000, help="Nombre d'entrées (les plus récentes)."),
    document: str | None = typer.Option(None, "--document", "-d", help="Seulement ce doc_id."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Journal des ajouts, modifications, réindexations, suppressions et refus de documents."""
    services = container()
    # A listing must not create the store: no file yet means nothing was recorded.
    readable = state_readable(services.settings, audit_path(services.settings.data_dir))
    entries = services.audit.entries(limit, document) if readable else []

    def row(e: AuditEntry) -> list[str]:
        details = " ; ".join(f"{k} : {json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}"
                             for k, v in e.details.items())
        return [utc_label(e.at), e.user_name or e.user_id or "—", e.role, e.action,
                f"{e.title or ''} ({e.doc_id})" if e.doc_id else (e.title or "—"), details]

    list_records(entries, as_json=json_output, title="Journal des documents", row=row,
                 columns=("Date (UTC)", "Utilisateur", "Rôle", "Action", "Document", "Détails"),
                 empty="Aucune action enregistrée dans le journal.")


def feedback(
    rating: str = typer.Option("down", "--rating", "-r", help="down (pas utile), up (utile) ou tous."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=10000, help="Nombre de réponses (les plus récentes)."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Réponses notées par les utilisateurs (par défaut : « pas utile »), avec la question et le commentaire."""
    wanted = {"down": "down", "up": "up", "tous": None, "all": None}
    if rating not in wanted:
        fail(f"Note inconnue « {rating} » : choisissez down, up ou tous.")
    services = container()
    readable = state_readable(services.settings, feedback_path(services.settings.data_dir))
    rated = services.feedback.review(wanted[rating], limit) if readable else []

    def row(r: RatedAnswer) -> list[str]:
        shown = f"abstention : {r.reason}" if r.abstained else r.answer[:300]
        if r.status == "partial":
            said = Answer(text=r.answer, missing=r.missing).stated()  # the missing sentences once, apart
            shown = f"réponse partielle : {said[:300]}\nCe que les documents ne disent pas : {' '.join(r.missing)}"
        return [utc_label(r.rated_at), "pas utile" if r.rating == "down" else "utile", r.question, shown,
                r.comment or "—"]

    list_records(rated, as_json=json_output, title="Réponses notées par les utilisateurs", row=row,
                 columns=("Date (UTC)", "Avis", "Question", "Réponse", "Commentaire"),
                 empty="Aucune réponse notée.", show_lines=True)
