"""Markdown export of a clause set: same structure as the Word export."""

from __future__ import annotations

import re

from assistant.clauses.models import ClauseSet
from assistant.render.clauses_layout import NOTICE, article_label, body_lines, by_document, legal_annex, request_lines
from assistant.text.dates import french_date_iso
from assistant.models import reader_source


def clauses_markdown(clause_set: ClauseSet) -> str:
    out = [f"# Projet de clauses — {clause_set.request.object}", "", f"> **{NOTICE}**", ""]
    out += [f"- **{label} :** {value}" for label, value in request_lines(clause_set)]
    for placement, title, drafts in by_document(clause_set):
        out += ["", f"## {title}"]
        for n, draft in enumerate(drafts, start=1):
            out += ["", f"### Article {n} — {draft.title}", ""]
            # Inner headings go one level down so they stay under the article.
            out += [re.sub(r"^#{1,5} ", "#### ", line) for line in body_lines(draft.text)]
            out += ["", "*Fondements : " + ", ".join(b.article_id for b in draft.legal_basis) + ".*"]
            for warning in draft.warnings:
                out += ["", f"> ⚠ {warning.message}"]
    annex = legal_annex(clause_set)
    if annex:
        out += ["", "## Annexe — Fondements juridiques"]
        for entry in annex:
            basis = entry.basis
            out += ["", f"### {article_label(basis.article_id)}"]
            if basis.in_force_since:
                out += ["", f"*En vigueur depuis le {french_date_iso(basis.in_force_since)}.* Source : {basis.title}."]
            out += ["", "Cité par : " + " ; ".join(entry.cited_by) + ".", ""]
            out += ["> " + line if line.strip() else ">" for line in basis.text.split("\n")]
    guides = [(d, c) for _, _, drafts in by_document(clause_set) for d in drafts for c in d.citations]
    if guides:
        out += ["", "## Annexe — Passages des guides cités"]
        for draft, c in guides:
            out += ["", f"- **{draft.title}** — {c.title}, {c.locator}{f' ({reader_source(c.source)})' if reader_source(c.source) else ''} : « {c.quote} »"]
    out += ["", "---", "", f"*{NOTICE}. Document généré le {french_date_iso(clause_set.generated_at)}.*", ""]
    return "\n".join(out)
