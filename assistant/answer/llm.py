"""LLM generator: a chat model writes the draft from the numbered passages; the engine verifies it.

The model sees the passages fenced as data (prompts/answer/), cites them with [n] markers and answers
« Je ne sais pas … » when they do not say. That sentence becomes an empty draft, which the engine
turns into an abstention with the nearest sources. Every backend failure (unreachable server,
timeout, HTTP error) is raised as `GeneratorUnavailable`, so the engine falls back to the
extractive generator; after a failure the model is left alone for `retry_after` seconds, so that a
dead server does not cost each question a full timeout.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.grounding.generator import Generator, GeneratorUnavailable
from assistant.models import Turn
from assistant.config import Settings
from assistant.grounding.llm import load_chat_model, unavailable_reason
from assistant.models import SearchHit
from assistant.grounding.prompts import DEFAULT_PROMPTS_DIR, Prompts, prompts_for
from assistant.text.normalize import fold

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

# The exact sentence the prompt asks for when the passages do not answer.
ABSTENTION = "Je ne sais pas : les documents de l'Alliance ne contiennent pas cette information."
_ABSTENTION_START = "je ne sais pas"
# Previous turns given to the rewriting prompt, and how much of each answer.
REWRITE_TURNS = 3
REWRITE_ANSWER_CHARS = 600
MAX_REWRITE_CHARS = 500
# An unclosed « [ » is held back at most this long while streaming, waiting for its « ] ».
_MAX_PENDING_MARKER = 24

# Marker spellings of real models, rewritten to the [n] the verifier reads:
# « [1, 3] », « [1;3] », « [^2] », « [Passage 2] », « [source 2] », « [doc 2] ».
_MARKER_VARIANT = re.compile(
    r"\[\s*(?:\^|passages?\s*|sources?\s*|doc(?:ument)?s?\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]", re.IGNORECASE)
_REWRITE_PREFIX = re.compile(r"^(?:question\s+(?:autonome|reformulée|reformulee)?\s*:)\s*", re.IGNORECASE)
_QUOTES = "«»\"“”'‘’`*"


def normalize_marker_variants(text: str) -> str:
    """« [1, 3] » -> « [1][3] », « [^2] » / « [Passage 2] » -> « [2] »."""
    return _MARKER_VARIANT.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)


def _message_text(message: Any) -> str:
    """The text of a message or chunk whose content is a string or a list of content blocks."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


class DraftFilter:
    """Cleans a draft as it streams: drops a leading <think> block, detects the abstention, fixes markers.

    Text is held back only while it is undecided: the first words (could they be « Je ne sais
    pas » ?), a reasoning block not yet closed, a « [ » whose « ] » has not arrived yet, or
    trailing spaces (sent with the next word).
    """

    def __init__(self) -> None:
        self.state = "start"  # start | think | pass | abstain
        self.buffer = ""
        self.abstained = False

    def _lead(self) -> None:
        """Decide what the start of the draft is: a reasoning block, the abstention, or the answer."""
        while True:
            if self.state == "think":
                end = self.buffer.find("</think>")
                if end < 0:
                    return
                self.buffer, self.state = self.buffer[end + len("</think>"):], "start"
            stripped = self.buffer.lstrip()
            if stripped.startswith("<think>"):
                self.buffer, self.state = stripped[len("<think>"):], "think"
                continue
            if "<think>".startswith(stripped):
                return  # empty, or maybe the beginning of « <think> »
            head = " ".join(fold(stripped).lstrip(_QUOTES + " \n#>-").split())
            if head.startswith(_ABSTENTION_START):
                self.state, self.abstained, self.buffer = "abstain", True, ""
                return
            if _ABSTENTION_START.startswith(head):
                return  # « Je ne » could still become « Je ne sais pas »
            self.state, self.buffer = "pass", stripped
            return

    def _release(self, final: bool) -> str:
        """Pass-state text with its markers normalised, keeping back an unfinished « [… » and trailing spaces.

        Trailing whitespace goes out with the next piece: the engine strips the unfinished last sentence
        it keeps waiting, so a space sent at the end of a piece could be lost between two words.
        """
        text, self.buffer = self.buffer, ""
        if final:
            return normalize_marker_variants(text.rstrip())
        cut = len(text)
        opening = text.rfind("[")
        if opening >= 0 and "]" not in text[opening:] and len(text) - opening <= _MAX_PENDING_MARKER:
            cut = opening
        cut = len(text[:cut].rstrip())
        text, self.buffer = text[:cut], text[cut:]
        return normalize_marker_variants(text)

    def feed(self, piece: str) -> str:
        if self.state == "abstain":
            return ""
        self.buffer += piece
        if self.state in ("start", "think"):
            self._lead()
        return self._release(final=False) if self.state == "pass" else ""

    def close(self) -> str:
        if self.state == "start":
            # A very short draft that never became a decision: what remains is the whole draft.
            self.state = "pass"
            self.buffer = self.buffer.lstrip()
        if self.state != "pass":
            return ""  # abstained, or a reasoning block that never closed: nothing to show
        return self._release(final=True)


