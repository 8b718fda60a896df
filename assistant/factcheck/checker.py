"""Check a draft's figures, quotations and attributions against the indexed documents.

Each claim is compared with the sentences of the sources that speak of the same thing:
- a figure is looked for among the key figures (figures/store) whose sentence covers the draft sentence's
  words: the same quantity there confirms it; only another quantity of the same unit there makes it
  « different » (the source's value is suggested, verbatim); nothing close makes it « not found »;
- a confirmed figure is then checked for who says it: an organisation the draft names that the source
  does not speak of (entities.yaml: one Alliance is never the other), a « selon X » that the source does
  not name; and for its age (the document's date, beyond the configured years, unless the draft dates it);
- a quotation is looked for word for word in the passages; a close but changed wording is « different »
  (the exact words suggested), and a speaker other than the source's is « misattributed »;
- an article reference is checked against the article's own text: a rule another article states is
  « misattributed » to the one cited.
Nothing is rewritten: the findings say what the sources say, and where.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from types import SimpleNamespace
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.factcheck.claims import DraftSentence, Quoted, draft_sentences, paragraphs
from assistant.factcheck.models import Evidence, FactCheck, Finding
from assistant.figures.extract import Found, LEGAL_DOC_TYPES, find_figures
from assistant.figures.models import FigureHit, Quotation
from assistant.figures.quantity import Quantity, quantity, words_number
from assistant.figures.store import FigureStore
from assistant.grounding.verify import facts
from assistant.grounding.entities import EntityTagger, question_entities
from assistant.text.quotes import LOOKBACK, PERSON, Speaker, people, quotations
from assistant.index.filters import SearchFilters
from assistant.index.lexical import FrenchAnalyzer, LEGAL_REF, STOPWORDS, cited_articles, without_articles
from assistant.models import SearchHit
from assistant.retrieval.search import HybridSearcher, hit_from_row
from assistant.text.dates import MONTHS
from assistant.text.normalize import fold, fold_apostrophes
from assistant.text.sentences import split_sentences

# When a source sentence speaks of the same thing as the draft's: it holds this share (idf-weighted) of the draft
# sentence's words, or it is this close in meaning (e5) while sharing some of them. A draft adds its own words
# around a figure (an appraisal, an appeal to the reader): meaning carries where words do not. A sentence stating the
# draft's own value needs no more closeness than one that would make it « different » (0.875 before: a sentence close
# enough to contradict the draft could not confirm it; blind half: false alarms 8.5 → 6.9 %).
CONFIRM_COVERAGE = 0.35
CONFIRM_SIMILARITY = 0.865
MIN_COVERAGE = 0.1
# A source sentence stating another value of the same unit makes the draft's figure « different » when it is this
# close; below, the figure is « not found ».
DIFFERENT_COVERAGE = 0.55
DIFFERENT_SIMILARITY = 0.865
DIFFERENT_MIN_COVERAGE = 0.25
# A figure changed in a draft keeps its order of magnitude: beyond this ratio the two values are two facts.
MAX_CHANGE_RATIO = 10
MAX_CANDIDATES = 40
# Ranking the candidates: e5 similarity plus this weight times the shared-words share (meaning first, words to
# separate sentences that mean nearly the same); another value ranked this much above the draft's means it changed.
COVERAGE_WEIGHT = 0.3
DIFFERENT_MARGIN = 0.02
KIND_MARGIN = 0.03
# Other values this close to the closest one are a tie: all are named (articles that set amounts in the same words).
TIE_MARGIN = 0.01
# A quotation is the source's when this share of its words is found in order; below, a close wording.
QUOTE_EXACT = 0.92
QUOTE_CLOSE = 0.6
# An article is confirmed when its text holds this share of the sentence's words.
ARTICLE_SUPPORT = 0.45

_WORD = re.compile(r"[^\W_]+", re.U)
# Among the sources that state a figure, the kindest verdict is the draft's (a value stated by two documents is
# confirmed if one of them gives it to the organisation the draft names).
_SEVERITY = {"confirmed": 0, "old": 1, "misattributed": 2, "different": 3, "not_found": 4}
_OWN = re.compile(r"\b(?:nous|notre|nos)\b", re.I)
_GENERIC_WORDS = {"selon", "d", "apres", "une", "un", "l", "la", "le", "les", "des", "de", "du", "etude", "enquete",
                  "rapport", "chiffres", "donnees", "source", "sources", "analyse", "recente", "recent", "publiee",
                  "realisee", "menee", "par"}


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_apostrophes(text))


@dataclass
class _Context:
    audiences: tuple[str, ...]
    today: dt.date


class FactChecker:
    """One checker per index; `check` is thread-safe (the stores it reads are)."""

    def __init__(self, searcher: HybridSearcher, figures: FigureStore, max_age_years: int):
        self.searcher = searcher
        self.figures = figures
        self.catalog = searcher.index.catalog
        self.max_age_years = max_age_years
        self.tagger = EntityTagger(self.catalog)
        self.analyzer = FrenchAnalyzer()
        self._people_cache: tuple[int, dict[str, list[tuple[Speaker, dict]]]] | None = None
        self._phrases_cache: tuple[int, list[tuple[str, dict]]] | None = None
        self._words_cache: tuple[int, dict[str, frozenset[str]]] = (-1, {})

    # --- entry point --------------------------------------------------------------------------------
    def check(self, text: str, audiences: tuple[str, ...] = ("public",), today: dt.date | None = None) -> FactCheck:
        self.figures.ensure_synced(self.catalog)
        context = _Context(tuple(audiences), today or dt.date.today())
        report = FactCheck(paragraphs=paragraphs(text), max_age_years=self.max_age_years)
        for sentence in draft_sentences(text):
            report.findings.extend(self._sentence(sentence, context))
        report.summary = report.summarise()
        return report

    def _sentence(self, sentence: DraftSentence, context: _Context) -> list[Finding]:
        findings = []
        for quoted in sentence.quotations:
            findings.extend(self._quotation(sentence, quoted, context))
        for figure in sentence.figures:
            findings.extend(self._figure(sentence, figure, context))
        settled = {_article_of(f.evidence.locator) for f in findings if f.evidence} | \
            {f.suggestion for f in findings if f.kind == "article"}
        findings.extend(self._roles(sentence, context))
        if sentence.articles and not sentence.quotations and not settled & set(sentence.articles) \
                and not any(f.kind == "article" for f in findings):
            findings.extend(self._articles(sentence, context))
        findings.sort(key=lambda f: f.start)
        return findings

    def _finding(self, sentence: DraftSentence, claim: str, kind: str, status: str, message: str,
                 evidence: Evidence | None = None, suggestion: str | None = None) -> Finding:
        start = sentence.text.find(claim)
        return Finding(sentence=sentence.text, paragraph=sentence.paragraph, start=max(start, 0), claim=claim,
                       kind=kind, status=status, message=message, evidence=evidence, suggestion=suggestion)

    # --- figures ------------------------------------------------------------------------------------
    def _query(self, sentence: str) -> str:
        """The sentence without what varies between a claim and its source: article ids and numbers."""
        text = without_articles(LEGAL_REF.sub(" ", sentence))
        text = _SPELLED_OUT.sub(lambda m: _SETTINGS["spelled_out"][m.group(0)], text)  # « HT » as the Code writes it
        words = [w for w in re.split(r"(\s+)", text) if not (w.strip() and words_number(w.strip(" ,;:.")) is not None)]
        return "".join(words)

    def _figure(self, sentence: DraftSentence, found: Found, context: _Context) -> list[Finding]:
        claim = quantity(found.value, found.kind, found.unit)
        if claim is None:
            return []
        hits = self.figures.search(self._query(sentence.text), k=400, audiences=list(context.audiences))
        comparable = [h for h in hits if (q := quantity(h.value, h.kind, h.unit)) is not None and q.comparable(claim)]
        # The closest in meaning among the sentences that share words with the draft's (e5, as retrieval).
        # Every sentence stating the draft's value is weighed (they are few), and the others sharing most words.
        # « plus de N », « près de N » (a lower bound, an approximation): the draft bounds the value; a source value inside the bound
        # says the same thing.
        # Only against an exact value of a report or an article of the press: a rule's « au moins » or « jusqu'à »
        # sets the value itself, and a source that bounds its own value is not matched by another bound.
        bound = _qualifier(sentence.text[:found.start])

        def agrees(hit: FigureHit) -> bool:
            theirs = quantity(hit.value, hit.kind, hit.unit)
            if bound is None or theirs is None or theirs.same_as(claim):
                return _agrees(claim, theirs, None)
            exact = hit.doc_type not in LEGAL_DOC_TYPES and _qualifier(_before(hit.sentence, hit.value)) is None
            return _agrees(claim, theirs, bound if exact else None)

        same = sorted((h for h in comparable if agrees(h)), key=lambda h: -h.coverage)[:MAX_CANDIDATES]
        other = sorted((h for h in comparable if h not in same), key=lambda h: -h.coverage)[:MAX_CANDIDATES]
        closeness = self._closeness(sentence.text, same + other)
        cited = set(sentence.articles)
        # The draft's other figures (« 60 % …, quand l'Allemagne plafonne à 15 à 20 % ») are not what it changed.
        own_values = [q for f in sentence.figures if f is not found and (q := quantity(f.value, f.kind, f.unit))]
        other = [h for h in other if not any(q.same_as(quantity(h.value, h.kind, h.unit)) for q in own_values)]

        # A count of a named thing (« N régions », « N ateliers ») is its own subject: the same number
        # of the same thing is the same fact, whatever the words around it. Delays and durations are everywhere.
        named_count = claim.unit not in GENERIC_COUNTS and found.kind == "count"

        def speaks_of_it(hit: FigureHit) -> bool:
            return hit.coverage >= CONFIRM_COVERAGE or (closeness[hit.id] >= CONFIRM_SIMILARITY
                                                        and hit.coverage >= MIN_COVERAGE) \
                or (named_count and hit.kind == "count" and hit.doc_type not in LEGAL_DOC_TYPES)

        def plausible_change(hit: FigureHit) -> bool:
            """Another value the draft may have changed into its own: a full date for a full date, a number of
            the same order of magnitude (a rate for a close rate, never a count of a few units for one of thousands)."""
            theirs = quantity(hit.value, hit.kind, hit.unit)
            if claim.unit == "date":
                return claim.date[0] is not None and theirs.date[0] is not None
            if not claim.low or not theirs.low:
                return False
            return max(claim.low, theirs.low) / min(claim.low, theirs.low) <= MAX_CHANGE_RATIO

        def score(hit: FigureHit) -> float:  # meaning first, shared words to break its near-ties
            return closeness[hit.id] + COVERAGE_WEIGHT * hit.coverage

        # A figure the draft gives to an article is first looked for in that article: stated there, it is confirmed.
        stating = [h for h in same if cited and _article_of(h.locator) in cited]
        in_cited = [h for h in other if cited and _article_of(h.locator) in cited]
        elsewhere = sorted((h for h in same if speaks_of_it(h)), key=lambda h: -score(h))
        stating.sort(key=lambda h: -score(h))

        def clearly_closer(a: FigureHit, b: FigureHit) -> bool:  # in meaning and in words
            return score(a) > score(b) + DIFFERENT_MARGIN and a.coverage > b.coverage

        # A source sentence that states the draft's value and every other figure of the draft's sentence (« 30 jours
        # …, 50 jours … ») is its source, however the draft words it: two values rarely meet by chance.
        together = sorted((h for h in same if own_values and all(self._states_value(h, q) for q in own_values)),
                          key=lambda h: -score(h))
        # Unless a sentence with another value says it clearly closer (the law lists several periods in one article).
        rival = max((h for h in other if plausible_change(h)), key=score, default=None)
        if together and not stating and (rival is None or not clearly_closer(rival, together[0])):
            stating = together
        if stating and elsewhere and clearly_closer(elsewhere[0], stating[0]):
            stating = elsewhere  # the cited article has the value, but another article says what the draft says
        elif not stating and in_cited and elsewhere:
            stating = elsewhere  # the value is another article's: said as a misplaced reference, not a changed value
        elif not stating and not in_cited:
            stating = elsewhere
            differing = sorted((h for h in other if plausible_change(h) and (
                (closeness[h.id] >= DIFFERENT_SIMILARITY and h.coverage >= DIFFERENT_MIN_COVERAGE)
                or h.coverage >= DIFFERENT_COVERAGE)), key=lambda h: -score(h))
            # Another value said closer to the draft, in meaning and in words, than any sentence stating the draft's
            # value: the draft changed it (unless that sentence states both values, « 22 % … contre 40 % »).
            if stating and differing and clearly_closer(differing[0], stating[0]) \
                    and not self._also_states(differing[0], claim):
                stating = []
            # The sentence closest to the draft with another value states the draft's too (two cases of one rule,
            # two dates of one story; written so, or as a figure of that sentence): the draft took the one it gives.
            if not stating and differing:
                twins = [h for h in same if h.sentence == differing[0].sentence]
                stating = twins or (differing[:1] if _writes(differing[0].sentence, found.value)
                                    or _writes_day(differing[0].sentence, claim, self._published(differing[0]))
                                    else [])
        else:
            differing = in_cited
        if not stating and claim.unit == "date":
            kept = self._catalog_date(sentence, found, claim, context)
            if kept is not None:
                return [kept]
        if stating:
            # Several sources may state the value: among those about as close to the draft as the closest one, the
            # one that agrees on who says it, and on where, wins (a farther one does not excuse a misplaced source).
            top = max(score(h) for h in stating)
            near = [h for h in stating if score(h) >= top - KIND_MARGIN][:8]
            verdicts = [self._confirmed_figure(sentence, found, h, context) for h in near]
            return min(verdicts, key=lambda v: _SEVERITY[v[0].status])
        if differing:
            best = differing[0]
            # Sentences nearly as close with other values are named too: the draft's may be any of them.
            near = list({h.value: h for h in differing if score(h) >= score(best) - TIE_MARGIN}.values())[:3]
            given = ", ".join(f"« {h.value} » ({self._where(h)})" for h in near) if len(near) > 1 \
                else f"« {best.value} »"
            return [self._finding(
                sentence, found.value, "figure", "different", f"Les documents donnent {given}, pas « {found.value} ».",
                Evidence.of(best, best.sentence), suggestion=best.value)]
        if found.kind == "date" and claim.date[0] is None:
            return []  # a bare year or month situates a text (its publication, an event): no sentence states it
        renamed = self._renamed_count(sentence, found, claim, hits, comparable)
        if renamed is not None:
            return self._confirmed_figure(sentence, found, renamed, context)
        listed = self._listed_count(sentence, found, claim, context)
        if listed is not None:
            return [listed]
        return [self._finding(sentence, found.value, "figure", "not_found",
                              f"Aucun document indexé ne donne « {found.value} » à ce sujet.")]

    def _catalog_date(self, sentence: DraftSentence, found: Found, claim: Quantity,
                      context: _Context) -> Finding | None:
        """A full date the documents give as their own rather than in a sentence: the day an article entered into
        force (« depuis le D, les acheteurs doivent… ») or the day a document was published (« dans sa version du
        D »). Only when the draft says which of the two it gives, of a passage close to what it says."""
        if None in claim.date:
            return None
        before = fold_apostrophes(fold(sentence.text[max(0, found.start - 40):found.start]))
        in_force, published = _IN_FORCE_CUE.search(before), _PUBLISHED_CUE.search(before)
        if not (in_force or published):
            return None
        day, month, year = claim.date
        wanted = dt.date(year, month, day).isoformat()
        hits = self.searcher.search(sentence.text, k=5, filters=SearchFilters(audience=list(context.audiences)))
        for hit in hits:
            legal = hit.doc_type in LEGAL_DOC_TYPES
            if in_force and legal and (hit.meta or {}).get("in_force_since") == wanted:
                message = f"Confirmé : l'article {_article_of(hit.locator)} est en vigueur depuis cette date."
            elif published and not legal and hit.date == wanted:
                message = f"Confirmé : c'est la date de publication de « {hit.title} »."
            else:
                continue
            opening = (split_sentences(hit.text) or [hit.text])[0]
            return self._finding(sentence, found.value, "figure", "confirmed", message, Evidence.of(hit, opening))
        return None

    def _renamed_count(self, sentence: DraftSentence, found: Found, claim: Quantity, hits: list[FigureHit],
                       comparable: list[FigureHit]) -> FigureHit | None:
        """A count the draft words around another noun (« N offres d'emploi » for « N emplois vacants »): the same
        number of the source's noun, named among the draft's words after the number, in a sentence that says the
        same thing (in words or in meaning), is the draft's figure."""
        if found.kind not in _COUNTED_KINDS or claim.low is None:
            return None
        counted = {_role_stem(w) for w in _words(f"{found.unit} {found.measures or ''}")}
        renamed = [h for h in hits if h.kind in _COUNTED_KINDS and h not in comparable
                   and (q := quantity(h.value, h.kind, h.unit)) is not None and (q.low, q.high) == (claim.low, claim.high)
                   and _role_stem(q.unit) in counted]
        if not renamed:
            return None
        closeness = self._closeness(sentence.text, renamed[:MAX_CANDIDATES])
        close = [h for h in renamed[:MAX_CANDIDATES] if h.coverage >= CONFIRM_COVERAGE
                 or (closeness[h.id] >= CONFIRM_SIMILARITY and h.coverage >= MIN_COVERAGE)]
        return max(close, key=lambda h: closeness[h.id] + COVERAGE_WEIGHT * h.coverage, default=None)

    def _listed_count(self, sentence: DraftSentence, found: Found, claim: Quantity,
                      context: _Context) -> Finding | None:
        """« N membres fondateurs : A, B, … et G »: a count the draft makes of the items it lists after a colon is
        confirmed by a passage that names every one of them (the documents list them without counting)."""
        if found.kind not in _COUNTED_KINDS or claim.low is None or claim.low != claim.high or not 2 <= claim.low <= 12:
            return None
        after = sentence.text[found.start + len(found.value):]
        colon = after.find(":")
        if colon < 0 or colon > 40:
            return None
        items = [i for i in re.split(r",|;|\bet\b|\bainsi\s+que\b", after[colon + 1:].rstrip(" .!?…"))
                 if i.strip()]
        terms = [{t for t in self.analyzer(item) if not t[0].isdigit()} for item in items]
        if len(items) != claim.low or not all(terms):
            return None
        hits = self.searcher.search(sentence.text, k=8, filters=SearchFilters(audience=list(context.audiences)))
        for hit in hits:
            present = set(self.analyzer(hit.text))
            if all(len(item & present) * 2 >= len(item) for item in terms):
                best = max(split_sentences(hit.text.replace("\n", " ")) or [hit.text],
                           key=lambda t: sum(bool(item & set(self.analyzer(t))) for item in terms))
                return self._finding(sentence, found.value, "figure", "confirmed",
                                     f"Les {len(items)} éléments énumérés figurent dans {self._where(hit)}.",
                                     Evidence.of(hit, best))
        return None

    def _said(self, hit: FigureHit) -> str:
        """What a figure's sentence says, read as its text is written: with the sentence before it, and for an
        article of law that sets a value « prévu à l'article L. 2111-3 », with the opening of that article (the
        subject the value belongs to is there)."""
        text = f"{hit.context or ''} {hit.sentence}".strip()
        if hit.doc_type not in LEGAL_DOC_TYPES:
            return text
        own = _article_of(hit.locator)
        referenced = [a for a in cited_articles(hit.sentence) if a != own][:2]
        opening = " ".join(r["text"][:300] for r in self.catalog.chunks_for_articles(referenced)[:2])
        return f"{text} {opening}".strip()

    def _closeness(self, text: str, hits: list[FigureHit]) -> dict[str, float]:
        """e5 similarity of the draft sentence with each figure's sentence (and the one before it)."""
        if not hits:
            return {}
        selector_vectors = self.searcher.index.sentence_vectors([self._said(h) for h in hits])
        query = np.asarray(self.searcher.index.embedder.embed_query(text), dtype=np.float32)
        return {h.id: float(v @ query) for h, v in zip(hits, selector_vectors)}

    @staticmethod
    def _states_value(hit: FigureHit, value: Quantity) -> bool:
        """Whether the hit's sentence states `value` among its figures."""
        return any((q := quantity(f.value, f.kind, f.unit)) is not None and q.same_as(value)
                   for f in find_figures(hit.sentence, legal=hit.doc_type in LEGAL_DOC_TYPES))

    def _also_states(self, hit: FigureHit, claim: Quantity) -> bool:
        """The sentence holding another value also states the draft's (« 22 % … contre 40 % », « treize emplois,
        contre quatre »: the second number stands without its unit)."""
        if any((q := quantity(f.value, f.kind, f.unit)) is not None and q.same_as(claim)
               for f in find_figures(hit.sentence, legal=hit.doc_type in LEGAL_DOC_TYPES)):
            return True
        if claim.low is None or claim.low != claim.high:
            return False
        # The second value of a comparison, written bare after « contre » (« N unités, contre M »).
        numbers = [words_number(n) if not n[0].isdigit() else float(n.replace(",", "."))
                   for n in re.findall(r"\bcontre\s+(\d+(?:,\d+)?|[a-zà-ÿ\-]+)", hit.sentence, re.I)]
        return claim.low in numbers

    def _confirmed_figure(self, sentence: DraftSentence, found: Found, hit: FigureHit,
                          context: _Context) -> list[Finding]:
        evidence = Evidence.of(hit, hit.sentence)
        wrong_owner = self._other_entity(sentence.text, hit)
        if wrong_owner:
            return [self._finding(sentence, found.value, "figure", "misattributed",
                                  f"Ce chiffre est celui de {wrong_owner}, pas de l'organisation que le texte nomme.",
                                  evidence, suggestion=wrong_owner)]
        if sentence.attribution:
            mismatch = self._attribution_mismatch(sentence.attribution, hit)
            if mismatch is not None:
                return [self._finding(sentence, found.value, "figure", "misattributed", mismatch, evidence,
                                      suggestion=hit.attribution)]
        article = self._article_mismatch(sentence, hit) or self._law_article_mismatch(sentence, hit)
        if article is not None:
            return [article]
        absent = self._absent_names(sentence.text, hit)
        if absent:
            return [self._finding(sentence, found.value, "figure", "misattributed",
                                  f"Le document qui donne ce chiffre ({self._where(hit)}) ne mentionne pas "
                                  f"« {', '.join(absent)} ».", evidence, suggestion=hit.attribution)]
        age = self._age(hit, context)
        if age is not None and found.kind != "date" and not self._dated_in(sentence.text, hit):
            return [self._finding(sentence, found.value, "figure", "old",
                                  f"Chiffre confirmé, mais publié en {self._published(hit).year} (il y a {age} ans) : "
                                  "à dater ou à actualiser.", evidence)]
        return [self._finding(sentence, found.value, "figure", "confirmed",
                              f"Confirmé par {self._where(hit)}.", evidence)]

    @staticmethod
    def _dated(hit) -> str:
        return f" ({hit.date})" if hit.date else ""

    def _where(self, hit) -> str:
        """« l'article R… (Code …) » for the law, « « titre » (date) » for the other documents."""
        article = _article_of(hit.locator) if hit.doc_type in LEGAL_DOC_TYPES else None
        if article:
            return f"l'article {article}"
        return f"« {hit.title} »{self._dated(hit)}"

    def _published(self, hit) -> dt.date | None:
        """The document's date; without one, the last year its title or file name gives (« 2015-2020 »,
        « dec2019 »), taken at its end."""
        if hit.date:
            try:
                year, month, day = (list(map(int, hit.date.split("-"))) + [1, 1])[:3]
                return dt.date(year, month or 1, day or 1)
            except ValueError:
                return None
        doc = self.catalog.document(hit.doc_id) or {}
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", f"{doc.get('title', '')} {doc.get('path', '')}")]
        return dt.date(max(years), 12, 31) if years else None

    def _age(self, hit, context: _Context) -> int | None:
        if hit.doc_type in LEGAL_DOC_TYPES or not self.max_age_years:
            return None
        published = self._published(hit)
        if published is None:
            return None
        years = (context.today - published).days // 365
        return years if years >= self.max_age_years else None

    def _dated_in(self, text: str, hit) -> bool:
        """The draft situates the figure in its time (« en <année> », « le <nom> de <année> », « à
        l'époque », « il y a <durée> »): then it does not pass for current. Any year up to the document's own dates it."""
        published = self._published(hit)
        if published is None:
            return False
        folded = fold_apostrophes(text)
        years = [int(m.group(1)) for m in _YEAR.finditer(folded)]
        return any(year <= published.year for year in years) or _PAST.search(folded) is not None

    def _other_entity(self, text: str, hit: FigureHit) -> str | None:
        """The organisation the source speaks of, when the draft gives the figure to another one."""
        named = question_entities(text)
        config = self.tagger.config
        wanted = {e.id for e in named.named}
        implied = not wanted and bool(named.ambiguous or _OWN.search(text))
        if implied:
            wanted = {config.entities[0].id}  # the team writes about its own Alliance
        if not wanted:
            return None
        rows = self.catalog.chunks_by_id([hit.chunk_id])
        if hit.chunk_id not in rows:
            return None
        passage = hit_from_row(rows[hit.chunk_id], rank=1, score=0.0)
        theirs = set(self.tagger.sentence_entities(passage, hit.sentence))
        if not theirs or theirs & wanted:
            return None
        owner = self.tagger.entity(sorted(theirs)[0])
        # Our Alliance was only implied (« notre Alliance », « l'Alliance »): a draft that gives the figure to the
        # source's organisation by the distinctive words of its name (a project of that name) gives it rightly.
        if implied and _distinctive(owner.label) and _distinctive(owner.label) in fold_apostrophes(text):
            return None
        return owner.label

    def _attribution_mismatch(self, attribution: str, hit: FigureHit) -> str | None:
        """The draft's « selon X » names a source that the document does not (French message), else None."""
        proper = [w for w, raw in zip(_words(attribution), _WORD.findall(attribution)) if raw[:1].isupper()
                  and w not in _GENERIC_WORDS]
        if not proper:
            return None
        if hit.attribution:
            # The source names its own source for this figure: the draft's must be that one.
            local = " ".join([hit.sentence, hit.attribution])
        else:
            rows = self.catalog.chunks_by_id([hit.chunk_id])
            local = " ".join([hit.sentence, hit.context or "", hit.title, *(r["text"] for r in rows.values())])
        words = set(_words(local))
        # A letter more or less is the press's spelling (« Tristan » / « Tristant »), not another source.
        if all(w in words or any(difflib.SequenceMatcher(None, w, other).ratio() >= 0.85 for other in words
                                 if abs(len(other) - len(w)) <= 1) for w in proper):
            return None
        if hit.attribution:
            return f"La source attribue ce chiffre à « {hit.attribution} », pas à « {attribution} »."
        return f"La source de ce chiffre ne cite pas « {attribution} »."

    def _absent_names(self, text: str, hit: FigureHit) -> list[str]:
        """The bodies the draft names by their acronym (« l'ADEME », « selon l'Insee ») that the source document
        never mentions: the figure is not theirs."""
        # Only a body given as the source (« selon X », « comme le relevait X »): a body the sentence
        # merely speaks of (« le taux de la BCE ») may be written out in full in the document.
        names = [m.group(0) for m in _ACRONYM.finditer(text) if m.group(0).upper() not in _GENERIC_ACRONYMS
                 and _SOURCE_CUE.search(text[max(0, m.start() - 40):m.end() + 40])]
        names = list(dict.fromkeys(names))
        if not names:
            return []
        doc = self.catalog.document(hit.doc_id) or {}
        known = " ".join([doc.get("title", ""), hit.source, *(r["text"] for r in self.catalog.chunk_rows(hit.doc_id))])
        folded = fold_apostrophes(known)
        return [n for n in names if not re.search(rf"\b{re.escape(fold_apostrophes(n))}\b", folded)
                and not _spelled_out(n, known)]

    def _law_article_mismatch(self, sentence: DraftSentence, hit: FigureHit) -> Finding | None:
        """« l'article N de la loi X » where the source gives the figure with another article number."""
        written = _LAW_ARTICLE.search(sentence.text)
        if written is None:
            return None
        theirs = set(re.findall(r"\barticles?\s+(\d+)\b(?!\s*-)", f"{hit.context or ''} {hit.sentence}", re.I))
        if not theirs or written.group(1) in theirs:
            return None
        return self._finding(sentence, written.group(0), "article", "misattributed",
                             f"La source rattache ce chiffre à l'article {', '.join(sorted(theirs))}, pas à "
                             f"l'article {written.group(1)}.", Evidence.of(hit, hit.sentence),
                             suggestion=f"article {sorted(theirs)[0]}")

    def _article_mismatch(self, sentence: DraftSentence, hit) -> Finding | None:
        """A figure of the law given to an article that does not state it."""
        if not sentence.articles or hit.doc_type not in LEGAL_DOC_TYPES:
            return None
        source_article = _article_of(hit.locator)
        if source_article is None or source_article in sentence.articles:
            return None
        cited = sentence.articles[0]
        written = _written_reference(sentence.text, cited)
        return self._finding(sentence, written, "article", "misattributed",
                             f"Ce que la phrase attribue à l'article {cited} figure à l'article {source_article}.",
                             Evidence.of(hit, hit.sentence),
                             suggestion=source_article)

    # --- quotations ---------------------------------------------------------------------------------
    def _quotation(self, sentence: DraftSentence, quoted: Quoted, context: _Context) -> list[Finding]:
        words = _words(quoted.inner)
        if len(words) < 3:
            return []
        # The quotations extracted at ingest, with their speaker, then the passages (the law, unattributed words).
        best: tuple[float, SearchHit | Quotation, int, int] | None = None
        for stored in self.figures.quotations(context.audiences):
            score, start, end = _best_window(words, stored.text)
            if best is None or score > best[0]:
                best = (score, stored, start, end)
        if best is None or best[0] < QUOTE_EXACT:
            hits = self.searcher.search(quoted.inner, k=8, filters=SearchFilters(audience=list(context.audiences)))
            for hit in hits:
                score, start, end = _best_window(words, hit.text)
                if best is None or score > best[0]:
                    best = (score, hit, start, end)
        if best is None or best[0] < QUOTE_EXACT:
            # Words too common for a search to rank their passage (short, made of function words): the passages
            # that hold them as written, in order.
            for row in self._holding(words, context.audiences):
                score, start, end = _best_window(words, row.text)
                if best is None or score > best[0]:
                    best = (score, row, start, end)
        if best is None or best[0] < QUOTE_CLOSE:
            return [self._finding(sentence, quoted.text, "quotation", "not_found",
                                  "Cette citation ne se trouve dans aucun document indexé.")]
        score, hit, start, end = best
        exact = hit.text[start:end]
        if isinstance(hit, Quotation):
            said_by: Speaker | None = Speaker(hit.speaker, hit.role)
            where = f"« {hit.text} » — {said_by.label()}"
        else:
            said_by = next((who for s, e, who in quotations(hit.text) if s <= start + 2 and end <= e + 2), None)
            where = _sentence_at(hit.text, start, end)
        evidence = Evidence.of(hit, where)
        if said_by is None and quoted.speaker is not None and not isinstance(hit, Quotation):
            # The source names its speaker in a way not read above (an incise « …, a déclaré X. … »): the person
            # named nearest to the words stands for it; the draft's speaker must at least be named there.
            around = hit.text[max(0, start - LOOKBACK):end + LOOKBACK]
            named = [m for m in _PERSON.finditer(around)]
            if named and not any(_same_person(m.group(0), quoted.speaker.name) for m in named):
                middle = start - max(0, start - LOOKBACK) + (end - start) / 2
                said_by = Speaker(min(named, key=lambda m: abs(m.start() - middle)).group(0))
        if said_by is None and quoted.speaker is not None and not self._names(hit.doc_id, quoted.speaker.name):
            # The source does not say who speaks, and does not even name the draft's speaker: nothing gives them
            # these words.
            return [self._finding(sentence, quoted.text, "quotation", "misattributed",
                                  f"La source de ces mots ({self._where(hit)}) ne nomme pas {quoted.speaker.name} : "
                                  "rien dans les documents ne lui attribue cette citation.", evidence)]
        # Who says it comes first: a quotation given to someone else is misattributed, however close its words.
        if quoted.speaker is not None and said_by is not None and not _same_person(quoted.speaker.name, said_by.name):
            return [self._finding(sentence, quoted.text, "quotation", "misattributed",
                                  f"Dans la source, ces mots sont de {said_by.label()}, pas de {quoted.speaker.name}.",
                                  evidence, suggestion=said_by.label())]
        # A number of a quotation is its words: changed, the quotation is not the source's.
        if score < QUOTE_EXACT or facts(quoted.inner) != facts(exact):
            return [self._finding(sentence, quoted.text, "quotation", "different",
                                  "La citation n'est pas mot pour mot celle de la source.", evidence,
                                  suggestion=f"« {exact} »")]
        if sentence.articles and hit.doc_type in LEGAL_DOC_TYPES:
            source_article = _article_of(hit.locator)
            if source_article and source_article not in sentence.articles:
                cited = sentence.articles[0]
                return [self._finding(sentence, _written_reference(sentence.text, cited), "article", "misattributed",
                                      f"Ces mots sont ceux de l'article {source_article}, pas de l'article {cited}.",
                                      evidence, suggestion=source_article)]
        who = f", de {said_by.label()}" if said_by else ""
        age = self._age(hit, context)
        if age is not None and not self._dated_in(sentence.text, hit):
            return [self._finding(sentence, quoted.text, "quotation", "old",
                                  f"Citation exacte{who}, mais publiée en {self._published(hit).year} (il y a {age} ans) : "
                                  "à dater.", evidence)]
        return [self._finding(sentence, quoted.text, "quotation", "confirmed",
                              f"Citation exacte{who} : {self._where(hit)}.", evidence)]

    def _holding(self, words: list[str], audiences: tuple[str, ...]) -> list[SimpleNamespace]:
        """The passages (those the audiences may read) whose words hold `words` in a row."""
        generation = self.catalog.generation()
        if self._phrases_cache is None or self._phrases_cache[0] != generation:
            rows = self.catalog.chunk_rows(synced_only=True)
            self._phrases_cache = (generation, [(" " + " ".join(_words(r["text"])) + " ", r) for r in rows])
        phrase = " " + " ".join(words) + " "
        return [SimpleNamespace(**row) for folded, row in self._phrases_cache[1]
                if phrase in folded and row.get("audience", "public") in audiences]

    def _names(self, doc_id: str, name: str) -> bool:
        """Whether the document names the person: their surname as a word of it, with a letter of tolerance (a name
        glued to the word before it, « affirmeX Y », still counts)."""
        surname = _words(name)[-1:]
        words = self._document_words(doc_id)
        return bool(surname) and any(_same_person(w, surname[0]) for w in words if abs(len(w) - len(surname[0])) <= 1)

    def _document_words(self, doc_id: str) -> frozenset[str]:
        """A document's words, read once per catalog generation (a draft quotes several people)."""
        generation = self.catalog.generation()
        if self._words_cache[0] != generation:
            self._words_cache = (generation, {})
        known = self._words_cache[1]
        if doc_id not in known:
            known[doc_id] = frozenset(_words(" ".join(r["text"] for r in self.catalog.chunk_rows(doc_id))))
        return known[doc_id]

    # --- people and their roles -----------------------------------------------------------------------
    def _people(self) -> dict[str, list[tuple[Speaker, dict]]]:
        """Everyone the documents name with a role, by surname (cached per catalog generation)."""
        generation = self.catalog.generation()
        if self._people_cache is None or self._people_cache[0] != generation:
            known: dict[str, list[tuple[Speaker, dict]]] = {}
            for row in self.catalog.chunk_rows(synced_only=True):
                if row.get("doc_type") in LEGAL_DOC_TYPES:
                    continue
                for person in people(row["text"]):
                    known.setdefault(_surname(person.name), []).append((person, row))
            self._people_cache = (generation, known)
        return self._people_cache[1]

    def _roles(self, sentence: DraftSentence, context: _Context) -> list[Finding]:
        """« X, présidente de Y »: the role the documents give X (a person they do not name is not judged)."""
        findings = []
        for person in people(sentence.text):
            # Only what the caller may read: a person named in an internal note is not shown to a member.
            mentions = [(p, row) for name, known in self._people().items() for p, row in known
                        if _same_person(p.name, person.name) and row.get("audience", "public") in context.audiences]
            if not mentions:
                continue
            written = sentence.text[sentence.text.find(person.name):]
            claim = written[:written.find(person.role) + len(person.role)] if person.role in written else person.name
            def evidence_of(mention: tuple[Speaker, dict]) -> Evidence:
                who, row = mention
                return Evidence.of(row, f"{who.name}, {who.role}")

            # The role the documents give, or a shorter form of it that keeps every name (« présidente de X »
            # for « présidente de X depuis une date », never « de X » for « X Région », a name cut short).
            # Each part of the draft's role (« présidente de X et membre de Y ») is one the documents give.
            # A name the draft writes in lower case (a body's name, capitals dropped) is the same name.
            known_roles = [(part, m) for m in mentions for part in re.split(r"\s+et\s+", m[0].role)]
            parts = re.split(r"\s+et\s+", person.role)
            found_parts = [next((m for known, m in known_roles if _same_role(part, known)), None) for part in parts]
            if not all(found_parts) and any(found_parts):
                # A part the documents do not give as a role may be said in prose beside the name (« X, président
                # de Y, et porte-parole de Z » is read as one role): that part is looked for there.
                found_parts = [m or self._said_in_prose(part, mentions) for part, m in zip(parts, found_parts)]
            matching = found_parts[0] if all(found_parts) else None
            if matching is None and not any(_role_noun(part) == _role_noun(known) for part in parts
                                            for known, _ in known_roles):
                # The documents name the person with another kind of role only: the draft's may be said in prose
                # (the person « élu » to a role of a body named only the sentence before).
                matching = self._said_in_prose(person.role, mentions)
            if matching is not None:
                findings.append(self._finding(sentence, claim, "attribution", "confirmed",
                                              f"{person.name} est bien {person.role} dans les documents.",
                                              evidence_of(matching)))
                continue
            roles = list({fold_apostrophes(p.role): p.role for p, _ in mentions}.values())
            findings.append(self._finding(
                sentence, claim, "attribution", "misattributed",
                f"Dans les documents, {mentions[0][0].name} est « {' ; '.join(roles)} », pas « {person.role} ».",
                evidence_of(mentions[0]), suggestion=f"{mentions[0][0].name}, {roles[0]}"))
        return findings

    def _said_in_prose(self, role: str, mentions: list[tuple[Speaker, dict]]) -> tuple[Speaker, dict] | None:
        """A mention whose sentence, with the one before it, holds every word of the draft's role."""
        wanted = _role_words(role)
        for who, row in mentions:
            sentences = split_sentences(row["text"].replace("\n", " "))
            for i, text in enumerate(sentences):
                if _surname(who.name) in _words(text):
                    around = " ".join(sentences[max(0, i - 1):i + 1])
                    if wanted <= _role_words(around):
                        return who, row
        return None

    # --- articles -----------------------------------------------------------------------------------
    def _articles(self, sentence: DraftSentence, context: _Context) -> list[Finding]:
        """A rule given to an article: its own text should state it; if another article does, say which."""
        cited = sentence.articles[0]
        written = _written_reference(sentence.text, cited)
        query = self._query(sentence.text)
        terms = {t for t in self.analyzer(query) if not t[0].isdigit()}
        if len(terms) < 3:
            return []
        rows = [r for r in self.catalog.chunks_for_articles([cited]) if r.get("audience", "public") in context.audiences]
        own = max((_support(terms, r["text"], self.analyzer) for r in rows), default=0.0)
        if own >= ARTICLE_SUPPORT:
            row = rows[0]
            return [self._finding(sentence, written, "article", "confirmed", f"L'article {cited} le dit.",
                                  Evidence.of(row, _best_sentence(terms, row["text"], self.analyzer)))]
        hits = self.searcher.search(query, k=5, filters=SearchFilters(audience=list(context.audiences),
                                                                       doc_type=list(LEGAL_DOC_TYPES)))
        scored = [(_support(terms, h.text, self.analyzer), h) for h in hits if _article_of(h.locator) != cited]
        scored.sort(key=lambda x: -x[0])
        if scored and scored[0][0] >= ARTICLE_SUPPORT + 0.15 and scored[0][0] - own >= 0.3:
            support, hit = scored[0]
            other = _article_of(hit.locator)
            return [self._finding(sentence, written, "article", "misattributed",
                                  f"Ce que la phrase attribue à l'article {cited} figure à l'article {other}.",
                                  Evidence.of(hit, _best_sentence(terms, hit.text, self.analyzer)),
                                  suggestion=other)]
        if not rows:
            return [self._finding(sentence, written, "article", "not_found",
                                  f"L'article {cited} ne figure pas dans les documents indexés.")]
        return []


# Figures that count things (a noun after the number), whatever the noun.
_COUNTED_KINDS = frozenset({"count", "jobs"})
# Counted nouns too common to name a fact by themselves (durations, plain numbers).
GENERIC_COUNTS = frozenset({"jour", "mois", "an", "semaine", "heure", "minute", "nombre", "fois", "point"})


# Words before a figure that make it a bound or an approximation, not an exact value.
def _before(sentence: str, value: str) -> str:
    """The words of `sentence` before `value` (its first occurrence), for the qualifier a source writes."""
    at = sentence.find(value)
    return sentence[:at] if at >= 0 else ""


def _writes(sentence: str, value: str) -> bool:
    """Whether `sentence` writes `value` as such (folded, spaces made plain), beside its other values."""
    def plain(text: str) -> str:
        return re.sub(r"\s+", " ", fold_apostrophes(text))  # \s covers the narrow and non-breaking spaces
    return re.search(rf"(?<![\w,]){re.escape(plain(value))}(?![\w,])", plain(sentence)) is not None


def _writes_day(sentence: str, claim: Quantity, published: dt.date | None) -> bool:
    """Whether `sentence` gives the day and month of the draft's full date without a year (« le N mai dernier »,
    a date the press situates by its own publication: the draft's year is that one or the one before)."""
    day, month, year = claim.date
    if claim.unit != "date" or day is None or month is None or year is None or published is None \
            or not 0 <= published.year - year <= 1:
        return False
    pattern = rf"\b{1 if day == 1 else day}(?:er)?\s+{fold(MONTHS[month - 1])}\b(?!\s+(?:19|20)\d\d)"
    return re.search(pattern, fold(sentence)) is not None


# How a draft gives an article's date of entry into force, or a document's date of publication, just before it.
_IN_FORCE_CUE = re.compile(r"(?:\bdepuis|\ba\s+compter\s+du|\ba\s+partir\s+du|\bvigueur\s+(?:depuis\s+)?(?:le|au)|"
                           r"\bapplicables?\s+(?:depuis\s+)?(?:le|au))\s*(?:le\s+)?$", re.I)
_PUBLISHED_CUE = re.compile(r"(?:\bversion|\bpubli\w*|\bparu\w*|\bdate\w*|\bedition|\bmis\w*\s+a\s+jour)\s+(?:du|le|au)\s*$",
                            re.I)
_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?!\d|,\d)")
# Words that tell the reader a figure belongs to the past (« à l'époque », « il y a N ans »), as a year would.
_PAST = re.compile(r"\b(?:a\s+l'epoque|a\s+cette\s+epoque|en\s+son\s+temps|il\s+y\s+a\s+(?:\d+|[a-z\-]+)\s+ans)\b", re.I)
_ABOVE = re.compile(r"\b(?:plus\s+d['’]|plus\s+de|au\s+moins|au-dela\s+de|superieure?s?\s+a|davantage\s+que)\s*$")
# Upper bounds are not read: a rule's maximum is written the same way, and is then the value itself.
_ABOUT = re.compile(r"\b(?:pres\s+d['’]|pres\s+de|environ|presque|quasiment|pratiquement|autour\s+de|quelque|"
                    r"de\s+l['’]ordre\s+de|approximativement|a\s+peu\s+pres)\s*$")
