"""`assistant clause | clause-types | lint-clause`: the clause generator, its library and the legal linter."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from assistant.cli.common import ENVIRONMENT_ERRORS, console, container, err, fail

EXIT_FINDINGS, EXIT_ERROR = 1, 2


def parse_amount_option(value: str) -> float:
    """"180000", "180 000", "180 000 €", "1,5 M€", "800 k€" -> euros; French ValueError otherwise."""
    from assistant.grounding.lint import parse_amount

    match = re.fullmatch(r"\s*(\d[\d \u00a0\u202f.]*(?:,\d+)?)\s*(M\s?€|k\s?€|millions?\s+d['’]euros|€|euros?)?\s*(?:HT)?\s*",
                         value, re.IGNORECASE)
    if not match:
        raise ValueError(f"montant invalide « {value} » : exemple 180000 ou « 1,5 M€ »")
    return parse_amount(match.group(1).strip(), match.group(2) or "€")


def parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"paramètre « {item} » mal formé : écrivez nom=valeur (ou clause.nom=valeur)")
        params[name.strip()] = value.strip()
    return params


def clause(
    objet: str = typer.Option(..., "--object", "--objet", help="Objet du marché."),
    types: list[str] = typer.Option(None, "--type", help="Type de clause (répétable) ou « propose » (défaut)."),
    params: list[str] = typer.Option(None, "--param", help="Paramètre nom=valeur ou clause.nom=valeur (répétable)."),
    amount: Optional[str] = typer.Option(None, "--amount", "--montant", help="Montant estimé HT (180000, « 1,5 M€ »)."),
    buyer: Optional[str] = typer.Option(None, "--buyer", "--acheteur", help="Nom de l'acheteur."),
    procedure: Optional[str] = typer.Option(None, "--procedure", help="adaptee, appel-offres, negociee, dialogue, sans-publicite."),
    lots: list[str] = typer.Option(None, "--lot", help="Intitulé d'un lot (répétable)."),
    duration: Optional[int] = typer.Option(None, "--duree", "--duration", help="Durée du marché en mois."),
    sector: Optional[str] = typer.Option(None, "--secteur", "--sector", help="Secteur ou code CPV."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON complète."),
    docx: Optional[Path] = typer.Option(None, "--docx", help="Écrire un document Word."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Écrire un fichier Markdown."),
) -> None:
    """Rédiger des clauses de marché licites, fondées sur leurs articles (RC, CCAP, CCTP, AE).

    Code de sortie : 0 si les clauses sont rédigées, 1 si l'index est absent, 2 si la demande est invalide."""
    from assistant.clauses.generator import ClauseInputError, UnlawfulInput
    from assistant.clauses.models import ClauseRequest, validation_message

    try:
        request = ClauseRequest(object=objet, types=types or ["propose"], params=parse_params(params or []),
                                amount=parse_amount_option(amount) if amount else None, buyer=buyer,
                                procedure=procedure, lots=lots or [], duration_months=duration, sector=sector)
    except ValidationError as exc:
        fail(validation_message(exc), EXIT_ERROR)
    except ValueError as exc:
        fail(str(exc), EXIT_ERROR)
    try:
        result = container().clauses.generate(request)
    except ClauseInputError as exc:
        lead = "rédaction refusée, la demande elle-même est contraire au code :" if isinstance(exc, UnlawfulInput) else ""
        fail(lead + "\n  - " + "\n  - ".join(exc.messages), EXIT_ERROR)
    except ENVIRONMENT_ERRORS as exc:
        fail(str(exc), code=1)  # the environment, not the request: same code as `assistant search`
    for path, render in ((docx, "docx"), (markdown, "markdown")):
        if path is None:
            continue
        try:
            if render == "docx":
                from assistant.render.clauses_docx import clauses_docx
                path.write_bytes(clauses_docx(result))
            else:
                from assistant.render.clauses_markdown import clauses_markdown
                path.write_text(clauses_markdown(result), encoding="utf-8")
        except OSError as exc:
            fail(f"impossible d'écrire {path} : {exc.strerror or exc}", EXIT_ERROR)
        err.print(f"{'Document Word' if render == 'docx' else 'Fichier Markdown'} écrit : {path}", highlight=False)
    if json_output:
        print(result.model_dump_json(indent=2))
        return
    for w in result.input_warnings:
        console.print(f"[yellow]Vigilance sur votre demande ({escape(w.label)}) :[/] " + escape(
            f"{w.finding.title} — « {w.finding.quote} » ({', '.join(w.finding.articles)}). {w.finding.rewrite}"),
            highlight=False)
    if result.input_warnings:
        console.print()
    if result.proposals:
        console.print("[bold]Clauses proposées pour cet objet[/]")
        for p in result.proposals:
            console.print(f"  • {p.title} — {p.reason}", highlight=False, markup=False)
        console.print()
    for d in result.drafts:
        console.print(f"[bold cyan]{d.placement} — {d.title}[/]  [dim]({d.type_id})[/]", highlight=False)
        console.print(d.text, highlight=False, markup=False)
        console.print("[dim]Fondements : " + ", ".join(
            f"{b.article_id}" + (f" (en vigueur depuis le {b.in_force_since})" if b.in_force_since else "")
            for b in d.legal_basis) + "[/]", highlight=False)
        for w in d.warnings:
            console.print(f"[yellow]Vigilance :[/] {w.message}", highlight=False, markup=False)
        console.print()
    console.print("[bold]Projet — à valider par votre service juridique.[/]")


