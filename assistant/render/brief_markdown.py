"""Markdown of a brief, rendered with the format's Jinja2 template (prompts/briefs/<format>.md.j2)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from assistant.briefs.models import Brief
from assistant.grounding.prompts import DEFAULT_PROMPTS_DIR, prompts_for
from assistant.text.dates import french_date
from assistant.text.markers import markdown_footnotes
from assistant.text.normalize import slugify



def brief_markdown(brief: Brief, prompts_dir: Path | str = DEFAULT_PROMPTS_DIR) -> str:
    prompts = prompts_for(Path(prompts_dir))
    env = prompts.env.overlay()
    env.filters["md"] = markdown_footnotes
    moment = datetime.fromisoformat(brief.generated_at) if brief.generated_at else datetime.now()
    template = env.get_template(f"briefs/{brief.format}.md.j2")
    text = template.render(brief=brief, date=french_date(moment))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def export_basename(brief: Brief) -> str:
    """An ASCII file name stem for downloads (format and topic)."""
    return f"{brief.format}-{slugify(brief.topic, 50, 'alliance')}"
