"""LLM generator: the model writes the draft from the numbered passages; the engine verifies it.

The model sees the passages fenced as data (prompts/answer/), cites them with [n] markers and answers
« Je ne sais pas … » when they do not say. That sentence becomes an empty draft, which the engine
turns into an abstention with the nearest sources. The calls go through the shared `LLMClient`
(reasoning blocks dropped, markers normalised, back-off after a failure raised as
`GeneratorUnavailable`, so that the engine falls back to the extractive generator).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.grounding.generator import Generator
from assistant.grounding.llm.client import QUOTES, ABSTENTION_START, LLMClient, without_reasoning
from assistant.grounding.prompts import Prompts
from assistant.models import SearchHit, Turn
from assistant.text.markers import strip_markers
from assistant.text.normalize import fold

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

# The exact sentence the prompt asks for when the passages do not answer.
ABSTENTION = "Je ne sais pas : les documents de l'Alliance ne contiennent pas cette information."
# Previous turns given to the rewriting prompt, and how much of each answer.
REWRITE_TURNS = 3
REWRITE_ANSWER_CHARS = 600
MAX_REWRITE_CHARS = 500
_REWRITE_PREFIX = re.compile(r"^(?:question\s+(?:autonome|reformulée|reformulee)?\s*:)\s*", re.IGNORECASE)


def clean_rewrite(text: str, question: str = "") -> str | None:
    """The question of a rewriting reply (first line, no label nor quotes), or None when unusable.

    A reply that is not a question while the user asked one is most likely an answer: the engine's
    rule-based rewriting is safer than searching with it.
    """
    text = without_reasoning(text)
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _REWRITE_PREFIX.sub("", line).strip().strip(QUOTES).strip()
    line = " ".join(line.split())
    if not line or len(line) > MAX_REWRITE_CHARS or fold(line).startswith(ABSTENTION_START):
        return None
    if question.rstrip().endswith("?") and not line.endswith("?"):
        return None
    return line


class LLMGenerator(Generator):
    name = "llm"

    def __init__(self, client: LLMClient, prompts: Prompts):
        self.client = client
        self.prompts = prompts

    # -- prompts -----------------------------------------------------------------------------------

    def answer_messages(self, question: str, hits: list[SearchHit]) -> list["BaseMessage"]:
        from langchain_core.messages import HumanMessage, SystemMessage

        system = self.prompts.render("answer/system.md.j2", abstention=ABSTENTION)
        user = self.prompts.render("answer/user.md.j2", question=question, hits=hits, abstention=ABSTENTION)
        return [SystemMessage(content=system), HumanMessage(content=user)]

    def rewrite_messages(self, question: str, history: list[Turn]) -> list["BaseMessage"]:
        from langchain_core.messages import HumanMessage, SystemMessage

        turns = [{"question": t.standalone_question or t.question,
                  # Markers mean nothing without their sources; long answers only dilute the subject.
                  "answer": " ".join(strip_markers(t.answer).split())[:REWRITE_ANSWER_CHARS]}
                 for t in history[-REWRITE_TURNS:]]
        system = self.prompts.render("answer/rewrite_system.md.j2")
        user = self.prompts.render("answer/rewrite_user.md.j2", turns=turns, question=question)
        return [SystemMessage(content=system), HumanMessage(content=user)]

    # -- Generator ---------------------------------------------------------------------------------

    def generate(self, question: str, hits: list[SearchHit]) -> str:
        return self.client.complete(self.answer_messages(question, hits))

    def stream(self, question: str, hits: list[SearchHit]) -> Iterator[str]:
        yield from self.client.stream(self.answer_messages(question, hits))

    def rewrite(self, question: str, history: list[Turn]) -> str | None:
        if not history:
            return None
        rewritten = clean_rewrite(self.client.text(self.rewrite_messages(question, history)), question)
        log.debug("follow-up %r rewritten as %r", question, rewritten)
        return rewritten
