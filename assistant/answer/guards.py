"""Guards: the checks that decide whether the passages answer a question, listed in order in one place.

A guard serves one class of questions, defined by how the texts are written or how people ask (a subject
the documents do not cover, a document the index lacks, a premise the texts contradict, a value set
elsewhere…), never one question. Each returns a `Verdict` or None (nothing to say):
- refuse: the passages do not answer; the reason says why in plain French;
- correct: the question rests on a wrong premise or asks for something unlawful; fixed framing is said
  first, and `segments` (when given) replace what the answer is written from;
- partial: the passages answer part of it; `missing` says what they lack, after what they say;
- answer: the passages answer, from other sentences than those first chosen (`segments`).

`PLAN_GUARDS` run on the question and the retrieved passages, before any sentence is chosen; `DRAFT_GUARDS`
on the verified answer. The name of every guard that gave a verdict is kept in `Answer.guards` with its
action (« inventaire:refuse »), so that `make bench` measures each one's precision and recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from assistant.answer import checklist
from assistant.answer.followup import asks_something_new
from assistant.answer.premises import entity_conflicts, match_misconception, numbered_names, numbers_in, unsupported_numbers
from assistant.grounding.answer_type import (DATE, LIST, LIST_REQUEST_WORDS, QUANTITY, VALUE_LABELS, asked_value,
                                            asks_list, expected_type, gives,
                                            counted_noun, measured_noun,
                                            names_measured, states)
from assistant.grounding.entities import Entity, QuestionEntities, question_entities
from assistant.grounding.injection import without_injections
from assistant.grounding.question_parts import open_ask, question_parts
from assistant.grounding.relevance import Asked, entity_attribute, mentions, question_wording
from assistant.grounding.scope import ContractType, out_of_scope_subject
from assistant.grounding.verify import cited_sentences
from assistant.index.filters import SearchFilters
from assistant.index.lexical import FrenchAnalyzer, cited_articles
from assistant.models import SearchHit
from assistant.text.markers import strip_markers
from assistant.text.sentences import citable_sentences
from assistant.text.normalize import fold_apostrophes, of
from assistant.thresholds.caps import planned
from assistant.thresholds.purchases import purchases
from assistant.thresholds.situation import for_formalised_procedures, read_rules_without_amount, Situation, findings, read_situation, thresholds_asked

from assistant.answer.plan import Segment, dedupe

if TYPE_CHECKING:
    from assistant.grounding.base import Grounding

Action = Literal["answer", "refuse", "correct", "partial"]
CONTRACT_TYPE_DEPTH = 30  # passages searched for the few about a partly covered kind of contract
_YEAR = re.compile(r"(19|20)\d\d")
# Words that say which kind of value is asked, not what it is about (the unit, « nombre », « minimum »…).
_VALUE_WORDS = ("euros euro part temps jours mois ans années semaines nombre date nom appelle minimum minimal maximal "
                "maximum combien")


@dataclass
class Verdict:
    action: Action
    reason: str | None = None  # refuse: why, in plain French
    framing: list[str] = field(default_factory=list)  # correct: fixed sentences said first
    segments: list[Segment] | None = None  # correct: what the answer is written from instead
    missing: list[str] = field(default_factory=list)  # partial: what the passages do not say
    diagnostics: dict[str, float] = field(default_factory=dict)
    guard: str = ""  # set by the runner: the name of the guard that gave it
    # The answer is composed from data the guard checked itself (a checklist, a threshold quoted with what the
    # documents lack): the draft guards, which read a generator's choice of sentences, leave it as it is.
    composed: bool = False

    @property
    def final(self) -> bool:
        """A refusal, or a correction that says what to answer from, ends the plan guards."""
        return self.action == "refuse" or self.segments is not None


@dataclass
class Case:
    """A question as the plan guards see it: guards may narrow `hits` (the passages it is answered from)."""

    question: str
    filters: SearchFilters | None
    hits: list[SearchHit]
    entities: QuestionEntities
    kind: ContractType | None = None
    framing: list[str] = field(default_factory=list)
    conflict: bool = False  # a fact of the question belongs to another organisation (said in the framing)
    generator: str = "extractive"  # who writes the answer: some guards stand in for what only a model reads well
    followup: bool = False  # rewritten from the conversation (« <question précédente> ? <question> ? »)

    @property
    def about_organisation(self) -> bool:
        return bool(self.entities.named or self.entities.organisations or self.entities.ambiguous)

    @cached_property
    def situation(self) -> Situation | None:
        """The purchase the question describes (amount, kind, aspects), read once for the guards that need it."""
        return read_situation(self.question)


@dataclass
class Draft:
    """A verified answer as the draft guards see it."""

    question: str
    text: str  # the answer's text without the framing
    hits: list[SearchHit]  # the passages it was written from
    generator: str
    attribute: Asked | None = None
    candidates: list[SearchHit] = field(default_factory=list)  # every passage retrieved for the question
    followup: bool = False  # rewritten from the conversation: the question holds earlier ones
    earlier: str = ""  # the earlier questions carried over, when `question` is the follow-up's own

    @cached_property
    def said(self) -> list[str]:
        """The answer's cited sentences, without their markers."""
        return [strip_markers(s) for line in self.text.split("\n") for s in cited_sentences(line)]

    def passage_of(self, sentence: str) -> SearchHit | None:
        """The passage a quoted sentence comes from. The verifier may have closed the sentence with a full stop: found
        by its start."""
        return next((h for h in self.hits if sentence.rstrip(".").strip()[:120] in h.text), None)


def last_question(question: str) -> str:
    """A follow-up carried over (« Qu'est-ce que X ? Et quand… ? ») asks its last question, not the first."""
    return question.rsplit("?", 2)[-2] if question.count("?") > 1 else question


def _as_written(question: str, words: list[str]) -> list[str]:
    """Words found in the question, as the user wrote them, those that follow each other there joined (« prénom »,
    « nom » -> « Prénom Nom »)."""
    spans = sorted((m.start(), m.end()) for w in dict.fromkeys(words)
                   if (m := re.search(rf"(?<!\w){re.escape(w)}(?!\w)", question, re.IGNORECASE)))
    if len(spans) != len(dict.fromkeys(words)):
        return list(words)
    joined: list[list[int]] = []
    for start, end in spans:
        if joined and re.fullmatch(r"[\s-]+", question[joined[-1][1]:start]):
            joined[-1][1] = end
        else:
            joined.append([start, end])
    return [question[a:b] for a, b in joined]


