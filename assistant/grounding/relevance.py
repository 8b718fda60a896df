"""Is anything retrieved relevant enough to answer? Absolute signals for abstention.

Fused scores are relative to the candidates, so they cannot tell an off-topic question from a
good one. Two absolute signals are used instead:
- coverage: the share of the question's informative terms (weighted by idf) found in the best
  retrieved passage — an out-of-scope question leaves its key terms uncovered;
- dense: the best cosine similarity between the question and a retrieved passage (e5 squeezes
  these into roughly 0.80–0.87, hence a threshold calibrated on the evaluation set, not guessed).
The thresholds live in the settings; `bench/calibrate_abstention.py` recomputes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.index.lexical import BM25Index, FrenchAnalyzer
from assistant.models import SearchHit
from assistant.grounding.answer_type import ROLE_WORDS
from assistant.retrieval.query import jargon
from assistant.text.normalize import fold, fold_apostrophes

TOP_PASSAGES = 3
FULL_COVERAGE = 0.9
# How questions are asked says nothing about their subject: these words never count as uncovered.
_QUESTION_WORDING = ("combien quel quelle quels quelles quand pourquoi comment où qui quoi lequel laquelle "
                     "à partir de faut-il puis-je dois-je peux-je peut-on doit-on suis-je est-ce que "
                     "existe-t-il y a-t-il faire fait font avoir être peut doit faut obligé obligatoire obligatoirement "
                     "droit possible maximum minimum mieux vaut-il exactement concrètement selon dire dit "
                     "aujourd'hui actuellement détaille détailler explique expliquer précise préciser "
                     "premier première deuxième second seconde troisième dernier dernière "
                     # the modal verbs a question is put with (« veulent-ils », « pourrait-on ») and « en vue de »:
                     # « devez » is left out, its stem is that of « devis »
                     "veut veulent voulez voulons veux voudrait voudraient voudrais pouvons pouvez pourrait "
                     "pourraient pourrais pourra pourront doivent devons devrait devraient devra faudrait faudra "
                     "fallait vue")


@dataclass
class Relevance:
    coverage: float
    dense: float
    uncovered: list[str]  # informative question terms that no top passage contains
    max_uncovered_idf: float = 0.0  # how rare the rarest uncovered term is (unknown words are the rarest)

    def sufficient(self, min_coverage: float, min_dense: float, max_uncovered_idf: float = 99.0) -> bool:
        # A passage holding nearly every informative word of the question is on topic even when e5,
        # which squeezes similarities together, scores it low.
        close_enough = self.dense >= min_dense or self.coverage >= FULL_COVERAGE
        return self.coverage >= min_coverage and close_enough and self.max_uncovered_idf <= max_uncovered_idf

    def passes(self, settings, in_domain: bool = False) -> bool:
        """`sufficient` with the calibrated thresholds of the settings (ASSISTANT_ABSTAIN_*). A question on the
        documents' own subject (`in_domain`, read by the domain model) needs a little less similarity: e5 scores
        a rare provision asked in a buyer's words just under the bar set to turn away other subjects."""
        min_dense = settings.abstain_min_dense_in_domain if in_domain else settings.abstain_min_dense
        return self.sufficient(settings.abstain_min_coverage, min_dense, settings.abstain_max_uncovered_idf)


_WORDING_CACHE: dict[tuple[int, bool], frozenset[str]] = {}


def question_wording(analyzer: FrenchAnalyzer, folded: bool = False) -> frozenset[str]:
    """Analysed terms of how questions are asked (« combien », « quel est »), or of the
    same words without accents (`folded`, to compare with unaccented text)."""
    key = (id(type(analyzer)), folded)
    if key not in _WORDING_CACHE:
        _WORDING_CACHE[key] = frozenset(analyzer(fold(_QUESTION_WORDING) if folded else _QUESTION_WORDING))
    return _WORDING_CACHE[key]


_ROLE_CACHE: dict[int, frozenset[str]] = {}


def role_terms(analyzer: FrenchAnalyzer) -> frozenset[str]:
    """Analysed terms of the words a role is said with (ROLE_WORDS), computed once per kind of analyzer."""
    key = id(type(analyzer))
    if key not in _ROLE_CACHE:
        _ROLE_CACHE[key] = frozenset(analyzer(ROLE_WORDS))
    return _ROLE_CACHE[key]


