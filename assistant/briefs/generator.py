"""Brief generator: plan the sections of a format, retrieve for each, fill it, verify every sentence.

Sections are filled extractively by default (sentences and figures quoted from the documents) or, for
prose sections, by the configured LLM; figures and quotations are always taken verbatim, so a figure is
never rounded, converted or cut from what it measures. Every sentence of every section goes through the
Q&A citation verifier, with one numbering of sources for the whole brief. Passages about another
organisation than the Alliance du Fabriqué en France are never used, and the brief says which sources
it set aside; old figures and sections with too little material are flagged instead of padded.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from assistant.grounding.base import Grounding
from assistant.grounding.entities import load_entities
from assistant.grounding.extractive import plain_term
from assistant.grounding.generator import GeneratorUnavailable
from assistant.grounding.injection import without_injections
from assistant.grounding.scope import out_of_scope_subject
from assistant.grounding.relevance import question_wording
from assistant.grounding.verify import CitationVerifier, check_support, cited_sentences, facts
from assistant.briefs.formats import BriefLibrary, FormatPlan, SectionPlan, load_library
from assistant.text.quotes import SPEECH_VERBS, speaker_of, whole_quotation
from assistant.briefs.models import (Brief, BriefItem, BriefRequest, BriefSection, BriefWarning,
                                     BibliographyEntry)
from assistant.config import Settings
from assistant.models import reader_source
from assistant.figures.extract import find_figures
from assistant.figures.quantity import quantity
from assistant.figures.store import FigureStore
from assistant.index.lexical import FrenchAnalyzer
from assistant.text.sentences import citable_sentences, leans_on_previous
from assistant.models import DOC_TYPE_LABELS, SearchHit
from assistant.index.filters import SearchFilters
from assistant.retrieval.search import hit_from_row
from assistant.text.normalize import of
from assistant.text.markers import MARKER_PATTERN, cite_sentence, marker_numbers, renumber, strip_markers

log = logging.getLogger(__name__)

HITS_PER_QUERY = 6
# Figures that make a key figure: a date or a legal threshold is not what a brief puts forward.
KEY_FIGURE_KINDS = ("percent", "amount", "jobs", "count", "ratio")
KEY_FIGURE_TYPES = ("press_release", "press_article", "white_paper", "procurement_guide", "fact_sheet", "note")
# Someone's words: a closing quote followed by a verb of speech (« … », affirme-t-il).
_SAID = (r"[»”]\s*,?\s*(?:a\s+)?(?:précise|affirme|déclare|explique|souligne|estime|rappelle|résume|indique|ajoute|"
         r"insiste|martèle|conclut|assure|observe|note)")
_SPEECH = re.compile(_SAID, re.IGNORECASE)
# A year a figure speaks of (« en 2015 »), not one inside a reference (« n° 2015-899 », « 2003/361/CE »).
_YEAR = re.compile(r"(?<![\d/°-])(?<!n° )\b(19[5-9]\d|20\d\d)\b(?![/-]\d)")
THIN_NOTICE = ("Les documents consultés contiennent trop peu d'éléments pour cette section ({found} sur {wanted} "
               "attendus) : à compléter par l'équipe plutôt qu'à délayer.")
EMPTY_NOTICE = "Les documents consultés ne contiennent rien d'assez sûr pour cette section : à rédiger par l'équipe."
DEFAULT_PUBLISHERS = {"procurement_law": "Légifrance (DILA)"}


class BriefError(ValueError):
    """A brief that cannot be written (French message)."""


@dataclass
class _Draft:
    """The state of one brief being written: one pool of passages, one verifier, one numbering."""

    pool: list[SearchHit] = field(default_factory=list)
    verifier: CitationVerifier | None = None
    used: set[str] = field(default_factory=set)
    set_aside: dict[str, SearchHit] = field(default_factory=dict)
    warnings: list[BriefWarning] = field(default_factory=list)
    llm_used: bool = False
    llm_failed: bool = False
    audiences: tuple[str, ...] = ("public",)
    ranks: dict[tuple[str, str], int] = field(default_factory=dict)  # pool rank of each passage

    def __post_init__(self) -> None:
        self.verifier = CitationVerifier(self.pool)

    def add(self, hits: list[SearchHit]) -> dict[int, int]:
        """Put `hits` in the brief's pool; returns their marker mapping (1-based local rank -> pool rank)."""
        mapping = {}
        for i, hit in enumerate(hits, start=1):
            key = (hit.chunk_id, hit.text)  # two entity views of one chunk are different passages
            if key not in self.ranks:
                self.pool.append(hit)
                self.ranks[key] = len(self.pool)
            mapping[i] = self.ranks[key]
        return mapping

    def verify(self, sentence: str, mapping: dict[int, int]) -> str | None:
        mapped = renumber(sentence, mapping)
        return self.verifier.sentence(mapped)