APPROXIMATION = 0.1  # « près de N »: within a tenth of N
BOUND_RANGE = 1.5  # « plus de N »: up to half as much again (a bound far below the value misleads as much)


def _qualifier(before: str) -> str | None:
    """« above » or « about » when the words just before a figure bound it, else None."""
    tail = fold_apostrophes(before[-40:])
    return "above" if _ABOVE.search(tail) else "about" if _ABOUT.search(tail) else None


def _agrees(claim: Quantity, theirs: Quantity | None, bound: str | None) -> bool:
    """The source's value is the draft's, or lies within the bound the draft writes around it."""
    if theirs is None:
        return False
    if theirs.same_as(claim):
        return True
    if bound is None or claim.unit == "date" or not theirs.comparable(claim) or not claim.low or theirs.low is None:
        return False
    if theirs.low != theirs.high or claim.low != claim.high:
        return False
    if bound == "above":
        return claim.low < theirs.low <= claim.low * BOUND_RANGE
    return abs(theirs.low - claim.low) <= APPROXIMATION * claim.low




def _spelled_out(acronym: str, text: str) -> bool:
    """Whether `text` writes the body in full: consecutive words whose initials give the acronym's letters, link
    and other function words aside (three capitalised words for a three-letter acronym). A short acronym is read only on a capitalised name;
    a long one may skip a word inside its name (« publics » in a purchasing plan's name)."""
    letters = fold(acronym).lower()
    long = len(letters) >= 6
    words = [(fold(w[0]), w[0].isupper()) for w in re.findall(r"[^\W\d_]+", text) if fold(w).lower() not in STOPWORDS]
    for start, (initial, capital) in enumerate(words):
        if initial != letters[0] or not (capital or long):
            continue
        matched, skipped = 1, 0
        for following, _ in words[start + 1:start + len(letters) + long]:
            if following == letters[matched]:
                matched += 1
                if matched == len(letters):
                    return True
            elif skipped < long:
                skipped += 1
            else:
                break
    return False


