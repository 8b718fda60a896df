"""The review sheet of a brief (« fiche de relecture »): what the team checks before sending the document out —
figures to date-check, set-aside sources, thin or empty sections — kept apart from the document itself."""

from __future__ import annotations

from datetime import datetime

from assistant.briefs.models import Brief
from assistant.render.brief_docx import REVIEW_NOTICE
from assistant.text.dates import french_date

KIND_TITLES = {"figure_age": "Chiffres anciens", "entity": "Sources écartées (autre organisation)",
               "thin_section": "Sections peu fournies", "fallback": "Moteur de rédaction", "removed": "Phrases retirées",
               "wording": "Un chiffre, une formulation", "message": "Messages clés sans appui"}


def review_items(brief: Brief) -> list[tuple[str, str]]:
    """(heading, message) of every review item: the warnings, then each section's own notice."""
    items = [(KIND_TITLES.get(w.kind, "Autres points"), w.message) for w in brief.warnings]
    noted = {w.section_id for w in brief.warnings if w.kind == "thin_section"}
    items += [(KIND_TITLES["thin_section"], f"{s.title} : {s.notice}") for s in brief.sections
              if s.notice and s.id not in noted]
    return items


def brief_review_markdown(brief: Brief) -> str:
    """The review sheet in Markdown: internal, never sent with the document."""
    moment = datetime.fromisoformat(brief.generated_at) if brief.generated_at else datetime.now()
    lines = [f"# Fiche de relecture — {brief.title}", "",
             f"*{brief.format_label}, {french_date(moment)}. Document interne : à ne pas diffuser.*", "",
             REVIEW_NOTICE, ""]
    items = review_items(brief)
    if not items:
        lines.append("Aucun point de vigilance relevé.")
    for heading in dict.fromkeys(h for h, _ in items):
        lines += [f"## {heading}", ""] + [f"- {m}" for h, m in items if h == heading] + [""]
    return "\n".join(lines).strip() + "\n"