# What a text puts before a figure that changes what it says (« plus de N » is not « près de N »).
_QUALIFIER = re.compile(r"(?:\b(?:plus|moins|près|autour)\s+d[e'’]\s*|\b(?:environ|quelque|au\s+moins|jusqu['’]à)\s+)$", re.I)


# « … », souligne X, rôle [4]. -> « … » [4].
_SAID_TAIL = re.compile(r"([»”])\s*,\s*(?:a\s+|ajoute\s+|d['’]\w+\s+)?" + SPEECH_VERBS + r"[^«»“”\[]*?(\s*" + MARKER_PATTERN.replace("(", "(?:", 1)
                        + r")?\s*\.?$")


def _plain(written: str) -> str:
    """A wording compared without case, spacing or apostrophe style."""
    return re.sub(r"\s+", " ", written.lower().replace("’", "'").replace("\u202f", " ").replace("\u00a0", " "))


def _number_in_reading_order(sections: list[BriefSection], citations: list) -> None:
    """Sources numbered by first citation in the document's order (sections written out of order)."""
    order: dict[int, int] = {}
    for section in sections:
        for item in section.items:
            for n in marker_numbers(item.text):
                order.setdefault(n, len(order) + 1)
    for section in sections:
        for item in section.items:
            item.text = renumber(item.text, order)
    for citation in citations:
        citation.n = order.get(citation.n, citation.n)
    citations.sort(key=lambda c: c.n)


def wording_warnings(sections: list[BriefSection]) -> list[BriefWarning]:
    """One figure, one wording: the same value written two ways in one document (« plus de N » here,
    « près de N » there) is flagged for the review, never rewritten (each sentence is
    quoted as its source writes it)."""
    wordings: dict[tuple, dict[str, str]] = {}
    for section in sections:
        for item in section.items:
            text = strip_markers(item.text)
            for found in find_figures(text):
                value = quantity(found.value, found.kind, found.unit)
                if value is None or found.kind == "date":
                    continue
                before = _QUALIFIER.search(text[:found.start])
                written = f"{before.group(0).strip()} {found.value}" if before else found.value
                wordings.setdefault((value.unit, value.low, value.high), {}).setdefault(
                    _plain(written), f"« {written} » ({section.title})")
    return [BriefWarning(kind="wording", message="Un même chiffre écrit de plusieurs façons : "
                         + ", ".join(variants.values()) + " ; gardez-en une seule dans le document.")
            for variants in wordings.values() if len(variants) > 1]


# A key message is used for a topic when its e5 similarity is this close to the best message's (e5 similarities of
# short French sentences sit between 0.78 and 0.90: an absolute threshold would not separate them).
MESSAGE_SPREAD = 0.03