def _distinctive(alias: str) -> str:
    """What tells an alliance's name apart (its words after « Alliance » and a linking word), folded."""
    return re.sub(r"^(?:l')?alliance\s+(?:pour\s+(?:l'|le\s+|la\s+)?|du\s+|de\s+l')?", "", fold_apostrophes(alias)).strip()


def _support(terms: set[str], text: str, analyzer: FrenchAnalyzer) -> float:
    return len(terms & set(analyzer(text))) / len(terms) if terms else 0.0


def _best_sentence(terms: set[str], text: str, analyzer: FrenchAnalyzer) -> str:
    sentences = split_sentences(text.replace("\n", " ")) or [text]
    return max(sentences, key=lambda s: len(terms & set(analyzer(s))))


_SETTINGS = yaml.safe_load(Path(__file__).with_name("factcheck.yaml").read_text(encoding="utf-8"))
_GENERIC_ACRONYMS = frozenset(a.upper() for a in _SETTINGS["generic_acronyms"])
_SPELLED_OUT = re.compile(r"(?<![\w€])(?:" + "|".join(map(re.escape, sorted(_SETTINGS["spelled_out"], key=len, reverse=True)))
                          + r")(?![\w€])")
# A body named by its acronym (three capitals or more, « l'ADEME », « Insee » written « INSEE »).
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÉÈ]{3,}(?![\w-])")
# Words that give a body as the source of what follows or precedes.
_PERSON = PERSON
_SOURCE_CUE = re.compile(r"\b(?:selon|d['’]après|relev\w*|estim\w*|indiqu\w*|soulign\w*|rappel\w*|chiffr\w*|"
                         r"affirm\w*|calcul\w*|publi\w*|révél\w*|montr\w*|constat\w*|évalu\w*|source)\b", re.I)
