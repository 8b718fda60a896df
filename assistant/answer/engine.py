"""Answer engine: rewrite follow-ups, retrieve, decide whether to answer, generate, verify, store.

Every generator's draft goes through the same citation verifier, sentence by sentence, so a
streamed answer never shows a sentence that has not been checked against its passage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from assistant.answer.conversations import ConversationStore, check_conversation_id
from assistant.answer.extractive import ExtractiveGenerator
from assistant.answer.followup import rewrite_followup
from assistant.answer.generator import Generator, GeneratorUnavailable
from assistant.answer.models import Answer, AnswerEvent, Suggestion, Turn
from assistant.answer.verify import CitationVerifier, normalize_markers
from assistant.config import Settings
from assistant.ingest.sentences import split_sentences
from assistant.models import SearchHit
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.search import HybridSearcher

log = logging.getLogger(__name__)

NO_ANSWER = "Les documents de l'Alliance consultés ne contiennent pas cette information."
MAX_QUESTION_CHARS = 2000
FALLBACK_NOTICE = ("Le modèle de langue configuré est injoignable : réponse produite par le moteur extractif "
                   "(phrases citées telles quelles).")


class QuestionError(ValueError):
    """A question that cannot be asked (French message)."""


def check_question(question: str) -> str:
    q = " ".join((question or "").split())
    if not q:
        raise QuestionError("La question est vide : écrivez une question en français.")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"La question est trop longue ({len(q)} caractères) : {MAX_QUESTION_CHARS} au plus.")
    return q


def build_generator(settings: Settings, searcher: HybridSearcher) -> Generator:
    """The generator chosen by ASSISTANT_LLM."""
    if settings.llm == "llm":
        from assistant.answer.llm import LLMGenerator

        return LLMGenerator.from_settings(settings)
    return ExtractiveGenerator(searcher.index)


def suggestions_from(hits: list[SearchHit], limit: int = 3) -> list[Suggestion]:
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.doc_id in seen:
            continue
        seen.add(hit.doc_id)
        out.append(Suggestion(doc_id=hit.doc_id, title=hit.title, source=hit.source, locator=hit.locator,
                              chunk_id=hit.chunk_id))
        if len(out) == limit:
            break
    return out


class AnswerEngine:
    def __init__(self, searcher: HybridSearcher, settings: Settings | None = None, generator: Generator | None = None,
                 conversations: ConversationStore | None = None, k: int = 5):
        self.searcher = searcher
        self.settings = settings or searcher.index.settings
        self.k = k
        self.extractive = ExtractiveGenerator(searcher.index)
        self.generator = generator or build_generator(self.settings, searcher)
        self.conversations = conversations

    @classmethod
    def open(cls, index, settings: Settings | None = None) -> "AnswerEngine":
        """The engine over an open index, with the conversation store of its data dir."""
        settings = settings or index.settings
        return cls(HybridSearcher(index), settings, conversations=ConversationStore(settings.conversations_path))

    def ask(self, question: str, filters: SearchFilters | None = None,
            conversation_id: str | None = None, history: list[Turn] | None = None) -> Answer:
        answer = None
        for event in self.stream(question, filters, conversation_id, history):
            if event.type == "answer":
                answer = event.answer
        assert answer is not None
        return answer

    def _history(self, conversation_id: str | None) -> list[Turn]:
        if conversation_id is None or self.conversations is None:
            return []
        return self.conversations.turns(conversation_id)

    def _standalone(self, question: str, history: list[Turn]) -> str:
        if not history:
            return question
        try:
            rewritten = self.generator.rewrite(question, history)
        except GeneratorUnavailable:
            rewritten = None
        return rewritten or rewrite_followup(question, history)

    def stream(self, question: str, filters: SearchFilters | None = None,
               conversation_id: str | None = None, history: list[Turn] | None = None) -> Iterator[AnswerEvent]:
        """Verified answer text as it is produced, then the complete `Answer`.

        Earlier turns come from the stored conversation `conversation_id`, or from `history` when the
        caller keeps them itself (OpenAI-compatible clients send the whole conversation each time).
        """
        started = time.perf_counter()
        question = check_question(question)
        if conversation_id is not None:
            conversation_id = check_conversation_id(conversation_id)
        if history is None:
            history = self._history(conversation_id)
        standalone = self._standalone(question, history)
        base = {"question": question, "standalone_question": standalone}
        hits = self.searcher.search(standalone, k=self.k, filters=filters)
        answer: Answer
        if not hits:
            answer = Answer(text=NO_ANSWER, abstained=True, reason="aucun passage trouvé", **base)
        else:
            answer = yield from self._generate(standalone, hits, base)
        answer.engine = answer.engine or self.generator.name
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if conversation_id is not None and self.conversations is not None:
            answer.conversation_id = conversation_id
            answer.message_id = self.conversations.append(conversation_id, answer)
        yield AnswerEvent(type="answer", answer=answer)

    def _generate(self, question: str, hits: list[SearchHit], base: dict) -> Iterator[AnswerEvent]:
        generator, notice = self.generator, None
        verifier = CitationVerifier(hits)
        parts: list[str] = []
        try:
            for piece in self._verified(generator.stream(question, hits), verifier):
                parts.append(piece)
                yield AnswerEvent(type="delta", text=piece)
        except GeneratorUnavailable as exc:
            log.warning("generator %s unavailable: %s", generator.name, exc)
            generator, notice = self.extractive, FALLBACK_NOTICE
            verifier = CitationVerifier(hits)
            if parts:  # the user saw part of an answer: restart it visibly
                yield AnswerEvent(type="delta", text="\n\n")
            parts = []
            for piece in self._verified(generator.stream(question, hits), verifier):
                parts.append(piece)
                yield AnswerEvent(type="delta", text=piece)
        text = "".join(parts).strip()
        common = dict(base, retrieved=hits, notice=notice, engine=generator.name, removed=verifier.removed)
        if not verifier.citations:
            return Answer(text=NO_ANSWER, abstained=True, suggestions=suggestions_from(hits),
                          reason="aucune phrase des passages ne répond à la question", **common)
        return Answer(text=text, citations=verifier.citations, **common)

    @staticmethod
    def _verified(pieces: Iterator[str], verifier: CitationVerifier) -> Iterator[str]:
        """Cut a stream of draft text into sentences, verify each, yield the kept ones with their spacing."""
        buffer = ""
        separator = ""  # what goes before the next kept sentence: nothing, a space or a line break

        def emit(sentences: list[str]) -> Iterator[str]:
            nonlocal separator
            for sentence in sentences:
                out = verifier.sentence(sentence)
                if out:
                    yield separator + out
                    separator = " "

        for piece in pieces:
            buffer += piece
            *complete_lines, buffer = buffer.split("\n")
            for line in complete_lines:
                yield from emit(split_sentences(normalize_markers(line)))
                if separator:
                    separator = "\n"
            sentences = split_sentences(normalize_markers(buffer))
            # The last sentence may still grow (or receive its marker), so it waits for more text.
            if len(sentences) >= 2:
                yield from emit(sentences[:-1])
                buffer = sentences[-1]
        yield from emit(split_sentences(normalize_markers(buffer)))
