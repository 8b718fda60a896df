"""Shared pieces of the clause exports: document order, request lines, the annex of cited articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.clauses.models import PLACEMENT_TITLES, PLACEMENTS, PROCEDURES, ClauseDraft, ClauseSet
from assistant.text.dates import french_date_iso
from assistant.text.numbers import euros_ht
from assistant.grounding.models import LegalBasis

NOTICE = "Projet — à valider par votre service juridique"


def article_label(article_id: str) -> str:
    match = re.fullmatch(r"CCAG-FCS-(\d+)", article_id)
    return f"CCAG-FCS, article {match.group(1)}" if match else f"Article {article_id}"


def by_document(clause_set: ClauseSet) -> list[tuple[str, str, list[ClauseDraft]]]:
    """(placement, French title, drafts) for each document that has clauses, in RC, CCAP, CCTP, AE order."""
    out = []
    for placement in PLACEMENTS:
        drafts = [d for d in clause_set.drafts if d.placement == placement]
        if drafts:
            out.append((placement, PLACEMENT_TITLES[placement], drafts))
    return out


@dataclass
class AnnexEntry:
    basis: LegalBasis
    cited_by: list[str] = field(default_factory=list)  # "RC art. 2 — Allotissement"


def legal_annex(clause_set: ClauseSet) -> list[AnnexEntry]:
    """Each cited article once, in order of first citation, with the clauses that cite it."""
    entries: dict[str, AnnexEntry] = {}
    for placement, _, drafts in by_document(clause_set):
        for n, draft in enumerate(drafts, start=1):
            for basis in draft.legal_basis:
                entry = entries.setdefault(basis.article_id, AnnexEntry(basis))
                entry.cited_by.append(f"{placement} art. {n} — {draft.title}")
    return list(entries.values())


def request_lines(clause_set: ClauseSet) -> list[tuple[str, str]]:
    """(label, value) lines describing the buyer's context, in French."""
    req = clause_set.request
    lines = [("Acheteur", req.buyer or "non précisé"), ("Objet du marché", req.object)]
    if req.sector or req.cpv:
        lines.append(("Secteur / CPV", " — ".join(filter(None, [req.sector, req.cpv]))))
    if req.amount is not None:
        lines.append(("Montant estimé", euros_ht(req.amount)))
    if req.procedure:
        lines.append(("Procédure", PROCEDURES[req.procedure]))
    if req.duration_months:
        lines.append(("Durée", f"{req.duration_months} mois"))
    if req.lots:
        lines.append(("Lots", " ; ".join(req.lots)))
    lines.append(("Date de génération", french_date_iso(clause_set.generated_at)))
    return lines


def body_lines(text: str, drop_first_heading: bool = True) -> list[str]:
    """The clause text's lines, without its first heading (the export prints the clause title)."""
    lines = text.strip().split("\n")
    if drop_first_heading and lines and lines[0].startswith("#"):
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    return lines