# An article of a law other than the Code (« l'article N de la loi X », « article N de la loi n° … »).
_LAW_ARTICLE = re.compile(r"\barticle\s+(\d+)\s+(?:de\s+la\s+|du\s+|de\s+l['’])(?:loi|décret|ordonnance|directive|"
                          r"règlement)\b[^,.;:]{0,60}", re.I)
_ARTICLE_ID = re.compile(r"\b([LRD])\.?\s?(\d{1,4}(?:-\d+)+)\b|\b(CCAG-FCS-\d+)\b")


def _article_of(locator: str) -> str | None:
    match = _ARTICLE_ID.search(locator or "")
    if not match:
        return None
    return match.group(3) or f"{match.group(1)}{match.group(2)}"


def _written_reference(text: str, article: str) -> str:
    """The article reference as the draft writes it (« R. 2122-8 », « R2122-8 »)."""
    if article.startswith("CCAG"):
        found = re.search(r"article\s+\d+\s+du\s+CCAG[\w\s-]*", text, re.I)
        return found.group(0).strip() if found else article
    pattern = re.escape(article[0]) + r"\.?\s?" + re.escape(article[1:])
    found = re.search(pattern, text)
    return found.group(0) if found else article


_ROLE_STOP = {"de", "la", "le", "les", "l", "d", "du", "des", "en", "et", "a", "au", "aux", "charge", "qui", "un", "une",
              "notre", "nos", "votre", "vos", "leur", "leurs", "son", "sa", "ses"}  # « porte-parole de notre Alliance »
