"""The LLM client every engine calls: one chat model behind `<think>` filtering, marker normalisation and back-off.

Every backend failure (unreachable server, timeout, HTTP error) is raised as `GeneratorUnavailable`, so
that callers fall back to extractive text instead of failing; after a failure the model is left alone for
`retry_after` seconds, so that a dead server does not cost each request a full timeout. The answer,
clause and brief engines all go through this client: none calls a chat model directly.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.grounding.generator import GeneratorUnavailable
from assistant.grounding.llm import load_chat_model, unavailable_reason
from assistant.text.normalize import fold

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

# How a model says that the passages do not answer (the prompts ask for « Je ne sais pas … »).
ABSTENTION_START = "je ne sais pas"
QUOTES = "«»\"“”'‘’`*"
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL)
# An unclosed « [ » is held back at most this long while streaming, waiting for its « ] ».
_MAX_PENDING_MARKER = 24

# Marker spellings of real models, rewritten to the [n] the verifier reads:
# « [1, 3] », « [1;3] », « [^2] », « [Passage 2] », « [source 2] », « [doc 2] ».
_MARKER_VARIANT = re.compile(
    r"\[\s*(?:\^|passages?\s*|sources?\s*|doc(?:ument)?s?\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]", re.IGNORECASE)


def normalize_marker_variants(text: str) -> str:
    """« [1, 3] » -> « [1][3] », « [^2] » / « [Passage 2] » -> « [2] »."""
    return _MARKER_VARIANT.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)


def message_text(message: Any) -> str:
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
            head = " ".join(fold(stripped).lstrip(QUOTES + " \n#>-").split())
            if head.startswith(ABSTENTION_START):
                self.state, self.abstained, self.buffer = "abstain", True, ""
                return
            if ABSTENTION_START.startswith(head):
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


def without_reasoning(text: str) -> str:
    """The text without its `<think>` blocks (an unclosed one runs to the end: nothing of it is shown)."""
    return _THINK.sub("", text).strip()


class LLMClient:
    """The configured chat model, shared by the engines (thread-safe; one per process)."""

    name = "llm"

    def __init__(self, chat_model: "BaseChatModel", retry_after: float = 30.0, streaming: bool = True):
        self.chat_model = chat_model
        self.streaming = streaming
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_reason = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> "LLMClient":
        """The client over the configured chat model (LLMConfigError, in French, when it cannot be built)."""
        return cls(load_chat_model(settings), settings.llm_retry_after, settings.llm_streaming)

    # -- availability ------------------------------------------------------------------------------

    def _check_available(self) -> None:
        with self._lock:
            remaining = self._down_until - time.monotonic()
            reason = self._down_reason
        if remaining > 0:
            raise GeneratorUnavailable(f"modèle indisponible ({reason}), nouvel essai dans {remaining:.0f} s", reason)

    def _unavailable(self, exc: BaseException) -> GeneratorUnavailable | None:
        """The GeneratorUnavailable for a backend failure (and start the pause), or None for other errors."""
        reason = unavailable_reason(exc)
        if reason is None:
            return None
        with self._lock:
            self._down_until = time.monotonic() + self.retry_after
            self._down_reason = reason
        return GeneratorUnavailable(f"modèle de langue indisponible : {reason}", reason)

    def _invoke(self, messages: "list[BaseMessage] | str") -> str:
        self._check_available()
        try:
            reply = self.chat_model.invoke(messages)
        except Exception as exc:
            if (unavailable := self._unavailable(exc)) is not None:
                raise unavailable from exc
            raise
        return message_text(reply)

    # -- calls ---------------------------------------------------------------------------------------

    def text(self, messages: "list[BaseMessage] | str") -> str:
        """The model's reply as written, without its reasoning block (rewritings, clause adaptations)."""
        return without_reasoning(self._invoke(messages))

    def complete(self, messages: "list[BaseMessage]") -> str:
        """A cited draft for `messages`, cleaned (empty when the model says « je ne sais pas »)."""
        draft = DraftFilter()
        return (draft.feed(self._invoke(messages)) + draft.close()).strip()

    def stream(self, messages: "list[BaseMessage]") -> Iterator[str]:
        """The cleaned draft as it is produced (whole at once when streaming is off)."""
        if not self.streaming:
            yield self.complete(messages)
            return
        self._check_available()
        draft = DraftFilter()
        try:
            for chunk in self.chat_model.stream(messages):
                if text := draft.feed(message_text(chunk)):
                    yield text
        except Exception as exc:
            if (unavailable := self._unavailable(exc)) is not None:
                raise unavailable from exc
            raise
        if text := draft.close():
            yield text