def clause_types(json_output: bool = typer.Option(False, "--json", help="Sortie JSON.")) -> None:
    """Lister les types de clauses de la bibliothèque et leurs paramètres."""
    from assistant.clauses.library import LibraryError

    try:
        library = container().clause_library
    except LibraryError as exc:
        fail(str(exc), EXIT_ERROR)
    if json_output:
        data = [c.model_dump(exclude={"template"}) for c in library]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Bibliothèque de clauses ({len(library)} types)")
    table.add_column("Identifiant")
    table.add_column("Document")
    table.add_column("Titre")
    table.add_column("Paramètres (défaut)")
    for c in library:
        table.add_row(c.id, c.placement, c.title,
                      ", ".join(f"{p.name}={p.default if p.default_expr is None else 'auto'}" for p in c.parameters))
    console.print(table)


def lint_clause(
    file: Path = typer.Argument(..., help="Fichier texte, Markdown ou Word (.docx) à vérifier ; « - » pour l'entrée standard."),
    amount: Optional[str] = typer.Option(None, "--amount", "--montant", help="Montant estimé HT, pour juger le chiffre d'affaires exigé."),
    json_output: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Vérifier la conformité d'une clause (origine, localisation, marques, critères, proportionnalité).

    Code de sortie : 0 sans remarque, 1 si des non-conformités sont trouvées, 2 en cas d'erreur."""
    try:
        estimated = parse_amount_option(amount) if amount else None
    except ValueError as exc:
        fail(str(exc), EXIT_ERROR)
    text = read_text(file)
    if not text.strip():
        fail(f"le fichier {file} est vide", EXIT_ERROR)
    findings = container().linter.lint(text, amount=estimated)
    if json_output:
        print(json.dumps([f.model_dump() for f in findings], ensure_ascii=False, indent=2))
    elif not findings:
        console.print("Aucune non-conformité détectée.")
    else:
        for f in findings:
            line = text.count("\n", 0, f.start) + 1
            console.print(f"[bold red]{f.severity.upper()}[/] ligne {line} — {f.title} [dim]({f.rule_id})[/]", highlight=False)
            console.print(f"  « {f.quote} »", highlight=False, markup=False)
            console.print(f"  {f.explanation} ({', '.join(f.articles)})", highlight=False, markup=False)
            console.print(f"  Proposition : {f.rewrite}", highlight=False, markup=False)
    if findings:
        raise typer.Exit(EXIT_FINDINGS)


def read_text(file: Path) -> str:
    """A text, Markdown or Word file given on the command line (« - »: standard input), in French errors."""
    from assistant.factcheck.reader import DraftError, draft_text

    if str(file) == "-":
        return sys.stdin.read()
    if not file.is_file():
        fail(f"fichier introuvable : {file}", EXIT_ERROR)
    try:
        return draft_text(file.name, file.read_bytes())
    except DraftError as exc:
        fail(f"{file} : {exc}", EXIT_ERROR)
    return ""
