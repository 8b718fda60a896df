"""Markdown of a brief, rendered with the format's Jinja2 template (prompts/briefs/<format>.md.j2)."""

from __future__ import annotations

import re
from datetime import datetime

from assistant.briefs.models import Brief
from assistant.render.brief_docx import DATELINE_PLACE, PRESS_CONTACT
from assistant.grounding.prompts import DEFAULT_PROMPTS_DIR, Prompts, prompts_for
from assistant.text.dates import french_date
from assistant.text.normalize import slugify


def brief_markdown(brief: Brief, prompts: Prompts | None = None) -> str:
    env = (prompts or prompts_for(DEFAULT_PROMPTS_DIR)).env
    moment = datetime.fromisoformat(brief.generated_at) if brief.generated_at else datetime.now()
    template = env.get_template(f"briefs/{brief.format}.md.j2")
    text = template.render(brief=brief, date=french_date(moment), press_contact=PRESS_CONTACT,
                           dateline=f"{DATELINE_PLACE}, le {french_date(moment)} — ")
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def export_basename(brief: Brief) -> str:
    """An ASCII file name stem for downloads (format and topic)."""
    return f"{brief.format}-{slugify(brief.topic, 50, 'alliance')}"