def relevance(question: str, hits: list[SearchHit], bm25: BM25Index | None,
              analyzer: FrenchAnalyzer | None = None) -> Relevance:
    analyzer = analyzer or FrenchAnalyzer()
    wording = question_wording(analyzer)
    terms = [t for t in dict.fromkeys(analyzer(question)) if t not in wording]
    dense = max((h.meta.get("dense") or 0.0 for h in hits), default=0.0)
    if not terms or not hits:
        return Relevance(coverage=0.0 if hits else 0.0, dense=dense, uncovered=terms)
    weights = {t: (bm25.idf(t) if bm25 else 1.0) for t in terms}
    total = sum(weights.values()) or 1.0
    # A buyer's jargon (« avenant ») is covered by a passage in the Code's words for it (the glossary's).
    said_otherwise: dict[str, set[str]] = {}
    for surface, expansion in jargon(question):
        for term in analyzer(surface):
            said_otherwise.setdefault(term, set()).update(analyzer(expansion))
    # A role is said in many words (a noun, its verb, a phrase: ROLE_WORDS): any of them covers another.
    roles = role_terms(analyzer)
    for term in roles & set(terms):
        said_otherwise.setdefault(term, set()).update(roles)
    best, best_missing = 0.0, terms
    for hit in hits[:TOP_PASSAGES]:
        present = set(analyzer(f"{hit.title} {hit.locator} {hit.text}"))
        missing = [t for t in terms if t not in present and not (said_otherwise.get(t, set()) & present)]
        covered = sum(w for t, w in weights.items() if t not in missing) / total
        if covered > best:
            best, best_missing = covered, missing
    rarest = max((weights[t] for t in best_missing), default=0.0)
    return Relevance(coverage=round(best, 4), dense=round(dense, 4), uncovered=best_missing,
                     max_uncovered_idf=round(rarest, 3))


_INVERTED_PRONOUN = re.compile(r"(-t)?-(on|il|elle|ils|elles|je|tu|nous|vous)$", re.IGNORECASE)
ATTRIBUTE_PREFIX = 5  # stems compared on their start: « prioritaires » and « priorités » share « prior »
# Only a rare word names an attribute the documents would have to state (« budget », « adhérents »).
ATTRIBUTE_MIN_IDF = 4.5
ATTRIBUTE_WORDS = 2
# About a kind of contract, the documents' own legal wording is expected: any word they use says what is asked.
CONTRACT_SUBJECT_MIN_IDF = 2.0


@dataclass(frozen=True)
class Asked:
    """What a question asks about a named thing: the answer must contain one of these stems."""

    prefixes: tuple[str, ...]
    word: str  # the rarest of them, as the user wrote it (shown in the abstention's reason)
    # Verb roots of past participles (« créée » -> « cré »): the answer may say « création », « crée ».
    roots: tuple[str, ...] = ()


def asked_terms(question: str, names, bm25: BM25Index | None, analyzer: FrenchAnalyzer | None = None,
                min_idf: float = ATTRIBUTE_MIN_IDF, known_only: bool = False) -> list[tuple[float, str, str]]:
    """Informative words of the question once the names matched by `names` (their `patterns`) are
    blanked out, rarest first: (idf, stem prefix, word as written). `known_only` leaves out words no
    passage contains (a user's own wording for what the documents say otherwise)."""
    analyzer = analyzer or FrenchAnalyzer()
    wording = question_wording(analyzer)
    folded_wording = question_wording(analyzer, folded=True)
    folded = fold_apostrophes(question)
    for name in names:
        for pattern in name.patterns:
            folded = pattern.sub(lambda m: " " * len(m.group(0)), folded)  # same length: spans still match
    # Who is asking (« bonjour, je travaille à la mairie : … ») is not what is asked.
    folded = _SELF_INTRODUCTION.sub(lambda m: " " * len(m.group(0)), folded)
    # Measured and not kept: the kind of document named as where to read the answer (« dans le <document> de
    # <organisation> », « selon son communiqué ») blanked out like the asker: no set changed.
    found: dict[str, tuple[float, str, str]] = {}
    for match in re.finditer(r"[\w-]+", folded):
        word = question[match.start():match.end()]  # fold() keeps lengths: the word as the user wrote it
        stems = [t for t in analyzer(word) if t not in wording and not t[0].isdigit()]
        # Rarity as indexed (accented stems); compared below on unaccented stems, as `mentions` reads the answer.
        idf = max((bm25.idf(t) if bm25 else 1.0 for t in stems), default=0.0)
        folded_stems = [t for t in analyzer(fold(word)) if t not in folded_wording and not t[0].isdigit()]
        if idf < min_idf or not folded_stems or (known_only and bm25 and not any(bm25.knows(t) for t in stems)):
            continue  # a common word (« différence », « membres ») says too little about what is asked
        stem = folded_stems[0]
        if len(stem) < 4 or stem in _GENERIC_ATTRIBUTES:
            continue
        prefix = stem[:ATTRIBUTE_PREFIX]
        word = _INVERTED_PRONOUN.sub("", word)  # « vérifie-t-on » is shown as « vérifie »
        if prefix not in found or idf > found[prefix][0]:
            found[prefix] = (idf, prefix, word)
    return sorted(found.values(), key=lambda t: -t[0])


