"""Answer engine: rewrite follow-ups, retrieve, decide whether to answer, generate, verify, store.

Every generator's draft goes through the same citation verifier, sentence by sentence, so a
streamed answer never shows a sentence that has not been checked against its passage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from assistant.answer.guards import DRAFT_GUARDS, FOCUS_MIN, PLAN_GUARDS, Case, Draft, Verdict, focus_coverage, \
    question_focus
from assistant.grounding.answer_type import asked_value, role_asked, states
from assistant.text.sentences import citable_sentences
from assistant.answer.plan import Plan, Segment, dedupe, passage_key
from assistant.grounding.entities import question_entities
from assistant.grounding.scope import contract_type
from assistant.grounding.relevance import contract_subject, entity_attribute, mentions, question_wording, role_terms
from assistant.answer.conversations import ConversationStore, check_conversation_id
from assistant.grounding.base import Grounding
from assistant.answer.followup import rewrite_followup, unresolved
from assistant.grounding.injection import without_injections
from assistant.grounding.generator import Generator, GeneratorUnavailable
from assistant.answer.models import Answer, AnswerEvent
from assistant.models import Suggestion, Turn
from assistant.grounding.verify import CitationVerifier, verify_stream
from assistant.config import Settings
from assistant.index.lexical import FrenchAnalyzer
from assistant.models import SearchHit
from assistant.index.filters import SearchFilters
from assistant.text.markers import cite_sentence
from assistant.text.normalize import fold

log = logging.getLogger(__name__)

NO_ANSWER = "Les documents de l'Alliance consultés ne contiennent pas cette information."
MAX_QUESTION_CHARS = 2000
FALLBACK_NOTICE = ("Le modèle de langue configuré est injoignable : réponse produite par le moteur extractif "
                   "(phrases citées telles quelles).")


EXTRA_CANDIDATES = 3  # retrieved beyond k, so that filtering by entity still leaves enough passages


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
        self.plan_guards = [guard(grounding, k) for guard in PLAN_GUARDS]
        self.draft_guards = [guard(grounding, k) for guard in DRAFT_GUARDS]

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
        follow-up, or when the new question has no word of its own (a bare interrogative word)."""
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
        ask_back = unresolved(question, history) if self.generator.name == "extractive" else None
        if ask_back:
            # An ordinal past the end of the previous list: asking back beats answering something else.
            answer = Answer(text=ask_back, abstained=True, guards=["precision-demandee:refuse"], engine=self.generator.name,
                            reason="la question renvoie à un élément de la réponse précédente qui n'y figure pas", **base)
        else:
            answer = yield from self._respond(question, standalone, filters, base)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        if conversation_id is not None and self.conversations is not None:
            answer.conversation_id = conversation_id
            answer.message_id = self.conversations.append(conversation_id, answer)
        yield AnswerEvent(type="answer", answer=answer)

    def _respond(self, question: str, standalone: str, filters: SearchFilters | None,
                 base: dict) -> Iterator[AnswerEvent]:
        # Measured and removed (2026-12-07): a follow-up carried over (« <question précédente> ? <question> ? ») searched
        # with its own words said twice, so that the previous question's more numerous words do not find the previous
        # answer's passages again: no tuning half gained, two counted follow-ups lost (blind.yaml, blind2.yaml).
        # Measured and removed (2026-12-07): a compound question searched once per thing it asks about (its asks, or the
        # nouns listed before its colon, each alone), the first passage of each search put before the whole question's:
        # situations.yaml's compound aspects found in the top 5 went 8 -> 10 of 17 (tuning) and 6 -> 8 of 16 (counted),
        # but answers were lost: answers.yaml 95.3 -> 94.4 %, blind.yaml 92.7 -> 91.7 % (tuning) and 74.0 -> 71.9 %
        # (counted), blind3.yaml's tuning half 70 -> 68 %. A passage found for one ask takes the place of the one that
        # answered the question as a whole.
        hits = without_injections(self.searcher.search(standalone, k=self.k + EXTRA_CANDIDATES, filters=filters))
        plan = self._plan(standalone, hits, filters, followup=standalone != question)
        plan.candidates = hits
        focus = self._followup_focus(question, standalone)
        for segment in plan.segments if focus else []:
            if segment.query == standalone:
                segment.query = focus
        plan.question = focus or standalone
        plan.followup = standalone != question
        plan.earlier = standalone[: -len(question)].strip() if focus else ""
        if plan.abstain:
            answer = Answer(text=NO_ANSWER, abstained=True, reason=plan.abstain, diagnostics=plan.diagnostics,
                            retrieved=hits[: self.k], guards=plan.guards,
                            suggestions=suggestions_from(hits), engine=self.generator.name, **base)
        else:
            answer = yield from self._generate(plan, base)
        return answer

    # --- deciding what to answer ----------------------------------------------------------------
    def _plan(self, question: str, hits: list[SearchHit], filters: SearchFilters | None,
              followup: bool = False) -> Plan:
        """Run the plan guards in order; a refusal or a correction with its own passages ends them."""
        entities = question_entities(question)
        case = Case(question, filters, hits, entities, contract_type(question), generator=self.generator.name,
                    followup=followup)
        fired: list[str] = []
        missing: list[str] = []
        for guard in self.plan_guards:
            verdict = guard.check(case)
            if verdict is None:
                continue
            fired.append(f"{guard.name}:{verdict.action}")
            if verdict.action == "refuse":
                return Plan(abstain=verdict.reason, diagnostics=verdict.diagnostics, guards=fired)
            case.framing += verdict.framing
            missing += verdict.missing
            if verdict.segments is not None:
                return Plan(framing=case.framing, segments=verdict.segments, missing=missing, guards=fired,
                            composed=verdict.composed)
        if entities.ambiguous:
            plan = self._plan_ambiguous(question, case.hits, case.framing, filters)
        else:
            plan = Plan(framing=case.framing, segments=[Segment(None, question, case.hits[: self.k])])
        plan.missing, plan.guards = missing, fired
        bm25 = self.searcher.index.bm25_index()
        # Only for one question, without a correction to make first (a fact of another organisation is corrected, not refused).
        organisations = entities.named + entities.organisations
        # Measured and removed (2026-12-07): no attribute read for a question asking several things of an organisation
        # (« <attribut> quand, et avec quel <autre> ? »), left to the parts' own check: a refusal of the tuning half
        # became a partial answer still missing a fact, no answer of any set changed.
        if not plan.framing and question.count("?") <= 1 and organisations:
            plan.attribute = entity_attribute(question, organisations, bm25)
        elif sum(bool(s.heading) for s in plan.segments) > 1 and question.count("?") <= 1:
            # « l'Alliance » answered per organisation: each part must speak of what is asked.
            plan.attribute = entity_attribute(question, [], bm25)
        if case.kind is not None and plan.attribute is None and not plan.framing:
            plan.attribute = contract_subject(question, case.kind, bm25)
        if plan.attribute is not None and (stems := role_asked(question)) \
                and all(any(w.startswith(p) for w in self._role_words) for p in plan.attribute.prefixes):
            # Who holds a role is said with any of its words (« qui <verbe de rôle> » — « <rôle au participe> par »);
            # a role named more precisely (« <rôle> d'honneur ») keeps its own words.
            plan.attribute = replace(plan.attribute, prefixes=plan.attribute.prefixes + stems)
        return plan

    def _plan_ambiguous(self, question: str, hits: list[SearchHit], framing: list[str],
                        filters: SearchFilters | None) -> Plan:
        """« l'Alliance » without saying which: one labelled part per organisation the passages are about."""
        tags = {h.chunk_id: self.tagger.passage_entities(h) for h in hits}
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
                    hits = dedupe(hits + own)
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
                typed = self._typed_sentence(question, own)
                segments.append(Segment(f"{label[0].upper()}{label[1:]} :", question, [typed[0]] if typed else own,
                                        sentences=[typed[1]] if typed else []))
            return Plan(framing=framing, segments=segments)
        if len(present) == 1:
            label = self.tagger.entity(present[0]).label
            framing.append(f"Les passages trouvés portent sur {label}.")
            top = [self.tagger.view(h, present[0]) for h in hits
                   if not tags[h.chunk_id] or present[0] in tags[h.chunk_id]][: self.k]
        return Plan(framing=framing, segments=[Segment(None, question, top)])

    def _typed_sentence(self, question: str, hits: list[SearchHit]) -> tuple[SearchHit, str] | None:
        """For a question asking a value of one kind (a person, a date, a count…), the sentence of `hits` about
        what is asked that states one: each organisation's part answers with it rather than with what the
        organisation's passages say first."""
        kind = asked_value(question)
        if kind is None:
            return None
        # The role asked is checked by `states`, as the press words it (« élu président »): the focus is the rest.
        focus = {t: w for t, w in question_focus(self.grounding, self.analyzer, question).items()
                 if t not in self._entity_words and t not in self._role_words}
        found = [(focus_coverage(self.analyzer, sentence, focus), -i, hit, sentence)
                 for i, hit in enumerate(hits) for _, sentence in citable_sentences(hit.text)
                 if states(kind, sentence, question)]
        best = max(found, key=lambda f: f[:2], default=None)
        return (best[2], best[3]) if best is not None and best[0] >= FOCUS_MIN else None

    @property
    def _role_words(self) -> frozenset[str]:
        return role_terms(self.analyzer)

    @cached_property
    def _entity_words(self) -> set[str]:
        """The words of the organisations' names: in a question on who holds a role in « l'Alliance », not what is
        asked."""
        return {t for e in self.tagger.config.entities for t in self.analyzer(e.label)}

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
        position = {passage_key(h): i + 1 for i, h in enumerate(pool)}
        for segment in plan.segments:
            mapping = {i + 1: position[passage_key(h)] for i, h in enumerate(segment.hits)}
            pieces = (iter([" ".join(cite_sentence(t, 1) for t in segment.sentences)]) if segment.sentences
                      else generator.stream(segment.query, segment.hits))
            draft = verify_stream(pieces, verifier, mapping)
            if segment.heading and plan.attribute and generator.name == "extractive" and not segment.sentences:
                # One part per organisation: a part that never names what is asked (« budget ») says so
                # instead of listing unrelated facts, and its sources are not kept. A sentence chosen for stating
                # the kind of value asked (a person in the role asked) answers in its own words.
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

    @staticmethod
    def _pool(plan: Plan) -> tuple[list[SearchHit], CitationVerifier]:
        """The passages of every segment, once each, and the verifier that numbers citations into them."""
        pool = dedupe([h for segment in plan.segments for h in segment.hits])
        return pool, CitationVerifier(pool)

    def _write(self, generator: Generator, plan: Plan) -> tuple[str, CitationVerifier, list[SearchHit]]:
        pool, verifier = self._pool(plan)
        return "".join(self._run_segments(generator, plan, pool, verifier)).strip(), verifier, pool

    def _check_draft(self, generator: Generator, plan: Plan, text: str, verifier: CitationVerifier,
                     pool: list[SearchHit]):
        """Run the draft guards on a written answer: None when it stands, else their verdict."""
        body = text
        for framing in plan.framing + plan.missing:
            body = body.replace(framing, " ")
        draft = Draft(plan.question, body if verifier.citations else "", pool, generator.name, plan.attribute,
                      plan.candidates, plan.followup, plan.earlier)
        for guard in self.draft_guards[:1] if plan.composed else self.draft_guards:
            verdict = guard.check(draft)
            if verdict is not None:
                plan.guards.append(f"{guard.name}:{verdict.action}")
                return verdict
        return None

    def _generate(self, plan: Plan, base: dict) -> Iterator[AnswerEvent]:
        generator, notice, parts = self.generator, None, []
        # The extractive engine writes at once: its answer is checked before it is shown. A model's is streamed
        # as verified, and the checks made on the whole of it may still replace it at the end.
        streamed = generator.name != "extractive"
        try:
            if streamed:
                pool, verifier = self._pool(plan)
                for piece in self._run_segments(generator, plan, pool, verifier):
                    parts.append(piece)
                    yield AnswerEvent(type="delta", text=piece)
                text = "".join(parts).strip()
            else:
                text, verifier, pool = self._write(generator, plan)
        except GeneratorUnavailable as exc:
            log.warning("generator %s unavailable: %s", generator.name, exc)
            generator, notice, streamed = self.extractive, FALLBACK_NOTICE, False
            if parts:  # the user saw part of an answer: restart it visibly
                yield AnswerEvent(type="delta", text="\n\n")
            text, verifier, pool = self._write(generator, plan)
        common = dict(base, notice=notice, engine=generator.name)
        verdict = self._check_draft(generator, plan, text, verifier, pool)
        if verdict is not None and verdict.segments is not None:
            # A guard chose the sentences that answer (or that say where the value is set): written from those.
            plan.segments, plan.missing = verdict.segments, plan.missing + verdict.missing
            text, verifier, pool = self._write(self.extractive, plan)
            if not verifier.citations:
                verdict = Verdict("refuse", "aucune phrase des passages ne répond à la question")
        elif verdict is not None and verdict.action == "partial":
            plan.missing = plan.missing + verdict.missing
            text = f"{text}\n{' '.join(verdict.missing)}"
            if streamed:
                yield AnswerEvent(type="delta", text="\n" + " ".join(verdict.missing))
        common.update(retrieved=pool, removed=verifier.removed, guards=plan.guards)
        if verdict is not None and verdict.action == "refuse":
            return Answer(text=NO_ANSWER, abstained=True, suggestions=suggestions_from(pool), reason=verdict.reason,
                          **common)
        # Headings are fixed text too (an organisation's name, a checklist's computed conclusion): not claims.
        # A heading on several lines (a purchase's, then its first point's) is one heading per line, as shown.
        headings = [line for s in plan.segments if s.heading and s.heading in text for line in s.heading.split("\n")]
        answer = Answer(text=text, citations=verifier.citations, framing=plan.framing + headings + plan.missing,
                        missing=plan.missing, **common)
        if not streamed:
            # What the passages say, then what they lack as a delta of its own, as a model's answer streams them.
            yield AnswerEvent(type="delta", text=answer.stated())
            if answer.missing:
                yield AnswerEvent(type="delta", text="\n" + " ".join(answer.missing))
        return answer