def _quote_list(items: list[str]) -> str:
    quoted = [f"« {i} »" for i in dict.fromkeys(items)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


class Guard:
    """One check of one class of questions. `name` is what bench reports and `Answer.guards` keep."""

    name = ""

    def __init__(self, grounding: "Grounding", k: int):
        self.grounding = grounding
        self.k = k

    def check(self, case: Case) -> Verdict | None:  # pragma: no cover - interface
        raise NotImplementedError


class DraftGuard(Guard):
    def check(self, draft: Draft) -> Verdict | None:  # type: ignore[override]  # pragma: no cover - interface
        raise NotImplementedError


# --- plan guards: on the question and the passages found -------------------------------------------------------
class NoPassage(Guard):
    name = "aucun-passage"

    def check(self, case: Case) -> Verdict | None:
        return None if case.hits else Verdict("refuse", "aucun passage trouvé")


class OutOfScope(Guard):
    """A subject the documents do not cover (company law, labour law…), however near the words."""

    name = "hors-sujet"

    def check(self, case: Case) -> Verdict | None:
        subject = out_of_scope_subject(case.question)
        return Verdict("refuse", f"les documents de l'Alliance ne traitent pas {of(subject.label)}") if subject else None


class DocumentInventory(Guard):
    """Another CCAG, a form, a court decision, an article the corpus lacks, named or described: never another
    document's rules."""

    name = "inventaire"

    def check(self, case: Case) -> Verdict | None:
        missing = self.grounding.inventory.missing(case.question)
        if missing is None:  # no document named: a kind of source described, not named
            missing = self.grounding.inventory.missing_kinds(self.grounding.sources.asked(case.question))
        return Verdict("refuse", missing) if missing else None


class CitedPublication(Guard):
    """The content of a publication the documents cite but do not hold (a report, a study, another body's guide) is
    asked: what the passages say of it stands, and that the publication itself is not in the documents is said."""

    name = "publication-absente"

    def check(self, case: Case) -> Verdict | None:
        named = self.grounding.inventory.publication_not_held(case.question)
        if named is None:
            return None
        return Verdict("partial", missing=[f"Les documents indexés ne contiennent pas {named} : seulement ce qu'en "
                                           "rapportent les passages cités."])


# « que prévoit / que dit / que contient l'article X ? »: what an article says is asked.
_WHAT_IT_SAYS = re.compile(r"\bque\s+(?:prevoi\w*|di\w*|contien\w*|precis\w*|impos\w*|prescri\w*|pos\w*|enonc\w*)\b|"
                           r"\bde\s+quoi\s+(?:parle|trait)|\bsur\s+quoi\s+port|\bresum|\bcontenu\s+de|"
                           r"\bexplique|\bdetaill|\bqu.y\s+a-t-il\s+dans")


OPENING = 2  # sentences of a named article quoted when what it says is asked
# Rules whose answer leads a permission question (an origin label touches the origin rule and the label rule): each
# says its own principle; more would bury the answer.
MAX_RULES_FRAMED = 2


class NamedArticle(Guard):
    """What a named article says is asked: it is answered from that article's own passages, not from neighbours
    that share its words (another article of the same text)."""

    name = "article-nomme"

    def check(self, case: Case) -> Verdict | None:
        articles = cited_articles(case.question)
        if not articles or not _WHAT_IT_SAYS.search(fold_apostrophes(case.question)):
            return None
        own = [h for h in self.grounding.evidence(articles, case.question, case.filters, k=0)
               if h.meta.get("article_id") in articles]
        if not own:
            return None
        if case.generator != "extractive":
            return Verdict("answer", segments=[Segment(None, case.question, own[: self.k])])
        # A question with no words beyond the article's name gives sentence selection nothing to rank by: the
        # article's opening sentences (its heading and first rule) say what it is about.
        segments = [Segment(None, case.question, [hit], sentences=[t for _, t in citable_sentences(hit.text)][:OPENING])
                    for hit in own[:2]]
        return Verdict("answer", segments=segments)


# « qu'est-ce qu'un X ? », « c'est quoi X ? », « que signifie … ? »: a definition is asked.
_DEFINITION_ASKED = re.compile(r"(?:qu'est-ce\s+qu(?:e|')\s*|c'est\s+quoi\s+|que\s+(?:signifie|veut\s+dire)\s+|"
                               r"definition\s+d(?:e|u|')\s*)(?:(?:un|une|le|la|les|l')\s*)?«?\s*(?P<what>[\w' -]{3,60}?)\s*»?\s*(?:[?,.]|$)|"
                               # the term first (« <terme>, [concrètement,] c'est quoi ? », « <terme>, ça veut dire quoi ? »)
                               r"(?:^|[,:]\s*)(?:(?:un|une|le|la|les|l')\s*)?«?\s*(?P<before>[\w' -]{3,60}?)\s*»?\s*,?\s*"
                               r"(?:(?:concretement|au\s+juste|exactement)\s*,?\s*)?(?:c'est\s+quoi|ca\s+veut\s+dire\s+quoi|"
                               r"qu'est-ce\s+que\s+c'est)\b")
DEFINITION_DEPTH = 10  # passages searched for the sentence that defines the term


class Definition(Guard):
    """A definition is asked: the sentence of the passages that defines the term (« Un accord-cadre est… »,
    « On entend par… », « L'accord-cadre, qui permet… ») answers, rather than a rule that merely uses it — the
    principle before its exceptions (extractive engine: a model finds the definition itself)."""

    name = "definition"

    def check(self, case: Case) -> Verdict | None:
        # A follow-up carried over (« Qu'est-ce que X ? Et quand… ? ») asks its last question, not the first.
        asked = last_question(case.question)
        match = _DEFINITION_ASKED.search(fold_apostrophes(asked))
        if case.generator != "extractive" or not match:
            return None
        term = (match.group("what") or match.group("before")).strip()
        # The term as written, between quotation marks or not (« la « <terme> » est la décision… »).
        what = rf"(?:«\s*)?{re.escape(term)}(?:\s*»)?"
        # « est un / une / l'… », not « est conclu » (a rule about it, in the passive).
        defines = re.compile(rf"(?:\b(?:un|une|le|la|les|l')\s*{what}\s+(?:(?:est|sont)\s+(?:un|une|des|le|la|les|l'|celui|"
                             rf"celle|ce|constitue)\b|designe|s'entend|consiste)|"
                             rf"\bon\s+entend\s+par\s+(?:(?:un|une|le|la|l')\s*)?{what}|"
                             rf"(?<![\w-]){what}\s*,\s*qui\s+(?:permet|est|consiste|designe))")
        # The term alone, and as definitions are written (« l'accord-cadre, qui permet de… »).
        searched = [h for query in (term, f"{term} est un, qui permet de")
                    for h in self.grounding.searcher.search(query, k=DEFINITION_DEPTH, filters=case.filters)]
        for hit in dedupe(case.hits[: self.k] + without_injections(searched)):
            for _, sentence in citable_sentences(hit.text):
                if defines.search(fold_apostrophes(sentence)):
                    # A glossary written as one list (« <préambule> : le « X » est … ;- le « Y » est … ») is quoted by
                    # the item that defines the term, not whole.
                    item = next((part.strip(" -") for part in sentence.split(";")
                                 if defines.search(fold_apostrophes(part))), sentence)
                    item = next((s for _, s in citable_sentences(item) if defines.search(fold_apostrophes(s))), item)
                    return Verdict("answer", segments=[Segment(None, case.question, [hit], sentences=[item])])
        return None


class ContractKind(Guard):
    """The rules for ordinary marchés publics never answer a question about concessions: only passages on the kind
    of contract asked about are kept."""

    name = "type-de-contrat"

    def check(self, case: Case) -> Verdict | None:
        if case.kind is None:
            return None
        searcher = self.grounding.searcher
        wider = without_injections(searcher.search(case.question, k=CONTRACT_TYPE_DEPTH, filters=case.filters))
        case.hits = [h for h in dedupe(case.hits + wider) if case.kind.covers(h)]
        return None if case.hits else Verdict("refuse", f"aucun passage ne porte sur {case.kind.label}")


class NamedOrganisation(Guard):
    """A question naming one organisation is answered from its passages only; a fact the documents give for
    another one is corrected first."""

    name = "organisation-nommee"

    def check(self, case: Case) -> Verdict | None:
        named = case.entities.named
        if not named:
            return None
        tagger, searcher = self.grounding.tagger, self.grounding.searcher
        tags = {h.chunk_id: tagger.passage_entities(h) for h in case.hits}
        conflict = entity_conflicts(case.question, named, case.hits, tagger)
        if conflict is None:
            # A fact the named organisation's passages lack may belong to another one: search without the name.
            others = searcher.search(named[0].strip_from(case.question), k=self.k, filters=case.filters)
            conflict = entity_conflicts(case.question, named, dedupe(case.hits + others), tagger)
        ids = {e.id for e in named}
        # A passage about another organisation only is never used; one about several is cut to its lines on this one.
        case.hits = [tagger.view(h, named[0].id) for h in case.hits if not tags[h.chunk_id] or tags[h.chunk_id] & ids]
        if not case.hits:
            return Verdict("refuse", f"aucun passage ne porte sur {named[0].label}")
        if conflict:
            other, details = conflict
            case.conflict = True
            said = _as_written(case.question, details)
            verb = "se rapporte" if len(said) == 1 else "se rapportent"
            return Verdict("correct", framing=[f"Attention : dans les documents, {_quote_list(said)} {verb} à "
                                               f"{other.label}, une organisation distincte de {named[0].label}."])
        return None


# Measured and removed (2026-12-07): a question asserting who launched, created or founded something (« <Org> ayant
# <participe> … », « <confirmation> <Org> qui l'a <participe> ? », « <participe> par <Org> ») that no passage names, while the passages say who
# did, corrected with their sentences (those dating the act first when the question names a year), before any refusal
# on another absent name: blind4.yaml's tuning half +1 (a refusal became the correction), no counted half changed.
class KnownMisconception(Guard):
    """A misconception staff listed (premises.yaml), corrected from the articles that settle it."""

    name = "idee-recue"

    def check(self, case: Case) -> Verdict | None:
        misconception = match_misconception(case.question)
        if misconception is None:
            return None
        evidence = self.grounding.evidence(list(misconception.articles), misconception.query, case.filters)
        pool = dedupe(evidence + case.hits[: self.k])
        return Verdict("correct", framing=[misconception.message], segments=[Segment(None, misconception.query, pool)])


class Lawfulness(Guard):
    """May a buyer require or favour what a rule forbids (an origin, a locality, a brand)? The rule comes first,
    quoted from its own articles (the clause linter's rules: one source of legal truth), then what the passages
    found for the question add."""

    name = "licéité"

    def check(self, case: Case) -> Verdict | None:
        # A purchase described by its amount asks what applies to it (the situation guard, next): the model of how
        # buyers ask permission learned from questions without one, so only the rules' own patterns read it.
        rules = self.grounding.permission.asked(case.question, about_organisation=case.about_organisation,
                                                learned=case.situation is None)
        described = case.situation is not None or (bool(rules) and (
            read_rules_without_amount(case.question) is not None
            or bool(planned(case.question, self.grounding.thresholds.limits()))))
        if rules and described:
            # An origin, a locality or a brand the description of the purchase names is not what is asked of it (its
            # amount, a rule the Code sets without one, a limit on what the buyer plans): the rule leads only when a
            # clause asking permission or stating a requirement names it.
            asked = self.grounding.linter.permission_clauses(case.question)
            rules = self.grounding.permission.asked(asked, about_organisation=case.about_organisation,
                                                    learned=False) if asked else []
        if not rules:
            return None
        # The most serious rule frames the answer; each rule the question touches (an origin label: the origin rule
        # and the label rule) is quoted from its own articles, then what the passages found for the question add.
        # Then what the Code lets the buyer do at the stage of the purchase the question speaks of.
        segments, quoted = [], set()
        for articles, query in [*((r.articles, r.query) for r in rules),
                                *((m.articles, m.query) for m in self.grounding.linter.allowed_asked(case.question))]:
            rule = [h for h in self.grounding.evidence(list(articles), query, case.filters, k=0)
                    if h.chunk_id not in quoted]
            quoted |= {h.chunk_id for h in rule}
            if rule:
                segments.append(Segment(None, query, rule))
        # A buyer asks about the law: an organisation's passages (that names a label among its members) add nothing.
        rest = [h for h in case.hits[: self.k] if h.chunk_id not in quoted and not self.grounding.tagger.passage_entities(h)]
        # The first rule's verdict (« Oui, si… : », « Non : ») answers; the next rule adds its principle only.
        framing = [rules[0].framing, *(_without_verdict(r.framing) for r in rules[1:MAX_RULES_FRAMED])]
        return Verdict("correct", framing=framing, segments=segments + [Segment(None, case.question, rest)])


def _without_verdict(framing: str) -> str:
    """« Non : une condition… » → « Une condition… »: a rule's framing without the short verdict opening it."""
    head, sep, rest = framing.partition(" : ")
    if not sep or len(head.split()) > 10 or not rest:
        return framing
    return rest[0].upper() + rest[1:]


LIMITS_FRAMING = ("Votre projet comparé aux limites que fixe le code : la comparaison est calculée par l'assistant, la règle "
                  "est citée mot pour mot.")


def _shown_the_same(a: Verdict, b: Verdict) -> bool:
    """Whether two verdicts show the same lines, each from the same sentences."""
    def lines(v: Verdict) -> list[tuple]:
        return [(s.heading, tuple(s.sentences or [])) for s in v.segments or []]
    return a.framing == b.framing and lines(a) == lines(b)


ABOUT_PASSAGES = 3  # the first passages found for a question say which articles it is about


class BuyerSituation(Guard):
    """A purchase described by its amount (its kind, its duration) with what applies asked (one aspect or several,
    or everything usual): answered aspect by aspect from the Code's thresholds, the comparison with the buyer's
    figures computed by code and said to be, each rule quoted from its article. A value the documents lack (the
    European thresholds) is said to be missing; an unsaid kind of contract gets every case."""

    name = "situation"

    def check(self, case: Case) -> Verdict | None:
        parts = purchases(case.question)
        # The articles the question is about, by its first passages (its duration limits apply though unnamed).
        about = frozenset(h.meta.get("article_id") for h in case.hits[:ABOUT_PASSAGES] if h.meta.get("article_id"))
        if parts is None:
            verdict = self._one(case.question, case.situation, case.filters, about)
            if verdict is not None and case.followup and case.question.count("?") > 1:
                # A follow-up whose words change nothing the rules read (« et en cas de <circonstance> ? ») would only
                # get the previous checklist again: what it adds is answered from the passages.
                head = case.question.rsplit("?", 2)[0] + "?"
                before = self._one(head, read_situation(head), case.filters, about)
                if before is not None and _shown_the_same(before, verdict):
                    return None
            return verdict
        # Several purchases in one question: each is read with its own figures and answered under its own heading.
        verdicts = [(i, part, v) for i, part in enumerate(parts, 1)
                    if (v := self._one(part.question, read_situation(part.question), case.filters, about))]
        if not verdicts:
            return None
        lots = all(part.lot for part in parts)
        described = (f"{len(parts)} lots d'un même marché : chacun est lu avec son propre montant, celui du marché entier à "
                     "côté" if lots else f"{len(parts)} achats distincts : chacun est lu avec ses propres chiffres")
        framing = [f"Votre question décrit {described}. Pour chaque point, la règle du code est citée mot pour mot ; la "
                   "comparaison avec vos montants est calculée par l'assistant."]
        if parts[0].share_basis:
            framing.append(f"Part des lots indiqués dans le marché entier, calculée par l'assistant : {parts[0].share_basis}.")
        if parts[0].whole_basis:
            framing.append(f"Montant du marché entier calculé par l'assistant sur l'ensemble des lots (article R2121-1) : "
                           f"{parts[0].whole_basis}.")
        # A purchase no rule of the table answers is said so, not left out in silence.
        answered = {i for i, _, _ in verdicts}
        framing += [f"Achat {i} (« {part.words} ») : aucune règle du code à appliquer à ses chiffres pour ce qui est "
                    "demandé ; posez la question pour cet achat seul." for i, part in enumerate(parts, 1) if i not in answered]
        segments, missing = [], []
        for i, part, verdict in verdicts:
            # The purchase as read (its amount, kind, duration, computed HT…), or, read without an amount, its own words.
            said = checklist.purchase_summary(verdict.framing) or f"« {part.words} »"
            if part.lot:
                # The whole's figures in brackets; what the reading asks back of it after them.
                whole, _, asked = said.partition(". ")
                said = f"{part.words} (marché entier : {whole.rstrip('.')}){'. ' + asked if asked else ''}"
            if verdict.segments:
                first = verdict.segments[0]
                heading = f"Achat {i} — {said}\n{first.heading or ''}".rstrip()
                segments += [replace(first, heading=heading)] + verdict.segments[1:]
            missing += [m for m in verdict.missing if m not in missing]
        return Verdict("partial" if missing else "answer", framing=framing, segments=segments, missing=missing,
                       composed=True)

    def _one(self, question: str, situation: Situation | None, filters: SearchFilters | None,
             about: frozenset[str]) -> Verdict | None:
        def evidence(article: str, query: str) -> list[SearchHit]:
            return self.grounding.evidence([article], query, filters, k=0)

        # What the buyer plans against the limits the Code sets (a rate, a multiple of the amount, a duration).
        limits = checklist.limit_segments(planned(question, self.grounding.thresholds.limits(), about), evidence)
        situation = situation or read_rules_without_amount(question)
        if situation is None:
            if not limits:
                return None
            return Verdict("answer", framing=[LIMITS_FRAMING], segments=limits, composed=True)
        table = self.grounding.thresholds.all()
        if not situation.amount_given:
            # Asked without an amount: only the rules the Code decides without one are read (those of the formalised
            # procedures' contracts too, which the procedure followed decides) — and only for aspects that no amount
            # decides: a dispensation alone would hide the duty an amount imposes.
            unbounded = [t for t in table if all(for_formalised_procedures(b) for b in t.bounds)]
            if {t.aspect for t in table if t not in unbounded} & set(situation.aspects):
                return None if not limits else Verdict("answer", framing=[LIMITS_FRAMING], segments=limits, composed=True)
            table = unbounded
        lines = checklist.lines(situation, findings(table, situation, self.grounding.thresholds.exclusions(),
                                                    self.grounding.thresholds.cases()))
        segments = checklist.segments(lines, evidence)
        segments += checklist.applications(lines, self.grounding.thresholds.applications(), evidence)
        if not segments and not limits:
            return None
        # « combien de <unité> … » asks a count the rules' verdicts do not give: answered from the passages unless a
        # quoted sentence names what is counted.
        counted = counted_noun(question) if asked_value(question) == "count" else None
        if counted and not any(counted in fold_apostrophes(sentence).lower() for s in segments for sentence in s.sentences or []):
            return None
        segments = checklist.valuation(situation, evidence) + checklist.paid_direct(situation, lines, evidence) + segments
        segments += checklist.how_much(situation, lines, table, evidence) + limits
        types_matter = any(f.contract_type for line in lines for f in line.findings)
        missing = checklist.missing(lines)
        # (With the buyer's own figure given beside it, the amount is the purchase's, whatever rules it decides.)
        buyer_scale = situation.buyer_amount is None and all(f.threshold.subject_kind == "acheteur"
                                                             for line in lines for f in line.findings)
        framing = checklist.framing(situation, types_matter, buyer_scale)
        # What the buyer did not say and a conclusion rests on is asked back (the kind of contract, once).
        framing += [ask for ask in checklist.asked_back(lines) if not any(ask[:20] == f[:20] for f in framing)]
        return Verdict("partial" if missing else "answer", framing=framing, segments=segments, missing=missing,
                       composed=True)


class ThresholdAsked(Guard):
    """A question on the amount that triggers a rule, or on the cases a rule applies to: the threshold is read from the
    table of the Code's thresholds, by what follows from it (not another threshold of the same kind), and its
    article quoted; a value the Code leaves to an annexed notice is said to be missing, with what the indexed
    articles do prove of it."""

    name = "seuil-demande"

    def check(self, case: Case) -> Verdict | None:
        if case.generator != "extractive":
            return None  # a model reads which threshold is asked from the passages; sentence selection cannot
        if case.question.count("?") > 1 and asks_something_new(last_question(case.question)):
            return None  # the threshold was the previous question's: this one asks another thing of it
        table = self.grounding.thresholds.all()
        # A sum owed (a penalty, an indemnity, a pay) is an amount asked, but not the amount that triggers a rule.
        owed = re.search(r"\b(?:penalite|indemnite|amende|remuneration|honoraire|vacation)s?\b|"
                         r"\b(?:payee?s?|remuneree?s?|indemnisee?s?)\b", fold_apostrophes(case.question)) is not None
        asked = thresholds_asked(case.question, table, asked_value(case.question) == "amount" and not owed)
        segments, quoted = [], set()
        # Two articles at most for one aspect asked (a law article and its decree); one per aspect for several.
        room = max(2, len({t.aspect for t in asked}))
        for threshold in asked:
            if threshold.article in quoted or len(quoted) == room:
                continue
            hits = [h for h in self.grounding.evidence([threshold.article], case.question, case.filters, k=0)
                    if h.chunk_id == threshold.chunk_id]
            quote = checklist.quote(threshold)
            if hits and all(part in hits[0].text for part in quote):
                heading = f"{threshold.aspect_label} — article {threshold.article} :" if room > 2 else None
                segments.append(Segment(heading, case.question, hits[:1], sentences=[p.rstrip(" ;,:") for p in quote]))
                quoted.add(threshold.article)
        if not segments:
            return None
        shown = [t for t in asked if t.article in quoted]
        missing = checklist.missing_values(shown, table)
        return Verdict("partial" if missing else "answer", segments=segments, missing=missing, composed=True)


# Measured and removed (2026-12-07): the relevance refusal lifted when a passage's sentence states a value of the kind
# asked about the question's words that the passages hold (the user's own words they lack left out of the focus), unless
# a word they lack is a name or a figure of the question (« … de <Pays> », « en <année> »), with « combien d'argent » read
# as an amount asked: blind3.yaml's tuning half +1 (a figure of a press article asked in other words), no counted half
# changed, and answers.yaml lost three refusals of questions outside the documents (another value of the same kind quoted).
class Relevance(Guard):
    """Passages too far from the question, or silent on its most precise words."""

    name = "pertinence"

    def check(self, case: Case) -> Verdict | None:
        rel = self.grounding.relevance(case.question, case.hits[: self.k])
        settings = self.grounding.settings
        if rel.passes(settings):
            return None
        # A question asking several things is about its first ask: the passages that answer it are not turned away for
        # the words of a later one, which the draft's own check says unanswered (a partial answer).
        parts = question_parts(case.question) if not case.followup else []
        if len(parts) > 1 and self.grounding.relevance(parts[0], case.hits[: self.k]).passes(settings):
            return None
        # A near miss on the documents' own subject is answered; the domain model is asked only then.
        if rel.passes(settings, in_domain=True) and self.grounding.domain.reads(case.question):
            return None
        # The question's words are not repeated: a refusal must not look like the documents know a word they may hide.
        reason = ("les documents trouvés ne parlent pas des mots les plus précis de la question" if rel.uncovered
                  else "les documents trouvés sont trop éloignés de ce que demande la question")
        return Verdict("refuse", reason, diagnostics={"couverture": rel.coverage, "similarite": rel.dense})


def numbers_asked(case: Case) -> str:
    """The text whose numbers the passages must hold: a follow-up that writes numbers of its own (« et au-delà de
    <montant> ? », « et en <année> ? ») asks about them instead of the earlier question's, which it replaces."""
    if not case.followup:
        return case.question
    own = last_question(case.question)
    return own if own != case.question and numbers_in(own) else case.question


class UnknownYear(Guard):
    """A question about a given year that no passage mentions cannot be answered from them."""

    name = "annee-absente"

    def check(self, case: Case) -> Verdict | None:
        # A year asserted in a yes-or-no question (« c'est bien en <année> ? », « <verbe>-t-elle en <année> ? ») is a
        # premise to check against what the passages say (`UnsupportedNumber`: said missing, the passages quoted).
        if case.conflict or not open_ask(last_question(case.question)):
            return None
        years = [n for n in unsupported_numbers(numbers_asked(case), case.hits[: self.k]) if _YEAR.fullmatch(n)]
        return Verdict("refuse", f"aucun passage ne concerne {_quote_list(years)}") if years else None


class UnknownNamedThing(Guard):
    """« ISO 14001 » names a thing: a number no passage contains is then a name to look for, not a premise."""

    name = "reference-absente"

    def check(self, case: Case) -> Verdict | None:
        asked = numbers_asked(case)
        names = numbered_names(asked, unsupported_numbers(asked, case.hits[: self.k]))
        return Verdict("refuse", f"aucun passage ne mentionne {_quote_list(names)}") if names else None


class UnsupportedNumber(Guard):
    """A number of the question (an amount, a duration stated as the rule) that no passage holds: what the passages
    say is answered, and that they do not mention it is said."""

    name = "nombre-absent"

    def check(self, case: Case) -> Verdict | None:
        numbers = unsupported_numbers(numbers_asked(case), case.hits[: self.k])
        if not numbers:
            return None
        return Verdict("partial", missing=[f"Les passages les plus pertinents ne mentionnent pas {_quote_list(numbers)}."])


# Measured and removed (2026-12-07): « est-ce obligatoire ? » answered first by the article stating the principle — the
# law's article of the chapter the first passage belongs to (L<chapitre>-n before the decree's R<chapitre>-n), the
# first article of its section, a principle among the other passages, or a law's article found further down — when it
# held enough of what is asked (FOCUS_MIN). On bench/eval/principles.yaml (written blind for this), obligations right
# 10 → 11 of 15 on the tuning half, 9 → 9 on the counted half (the principle quoted first 4 → 4); no other set
# changed. Without the focus check for the articles tied to the first passage, the tuning half lost one (a chapter's
# law articles are about other things too: another one was quoted). The counted misses are mostly principles the
# search does not find, or finds but in the law's words, far from the user's.
# --- draft guards: on the verified answer ----------------------------------------------------------------------
class NothingCited(DraftGuard):
    name = "aucune-phrase"

    def check(self, draft: Draft) -> Verdict | None:
        return None if draft.text.strip() else Verdict("refuse", "aucune phrase des passages ne répond à la question")


# A person's name as written: two capitalised words or more (« Prénom Nom-Composé »).
_PERSON = re.compile(r"\b[A-ZÉ][a-zéèëïîôç]+(?:[ -][A-ZÉ][a-zéèëïîôç]+)+\b")


def question_focus(grounding: "Grounding", analyzer: FrenchAnalyzer, question: str) -> dict[str, float]:
    """The question's informative words, by rarity (« montant » and « seuil » included: they say which value)."""
    bm25 = grounding.index.bm25_index()
    wording = question_wording(analyzer) | set(analyzer(_VALUE_WORDS))
    return {t: (bm25.idf(t) if bm25 else 1.0) for t in analyzer(question) if t not in wording}


def focus_coverage(analyzer: FrenchAnalyzer, sentence: str, focus: dict[str, float]) -> float:
    """The share of the question's informative words (by rarity) the sentence holds."""
    if not focus:
        return 1.0
    present = set(analyzer(sentence))
    return sum(w for t, w in focus.items() if t in present) / sum(focus.values())


class AttributeNotMentioned(DraftGuard):
    """The passages speak of the organisation (or kind of contract), not of what is asked about it.

    Measured (2026-12-06): answering partial (what the passages say, then that they say nothing of it) instead of
    refusing gained one answer of the counted half, but its partial answers quoted unrelated passages: not kept."""

    name = "attribut-absent"

    def __init__(self, grounding: "Grounding", k: int):
        super().__init__(grounding, k)
        self.analyzer = FrenchAnalyzer()

    def check(self, draft: Draft) -> Verdict | None:
        if draft.attribute is None or draft.generator != "extractive":
            return None
        asked = last_question(draft.question)
        named = question_entities(asked).named
        parts = question_parts(asked)
        if len(parts) > 1:
            return self._by_part(draft, asked, named, parts)
        if mentions(draft.text, draft.attribute):
            return None
        best = self._stating(draft, asked, named, draft.attribute, asked)
        if best is not None:
            return Verdict("answer", segments=[Segment(None, asked, [best[0]], sentences=[best[1]])])
        return Verdict("refuse", f"les passages trouvés ne disent rien de « {draft.attribute.word} »")

    def _stating(self, draft: Draft, asked: str, named: list[Entity], attribute: Asked,
                 part: str) -> tuple[SearchHit, str] | None:
        """About an organisation, a sentence of its passages that names what `part` asks answers, though the selection
        missed it or its passage ranked a little lower (an abstention must not win over a sentence stating the
        fact). When a value is asked (« combien »), the sentence must state one of that kind; a person the
        part names must be named in it."""
        kind = asked_value(part)
        entities = {e.id for e in named}
        people = _PERSON.findall(part)
        focus = question_focus(self.grounding, self.analyzer, part)
        passages = [h for h in dedupe(draft.hits + draft.candidates) if entities & self.grounding.tagger.passage_entities(h)]
        found = [(focus_coverage(self.analyzer, sentence, focus), -i, hit, sentence) for i, (hit, sentence) in
                 enumerate((h, t) for h in passages for _, t in citable_sentences(h.text))
                 if mentions(sentence, attribute) and (kind is None or states(kind, sentence, part))
                 and all(person in sentence for person in people)]
        best = max(found, key=lambda f: f[:2], default=None)
        # Naming the word is not enough to be chosen: the sentence must also be about the question.
        return (best[2], best[3]) if best is not None and best[0] >= FOCUS_MIN else None

    def _by_part(self, draft: Draft, asked: str, named: list[Entity], parts: list[str]) -> Verdict | None:
        """Several things asked of an organisation (« <attribut> quand, et avec quel <autre> ? »): the question's two
        rarest words may both be one part's. Each part is read for its own: a part the answer does not speak of
        is answered by a sentence of the organisation's passages stating it, added to what the answer says; a part
        left unanswered is said so by the parts' own check. Refused only when the answer speaks of no part and no
        sentence answers any."""
        bm25 = self.grounding.index.bm25_index()
        spoken, added = False, []
        for part in parts:
            attribute = entity_attribute(part, named, bm25)
            if attribute is None:
                # Nothing asked beyond the name but a kind of value (« lancée quand »): spoken of when stated.
                kind = asked_value(part)
                spoken = spoken or (kind is not None and any(states(kind, s, part) for s in draft.said))
                continue
            if mentions(draft.text, attribute):
                spoken = True
                continue
            if (found := self._stating(draft, asked, named, attribute, part)) and found[1] not in draft.said:
                added.append(Segment(None, part, [found[0]], sentences=[found[1]]))
        if not added:
            if spoken or mentions(draft.text, draft.attribute):
                return None
            return Verdict("refuse", f"les passages trouvés ne disent rien de « {draft.attribute.word} »")
        said = [Segment(None, asked, [hit], sentences=[sentence]) for sentence in draft.said
                if (hit := draft.passage_of(sentence))]
        return Verdict("answer", segments=said + added)


# How a text says that a value or a list is set elsewhere (an annex, a ministerial order, the regulatory part), and where.
_REFERRALS = (
    (re.compile(r"\bavis\s+annexe\b|\ben\s+annexe\b|\bfigurant\s+(?:a|en|dans)\s+l?'?annexe\b|\bannexe\s+au\s+present\s+code\b"),
     "une annexe du code"),
    (re.compile(r"\bpar\s+(?:un\s+)?arrete\b|\bun\s+arrete\s+(?:du|des|fixe)\b"), "un arrêté"),
    (re.compile(r"\bpar\s+voie\s+reglementaire\b|\bpar\s+(?:un\s+)?decret\b|\bdecret\s+en\s+conseil\s+d'etat\b"),
     "un texte réglementaire"),
)


# Measured and not kept: a decree named by its number (« décret n° … ») and « Cet arrêté fixe … » read as referrals too
# (15 sentences of the Code sending to another text were not recognised): no set changed. Nor did a model or a standard
# set by an act of the European Union (« fixé(e) par le règlement / la décision … »: one more detail found missing on the
# development set, none on the blind sets). A detail asked that a sentence names as found in another text (« des <nom>
# figurant dans un arrêté ») was first measured and not kept (two more there, two right answers on conditions made
# partial); it is read in `AnswerType._detail_elsewhere` now, by `governed`, unless another quoted sentence about the
# subject names it without sending it elsewhere.
def referral(sentence: str) -> str | None:
    """Where the sentence says its value is set (« une annexe du code », « un arrêté »…), or None."""
    folded = fold_apostrophes(sentence)
    return next((where for pattern, where in _REFERRALS if pattern.search(folded)), None)


# A sentence that opens on what the one before it said: a demonstrative (« Cette <nom> »), a pronoun (« Il », « Elle »),
# or the failure to do what it required (« À défaut de <…> »).
# Measured and removed (2026-12-06): a sentence with a possessive among its first words (« <préposition> ses <nombre> <nom> »)
# read with the one before it, together with the year of a date no longer counting the noun after it: no answer of the
# blind, own or development sets changed.
_GOES_ON = re.compile(r"^(?:Ce|Cet|Cette|Ces|Il|Elle|Ils|Elles)\s|^[AÀ]\s+d[ée]faut\b|^Dans\s+ce\s+cas\b")

# A question on how a thing is done or which one (« quel <nom> », « comment », « selon quelles modalités »).
_ASKS_DETAIL = re.compile(r"\bquel(?:le)?s?\s+(?!(?:est|sont|etait)\b)(?P<noun>[a-z]{4,})|"
                          r"\bquel(?:le)?s\s+sont\s+(?:les\s+|l')(?P<listed>[a-z]{4,})|"
                          r"\bcomment\b(?![^?]{0,30}\b(?:appel|nomm|dit|design))|"
                          r"\bque\s+(?:doit|doivent)\s+(?:contenir|comporter|mentionner|prevoir)\b")
# A question on what a thing looks like or holds (« à quoi ressemble <un document> », « que contient <…> », « quel est
# le contenu de <…> »): the detail asked is its model, its content or its form, not the thing itself, which the text
# names while sending its model elsewhere (« <document> conforme à un modèle … défini par un arrêté »).
_ASKS_FORM = re.compile(r"\ba\s+quoi\s+ressembl\w*|\bque\s+contien\w*|\bquel(?:le)?\s+(?:est|sont)\s+(?:le\s+|la\s+|les\s+)?"
                        r"(?:contenus?|formes?|presentation)\s+d")
FORM_HEADS = ("modele", "contenu", "forme")
# The items of a list asked as such (« quels <noms> précis », « quelles <noms> exactes / concrètes »): plural only,
# as a single thing asked precisely (« le <nom> exact ») is often given without its noun.
_PRECISE_LIST = re.compile(r"\bquel(?:le)?s\s+(?P<noun>[a-z]{4,}s)\s+(?:precis|precises|exacts|exactes|concrets|concretes|"
                           r"detailles|detaillees)\b")
# A text leaving the manner or the content of what it provides to another (« selon les modalités fixées par un
# arrêté », « dans des conditions fixées par décret », « dont le modèle est fixé par arrêté »).
_DELEGATES_DETAIL = re.compile(r"\b(?:modalites|conditions|modeles?|contenu|mentions|forme|caracteristiques|exigences|"
                               r"regles|listes?|specifications)\b")
# The thing asked is what the referral is about: « la liste des <noms> … <renvoi> », « <noms> figurant dans / fixés
# par <un texte> », « <un texte> fixe / définit les <noms> ».
_GOVERNED = (r"\bliste\s+(?:des|de\s+ces|de|du|de\s+la)\s+(?:[\w'-]+\s+){{0,2}}?{noun}",
             r"\b{noun}\w*\s+(?:[\w'-]+\s+){{0,6}}?(?:figur\w*|fixe\w*|defini\w*|precise\w*|determine\w*)\s+(?:dans|par|en)\b",
             r"\b(?:arrete|decret|annexe)\b[^.;]{{0,80}}?\b(?:fixe|definit|precise|determine|etablit)\s+(?:le|la|les|l')\s*"
             r"(?:[\w'-]+\s+){{0,2}}?{noun}")


def _names_noun(sentence: str, noun: str) -> bool:
    """Whether the sentence names `noun` (folded) as a noun, in the singular or the plural."""
    single = re.sub(r"(?:s|x)$", "", noun)
    return re.search(rf"\b{re.escape(single)}(?:s|x)?\b", fold_apostrophes(sentence)) is not None


def governed(sentence: str, noun: str) -> bool:
    """Whether the sentence says another text holds or sets `noun` (a folded noun, read by its first letters)."""
    stem = re.escape(noun[:6])
    folded = fold_apostrophes(sentence)
    return any(re.search(pattern.format(noun=stem), folded) for pattern in _GOVERNED)


CHAPTER_ARTICLES = 40  # regulatory articles looked up in a chapter when a law article leaves its value to them
FOCUS_MIN = 0.35  # share of the question's informative words (by rarity) a sentence must hold to be about it


class AnswerType(DraftGuard):
    """A question asking for a value of one kind (an amount, a duration, a name…) is answered by a sentence stating
    one. When none of the answer's sentences does, the passages are searched for a sentence about what is asked
    that states one (it answers), then for one saying the value is set elsewhere (an annex, an arrêté: a partial
    answer quoting it and saying where); else what the passages say stands, followed by what they do not give.

    Never a refusal: measured on the blind half, refusing here lost as many answers as it stopped wrong ones."""

    name = "type-de-reponse"

    def __init__(self, grounding: "Grounding", k: int):
        super().__init__(grounding, k)
        self.analyzer = FrenchAnalyzer()
        self.list_request = set(self.analyzer(LIST_REQUEST_WORDS))

    def _focus(self, question: str) -> dict[str, float]:
        return question_focus(self.grounding, self.analyzer, question)

    def _names_the_point(self, sentence: str, focus: dict[str, float]) -> bool:
        """Whether the sentence holds two of the question's three rarest words: a text that refers elsewhere for
        something (the model of a notice, a list) speaks of what is asked only when it names it as precisely. Two of
        three, as the law writes out what a user abbreviates (« ESAT »)."""
        rarest = sorted(focus, key=lambda t: -focus[t])[:3]
        return len(set(rarest) & set(self.analyzer(sentence))) >= min(2, len(rarest))

    def _coverage(self, sentence: str, focus: dict[str, float]) -> float:
        return focus_coverage(self.analyzer, sentence, focus)

    # Measured and removed (2026-12-07): in the search for a sentence stating the value, every sentence read with the one
    # before it in its passage (a fact's second sentence, « La <nom> suppose au moins N % … », after the one naming the
    # subject): no answer of any set changed.
    @staticmethod
    def _with_antecedents(passages: list[tuple[SearchHit, str]]) -> list[tuple[SearchHit, str, str]]:
        """Each passage sentence with the sentence before it when it opens on a reference to it, else ""."""
        out, previous = [], (None, "")
        for hit, sentence in passages:
            before = previous[1] if previous[0] is hit and _GOES_ON.match(sentence) else ""
            out.append((hit, sentence, before))
            previous = (hit, sentence)
        return out

    @staticmethod
    def _elsewhere(what: str, where: str) -> str:
        return (f"Les documents ne donnent pas {what} : le texte cité renvoie à {where}, qui ne figure pas dans les "
                "documents indexés.")

    @staticmethod
    def _sent_to(hit: SearchHit, sentence: str) -> list[str]:
        """The articles where `sentence` (of `hit`) sends the reader: those it cites by number, and for a law article
        leaving its value to the regulatory part, the regulatory articles of its chapter (L2999-4 -> R2999-*, D2999-*)."""
        own = hit.meta.get("article_id") or ""
        targets = [a for a in cited_articles(sentence) if a != own]
        chapter = re.fullmatch(r"L(\d{4})-\d+", own)
        if chapter and referral(sentence) == "un texte réglementaire":
            targets += [f"{p}{chapter.group(1)}-{n}" for p in "RD" for n in range(1, CHAPTER_ARTICLES + 1)]
        return targets

    def _follow(self, hit: SearchHit, sentence: str, kind: str | None, asked: str,
                focus: dict[str, float]) -> tuple[SearchHit, str] | None:
        """The sentence stating the value where `sentence` sends the reader, when the index holds it: an article it
        cites by number, or for a law article that leaves its value to the regulatory part, the regulatory articles of
        the same chapter (L2999-4 -> R2999-*, D2999-*), as the Code is written. Without a kind of value (a detail
        asked: how a thing is computed), only a sentence naming the article it completes and about the question."""
        own = hit.meta.get("article_id") or ""
        targets = self._sent_to(hit, sentence)
        if not targets:
            return None
        # A regulatory article names the law article it completes (« mentionné à l'article L. 2111-3 »): that link
        # says more than shared words, which such a short sentence rarely has.
        candidates = [(own in cited_articles(t), self._coverage(t, focus), h, t)
                      for h in self.grounding.evidence(targets, asked, None, k=0) if h.chunk_id != hit.chunk_id
                      for _, t in citable_sentences(h.text) if kind is None or states(kind, t, asked)]
        best = max(candidates, key=lambda c: c[:2], default=None)
        if best is None:
            return None
        linked, coverage, target, text = best
        # The link to the article it completes says the sentence is about the matter deferred; the question's words,
        # which it shares less than a sentence chosen for them, only pick which of that article's deferrals.
        enough = (linked and coverage >= FOCUS_MIN / 2) if kind is None else (linked or coverage >= FOCUS_MIN)
        return (target, text) if enough else None

    def _elsewhere_verdict(self, hit: SearchHit, sentence: str, where: str, kind: str, asked: str,
                           focus: dict[str, float], replace: bool) -> Verdict:
        """A sentence about what is asked says its value is set elsewhere: followed in the index when it can be
        (the answer quotes both), else a partial answer saying where the value lives."""
        target = self._follow(hit, sentence, kind, asked, focus)
        if target is not None:
            return Verdict("answer", segments=[Segment(None, asked, [hit], sentences=[sentence]),
                                               Segment(None, asked, [target[0]], sentences=[target[1]])])
        missing = [self._elsewhere(VALUE_LABELS[kind], where)]
        if replace:
            return Verdict("partial", segments=[Segment(None, asked, [hit], sentences=[sentence])], missing=missing)
        return Verdict("partial", missing=missing)

    # Measured and removed (2026-12-07): a list asked by its plural noun alone (« quels <noms> … ? », without « liste »
    # or « quels sont ») read here too, before the detail reading. Any sentence saying « … liste … » is set elsewhere:
    # blind2.yaml's counted half +1 (a value delegated elsewhere), one more detail said missing on the development set,
    # but two answers of answers.yaml and blind.yaml's tuning half made partial on the list of another thing in the same
    # sentence (« <nom> dont la liste <renvoi> » for « à quelles <noms> … ? » asking another thing). Only « la liste des
    # <noms> » of the noun asked: those two gone, and the counted gain with them (development set still +1).
    def _list_elsewhere(self, draft: Draft, asked: str, said: list[str]) -> Verdict | None:
        """A list asked for that the text says is drawn up elsewhere (« dont la liste figure dans un avis annexé »):
        what the passages say stands, and that the list itself is not in the documents is said. Only that: a list
        may be answered in many shapes, so its absence from the sentences chosen proves nothing."""
        focus = {term: weight for term, weight in self._focus(asked).items() if term not in self.list_request}
        passages = [(hit, sentence) for hit in draft.hits[: self.k] for _, sentence in citable_sentences(hit.text)]
        referrals = [(self._coverage(sentence, focus), -i, hit, sentence, where) for i, (hit, sentence) in enumerate(passages)
                     if "liste" in fold_apostrophes(sentence) and (where := referral(sentence))]
        if not referrals:
            return None
        coverage, _, hit, sentence, where = max(referrals, key=lambda r: r[:2])
        # About what is asked, and closer to it than anything the answer says: the list asked is that one.
        if coverage < max(FOCUS_MIN, *(self._coverage(s, focus) for s in said)):
            return None
        return self._elsewhere_verdict(hit, sentence, where, LIST, asked, focus,
                                       replace=strip_markers(sentence) not in said)

    def _detail_elsewhere(self, draft: Draft, asked: str, said: list[str]) -> Verdict | None:
        """How a thing is done, or which one, asked of a text that leaves it to another (« selon les modalités
        fixées par un arrêté », « la liste … figure en annexe »): what the passages say stands, and that the detail
        is in that other text, absent from the documents, is said. Only when the answer quotes such a text and it
        does not name what is asked (« quel <nom> »): the principle it states is the answer's first half, not the
        whole of it.

        Measured and not kept (bench/dev/delegated_questions.yaml): the passages' closest sentence taken in when the
        answer lacks it (it replaced right answers with a text the question's words happened to share); only the
        answer's sentence closest to the question read (3 of 32 fewer details found, no answer kept)."""
        # Read against the subject the detail is asked of: the words naming the detail (the noun after « quel ») are
        # those such a text lacks.
        heads = [m.group("noun") or m.group("listed") for m in _ASKS_DETAIL.finditer(fold_apostrophes(asked))
                 if m.group("noun") or m.group("listed")]
        if _ASKS_FORM.search(fold_apostrophes(asked)):
            heads += [head for head in FORM_HEADS if head not in heads]
        head_terms = {head: set(self.analyzer(head)) for head in heads}
        detail = set().union(*head_terms.values())
        focus = {term: weight for term, weight in self._focus(asked).items() if term not in detail}
        terms = {s: set(self.analyzer(s)) for s in said}
        held = {(s, head): governed(s, head) for s in said for head in heads}

        # A thing asked that another quoted sentence about the subject names without sending it elsewhere may well be
        # stated there. Measured (2026-12-07), the thing asked held elsewhere (`governed`): details said missing on the
        # development set 19 → 21 of 32, none of the details given lost; tuning halves and own sets unchanged; counted
        # halves blind2.yaml 70 → 74 %, blind3.yaml 82 → 84 %, blind.yaml 72.9 % unchanged. Without this check (23 of
        # 32; counted halves 74.0 / 76 / 84 %) an own-set answer stating the conditions asked got a false note that they
        # were missing; with « as close to the question as the referring sentence » instead of FOCUS_MIN, 22 of 32 and
        # 72.9 / 72 / 84 %.
        # Named as a noun (« <nom>s »), not by a verb the analyzer stems alike (« ils exigent » is no « exigences »).
        stated = {head for head in heads for s in said if _names_noun(s, head)
                  and not held[s, head] and self._coverage(s, focus) >= FOCUS_MIN}

        def defers(sentence: str) -> str | None:
            where = referral(sentence)
            if where is None:
                return None
            if any(held[sentence, head] for head in heads if head not in stated):
                return where  # what it says of the thing asked: another text holds it
            if not _DELEGATES_DETAIL.search(fold_apostrophes(sentence)):
                return None
            return None if detail & terms[sentence] else where  # naming it, it may well say it

        deferring = next(((s, where) for s in sorted(said, key=lambda s: -self._coverage(s, focus)) if (where := defers(s))),
                         None)
        if deferring is None:
            return None
        sentence, where = deferring
        # The Code's regulatory part often holds the detail its law article leaves to it: followed there first.
        # Measured and not kept (2026-12-07): an answer already quoting an article of the chapter the text is sent to
        # left as it is: the regulatory articles of a chapter speak of many things, and one quoted about the subject
        # (when interest starts to run) was taken for the detail asked (its rate).
        hit = draft.passage_of(sentence)
        target = self._follow(hit, sentence, None, asked, self._focus(asked)) if hit is not None else None
        if target is not None:
            return Verdict("answer", segments=[Segment(None, asked, [hit], sentences=[sentence]),
                                               Segment(None, asked, [target[0]], sentences=[target[1]])])
        return Verdict("partial", missing=[self._elsewhere("ce détail", where)])

    def _precise_list_not_named(self, draft: Draft, asked: str, said: list[str]) -> Verdict | None:
        """« quels <noms> précis / quelles <noms> exactes … ? » asks the items themselves: an answer whose sentences
        never name them (nor do the other passages found) speaks of the subject, not of what is asked."""
        match = _PRECISE_LIST.search(fold_apostrophes(asked))
        if match is None:
            return None
        noun = match.group("noun")
        passages = [s for h in dedupe(draft.hits + draft.candidates) for _, s in citable_sentences(h.text)]
        if any(_names_noun(s, noun) for s in [*said, *passages]):
            return None
        return Verdict("partial", missing=[f"Les passages trouvés ne nomment pas les {noun} : le détail demandé n'y "
                                           "figure pas."])

    def check(self, draft: Draft) -> Verdict | None:
        asked = last_question(draft.question)
        kind = asked_value(asked)
        if kind is None and draft.earlier and not open_ask(asked):
            # An elliptic follow-up (« et pour <un autre cas> ? ») asks the earlier question's value of another
            # case: a percentage asked stays a percentage.
            kind = asked_value(last_question(draft.earlier))
        said = draft.said
        if kind is None and said and (verdict := self._precise_list_not_named(draft, asked, said)):
            return verdict
        if kind is None and said and asks_list(asked) and (verdict := self._list_elsewhere(draft, asked, said)):
            return verdict
        folded = fold_apostrophes(asked)
        if kind is None and said and (_ASKS_DETAIL.search(folded) or _ASKS_FORM.search(folded)):
            return self._detail_elsewhere(draft, asked, said)
        if kind is None or not said:
            return None
        focus = self._focus(asked)
        closest = max(said, key=lambda s: self._coverage(s, focus))
        if (where := referral(closest)) and self._names_the_point(closest, focus):
            # The sentence closest to the question says its value is set elsewhere: the figures beside it are others.
            hit = draft.passage_of(closest)
            if hit is not None:
                return self._elsewhere_verdict(hit, closest, where, kind, asked, focus, replace=False)
        noun = measured_noun(asked)

        # Measured and removed (2026-12-07): a figure asked for a place other than France (« en <pays> », « dans <un ensemble de pays> »,
        # « au niveau mondial »; a list of places by their nouns and adjectives) answered only by a sentence naming that
        # place: blind5.yaml's tuning half +1 (the question it was read from), no counted half and no development set
        # changed.
        def gives_value(sentence: str) -> bool:
            # A value of the asked kind stated of another thing (another threshold, another budget) does not answer.
            return states(kind, sentence, asked) and (noun is None or names_measured(sentence, noun))

        if any(gives_value(s) and self._coverage(s, focus) >= FOCUS_MIN for s in said):
            return None
        values = [self._coverage(s, focus) for s in said if gives_value(s)]
        what = VALUE_LABELS[kind]
        passages = [(hit, sentence) for hit in draft.hits[: self.k] for _, sentence in citable_sentences(hit.text)]
        # A sentence about what is asked that says the value is set elsewhere (an annex, an arrêté) and is closer to
        # the question than any value quoted outweighs them: they are values of something else (another threshold).
        referrals = [(self._coverage(sentence, focus), i, hit, sentence, where) for i, (hit, sentence) in enumerate(passages)
                     if (where := referral(sentence)) and self._names_the_point(sentence, focus)]
        if referrals:
            coverage, _, hit, sentence, where = max(referrals, key=lambda r: (r[0], -r[1]))
            if coverage > max(values, default=0.0):
                return self._elsewhere_verdict(hit, sentence, where, kind, asked, focus,
                                               replace=strip_markers(sentence) not in said)
        if values:
            return None  # a value in other words than the question's: it may well answer
        # A sentence that goes on from the one before it (« À défaut de <…> », « Cette <nom> … ») is
        # about what that one names: read with it, quoted with it.
        found = [(self._coverage(f"{before} {sentence}", focus), -i, hit, [before, sentence] if before else [sentence])
                 for i, (hit, sentence, before) in enumerate(self._with_antecedents(passages)) if gives_value(sentence)]
        best = max(found, key=lambda f: f[:2], default=None)
        if best is not None and best[0] >= FOCUS_MIN:  # the passages state it, the selection missed it
            return Verdict("answer", segments=[Segment(None, asked, [best[2]], sentences=best[3])])
        return Verdict("partial", missing=[f"Les passages trouvés ne donnent pas {what}."])


# Measured and removed (2026-12-07): a question on what actually happened (« réellement », « effectivement », « au
# final ») answered only by sentences giving the value as a target or an announcement (« objectif de », « vise », « à
# terme »), made partial (« ce qui était annoncé, pas ce qui a été réalisé »): it fired once, on a tuning question (+1
# there), never on a counted half or the development sets.
PART_FOCUS_MIN = 0.5  # share of a part's own informative words (by rarity) a quoted sentence must hold to answer it


class PartUnanswered(DraftGuard):
    """A question asking several things (« <question> et <interrogatif> <nom> ? », « <question> ? <question> ? »)
    whose answer speaks of one and says nothing of another: what the passages say stands, and the part they leave
    unanswered is named. A part is answered by a quoted sentence holding its own words (those the other parts do not
    share, by rarity) or, when it asks for a value (an amount, a duration, a name), by one stating a value of that
    kind."""

    name = "partie-sans-reponse"

    def __init__(self, grounding: "Grounding", k: int):
        super().__init__(grounding, k)
        self.analyzer = FrenchAnalyzer()

    def _answers(self, part: str, own: dict[str, float], said: list[str]) -> bool:
        """Whether a quoted sentence answers the part."""
        kind, coarse = asked_value(part), expected_type(part)
        # Measured and not kept (2026-12-07): a value part also holding its own words (« et <combien> <verbe> les
        # <noms> ? » answered only by a sentence naming them): one more absent fact said missing on the development
        # set, two answering answers of the tuning halves made partial, no counted answer changed.
        if kind is not None:  # a value of the kind asked, read finely (« combien de <nom> » counts that noun)
            return any(states(kind, s, part) for s in said)
        if coarse in (DATE, QUANTITY):  # an interrogative word alone, for a quantity or a date
            return any(gives(coarse, s) for s in said)
        return not own or any(focus_coverage(self.analyzer, s, own) >= PART_FOCUS_MIN for s in said)

    def _unanswered(self, parts: list[str], said: list[str]) -> list[str]:
        """The later parts asked with an interrogative word that no quoted sentence answers."""
        focuses = [question_focus(self.grounding, self.analyzer, part) for part in parts]
        left = []
        # The first part is what the passages were found for, and the parts asked for a yes or a no are answered
        # by rules in words of their own: only the later parts asked with an interrogative word are checked.
        # Measured (2026-12-07): every part checked made 8 more details and 4 more absent facts said missing on the
        # development sets, but 6 answers of the own sets and the tuning halves partial though they answered (a
        # first part is put in the user's everyday nouns, not the law's; a yes or a no is answered with another verb
        # than the question's).
        for n, part in enumerate(parts[1:], 1):
            if not open_ask(part):
                continue
            shared = {t for m, other in enumerate(focuses) if m != n for t in other}
            own = {t: w for t, w in focuses[n].items() if t not in shared}
            if not self._answers(part, own, said):
                left.append(part)
        return left

    def check(self, draft: Draft) -> Verdict | None:
        if draft.followup or draft.generator != "extractive":
            return None
        parts = question_parts(draft.question)
        if len(parts) < 2 or not draft.said:
            return None
        left = self._unanswered(parts, draft.said)
        if not left:
            return None
        which = "cette partie" if len(left) == 1 else "ces parties"
        asked = " ; ".join(f"« {_plain_part(part)} ? »" for part in left)
        return Verdict("partial", missing=[f"Les passages cités ne répondent pas à {which} de la question : {asked}"])


# Measured and removed (2026-12-07): a part left unanswered looked for in a search of its own (the part read with the
# first one), the sentence found added to the answer when it answers the part and is about the whole question: one
# counted answer gained nothing (it already held its facts) and one absent fact of blind2.yaml's counted half was
# answered with a sentence of another subject (70 → 68 %).


def _plain_part(part: str) -> str:
    """A part as it reads alone: without the « et » that joined it, capitalised."""
    part = re.sub(r"^(?:et|puis|mais)\s+", "", part.strip(), flags=re.IGNORECASE)
    return part[:1].upper() + part[1:]


# Measured and removed: a question presuming something may be done (« on peut …, non ? », « comment organiser … »)
# answered with, first, a passage's sentence forbidding or voiding it (« ne peut », a clause the text voids) about the
# question: one more premise corrected on bench/dev/premise_questions.yaml (the item it was designed on), no answer of
# the four sets changed.
# Measured and removed: « pour quelle raison <…> ? » read as asking a reason, answered partial when no sentence quoted gives one
# (« car », « afin de »…): three more absent reasons said missing on bench/dev/near_domain_questions.yaml,
# but prose gives reasons without those words (« Résultat : … »), and two right answers of the sets were said to lack
# the reason they gave.
# Measured and removed: a guard making partial an answer to a question that writes a name no document contains (« le
# MEDEF », « au Sénat »; abbreviations the glossary writes out known): on the development sets one more detail and one
# more absent fact said missing, no answer of the four sets changed once the glossary knew the abbreviations it had
# taken for unknown names; a premise to correct was not corrected by saying so.
# Measured and removed: a wrong figure stated as the rule (« le délai … étant de <n> jours ») corrected by the sentence
# giving that measure's value, searched by the words around the number: it fired on none of the false premises of
# bench/dev/premise_questions.yaml (the sentence was not found, or not close enough to those words).
# Measured and removed: before saying a value of the asked kind is not given, reading the other articles of the Code
# sections the passages come from (the asked word may not be the law's: « taux » for « montant … 5 % »): no answer of
# the four sets changed.
# Measured and removed: a draft guard putting first, for a question taking a duty or a ban for granted, the sentence of
# its passages that leaves the choice (a permission, an exception, a provision for some cases only) when the answer
# lacked it and it was as close to the question as the answer's own sentences: no set gained, heldout.yaml lost one
# (the passages of the premises the blind sets miss do not hold that sentence: retrieval misses it, not selection).
# Measured and removed: a question asking which one of a kind of thing (« quel <nom> de <sujet> »),
# whatever its type, made partial when the answer's sentence closest to it says it is set elsewhere: no gain on the
# tuning halves of the blind sets, one answer lost and one refusal gained on their counted halves.
# Measured and removed (2026-12-07): in a checklist, the subjects listed before a colon that no rule of the table
# decides (« <aspect> et <autre sujet> : qu'est-ce qui s'applique ? ») answered each from its own search (a sentence
# holding half its words, under the subject's heading) or named as unanswered: it fired on 10 of 1 521 questions of
# the evaluation and development sets, and changed no aspect of the situation sets nor any compound question's count.
# Measured and removed: a guard answering a question that names several aspects of a purchase (« écrit, publicité et
# avance ») part by part, one search each, fired on 2 questions of the blind and tuned sets, both wrongly (two words of
# the situation vocabulary in one question about something else), for no question it answered better.
# Measured and removed: a guard splitting a question by its structure (subjects listed before a colon, two questions
# joined by « et ») and answering each part from its own search: compound questions with an article for each aspect in
# the top 5 went from 1 to 2 of 5 on the tuning half and stayed at 0 of 5 on the counted half, which lost one answer.
# Measured and removed: a guard answering a question on several points of one topic of the Code (two questions joined
# by « et », topics listed before a colon, a topic's rules asked as a whole) from the chapter its best passages belong
# to, one search per point inside that chapter: compound questions with an article for each aspect stayed at 1 of 5
# (tuning) and 0 of 5 (counted half), and the counted half lost one answer.
# Measured and removed: a guard correcting a presupposed duty where the closest cited text says « peut » fired on 8
# questions of the four sets, rightly on 2 (it read permissions inside rules that do impose), for no gain in accuracy.
# The order matters: a subject out of scope is refused before its passages are read, a premise corrected before
# relevance is measured on it. Each guard is measured in `make bench` (precision, recall).
PLAN_GUARDS: tuple[type[Guard], ...] = (NoPassage, OutOfScope, DocumentInventory, CitedPublication, NamedArticle, Definition, ContractKind, NamedOrganisation,
                                        KnownMisconception, Lawfulness, BuyerSituation, ThresholdAsked, Relevance, UnknownYear, UnknownNamedThing,
                                        UnsupportedNumber)
DRAFT_GUARDS: tuple[type[DraftGuard], ...] = (NothingCited, AttributeNotMentioned, AnswerType, PartUnanswered)