# A greeting and the asker presenting themselves, up to the punctuation that ends it, before the question proper.
_SELF_INTRODUCTION = re.compile(
    r"^\W*(?:(?:bonjour|bonsoir|salut|madame|monsieur)\b[\s,!.]*)*"
    r"(?:(?:je\s+suis|nous\s+sommes|je\s+travaille|je\s+dirige|je\s+g[èe]re|je\s+repr[ée]sente|en\s+tant\s+qu)"
    r"[^:?!.;]*[:!.;]\s*)?", re.IGNORECASE)

_PARTICIPLE = re.compile(r"^(\w{3,}?)(?:ee|e)s?$")
# What follows a verb's root in its other forms and its nouns: « cré|ation », « lanc|ement », « cré|e ».
_VERB_ENDINGS = ("", "e", "ee", "er", "at", "ation", "ement", "ant")


def _participle_root(word: str) -> str | None:
    """« créée » -> « cre », « lancés » -> « lanc »: the root of a first-group past participle, else None."""
    if not re.search(r"é(?:e|s|es)?$", word.lower()):
        return None
    match = _PARTICIPLE.match(fold(word))
    return match.group(1) if match else None


def entity_attribute(question: str, entities, bm25: BM25Index | None,
                     analyzer: FrenchAnalyzer | None = None) -> Asked | None:
    """For a question naming an organisation, what is asked about it: its two rarest other informative words that
    the documents use, either of which the answer must contain (None when it asks nothing beyond the name).

    One word alone was too narrow on questions written blind: a greeting or a verb of the asking (« raconte »)
    was the rarest and refused answers that named what was asked."""
    terms = asked_terms(question, entities, bm25, analyzer, known_only=True)[:ATTRIBUTE_WORDS]
    if not terms:
        return None
    roots = tuple(r for t in terms if (r := _participle_root(t[2])))
    return Asked(tuple(t[1] for t in terms), terms[0][2], roots)


def contract_subject(question: str, kind, bm25: BM25Index | None,
                     analyzer: FrenchAnalyzer | None = None) -> Asked | None:
    """For a question about a kind of contract the documents cover in part (concessions), what is asked
    about it: its two rarest words the documents use (« durée », « redevance »), either of
    which the answer must contain."""
    terms = asked_terms(question, [kind], bm25, analyzer, CONTRACT_SUBJECT_MIN_IDF, known_only=True)[:2]
    return Asked(tuple(t[1] for t in terms), terms[0][2]) if terms else None


def mentions(text: str, asked: Asked, analyzer: FrenchAnalyzer | None = None) -> bool:
    """Whether a stem of `text` starts like one of `asked`'s (the answer names what the question asks about)."""
    analyzer = analyzer or FrenchAnalyzer()
    return any(t.startswith(asked.prefixes) or any(t.startswith(r) and t[len(r):] in _VERB_ENDINGS for r in asked.roots)
               for t in analyzer(fold(text)))


# Words that say nothing of what is asked about an organisation (« que fait l'Alliance », « son rôle »).
_GENERIC_ATTRIBUTES = frozenset({"alliance", "allianc", "franc", "fabriqu", "cpme", "organis", "quoi", "rôle", "role",
                                 "fait", "fair", "agit", "sert", "serv", "veut", "veul", "propos", "object",
                                 "contrat", "contrats",
                                 # qualifiers of what is asked, not what is asked (« ses grands chantiers »)
                                 "grand", "grands", "princip", "nouvel", "nouveau", "gros", "actuel", "exact"})
