"""`assistant brief`: write a note, a press release, talking points or a FAQ from the documents."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError

from assistant.briefs.models import BRIEF_FORMATS
from assistant.cli.common import ENVIRONMENT_ERRORS, console, container, err, fail
from assistant.text.normalize import fold

AUDIENCE_CHOICES = "elus, presse, adherents, acheteurs"


def brief(
    topic: str = typer.Option(..., "--topic", "-t", help="Sujet (« La commande publique, levier de réindustrialisation »)."),
    format: str = typer.Option("note", "--format", "-f", help=f"Format : {', '.join(BRIEF_FORMATS)}."),
    audience: str = typer.Option("elus", "--audience", "-a", help=f"Public : {AUDIENCE_CHOICES}."),
    length: str = typer.Option("standard", "--length", help="Longueur : court, standard, long."),
    title: Optional[str] = typer.Option(None, "--title", help="Titre choisi (sinon celui du format)."),
    json_output: bool = typer.Option(False, "--json", help="Afficher la note complète en JSON."),
    docx: Optional[Path] = typer.Option(None, "--docx", help="Écrire aussi la note au format Word (.docx)."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Écrire aussi la note en Markdown (.md)."),
    review: Optional[Path] = typer.Option(None, "--relecture", help="Écrire la fiche de relecture interne (.md)."),
) -> None:
    """Rédiger une note de plaidoyer, un communiqué, une fiche argumentaire ou une FAQ, chaque phrase sourcée."""
    from assistant.briefs.generator import BriefError
    from assistant.briefs.models import BriefRequest
    from assistant.index.filters import filter_error_message
    from assistant.render.brief_markdown import brief_markdown

    # Accents and case do not matter (« élus », « Presse »): the request folds them the same way.
    format, audience, length = (fold(value).strip().lower() for value in (format, audience, length))
    if format not in BRIEF_FORMATS:
        fail(f"format inconnu « {format} » : choisissez parmi {', '.join(BRIEF_FORMATS)}")
    if audience not in AUDIENCE_CHOICES.split(", "):
        fail(f"public inconnu « {audience} » : choisissez parmi {AUDIENCE_CHOICES}")
    if length not in ("court", "standard", "long"):
        fail(f"longueur inconnue « {length} » : court, standard ou long")
    for path, suffix in ((docx, ".docx"), (markdown, ".md"), (review, ".md")):
        if path is not None and (path.suffix.lower() != suffix or not path.parent.is_dir()):
            fail(f"fichier de sortie invalide « {path} » : extension {suffix} attendue, dans un dossier existant")
    try:
        request = BriefRequest(topic=topic, format=format, audience=audience, length=length, title=title)
    except ValidationError as exc:
        fail(filter_error_message(exc))
    services = container()
    try:
        # The command line reads every document, like the staff it is meant for.
        result = services.briefs.generate(request, audiences=("public", "members", "staff"))
    except (BriefError, *ENVIRONMENT_ERRORS) as exc:
        fail(str(exc))
    text = brief_markdown(result, services.prompts)
    if docx is not None:
        from assistant.render.brief_docx import brief_docx

        docx.write_bytes(brief_docx(result))
        err.print(f"Document Word écrit : {docx}")
    if markdown is not None:
        markdown.write_text(text, encoding="utf-8")
        err.print(f"Markdown écrit : {markdown}")
    if review is not None:
        from assistant.render.brief_review import brief_review_markdown

        review.write_text(brief_review_markdown(result), encoding="utf-8")
        err.print(f"Fiche de relecture écrite : {review}")
    if json_output:
        print(result.model_dump_json(indent=2))
        return
    console.print(text, highlight=False, markup=False)
    if result.warnings:
        err.print(f"[yellow]{len(result.warnings)} point(s) de vigilance[/] : voir la fiche de relecture "
                  "(--relecture FICHIER.md), jamais dans le document.")
