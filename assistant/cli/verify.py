"""`assistant verifier`: check a draft's figures, quotations and attributions against the documents."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from assistant.cli.clauses import read_text
from assistant.cli.common import ENVIRONMENT_ERRORS, console, container, err, fail

EXIT_TO_REVIEW = 1
EXIT_ERROR = 2
_COLOURS = {"confirmed": "green", "different": "red", "not_found": "red", "misattributed": "red", "old": "yellow"}


def verify(
    file: Path = typer.Argument(..., help="Texte, Markdown ou Word (.docx) à vérifier ; « - » pour l'entrée standard."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON (constats et résumé)."),
    docx: Optional[Path] = typer.Option(None, "--docx", help="Écrire le texte commenté au format Word (.docx)."),
) -> None:
    """Vérifier chaque chiffre, citation et attribution d'un texte contre les documents indexés.

    Code de sortie : 0 si tout est confirmé, 1 si un constat est à revoir, 2 en cas d'erreur."""
    from assistant.factcheck.reader import DraftError, checked

    if docx is not None and (docx.suffix.lower() != ".docx" or not docx.parent.is_dir()):
        fail(f"fichier de sortie invalide « {docx} » : extension .docx attendue, dans un dossier existant", EXIT_ERROR)
    try:
        text = checked(read_text(file))
    except DraftError as exc:
        fail(str(exc), EXIT_ERROR)
    try:
        # The command line reads every document, like the staff it is meant for.
        report = container().fact_checker.check(text, audiences=("public", "members", "staff"))
    except ENVIRONMENT_ERRORS as exc:
        fail(str(exc), EXIT_ERROR)
    if docx is not None:
        from assistant.render.factcheck_docx import factcheck_docx

        docx.write_bytes(factcheck_docx(report))
        err.print(f"Document Word commenté écrit : {docx}")
    if json_output:
        print(report.model_dump_json(indent=2))
    else:
        console.print(report.summary, highlight=False, markup=False)
        for finding in report.findings:
            colour = _COLOURS[finding.status]
            console.print(f"[{colour}]{finding.label.upper()}[/] « {finding.claim} » — {finding.message}",
                          highlight=False)
            if finding.status != "confirmed":
                console.print(f"  phrase : {finding.sentence}", highlight=False, markup=False)
                if finding.evidence is not None:
                    console.print(f"  source : {finding.evidence.title} — « {finding.evidence.sentence} »",
                                  highlight=False, markup=False)
                if finding.suggestion:
                    console.print(f"  selon la source : {finding.suggestion}", highlight=False, markup=False)
    if any(f.status != "confirmed" for f in report.findings):
        raise typer.Exit(EXIT_TO_REVIEW)
