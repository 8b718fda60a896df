"""Compliance linter for clauses: origin or geographic preference, brands without « ou équivalent »,
unweighted or unrelated award criteria, disproportionate requirements.

The rules (patterns, French explanations, articles, rewrites) live in `lint_rules.yaml`; this module
only applies them. Findings quote the offending words exactly as written, with their offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from assistant.grounding.models import LintFinding
from assistant.text.normalize import fold_apostrophes
from assistant.text.numbers import AMOUNT_PATTERN, parse_amount  # parse_amount: also imported from here by callers

RULES_PATH = Path(__file__).with_name("lint_rules.yaml")
_FLAGS = re.IGNORECASE | re.UNICODE
# Sentence boundaries: line breaks, and . ! ? ; followed by a space (not the dot of "L. 2113-12"
# followed by a digit, nor decimals).
_SENTENCE_END = re.compile(r"\n|(?<=[.!?;])\s+(?=[^\d\s])")
# Amounts: "1 200 000 €", "1,2 M€", "1,2 million d'euros", "800 k€", "300 000 euros HT".
_AMOUNT = AMOUNT_PATTERN
_TURNOVER = re.compile(
    r"chiffre\s+d['’]affaires[^.;\n]{0,80}?(?:minimal|minimum|min\.|au\s+moins|sup[ée]rieur|[ée]gal|≥|>=|d['’]au\s+moins|de)"
    r"[^.;\n\d]{0,40}?(?:" + _AMOUNT + r"|(?P<ratio>\d+(?:[,.]\d+)?)\s*fois\s+(?:le\s+|la\s+)?(?:montant|valeur)"
    r"|(?P<pct>\d+(?:[,.]\d+)?)\s*%\s+(?:du\s+|de\s+la\s+)?(?:montant|valeur))", _FLAGS)
_ESTIMATE = re.compile(
    r"(?:montant|valeur)\s+(?:total\s+|globale?\s+)?estim[ée]e?\s+(?:du\s+march[ée]\s+|du\s+lot\s+|des\s+prestations\s+)?"
    r"(?:hors\s+taxes\s+|HT\s+)?(?:est\s+(?:de|d['’]environ)\s+|[àa]\s+|de\s+|:\s*)?" + _AMOUNT, _FLAGS)
TURNOVER_CAP = 1.5  # R2142-7, in force since 2026-01-01


# A pronoun object before a verb of requiring or favouring (« l'exiger », « les privilégier », « en demander »).
_PRONOUN_OBJECT = re.compile(r"\b(?:l'|le\s+|la\s+|les\s+|en\s+|y\s+)(?:exig|impos|r[ée]serv|favoris|privil[ée]gi|demand|"
                             r"pr[ée]f[ée]r|choisi|valoris|mettre|mentionn|indiqu)\w*")


@dataclass
class _Rule:
    id: str
    severity: str
    title: str
    explanation: str
    articles: list[str]
    rewrite: str
    patterns: list[re.Pattern] = field(default_factory=list)
    negatable: bool = False
    unless: list[re.Pattern] = field(default_factory=list)
    require: list[re.Pattern] = field(default_factory=list)
    in_criteria: bool = False
    check: str | None = None
    question: "RuleQuestion | None" = None


@dataclass(frozen=True)
class RuleQuestion:
    """How to answer a buyer who asks whether they may do what the rule forbids."""

    rule_id: str
    articles: tuple[str, ...]
    framing: str  # the answer's opening: the rule, naming its articles (fixed text)
    query: str  # the words of the rule, to quote the articles' own sentences
    patterns: tuple[re.Pattern, ...] = ()  # how buyers name it in a question, beside the rule's patterns
    # Whether the rule's `require` applies to questions too: some rules are asked about by their name alone.
    require: bool = True
    # The stage of a purchase (an `allowed` id) a question must name for the model of how buyers ask
    # (PermissionReader) to read the rule; None: read wherever the model finds it.
    stage: str | None = None


@dataclass(frozen=True)
class AllowedMeans:
    """What the Code lets a buyer do at one stage of a purchase, quoted after the rule a question touches."""

    stage: str
    articles: tuple[str, ...]
    query: str  # the articles' own words, to quote their sentences
    patterns: tuple[re.Pattern, ...]  # how a question names the stage


@dataclass
class _RuleSet:
    rules: list[_Rule]
    negations: list[re.Pattern]
    exclusion_after: list[re.Pattern]
    anchors: list[re.Pattern]
    window: int
    weighting: list[re.Pattern]
    environment: list[re.Pattern]
    asks: list[re.Pattern] = field(default_factory=list)
    requests: list[re.Pattern] = field(default_factory=list)
    plans: list[re.Pattern] = field(default_factory=list)
    context: list[re.Pattern] = field(default_factory=list)
    content_of: list[re.Pattern] = field(default_factory=list)
    content_of_unless: list[re.Pattern] = field(default_factory=list)
    allowed: list[AllowedMeans] = field(default_factory=list)


def _compile(patterns: Iterable[str]) -> list[re.Pattern]:
    return [re.compile(p, _FLAGS) for p in patterns or []]


def _question(raw: dict) -> RuleQuestion | None:
    asked = raw.get("question")
    if not asked:
        return None
    return RuleQuestion(rule_id=raw["id"], articles=tuple(raw["articles"]), framing=" ".join(asked["framing"].split()),
                        query=asked["query"], patterns=tuple(_compile(asked.get("patterns"))),
                        require=bool(asked.get("require", True)), stage=asked.get("stage"))


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_PATH) -> _RuleSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for raw in data["rules"]:
        rules.append(_Rule(
            id=raw["id"], severity=raw["severity"], title=raw["title"], explanation=" ".join(raw["explanation"].split()),
            articles=list(raw["articles"]), rewrite=" ".join(raw["rewrite"].split()),
            patterns=_compile(raw.get("patterns")), negatable=bool(raw.get("negatable")),
            unless=_compile(raw.get("unless")), require=_compile(raw.get("require")),
            in_criteria=bool(raw.get("in_criteria")), check=raw.get("check"),
            question=_question(raw)))
    criteria = data["criteria"]
    return _RuleSet(rules=rules, negations=_compile(data["negations"]),
                    exclusion_after=_compile(data["exclusion_after"]), anchors=_compile(criteria["anchors"]),
                    window=int(criteria["window_chars"]), weighting=_compile(criteria["weighting"]),
                    environment=_compile(criteria["environment"]), asks=_compile(data.get("asks")),
                    requests=_compile(data.get("requests")),
                    plans=_compile(data.get("plans")),
                    context=_compile(data.get("context")), content_of=_compile(data.get("content_of")),
                    content_of_unless=_compile(data.get("content_of_unless")),
                    allowed=[AllowedMeans(stage=raw["id"], articles=tuple(raw["articles"]), query=raw["query"],
                                          patterns=tuple(_compile(raw["patterns"]))) for raw in data.get("allowed", [])])


def rule_ids() -> list[str]:
    return [r.id for r in load_rules().rules]


# Words that only link to what was taken out: at the end of the text or before punctuation.
_HANGING = re.compile(r"\s*(?:\b(?:aupr[èe]s\s+d(?:e|es|u)?|issue?s?\s+d(?:e|es|u)?|en\s+provenance\s+d(?:e|es|u)?|"
                      r"de|des|du|d|en|et|ou|avec|chez|par|pour|aux?|sur|dans|via|uniquement|exclusivement)\b['’]?)\s*"
                      r"(?=$|[,.;:)])", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return pos, pos  # a separator character: an empty sentence


@dataclass
class _Window:
    start: int
    end: int
    anchor: re.Match


class Linter:
    """Applies the YAML rules to a text; `lint(text, amount=…)` returns the findings in text order."""

    def __init__(self, rules: _RuleSet | None = None):
        self.rules = rules or load_rules()

    def lint(self, text: str, amount: float | None = None) -> list[LintFinding]:
        spans = _sentences(text)
        windows = self._criteria_windows(text)
        findings: list[LintFinding] = []
        for rule in self.rules.rules:
            for match in self._pattern_matches(rule, text, spans, windows):
                findings.append(self._finding(rule, text, match.start(), match.end()))
            if rule.check == "criteria_weighting":
                for w in windows:
                    if not any(p.search(text, w.start, w.end) for p in self.rules.weighting):
                        findings.append(self._finding(rule, text, w.anchor.start(), w.anchor.end()))
            elif rule.check == "criteria_environment":
                for w in windows:
                    weighted = any(p.search(text, w.start, w.end) for p in self.rules.weighting)
                    green = any(p.search(text, w.start, w.end) for p in self.rules.environment)
                    if weighted and not green:
                        findings.append(self._finding(rule, text, w.anchor.start(), w.anchor.end()))
            elif rule.check == "turnover":
                findings.extend(self._finding(rule, text, s, e) for s, e in self._turnover(text, amount))
        findings = _dedupe(findings)
        findings.sort(key=lambda f: (f.start, f.rule_id))
        return findings

    @staticmethod
    def without(text: str, findings: list[LintFinding]) -> str:
        """`text` with the words of `findings` taken out, and the words left hanging by them (« auprès d' »,
        « et »): the lawful remainder of a buyer's own short text (an object, a lot's title)."""
        for finding in sorted(findings, key=lambda f: -f.start):
            text = text[:finding.start] + " " + text[finding.end:]
        text = " ".join(text.split())
        previous = None
        while previous != text:
            previous = text
            text = _HANGING.sub("", text).strip(" ,;:-")
        return text

    def asked(self, question: str, about_organisation: bool = False) -> RuleQuestion | None:
        """The first rule a buyer's question asks about (see `asked_all`), if any."""
        rules = self.asked_all(question, about_organisation)
        return rules[0] if rules else None

    def asked_all(self, question: str, about_organisation: bool = False) -> list[RuleQuestion]:
        """The rules a buyer's question asks about (whether a buyer may require or favour an origin, a locality, a brand…), most
        serious first (the order of lint_rules.yaml): an origin label asks both the origin and the label rule.

        Unlike `lint`, the polarity of the words does not matter (« est-il interdit d'exiger… » asks the same
        thing): the question must ask whether something is allowed and name what a rule with a `question`
        block forbids (its patterns or the question's own, its `require` applying). A question about an
        organisation (« l'Alliance peut-elle… fabriqué en France ») must also speak of a purchase.
        """
        if not self.asks_permission(question, about_organisation):
            return []
        found = []
        for rule in self.rules.rules:
            asked = rule.question
            if asked is None:
                continue
            if not any(p.search(question) for p in (*rule.patterns, *asked.patterns)):
                continue
            if asked.require and rule.require and not any(p.search(question) for p in rule.require):
                continue
            found.append(asked)
        return found

    def asks_permission(self, question: str, about_organisation: bool = False) -> bool:
        """Whether a question asks what is allowed (« puis-je », « est-il légal ») or, unless it is about an
        organisation, names a buyer's requirement (« exiger »); a question about an organisation must also speak
        of a purchase (« l'Alliance peut-elle… » asks about its proposals, not the law), and a question on what a
        named guide or report says asks its content."""
        if any(p.search(question) for p in self.rules.content_of) and \
                not any(p.search(question) for p in self.rules.content_of_unless):
            return False  # what a guide or a report says, not what the law allows
        asks = any(p.search(question) for p in self.rules.asks)
        if about_organisation:
            return asks and any(p.search(question) for p in self.rules.context)
        return asks or any(p.search(question) for p in self.rules.requests)

    def permission_clauses(self, question: str) -> str:
        """The clauses of a question that ask what is allowed or state what the buyer wants to require, joined: in a
        purchase described before them (« <achat> <fabriqué en France> pour N € : faut-il un écrit ? »), what the
        description says of the purchase is not what is asked."""
        clauses = re.split(r"[.;:!?]+\s*|,\s+", question)
        kept = []
        for n, clause in enumerate(clauses):
            if any(p.search(clause) for p in (*self.rules.asks, *self.rules.plans)):
                # « … <fabriqué en France> : on peut l'exiger ? »: a pronoun object stands for what the clause before names.
                if n and _PRONOUN_OBJECT.search(fold_apostrophes(clause)):
                    kept.append(clauses[n - 1])
                kept.append(clause)
        return " ".join(kept)

    def allowed_asked(self, question: str) -> list[AllowedMeans]:
        """The stages of a purchase a permission question speaks of (preparing it, who may bid, scoring,
        carrying out, lots), in the order of lint_rules.yaml: what the buyer may do there instead."""
        return [means for means in self.rules.allowed if any(p.search(question) for p in means.patterns)]

    # --- pattern rules ---------------------------------------------------------------------------
    def _pattern_matches(self, rule: _Rule, text: str, spans, windows: list[_Window]) -> Iterable[re.Match]:
        for pattern in rule.patterns:
            for match in pattern.finditer(text):
                s, e = _sentence_of(spans, match.start())
                sentence = text[s:e]
                if rule.unless and any(p.search(sentence) for p in rule.unless):
                    continue
                if rule.require and not any(p.search(sentence) for p in rule.require):
                    if not (rule.in_criteria and any(w.start <= match.start() < w.end for w in windows)):
                        continue
                if rule.negatable and self._negated(text, s, e, match):
                    continue
                yield match

    def _negated(self, text: str, s: int, e: int, match: re.Match) -> bool:
        before, after = text[s:match.start()], text[match.end():e]
        if not any(p.search(before) for p in self.rules.negations):
            return False
        # « les produits qui ne sont pas fabriqués en France sont exclus » : the negation qualifies the
        # products that are excluded, so the sentence still discriminates.
        return not any(p.search(after) for p in self.rules.exclusion_after)

    # --- award criteria ---------------------------------------------------------------------------
    def _criteria_windows(self, text: str) -> list[_Window]:
        anchors = sorted((m for p in self.rules.anchors for m in p.finditer(text)), key=lambda m: m.start())
        windows: list[_Window] = []
        for m in anchors:
            if windows and m.start() < windows[-1].end:
                continue  # same list of criteria
            end = min(len(text), m.start() + self.rules.window)
            heading = re.search(r"\n#{1,6} ", text[m.end():end])  # the next section ends the list
            if heading:
                end = m.end() + heading.start()
            windows.append(_Window(m.start(), end, m))
        return windows

    # --- turnover ---------------------------------------------------------------------------------
    def _turnover(self, text: str, amount: float | None) -> list[tuple[int, int]]:
        if amount is None:
            estimate = _ESTIMATE.search(text)
            if estimate:
                amount = parse_amount(estimate.group("num"), estimate.group("unit"))
        out = []
        for m in _TURNOVER.finditer(text):
            if m.group("ratio"):
                ratio = float(m.group("ratio").replace(",", "."))
            elif m.group("pct"):
                ratio = float(m.group("pct").replace(",", ".")) / 100
            elif amount:
                ratio = parse_amount(m.group("num"), m.group("unit")) / amount
            else:
                continue  # an absolute figure cannot be judged without the estimated amount
            if ratio > TURNOVER_CAP + 1e-9:
                out.append((m.start(), m.end()))
        return out

    @staticmethod
    def _finding(rule: _Rule, text: str, start: int, end: int) -> LintFinding:
        while end > start and text[end - 1] in " .,;:»)\u00a0":
            end -= 1  # the words, not the punctuation that closes them
        quote = text[start:end]
        return LintFinding(rule_id=rule.id, severity=rule.severity, quote=quote, start=start, end=end,
                           title=rule.title, explanation=rule.explanation, articles=rule.articles,
                           rewrite=rule.rewrite.replace("{quote}", quote.strip()))


def _dedupe(findings: list[LintFinding]) -> list[LintFinding]:
    """One finding per rule and place: overlapping matches of the same rule keep the longest."""
    findings = sorted(findings, key=lambda f: (f.rule_id, f.start, -(f.end - f.start)))
    kept: list[LintFinding] = []
    for f in findings:
        if kept and kept[-1].rule_id == f.rule_id and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def summarize(findings: list[LintFinding]) -> dict[str, Any]:
    return {"erreurs": sum(f.severity == "erreur" for f in findings),
            "avertissements": sum(f.severity == "avertissement" for f in findings)}