_ROLE_STOP_STEMS = {re.sub(r"(?:ees|ee|es|e|s)$", "", word) for word in ("charge",)}  # the participle and « en … de » say one relation


def _role_words(role: str) -> set[str]:
    """A role's words, folded, feminine and plural endings aside (« présidente » = « président »), a role
    relation written as a participle or as « en » and a noun read alike."""
    words = re.findall(r"[\w\-]+", fold_apostrophes(role).replace("'", " "))
    stems = {_role_stem(w) for w in words if w not in _ROLE_STOP and len(w) > 1}
    return stems - _ROLE_STOP_STEMS


# Words that say someone heads a body without saying how (« patron de X »): any head's title the documents give fits.
_HEAD_WORDS = frozenset({"patron", "patronn", "dirigeant", "chef", "cheff"})
_HEAD_TITLES = frozenset({"president", "directeur", "dirigeant", "gerant", "pdg", "patron"})


def _same_role(draft: str, known: str) -> bool:
    """Whether the draft's role is the documents' (every word of it there, and every name of theirs in it), a head's
    title said in general words (« patron de X », « à la tête de X ») read as the title they give."""
    words, theirs = _role_words(draft), _role_words(known)
    if _proper(known) - words:
        return False
    if words <= theirs:
        return True
    general = words & _HEAD_WORDS
    return bool(general) and _role_noun(known) in _HEAD_TITLES and words - general <= theirs