def clean_rewrite(text: str, question: str = "") -> str | None:
    """The question of a rewriting reply (first line, no label nor quotes), or None when unusable.

    A reply that is not a question while the user asked one is most likely an answer: the engine's
    rule-based rewriting is safer than searching with it.
    """
    text = re.sub(r"<think>.*?</think>", "", text, flags=re.DOTALL)
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = _REWRITE_PREFIX.sub("", line).strip().strip(_QUOTES).strip()
    line = " ".join(line.split())
    if not line or len(line) > MAX_REWRITE_CHARS or fold(line).startswith(_ABSTENTION_START):
        return None
    if question.rstrip().endswith("?") and not line.endswith("?"):
        return None
    return line


class LLMGenerator(Generator):
    name = "llm"

    def __init__(self, chat_model: "BaseChatModel", prompts: Prompts | None = None, retry_after: float = 30.0,
                 streaming: bool = True):
        self.chat_model = chat_model
        self.streaming = streaming
        self.prompts = prompts or prompts_for(DEFAULT_PROMPTS_DIR)
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_reason = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> "LLMGenerator":
        """The generator over the configured chat model (LLMConfigError, in French, when it cannot be built)."""
        return cls(load_chat_model(settings), prompts_for(Path(settings.prompts_dir)), settings.llm_retry_after,
                   settings.llm_streaming)

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
                  "answer": " ".join(re.sub(r"\s*\[\d{1,3}\]", "", t.answer).split())[:REWRITE_ANSWER_CHARS]}
                 for t in history[-REWRITE_TURNS:]]
        system = self.prompts.render("answer/rewrite_system.md.j2")
        user = self.prompts.render("answer/rewrite_user.md.j2", turns=turns, question=question)
        return [SystemMessage(content=system), HumanMessage(content=user)]

    # -- availability ------------------------------------------------------------------------------

    def _check_available(self) -> None:
        with self._lock:
            remaining = self._down_until - time.monotonic()
            reason = self._down_reason
        if remaining > 0:
            raise GeneratorUnavailable(f"modèle indisponible ({reason}), nouvel essai dans {remaining:.0f} s")

    def _unavailable(self, exc: BaseException) -> GeneratorUnavailable | None:
        """The GeneratorUnavailable for a backend failure (and start the pause), or None for other errors."""
        reason = unavailable_reason(exc)
        if reason is None:
            return None
        with self._lock:
            self._down_until = time.monotonic() + self.retry_after
            self._down_reason = reason
        return GeneratorUnavailable(f"modèle de langue indisponible : {reason}")

    # -- Generator ---------------------------------------------------------------------------------

    def generate(self, question: str, hits: list[SearchHit]) -> str:
        return self.complete(self.answer_messages(question, hits))

    def complete(self, messages: list["BaseMessage"]) -> str:
        """The cleaned draft the model writes for `messages` (empty when it says « je ne sais pas »)."""
        self._check_available()
        try:
            reply = self.chat_model.invoke(messages)
        except Exception as exc:
            if (unavailable := self._unavailable(exc)) is not None:
                raise unavailable from exc
            raise
        draft = DraftFilter()
        return (draft.feed(_message_text(reply)) + draft.close()).strip()

    def stream(self, question: str, hits: list[SearchHit]) -> Iterator[str]:
        if not self.streaming:
            yield self.generate(question, hits)
            return
        self._check_available()
        draft = DraftFilter()
        try:
            for chunk in self.chat_model.stream(self.answer_messages(question, hits)):
                if text := draft.feed(_message_text(chunk)):
                    yield text
        except Exception as exc:
            if (unavailable := self._unavailable(exc)) is not None:
                raise unavailable from exc
            raise
        if text := draft.close():
            yield text

    def rewrite(self, question: str, history: list[Turn]) -> str | None:
        if not history:
            return None
        self._check_available()
        try:
            reply = self.chat_model.invoke(self.rewrite_messages(question, history))
        except Exception as exc:
            if (unavailable := self._unavailable(exc)) is not None:
                raise unavailable from exc
            raise
        rewritten = clean_rewrite(_message_text(reply), question)
        log.debug("follow-up %r rewritten as %r", question, rewritten)
        return rewritten
