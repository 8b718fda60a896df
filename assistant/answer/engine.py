"""Answer engine: retrieve, generate, verify. Returns a typed `Answer`."""

from __future__ import annotations

from assistant.answer.extractive import ExtractiveGenerator
from assistant.answer.models import Answer
from assistant.answer.verify import verify_answer
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.search import HybridSearcher

NO_ANSWER = ("Les documents de l'Alliance consultés ne contiennent pas cette information.")


class AnswerEngine:
    def __init__(self, searcher: HybridSearcher, k: int = 5):
        self.searcher = searcher
        self.k = k
        self.generator = ExtractiveGenerator(searcher.index)

    def ask(self, question: str, filters: SearchFilters | None = None) -> Answer:
        hits = self.searcher.search(question, k=self.k, filters=filters)
        if not hits:
            return Answer(text=NO_ANSWER, abstained=True, reason="aucun passage trouvé")
        draft = self.generator.generate(question, hits)
        verified = verify_answer(draft, hits)
        if not verified.citations:
            return Answer(text=NO_ANSWER, abstained=True, reason="aucune phrase des passages ne répond à la question",
                          retrieved=hits)
        return Answer(text=verified.text, citations=verified.citations, retrieved=hits)