def _role_stem(word: str) -> str:
    return re.sub(r"(?:ees|ee|es|e|s)$", "", fold(word))


def _role_noun(role: str) -> str:
    """The kind of role (« président », « membre », « vice-président »), feminine folded."""
    words = re.findall(r"[\w\-]+", fold_apostrophes(role))
    return re.sub(r"(?:e|es|s)$", "", words[0]) if words else ""


def _proper(role: str) -> set[str]:
    """The names in a role (organisations, places): its capitalised words after the first, as `_role_words`
    reads them."""
    words = re.findall(r"[\w\-]+", role.replace("’", " ").replace("'", " "))
    return _role_words(" ".join(w for w in words[1:] if w[:1].isupper()))


def _surname(name: str) -> str:
    words = _words(name)
    return words[-1] if words else ""


def _same_person(a: str, b: str) -> bool:
    """Same surname (the last word), the way a draft shortens « Arnaud Montebourg » to « Montebourg »; a letter
    more or less is a spelling (the press writes « Ducatillon » and « Ducatillion »), not another person."""
    last_a, last_b = _words(a)[-1:], _words(b)[-1:]
    if not last_a or not last_b:
        return False
    return last_a == last_b or difflib.SequenceMatcher(None, last_a[0], last_b[0]).ratio() >= 0.9