class BriefGenerator:
    def __init__(self, grounding: Grounding, figures: FigureStore, settings: Settings | None = None,
                 library: BriefLibrary | None = None):
        self.grounding = grounding
        self.searcher = grounding.searcher
        self.settings = settings or grounding.settings
        self.figures = figures
        self.library = library or load_library(self.settings.prompts_dir)
        self.own = load_entities().entities[0]  # the Alliance du Fabriqué en France
        self.analyzer = FrenchAnalyzer()

    # --- public API -------------------------------------------------------------------------------
    def generate(self, request: BriefRequest, audiences: tuple[str, ...] = ("public",)) -> Brief:
        started = time.perf_counter()
        plan = self.library.formats[request.format]
        filters = SearchFilters(audience=list(audiences))
        self._check_topic(request.topic, filters)
        audience = self.library.audiences[request.audience]
        factor = float(self.library.lengths.get(request.length, 1.0))
        draft = _Draft(audiences=tuple(audiences))
        # « Régénérer cette section »: the sections asked again (those with sentences to exclude) are written
        # last, after every other section, whose sentences they may then not take; the sentences they had are
        # held back from the others, as when they were first written. The other sections come out as before,
        # word for word, and the sources are numbered in reading order at the end.
        draft.used.update(q for quotes in request.exclude.values() for q in quotes)
        redone = [i for i, s in enumerate(plan.sections) if s.id in request.exclude]
        built: dict[int, BriefSection] = {}
        for i in [i for i in range(len(plan.sections)) if i not in redone] + redone:
            built[i] = self._section(plan.sections[i], request, audience["hint"], factor, filters, audiences, draft)
        sections = [built[i] for i in range(len(plan.sections))]
        if redone:
            _number_in_reading_order(sections, draft.verifier.citations)
        self._entity_warnings(draft)
        self._age_warnings(sections, draft)
        draft.warnings.extend(wording_warnings(sections))
        if draft.verifier.removed:
            by = "proposée(s) par le modèle de langue " if draft.llm_used else ""
            draft.warnings.append(BriefWarning(kind="removed", message=(
                f"{len(draft.verifier.removed)} phrase(s) {by}retirée(s) : aucun passage cité ne les justifiait.")))
        if draft.llm_failed:
            draft.warnings.append(BriefWarning(kind="fallback", message=(
                "Le modèle de langue configuré est injoignable : les sections ont été remplies par le moteur "
                "extractif (phrases citées telles quelles).")))
        citations = draft.verifier.citations
        return Brief(title=request.title or self._title(plan, request.topic), format=request.format,
                     format_label=plan.label, topic=request.topic, audience=request.audience,
                     audience_label=audience["label"], length=request.length, sections=sections,
                     citations=citations, bibliography=self._bibliography(citations), warnings=draft.warnings,
                     engine="llm" if draft.llm_used else "extractive",
                     generated_at=datetime.now().isoformat(timespec="seconds"),
                     latency_ms=round((time.perf_counter() - started) * 1000, 1))

    # --- checks -----------------------------------------------------------------------------------
    def _check_topic(self, topic: str, filters: SearchFilters) -> None:
        subject = out_of_scope_subject(topic)  # the subjects staff list as not covered (scope.yaml)
        if subject is not None:
            raise BriefError(f"Les documents de l'Alliance ne traitent pas {of(subject.label)} : aucune note "
                             f"sourcée ne peut être tirée de « {topic} ».")
        hits = self.searcher.search(topic, k=5, filters=filters)
        rel = self.grounding.relevance(topic, hits)
        if not hits or not rel.passes(self.settings):
            raise BriefError(f"Les documents de l'Alliance ne traitent pas de « {topic} » : aucune note sourcée "
                             "ne peut en être tirée. Reformulez le sujet avec les mots des documents.")

    @staticmethod
    def _title(plan: FormatPlan, topic: str) -> str:
        title = plan.render_title(topic)
        return title[:1].upper() + title[1:]

    # --- passages, entity care --------------------------------------------------------------------
    def _own_hits(self, hits: list[SearchHit], draft: _Draft) -> list[SearchHit]:
        """Hits usable for the Alliance: passages about another organisation only are set aside, passages
        about several are cut to their lines about the Alliance."""
        tagger = self.grounding.tagger
        kept = []
        for hit in without_injections(hits):
            if hit.audience not in draft.audiences:
                continue  # belt and braces: the filters already keep what the caller may not read out
            tags = tagger.passage_entities(hit)
            if tags and self.own.id not in tags:
                draft.set_aside.setdefault(hit.doc_id, hit)
                continue
            kept.append(tagger.view(hit, self.own.id) if len(tags) > 1 else hit)
        return kept

    def _search(self, query: str, filters: SearchFilters, draft: _Draft, k: int = HITS_PER_QUERY) -> list[SearchHit]:
        return self._own_hits(self.searcher.search(query, k=k, filters=filters), draft)

    # --- sections -----------------------------------------------------------------------------------
    def _section(self, plan: SectionPlan, request: BriefRequest, hint: str, factor: float, filters: SearchFilters,
                 audiences: tuple[str, ...], draft: _Draft) -> BriefSection:
        wanted = max(1, round(plan.max_items * factor))
        minimum = min(plan.min_items, wanted)
        exclude = frozenset(draft.used | set(request.exclude.get(plan.id, [])))
        queries = plan.rendered_queries(request.topic, hint)
        if plan.kind == "figures":
            items = self._figures(queries, wanted, exclude, audiences, draft)
        elif plan.kind == "quote":
            items = self._quote(queries, exclude, filters, draft)
        elif plan.kind == "objections":
            items = self._answers(self.library.objections, request.topic, wanted, exclude, filters, draft, gate=False)
        elif plan.kind == "boilerplate":
            items = self._boilerplate(plan, filters, draft)
        elif plan.kind == "faq":
            items = self._answers(self.library.questions, request.topic, wanted, exclude, filters, draft, gate=True)
        elif plan.kind == "messages":
            items = self._messages(plan, request.topic, wanted, exclude, filters, draft)
            if len(items) < wanted:  # the topic's own sentences complete what the messages leave
                items += self._passages(plan, request.topic, queries, wanted - len(items),
                                        exclude | {q for item in items for q in item.quotes}, filters, draft)
        else:
            items = self._passages(plan, request.topic, queries, wanted, exclude, filters, draft)
        for item in items:
            draft.used.update(item.quotes)
        section = BriefSection(id=plan.id, title=plan.title, style=plan.style, items=items)
        if len(items) < minimum:
            section.notice = THIN_NOTICE.format(found=len(items), wanted=minimum) if items else EMPTY_NOTICE
            draft.warnings.append(BriefWarning(kind="thin_section", section_id=plan.id,
                                               message=f"Section « {plan.title} » : {section.notice}"))
        return section

    def _terms(self, text: str) -> set[str]:
        """Informative analysed terms of a text, plurals folded (« PME » and « PMEs » match)."""
        wording = question_wording(self.analyzer)
        return {plain_term(t) for t in self.analyzer(text) if t not in wording and not t[0].isdigit()}

    def _passages(self, plan: SectionPlan, topic: str, queries: list[str], wanted: int, exclude: frozenset[str],
                  filters: SearchFilters, draft: _Draft) -> list[BriefItem]:
        # The Alliance's own documents only (press, white papers, fact sheets): an argument is never taken from a
        # guide or the Code, which have their own labelled section; a thin section says so instead.
        searches = [filters.model_copy(update={"doc_type": list(plan.doc_types)})] if plan.doc_types else [filters]
        items: list[BriefItem] = []
        for attempt, search_filters in enumerate(searches):
            gathered = [(q, self._search(q, search_filters, draft)) for q in queries]
            # The model writes the section once, from the preferred passages; quotes fill what it lacks.
            if attempt == 0 and self.grounding.llm is not None and not draft.llm_failed:
                try:
                    items += self._written(plan, gathered, wanted - len(items), draft)
                except GeneratorUnavailable as exc:
                    log.warning("brief section %s: LLM unavailable (%s), extractive instead", plan.id, exc)
                    draft.llm_failed = True
            if len(items) < wanted:
                items += self._extracted(topic if plan.about_topic else None, gathered, wanted - len(items),
                                         exclude | {q for item in items for q in item.quotes}, draft)
            if len(items) >= wanted:
                break
        return items[:wanted]

    def _extracted(self, topic: str | None, gathered: list[tuple[str, list[SearchHit]]], wanted: int,
                   exclude: frozenset[str], draft: _Draft) -> list[BriefItem]:
        """Up to `wanted` verified sentences quoted from the passages found by each query, in turn."""
        topic_terms = self._terms(topic) if topic else None
        items: list[BriefItem] = []
        quota = max(1, math.ceil(wanted / max(len(gathered), 1)))
        for query, hits in gathered:
            if len(items) >= wanted or not hits:
                continue
            taken = frozenset(exclude | {q for item in items for q in item.quotes})
            chosen = self.grounding.selector.select(query, hits, exclude=taken, limit=min(quota + 1, wanted - len(items)),
                                                   dense=False)
            mapping = draft.add(hits)
            for cand in chosen:
                if not self._usable(cand, topic_terms, opening=not items):
                    continue
                verified = draft.verify(cite_sentence(cand.text, cand.hit_index + 1), mapping)
                if verified:
                    items.append(BriefItem(text=verified, quotes=[cand.text]))
        return items[:wanted]

    def _usable(self, cand, topic_terms: set[str] | None, opening: bool) -> bool:
        """Whether a selected sentence may stand in a section as the team's prose."""
        if cand.lexical <= 0:  # shares no word of the query: on topic only by its embedding
            return False
        if topic_terms is not None and not (topic_terms & self._terms(cand.text)):
            return False  # found through the section's own words (« emplois ») but not about the topic
        if cand.text.rstrip().endswith("?"):
            return False  # a question of the source (a survey, a FAQ) asserts nothing
        if opening and leans_on_previous(cand.text):
            return False  # a section never opens on a sentence that needs the one before it
        # Someone's words (or a piece of them) belong in a quotation section, said by them.
        return not (_SPEECH.search(cand.text) or cand.text.count("«") != cand.text.count("»")
                    or cand.text.count("“") != cand.text.count("”"))

    def _written(self, plan: SectionPlan, gathered: list[tuple[str, list[SearchHit]]], wanted: int,
                 draft: _Draft) -> list[BriefItem]:
        """The section written by the configured LLM from all its passages, each sentence verified."""
        from langchain_core.messages import HumanMessage, SystemMessage

        hits = list({(h.chunk_id, h.text): h for _, found in gathered for h in found}.values())
        if not hits:
            return []
        prompts = self.grounding.prompts
        system = prompts.render("briefs/section_system.md.j2")
        user = prompts.render("briefs/section_user.md.j2", section=plan.title, topic=gathered[0][0],
                              sentences=wanted, hits=hits)
        text = self.grounding.llm.complete([SystemMessage(content=system), HumanMessage(content=user)])
        draft.llm_used = True
        mapping = draft.add(hits)
        items = []
        for sentence in cited_sentences(text):
            verified = draft.verify(sentence, mapping)
            if verified:
                items.append(BriefItem(text=verified))
        return items[:wanted]

    def _figures(self, queries: list[str], wanted: int, exclude: frozenset[str], audiences: tuple[str, ...],
                 draft: _Draft) -> list[BriefItem]:
        items: list[BriefItem] = []
        values: set[str] = set()
        catalog = self.searcher.index.catalog
        for query in queries:
            found = self.figures.search(query, k=30, audiences=list(audiences), kind=list(KEY_FIGURE_KINDS),
                                        doc_type=list(KEY_FIGURE_TYPES))
            rows = catalog.chunks_by_id(f.chunk_id for f in found)
            for figure in found:
                if len(items) >= wanted:
                    return items
                value_key = " ".join(sorted(facts(figure.value))) or figure.value
                if value_key in values or figure.sentence in exclude or figure.chunk_id not in rows:
                    continue
                if any(figure.sentence in item.quotes for item in items):
                    continue
                if leans_on_previous(figure.sentence):
                    continue  # each figure stands alone: never a sentence that needs the one before it
                hit = self._own_hits([hit_from_row(rows[figure.chunk_id], 1, figure.score)], draft)
                # The figure must still be there once the passage is cut to the Alliance's lines.
                if not hit or figure.sentence not in hit[0].text:
                    continue
                mapping = draft.add(hit)
                sentence = figure.sentence.replace("**", "")  # markdown emphasis is layout, not words
                verified = draft.verify(cite_sentence(sentence, 1), mapping)
                if verified:
                    values.add(value_key)
                    items.append(BriefItem(label=figure.value, text=verified,
                                           quotes=list(dict.fromkeys([figure.sentence, sentence]))))
        return items

    def _messages(self, plan: SectionPlan, topic: str, wanted: int, exclude: frozenset[str], filters: SearchFilters,
                  draft: _Draft) -> list[BriefItem]:
        """The team's key messages that share words with the topic, closest first, each followed by one sentence
        of the Alliance's documents that supports it (cited, verified); a message without one is not printed and
        the review sheet says so."""
        messages = list(self.library.messages)
        if not messages:
            return []
        scores = self._similarities(topic, [m.label for m in messages])
        # The messages closest to the topic (e5), those within a short distance of the closest one.
        relevant = [messages[i] for i in sorted(range(len(messages)), key=lambda i: -scores[i])
                    if scores[i] >= max(scores) - MESSAGE_SPREAD]
        search_filters = filters.model_copy(update={"doc_type": list(plan.doc_types)}) if plan.doc_types else filters
        items: list[BriefItem] = []
        for message in relevant:
            if len(items) >= wanted:
                break
            taken = frozenset(exclude | {q for item in items for q in item.quotes})
            hits = self._search(message.query, search_filters, draft)
            mapping = draft.add(hits)
            support, cand = None, None
            usable = [c for c in self.grounding.selector.select(message.query, hits, exclude=taken, limit=8, dense=False)
                      if self._usable(c, None, opening=True)]
            # It supports the message by the rule every cited sentence meets (grounding/verify): the message's
            # numbers, and half of its words at least, are in it; the one sharing most of them is printed.
            backed = [(check_support(message.label, c.text, self.analyzer), c) for c in usable]
            for _, cand in sorted(((b, c) for b, c in backed if b.ok), key=lambda x: -x[0].lexical):
                support = draft.verify(cite_sentence(cand.text, cand.hit_index + 1), mapping)
                if support:
                    break
            if not support:
                draft.warnings.append(BriefWarning(kind="message", section_id=plan.id, message=(
                    f"Message « {message.label} » : aucune phrase des documents de l'Alliance ne l'appuie ici ; "
                    "il n'est pas repris (prompts/briefs/messages.yaml).")))
                continue
            items.append(BriefItem(text=support, quotes=[cand.text], label=message.label))
        return items

    def _boilerplate(self, plan: SectionPlan, filters: SearchFilters, draft: _Draft) -> list[BriefItem]:
        """The team's own sentences (« À propos… »), each cited to the passage its query finds among the section's
        documents and checked like any sentence: one the passage does not support is left out (and said so)."""
        items = []
        for sentence in self.library.about:
            hits = self._search(sentence.query, filters.model_copy(update={"doc_type": list(plan.doc_types)}), draft)
            if not hits:
                continue
            verified = draft.verify(cite_sentence(sentence.label, 1), draft.add(hits[:1]))
            if verified:
                items.append(BriefItem(text=verified, quotes=[]))
            else:
                draft.warnings.append(BriefWarning(kind="removed", section_id=plan.id, message=(
                    f"« À propos » : la phrase « {sentence.label} » n'est pas confirmée par le passage trouvé ; "
                    "à vérifier dans prompts/briefs/a-propos.yaml.")))
        return items

    def _quote(self, queries: list[str], exclude: frozenset[str], filters: SearchFilters,
               draft: _Draft) -> list[BriefItem]:
        for query in queries:
            hits = self._search(query, filters, draft, k=10)
            # Only a quotation whose speaker the passage names (« …, affirme X, président de Y »): never one
            # put in the mouth of « un communiqué ».
            speakers = {s: who for h in hits for _, s in citable_sentences(h.text) if (who := speaker_of(s, h.text))}
            others = frozenset(s for h in hits for _, s in citable_sentences(h.text) if s not in speakers) | exclude
            chosen = self.grounding.selector.select(query, hits, exclude=others, limit=1, dense=False)
            if chosen:
                cand = chosen[0]
                passage = hits[cand.hit_index].text
                whole = whole_quotation(cand.text, passage, [t for _, t in citable_sentences(passage)])
                verified = draft.verify(" ".join(cite_sentence(t, cand.hit_index + 1) for t in whole), draft.add(hits))
                if verified:
                    # The speaker is printed under the quotation: the sentence's own « …, souligne X, rôle » tail
                    # would say it twice (the words quoted stay a verbatim slice of the source).
                    verified = _SAID_TAIL.sub(r"\1\2", verified)
                    return [BriefItem(text=verified, quotes=whole, label=speakers[cand.text].label())]
        return []

    def _similarities(self, topic: str, texts: list[str]) -> list[float]:
        """e5 similarity of each text to the topic (vectors cached like sentences)."""
        vectors = self.grounding.selector.sentence_vectors(texts)
        q = np.asarray(self.searcher.index.embedder.embed_query(topic), dtype=np.float32)
        return [float(v @ q) for v in vectors]

    def _closest(self, topic: str, texts: list[str], n: int) -> list[int]:
        """Indexes of the `n` texts closest to the topic."""
        scores = self._similarities(topic, texts)
        return sorted(range(len(texts)), key=lambda i: -scores[i])[:n]

    def _answers(self, bank, topic: str, wanted: int, exclude: frozenset[str], filters: SearchFilters,
                 draft: _Draft, gate: bool) -> list[BriefItem]:
        """Objections or questions closest to the topic, each answered with up to two cited sentences.

        With `gate`, a question whose passages are not relevant enough (the Q&A abstention test) is left
        out rather than answered beside the point.
        """
        items = []
        for i in self._closest(topic, [p.label for p in bank], len(bank)):
            if len(items) >= wanted:
                break
            prompted = bank[i]
            found = self.grounding.evidence(list(prompted.articles), prompted.query, filters, k=5)
            hits = self._own_hits(found, draft)
            if not hits:
                continue
            if (gate and not prompted.articles
                    and not self.grounding.relevance(prompted.query, hits[:5]).passes(self.settings)):
                continue
            taken = frozenset(exclude | {q for item in items for q in item.quotes})
            chosen = self.grounding.selector.select(prompted.query, hits, exclude=taken, limit=2, dense=False)
            mapping = draft.add(hits)
            kept = [(v, c.text) for c in chosen if not c.text.rstrip().endswith("?")
                    and (v := draft.verify(cite_sentence(c.text, c.hit_index + 1), mapping))]
            if kept:
                items.append(BriefItem(label=prompted.label, text=" ".join(v for v, _ in kept),
                                       quotes=[t for _, t in kept]))
        return items

    # --- warnings -----------------------------------------------------------------------------------
    def _entity_warnings(self, draft: _Draft) -> None:
        config = load_entities()
        for doc_id, hit in draft.set_aside.items():
            others = [e.label for e in config.entities
                      if e.id in self.grounding.tagger.passage_entities(hit) and e.id != self.own.id]
            dated = f" ({hit.date})" if hit.date else ""
            draft.warnings.append(BriefWarning(kind="entity", doc_id=doc_id, message=(
                f"Source écartée : « {hit.title} »{dated} porte sur {' et '.join(others) or 'une autre organisation'}, "
                f"distincte de {self.own.label} ; rien n'en est repris dans ce document.")))

    def _age_warnings(self, sections: list[BriefSection], draft: _Draft) -> None:
        max_age = self.settings.brief_max_figure_age_years
        today = date.today()
        by_n = {c.n: c for c in draft.verifier.citations}
        seen: set[str] = set()
        for section in sections:
            for item in section.items:
                numbers = facts(strip_markers(item.text))
                if not {n for n in numbers if not _YEAR.fullmatch(n)}:
                    continue  # a date alone (a founding year) is not a figure that ages
                for n in marker_numbers(item.text):
                    citation = by_n.get(n)
                    doc = self.searcher.index.catalog.document(citation.doc_id) if citation else None
                    if not doc or doc["doc_type"] == "procurement_law":
                        continue  # the code's articles are law in force, not dated figures
                    years = [int(y) for y in _YEAR.findall(citation.quote)]
                    doc_year = int(doc["date"][:4]) if doc.get("date") else None
                    # A recent document may report an old figure (« en 2015 ») : the year it speaks of counts.
                    year = max(years) if years and (doc_year is None or max(years) < doc_year) else doc_year
                    if year == doc_year and doc.get("date") and len(doc["date"]) == 10:
                        age = (today - date.fromisoformat(doc["date"])).days / 365.25
                    else:
                        age = today.year - year if year else 0
                    if year is None or age <= max_age:
                        continue
                    message = (f"Chiffre ancien dans « {section.title} » : la source « {doc['title']} » date de {year} "
                               f"(plus de {max_age} ans) ; vérifiez qu'il est toujours d'actualité avant diffusion.")
                    if message not in seen:
                        seen.add(message)
                        draft.warnings.append(BriefWarning(kind="figure_age", section_id=section.id,
                                                           doc_id=doc["doc_id"], message=message))

    # --- bibliography -------------------------------------------------------------------------------
    def _bibliography(self, citations) -> list[BibliographyEntry]:
        entries: dict[str, BibliographyEntry] = {}
        catalog = self.searcher.index.catalog
        for citation in citations:
            if citation.doc_id in entries:
                entries[citation.doc_id].n.append(citation.n)
                continue
            doc = catalog.document(citation.doc_id) or {}
            extra = doc.get("extra") or {}
            source = reader_source(citation.source)
            link = source if source.startswith(("http://", "https://")) else f"/documents/{citation.doc_id}"
            publisher = (extra.get("publisher") or extra.get("author") or _domain(source)
                         or DEFAULT_PUBLISHERS.get(doc.get("doc_type", ""), "Éditeur non précisé"))
            doc_type = doc.get("doc_type", "")
            entries[citation.doc_id] = BibliographyEntry(
                n=[citation.n], doc_id=citation.doc_id, title=citation.title, doc_type=doc_type,
                type_label=DOC_TYPE_LABELS.get(doc_type, doc_type), publisher=str(publisher), date=doc.get("date"),
                link=link)
        return list(entries.values())


def _domain(source: str) -> str:
    match = re.match(r"https?://(?:www\.)?([^/]+)", source or "")
    return match.group(1) if match else ""
