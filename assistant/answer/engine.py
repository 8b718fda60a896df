"""Answer engine: rewrite follow-ups, retrieve, decide whether to answer, generate, verify, store.

Every generator's draft goes through the same citation verifier, sentence by sentence, so a
streamed answer never shows a sentence that has not been checked against its passage.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.grounding.entities import QuestionEntities, question_entities
from assistant.answer.premises import entity_conflicts, match_misconception, numbered_names, unsupported_numbers
from assistant.grounding.scope import contract_type, out_of_scope_subject
from assistant.grounding.relevance import Asked, contract_subject, entity_attribute, mentions, question_wording
from assistant.answer.conversations import ConversationStore, check_conversation_id
from assistant.grounding.base import Grounding
from assistant.answer.followup import rewrite_followup
from assistant.grounding.injection import without_injections
from assistant.grounding.generator import Generator, GeneratorUnavailable
from assistant.answer.models import Answer, AnswerEvent
from assistant.models import Suggestion, Turn
from assistant.grounding.verify import CitationVerifier, verify_stream
from assistant.config import Settings
from assistant.index.lexical import FrenchAnalyzer
from assistant.models import SearchHit
from assistant.index.filters import SearchFilters
from assistant.text.normalize import fold, of

log = logging.getLogger(__name__)

NO_ANSWER = "Les documents de l'Alliance consultés ne contiennent pas cette information."
MAX_QUESTION_CHARS = 2000
FALLBACK_NOTICE = ("Le modèle de langue configuré est injoignable : réponse produite par le moteur extractif "
                   "(phrases citées telles quelles).")


EXTRA_CANDIDATES = 3  # retrieved beyond k, so that filtering by entity still leaves enough passages
CONTRACT_TYPE_DEPTH = 30  # passages searched for the few about a partly covered kind of contract
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass
class Segment:
    """One part of an answer: an optional heading, the query to answer, the passages to answer from."""

    heading: str | None
    query: str
    hits: list[SearchHit]


@dataclass
class Plan:
    abstain: str | None = None  # the reason, when the engine must not answer
    framing: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    # What the passages do not say of what is asked (a partial answer), said after what they do say.
    missing: list[str] = field(default_factory=list)
    # What is asked about an organisation (« budget », « adhérents ») or a kind of contract: the answer must name it.
    attribute: Asked | None = None
    diagnostics: dict[str, float] = field(default_factory=dict)  # measures behind a decision, for --json


def _key(hit: SearchHit) -> tuple[str, str]:
    # Two entity views of one chunk are different passages: they cite different lines.
    return hit.chunk_id, hit.text


def _dedupe(hits: list[SearchHit]) -> list[SearchHit]:
    seen: set[tuple[str, str]] = set()
    return [h for h in hits if not (_key(h) in seen or seen.add(_key(h)))]


def _quote_list(items: list[str]) -> str:
    quoted = [f"« {i} »" for i in dict.fromkeys(items)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


class QuestionError(ValueError):
    """A question that cannot be asked (French message)."""


def check_question(question: str) -> str:
    q = " ".join((question or "").split())
    if not q:
        raise QuestionError("La question est vide : écrivez une question en français.")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"La question est trop longue ({len(q)} caractères) : {MAX_QUESTION_CHARS} au plus.")
    return q


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


# The default asker of AnswerEngine.start: the operator (CLI, benchmarks), not bound to an account.
OPERATOR = object()


@dataclass
class Answering:
    """A question checked (and its conversation claimed) whose answer is still to be produced, once."""

    question: str
    conversation_id: str | None
    events: Iterator[AnswerEvent]

    def answer(self) -> Answer:
        answer = None
        for event in self.events:
            if event.type == "answer":
                answer = event.answer
        assert answer is not None
        return answer


class AnswerEngine:
    """Questions answered from the passages the grounding layer finds, every sentence verified.

    The generator is chosen by the container (extractive by default, the LLM one when configured); the
    extractive one is always at hand to fall back on.
    """

    def __init__(self, grounding: Grounding, settings: Settings | None = None, generator: Generator | None = None,
                 conversations: ConversationStore | None = None, k: int = 5):
        self.grounding = grounding
        self.searcher = grounding.searcher
        self.settings = settings or grounding.settings
        self.k = k
        self.extractive = grounding.selector
        self.generator = generator or self.extractive
        self.conversations = conversations
        self.tagger = grounding.tagger
        self.analyzer = FrenchAnalyzer()

    def ask(self, question: str, filters: SearchFilters | None = None, conversation_id: str | None = None,
            history: list[Turn] | None = None, owner: str | None | object = OPERATOR) -> Answer:
        return self.start(question, filters, conversation_id, history, owner).answer()

    def stream(self, question: str, filters: SearchFilters | None = None, conversation_id: str | None = None,
               history: list[Turn] | None = None, owner: str | None | object = OPERATOR) -> Iterator[AnswerEvent]:
        """Verified answer text as it is produced, then the complete `Answer` (checks made at once)."""
        return self.start(question, filters, conversation_id, history, owner).events

    def start(self, question: str, filters: SearchFilters | None = None, conversation_id: str | None = None,
              history: list[Turn] | None = None, owner: str | None | object = OPERATOR) -> Answering:
        """Check the question and the conversation id, claim the conversation for `owner`, and return the
        answer still to be produced.

        Everything that can refuse the question happens here, before any text is produced, so that a
        streaming caller can still refuse it with a status code. Earlier turns come from the stored
        conversation `conversation_id`, or from `history` when the caller keeps them itself
        (OpenAI-compatible clients send the whole conversation each time). `owner` is the account asking
        (None: an anonymous visitor): someone else's conversation raises ConversationNotYours. The
        default, OPERATOR, is whoever runs the assistant on its machine, who may continue any conversation.
        """
        question = check_question(question)
        if conversation_id is not None:
            conversation_id = check_conversation_id(conversation_id)
            if self.conversations is not None and owner is not OPERATOR:
                self.conversations.claim(conversation_id, owner, question)
        return Answering(question, conversation_id, self._answer(question, filters, conversation_id, history))

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

    def _followup_focus(self, question: str, standalone: str) -> str | None:
        """What the extractive engine should answer for a follow-up rewritten by carrying the previous question
        over: the previous question finds the passages (and the organisation they must be about), but the
        sentences must answer the new one (an elliptic follow-up adding a condition). None when not such a
        follow-up, or when the new question has no word of its own (« pourquoi ? »)."""
        if (self.generator.name != "extractive" or standalone == question or not standalone.endswith(question)
                or not set(self.analyzer(question)) - question_wording(self.analyzer)):
            return None
        return question

    def _answer(self, question: str, filters: SearchFilters | None, conversation_id: str | None,
                history: list[Turn] | None) -> Iterator[AnswerEvent]:
        started = time.perf_counter()
        if history is None:
            history = self._history(conversation_id)
        standalone = self._standalone(question, history)
        base = {"question": question, "standalone_question": standalone}
        hits = without_injections(self.searcher.search(standalone, k=self.k + EXTRA_CANDIDATES, filters=filters))
        plan = self._plan(standalone, hits, filters)
        focus = self._followup_focus(question, standalone)
        for segment in plan.segments if focus else []:
            if segment.query == standalone:
                segment.query = focus
        if plan.abstain:
            answer = Answer(text=NO_ANSWER, abstained=True, reason=plan.abstain, diagnostics=plan.diagnostics,
                            retrieved=hits[: self.k],
                            suggestions=suggestions_from(hits), engine=self.generator.name, **base)
        else:
            answer = yield from self._generate(plan, base)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if conversation_id is not None and self.conversations is not None:
            answer.conversation_id = conversation_id
            answer.message_id = self.conversations.append(conversation_id, answer)
        yield AnswerEvent(type="answer", answer=answer)

    # --- deciding what to answer ----------------------------------------------------------------
    def _plan(self, question: str, hits: list[SearchHit], filters: SearchFilters | None) -> Plan:
        if not hits:
            return Plan(abstain="aucun passage trouvé")
        subject = out_of_scope_subject(question)
        if subject is not None:
            return Plan(abstain=f"les documents de l'Alliance ne traitent pas {of(subject.label)}")
        missing = self.grounding.inventory.missing(question)
        if missing is not None:
            # Another CCAG, a form, a court decision, an article the corpus lacks: never another document's rules.
            return Plan(abstain=missing)
        kind = contract_type(question)
        if kind is not None:
            # The rules for ordinary marchés publics never answer a question about concessions.
            wider = without_injections(self.searcher.search(question, k=CONTRACT_TYPE_DEPTH, filters=filters))
            hits = [h for h in _dedupe(hits + wider) if kind.covers(h)]
            if not hits:
                return Plan(abstain=f"aucun passage ne porte sur {kind.label}")
        entities = question_entities(question)
        plan = self._plan_segments(question, entities, hits, filters)
        # Only for one question, without a correction to make first (a fact of another organisation is corrected, not refused).
        organisations = entities.named + entities.organisations
        if plan.abstain is None and not plan.framing and question.count("?") <= 1 and organisations:
            plan.attribute = entity_attribute(question, organisations, self.searcher.index.bm25_index())
        elif plan.abstain is None and sum(bool(s.heading) for s in plan.segments) > 1 and question.count("?") <= 1:
            # « l'Alliance » answered per organisation: each part must speak of what is asked.
            plan.attribute = entity_attribute(question, [], self.searcher.index.bm25_index())
        if plan.abstain is None and kind is not None and plan.attribute is None and not plan.framing:
            plan.attribute = contract_subject(question, kind, self.searcher.index.bm25_index())
        return plan

    def _plan_segments(self, question: str, entities: QuestionEntities, hits: list[SearchHit],
                       filters: SearchFilters | None) -> Plan:
        tags = {h.chunk_id: self.tagger.passage_entities(h) for h in hits}
        framing: list[str] = []
        if entities.named:
            named = {e.id for e in entities.named}
            conflict = entity_conflicts(question, entities.named, hits, self.tagger)
            if conflict is None:
                # A fact the named entity's passages lack may belong to another one: search without the name.
                unnamed = entities.named[0].strip_from(question)
                others = self.searcher.search(unnamed, k=self.k, filters=filters)
                conflict = entity_conflicts(question, entities.named, _dedupe(hits + others), self.tagger)
            if conflict:
                other, details = conflict
                own = entities.named[0]
                framing.append(f"Attention : dans les documents, {_quote_list(details)} se rapporte à "
                               f"{other.label}, une organisation distincte de {own.label}.")
            # Passages about another entity only are never used to answer about this one, and a
            # passage about several is cut down to its lines about the one asked about.
            hits = [self.tagger.view(h, entities.named[0].id) for h in hits
                    if not tags[h.chunk_id] or tags[h.chunk_id] & named]
            if not hits:
                return Plan(abstain=f"aucun passage ne porte sur {entities.named[0].label}")
        misconception = match_misconception(question)
        if misconception:
            evidence = self.grounding.evidence(list(misconception.articles), misconception.query, filters)
            pool = _dedupe(evidence + hits[: self.k])
            return Plan(framing=framing + [misconception.message],
                        segments=[Segment(None, misconception.query, pool)])
        asked = self.grounding.linter.asked(
            question, about_organisation=bool(entities.named or entities.organisations or entities.ambiguous))
        if asked:
            # May a buyer require what a rule forbids (an origin, a locality, a brand)? The rule comes first, quoted
            # from its own articles, then what the passages found for the question add.
            rule = self.grounding.evidence(list(asked.articles), asked.query, filters, k=0)
            quoted = {h.chunk_id for h in rule}
            rest = [h for h in hits[: self.k] if h.chunk_id not in quoted]
            return Plan(framing=framing + [asked.framing],
                        segments=[Segment(None, asked.query, rule), Segment(None, question, rest)])
        top = hits[: self.k]
        rel = self.grounding.relevance(question, top)
        if not rel.passes(self.settings):
            # Said as a member understands it; the measures stay in the answer's diagnostics (JSON). The question's
            # words are not repeated: a refusal must not look like the documents know a word they may hide.
            reason = ("les documents trouvés ne parlent pas des mots les plus précis de la question" if rel.uncovered
                      else "les documents trouvés sont trop éloignés de ce que demande la question")
            return Plan(abstain=reason, diagnostics={"couverture": rel.coverage, "similarite": rel.dense})
        numbers = unsupported_numbers(question, top)
        years = [n for n in numbers if _YEAR.fullmatch(n)]
        if years and not any(f.startswith("Attention :") for f in framing):
            # A question about a given year that no passage mentions cannot be answered from them.
            return Plan(abstain=f"aucun passage ne concerne {_quote_list(years)}")
        names = numbered_names(question, numbers)
        if names:
            # « ISO 14001 » names a thing: a number no passage contains is not a premise to correct here.
            return Plan(abstain=f"aucun passage ne mentionne {_quote_list(names)}")
        missing = [f"Les passages les plus pertinents ne mentionnent pas {_quote_list(numbers)}."] if numbers else []
        if entities.ambiguous:
            plan = self._plan_ambiguous(question, hits, tags, framing, filters)
            plan.missing = missing
            return plan
        return Plan(framing=framing, segments=[Segment(None, question, top)], missing=missing)

    def _plan_ambiguous(self, question: str, hits: list[SearchHit], tags: dict[str, frozenset[str]],
                        framing: list[str], filters: SearchFilters | None) -> Plan:
        """« l'Alliance » without saying which: one labelled part per organisation the passages are about."""
        top = hits[: self.k]
        # An entity counts when a passage about it alone ranks among the top k: a passage that
        # compares both (a « do not confuse » note) says nothing about which one is meant.
        present = list(dict.fromkeys(next(iter(tags[h.chunk_id])) for h in hits if len(tags[h.chunk_id]) == 1))
        # Only a comparison note names the other one: ask about it by name, and keep it when its own
        # passages answer (a fact both organisations have, such as a founding date, is answered for each).
        for entity_id in dict.fromkeys(e for h in top for e in sorted(tags[h.chunk_id])) if present else []:
            if entity_id not in present:
                own = self._entity_hits(question, entity_id, filters)
                if own:
                    tags.update({h.chunk_id: self.tagger.passage_entities(h) for h in own})
                    hits = _dedupe(hits + own)
                    present.append(entity_id)
        if not present:
            present = list(dict.fromkeys(e for h in top for e in sorted(tags[h.chunk_id])))[:1]
        if len(present) >= 2:
            framing.append("Le mot « Alliance » désigne dans les documents des organisations distinctes ; "
                           "voici ce qu'ils disent de chacune.")
            segments = []
            for entity_id in present:
                label = self.tagger.entity(entity_id).label
                # Each part is written from what is said of its organisation: lines comparing both (a « do
                # not confuse » note) come after the passages about it alone, in rank order.
                views = [self.tagger.view(h, entity_id) for h in hits if entity_id in tags[h.chunk_id]]
                own = sorted(views, key=lambda h: self._names_another(h, entity_id))[: self.k]
                segments.append(Segment(f"{label[0].upper()}{label[1:]} :", question, own))
            return Plan(framing=framing, segments=segments)
        if len(present) == 1:
            label = self.tagger.entity(present[0]).label
            framing.append(f"Les passages trouvés portent sur {label}.")
            top = [self.tagger.view(h, present[0]) for h in hits
                   if not tags[h.chunk_id] or present[0] in tags[h.chunk_id]][: self.k]
        return Plan(framing=framing, segments=[Segment(None, question, top)])

    def _names_another(self, hit: SearchHit, entity_id: str) -> bool:
        folded = fold(hit.text)
        return any(e.id != entity_id and e.named_in(folded) for e in self.tagger.config.entities)

    def _entity_hits(self, question: str, entity_id: str, filters: SearchFilters | None) -> list[SearchHit]:
        """Passages about `entity_id` alone that answer the question once it names that entity, or []."""
        named = self.tagger.entity(entity_id).name_in(question)
        hits = [h for h in without_injections(self.searcher.search(named, k=self.k, filters=filters))
                if self.tagger.passage_entities(h) == {entity_id}]
        return hits if hits and self.grounding.relevance(named, hits).passes(self.settings) else []

    # --- writing and checking ---------------------------------------------------------------------
    def _run_segments(self, generator: Generator, plan: Plan, pool: list[SearchHit],
                      verifier: CitationVerifier) -> Iterator[str]:
        separator = ""
        for framing in plan.framing:
            yield separator + framing
            separator = " "
        position = {_key(h): i + 1 for i, h in enumerate(pool)}
        for segment in plan.segments:
            mapping = {i + 1: position[_key(h)] for i, h in enumerate(segment.hits)}
            draft = verify_stream(generator.stream(segment.query, segment.hits), verifier, mapping)
            if segment.heading and plan.attribute and generator.name == "extractive":
                # One part per organisation: a part that never names what is asked (« budget ») says so
                # instead of listing unrelated facts, and its sources are not kept.
                saved = dict(verifier.numbering), len(verifier.citations)
                pieces = list(draft)
                if pieces and not mentions("".join(pieces), plan.attribute):
                    verifier.numbering = saved[0]
                    del verifier.citations[saved[1]:]
                    pieces = [f"les documents ne disent rien de « {plan.attribute.word} » à son sujet."]
                    plan.framing.append(f"{segment.heading} {pieces[0]}")  # fixed text, not a claim: framing
                draft = iter(pieces)
            first = next(draft, None)
            if first is None:
                continue
            if segment.heading:
                yield ("\n" if separator else "") + segment.heading + " "
            elif separator:
                yield "\n"
            yield first
            yield from draft
            separator = " "
        if plan.missing and separator:
            yield "\n" + " ".join(plan.missing)

    def _generate(self, plan: Plan, base: dict) -> Iterator[AnswerEvent]:
        pool = _dedupe([h for segment in plan.segments for h in segment.hits])
        generator, notice = self.generator, None
        verifier = CitationVerifier(pool)
        parts: list[str] = []
        try:
            for piece in self._run_segments(generator, plan, pool, verifier):
                parts.append(piece)
                yield AnswerEvent(type="delta", text=piece)
        except GeneratorUnavailable as exc:
            log.warning("generator %s unavailable: %s", generator.name, exc)
            generator, notice = self.extractive, FALLBACK_NOTICE
            verifier = CitationVerifier(pool)
            if parts:  # the user saw part of an answer: restart it visibly
                yield AnswerEvent(type="delta", text="\n\n")
            parts = []
            for piece in self._run_segments(generator, plan, pool, verifier):
                parts.append(piece)
                yield AnswerEvent(type="delta", text=piece)
        text = "".join(parts).strip()
        common = dict(base, retrieved=pool, notice=notice, engine=generator.name, removed=verifier.removed)
        if not verifier.citations:
            return Answer(text=NO_ANSWER, abstained=True, suggestions=suggestions_from(pool),
                          reason="aucune phrase des passages ne répond à la question", **common)
        if plan.attribute and generator.name == "extractive" and not mentions(text, plan.attribute):
            # The passages speak of the organisation, not of what is asked about it (its budget, its members…).
            return Answer(text=NO_ANSWER, abstained=True, suggestions=suggestions_from(pool),
                          reason=f"les passages trouvés ne disent rien de « {plan.attribute.word} »", **common)
        return Answer(text=text, citations=verifier.citations, framing=plan.framing + plan.missing,
                      missing=plan.missing, **common)