def _best_window(words: list[str], text: str) -> tuple[float, int, int]:
    """The share of the quotation's words found in order in `text`, and the span of text they cover."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(fold_apostrophes(text))]
    if not tokens:
        return 0.0, 0, 0
    source = [t[0] for t in tokens]
    matcher = difflib.SequenceMatcher(None, words, source, autojunk=False)
    longest = matcher.find_longest_match(0, len(words), 0, len(source))
    if longest.size == 0:
        return 0.0, 0, 0
    # The window of the source aligned on the longest common run, a few words of slack on each side.
    lo = max(0, longest.b - longest.a - 3)
    hi = min(len(source), longest.b + (len(words) - longest.a) + 3)
    window = difflib.SequenceMatcher(None, words, source[lo:hi], autojunk=False)
    blocks = [b for b in window.get_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if not blocks:
        return 0.0, 0, 0
    first, last = blocks[0], blocks[-1]
    start = tokens[lo + first.b][1]
    end = tokens[lo + last.b + last.size - 1][2]
    # Words the draft adds or drops both count against it.
    extra = (last.b + last.size - first.b) - matched
    score = matched / (len(words) + extra)
    return score, start, end


def _sentence_at(text: str, start: int, end: int) -> str:
    """The source's sentences that hold the span (a quotation may run over several)."""
    out, cursor = [], 0
    for sentence in split_sentences(text.replace("\n", " ")):
        at = text.replace("\n", " ").find(sentence, cursor)
        if at < 0:
            continue
        cursor = at + len(sentence)
        if at < end and start < cursor:
            out.append(sentence)
    return " ".join(out) or text[start:end]
