"""Rule-based rewriting of follow-up questions when no LLM is configured: carry the previous subject over."""

from __future__ import annotations

import re

from assistant.answer.models import Turn
from assistant.textutil import fold

# Openings that mark a question as depending on the previous turn.
_FOLLOWUP_START = re.compile(
    r"^(et|mais|alors|aussi|du coup|dans ce cas|qu'en est-il|et si|pour (les?|la|l'|des)|detaille|precise|"
    r"explique|developpe|combien|lequel|laquelle|lesquel(le)?s)\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(il|elle|ils|elles|en|y|le|la|les|lui|leur|son|sa|ses|ce|cela|ca|celui-ci|celle-ci)\b")
MAX_FOLLOWUP_WORDS = 12


def is_followup(question: str) -> bool:
    folded = fold(question).strip()
    words = folded.split()
    if _FOLLOWUP_START.match(folded):
        return True
    return len(words) <= 4 and bool(_PRONOUNS.search(folded))


def rewrite_followup(question: str, history: list[Turn]) -> str:
    """The follow-up prefixed with the previous standalone question, when it depends on it."""
    if not history or not is_followup(question) or len(question.split()) > MAX_FOLLOWUP_WORDS * 2:
        return question
    previous = history[-1].standalone_question.rstrip(" ?")
    return f"{previous} ? {question}"
