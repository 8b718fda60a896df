"""Clause generator: the buyer's context + chosen (or proposed) clause types -> cited, linted drafts.

Rendering is deterministic (Jinja2, StrictUndefined). `adapt_with_llm` is the hook through which a
LangChain chat model may reword a draft; its output is kept only if it passes the same checks.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date
from collections.abc import Iterable
from typing import Any

import numpy as np
from jinja2 import TemplateError

from assistant.models import Citation
from assistant.grounding.verify import best_quote, facts
from assistant.grounding.base import Grounding
from assistant.grounding.generator import GeneratorUnavailable
from assistant.grounding.llm.client import LLMClient
from assistant.grounding.legal import UnresolvedArticle, resolve_articles
from assistant.clauses.library import FOLDER, ClauseLibrary
from assistant.grounding.lint import Linter
from assistant.clauses.models import (PLACEMENT_TITLES, PLACEMENTS, PROCEDURES, PROPOSE, ClauseDraft, ClauseRequest,
                                      ClauseSet, ClauseType, ClauseWarning, InputFinding, Proposal)
from assistant.clauses.params import ParameterError, coerce
from assistant.clauses.sectors import Sectors, load_sectors
from assistant.index.lexical import FrenchAnalyzer
from assistant.index.filters import SearchFilters

FORMALISED = {"appel-offres", "negociee", "dialogue"}
GUIDES = SearchFilters(doc_type=["procurement_guide"])
# Nature of the purchase, read from the object, to skip clause types that do not apply to it.
_NATURE = {
    "travaux": re.compile(r"\b(travaux|construction|r[ée]novation|r[ée]habilitation|voirie|b[âa]timent)\b", re.I),
    "services": re.compile(r"\b(prestations?|services?|entretien|nettoyage|maintenance|gardiennage|"
                           r"restauration|transport de personnes|formation|conseil|[ée]tudes?)\b", re.I),
    "fournitures": re.compile(r"\b(fournitures?|achats?|acquisitions?|livraisons?|[ée]quipements?|mat[ée]riels?)\b", re.I),
}
# Weights of the proposal score: keywords found in the object dominate; semantic similarity with the
# clause description and with the guides found for the object break ties.
MIN_GUIDE_OVERLAP = 0.3  # share of the guidance query's words the quoted sentence must contain
QUOTE_CHARS = 400
KEYWORD_WEIGHT, SIMILARITY_WEIGHT, GUIDE_WEIGHT, ALWAYS_BONUS = 2.0, 3.0, 0.5, 1.5


class ClauseInputError(ValueError):
    """Bad request: unknown clause type or parameter, bad value, refused combination (French messages)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ; ".join(messages))


class UnlawfulInput(ClauseInputError):
    """The buyer's own words ask for what the Code forbids (an origin, a location, a brand without equivalent):
    nothing is drafted. `rewrite` holds each field concerned without the words in cause, ready to resend."""

    def __init__(self, findings: list[InputFinding], rewrite: dict[str, Any]):
        self.findings = findings
        self.rewrite = rewrite
        messages = [f"{f.label} : {f.finding.title.lower()} (« {f.finding.quote} », article"
                    f"{'s' if len(f.finding.articles) > 1 else ''} {', '.join(f.finding.articles)}). {f.finding.explanation}"
                    for f in findings]
        proposed = [f"{INPUT_LABELS.get(k.split('.')[0], k)} : " + (", ".join(f"« {x} »" for x in v) if isinstance(v, list)
                                                                    else f"« {v} »") for k, v in rewrite.items()]
        if proposed:
            messages.append("Formulation licite proposée — " + " ; ".join(proposed))
        super().__init__(messages)


# How the form names the buyer's free-text fields.
INPUT_LABELS = {"object": "Objet du marché", "sector": "Secteur", "buyer": "Acheteur", "lots": "Lots",
                "params": "Paramètre"}


class ClauseGenerator:
    def __init__(self, grounding: Grounding, library: ClauseLibrary | None = None, strict: bool = False,
                 linter: Linter | None = None):
        self.grounding = grounding
        self.index = grounding.index
        self.searcher = grounding.searcher
        # With an LLM configured (ASSISTANT_LLM=llm), each rendered clause is adapted to the object by
        # the model and kept only if it passes check_adaptation; otherwise the template text stays.
        self.llm = grounding.llm
        self.library = library or ClauseLibrary(grounding.prompts)
        self.linter = linter or grounding.linter
        self.strict = strict  # unresolved article ids raise instead of warning (tests)
        self.sectors: Sectors = load_sectors()
        self._analyzer = FrenchAnalyzer()

    def scoped(self, audiences: Iterable[str]) -> "ClauseGenerator":
        """The generator seeing only what `audiences` may read: guide excerpts and legal bases alike."""
        view = copy.copy(self)
        view.grounding = self.grounding.scoped(audiences)
        view.searcher, view.index = view.grounding.searcher, view.grounding.index
        return view

    # --- public API --------------------------------------------------------------------------------
    def generate(self, request: ClauseRequest, audiences: Iterable[str] | None = None) -> ClauseSet:
        """Drafts for the request; with `audiences`, from what those readers may see only."""
        if audiences is not None:
            return self.scoped(audiences).generate(request)
        # The buyer's own words first: an unlawful object is not drafted, whatever the clauses.
        input_warnings = self.lint_inputs(request)
        proposals: list[Proposal] = []
        wanted = [t for t in request.types if t != PROPOSE]
        unknown = [t for t in wanted if t not in self.library]
        if unknown:
            raise ClauseInputError([f"type de clause inconnu « {t} » : types disponibles "
                                    f"{', '.join(self.library.types)} (ou « propose »)" for t in unknown])
        if PROPOSE in request.types:
            proposals = self.propose(request)
            wanted = list(dict.fromkeys(wanted + [p.type_id for p in proposals]))
        clauses = [self.library.get(t) for t in wanted]
        context = self.context(request)
        values, errors = self._parameters(clauses, request, context)
        if errors:
            raise ClauseInputError(errors)
        reasons = {p.type_id: p.reason for p in proposals}
        drafts = [self.draft(c, context, values[c.id], reason=reasons.get(c.id)) for c in clauses]
        if self.llm is not None:
            drafts = [self._adapt_or_keep(d, context) for d in drafts]
        drafts.sort(key=lambda d: PLACEMENTS.index(d.placement))  # stable: keeps the order within a document
        return ClauseSet(request=request, drafts=drafts, proposals=proposals, generated_at=date.today().isoformat(),
                         input_warnings=input_warnings)

    def lint_inputs(self, request: ClauseRequest) -> list[InputFinding]:
        """Every free-text field of the request through the linter. Errors raise UnlawfulInput (with each field
        rewritten without the words in cause); warnings are returned, to be shown above the drafts."""
        fields: list[tuple[str, str, str]] = [("object", INPUT_LABELS["object"], request.object)]
        fields += [(name, INPUT_LABELS[name], value) for name, value in (("sector", request.sector),
                                                                         ("buyer", request.buyer)) if value]
        fields += [(f"lots.{i}", f"Lot {i + 1}", lot) for i, lot in enumerate(request.lots)]  # not « Lots »
        fields += [(f"params.{name}", f"Paramètre « {name} »", value) for name, value in request.params.items()
                   if isinstance(value, str)]
        found = [InputFinding(field=key, label=label, finding=f)
                 for key, label, text in fields for f in self.linter.lint(text, amount=request.amount)]
        errors = [f for f in found if f.finding.severity == "erreur"]
        if errors:
            texts = {key: text for key, _, text in fields}
            rewrite: dict[str, Any] = {}
            for key in dict.fromkeys(f.field for f in errors):
                lawful = self.linter.without(texts[key], [f.finding for f in errors if f.field == key])
                if key.startswith("lots."):
                    rewrite.setdefault("lots", list(request.lots))[int(key.split(".")[1])] = lawful
                else:
                    rewrite[key] = lawful
            raise UnlawfulInput(errors, rewrite)
        return found

    def context(self, request: ClauseRequest) -> dict[str, Any]:
        """Variables every template may use."""
        profile = self.sectors.match(f"{request.object} {request.sector or ''}", request.cpv or request.sector)
        return {"acheteur": request.buyer or "l'acheteur", "objet": request.object, "montant": request.amount,
                "procedure": request.procedure, "procedure_label": PROCEDURES.get(request.procedure or "", ""),
                "formalisee": request.procedure in FORMALISED, "lots": list(request.lots),
                "duree_mois": request.duration_months, "secteur": request.sector or request.cpv,
                # What is usual for this kind of purchase (users, lots, standards, label), when a profile matches.
                "profil": profile.variables() if profile else None}

    def draft(self, clause: ClauseType, context: dict[str, Any], values: dict[str, Any],
              reason: str | None = None) -> ClauseDraft:
        variables = {**context, **values}
        try:
            text = self.library.render(clause, variables)
        except TemplateError as exc:  # a library bug, reported with the clause id
            raise RuntimeError(f"gabarit de la clause « {clause.id} » : {exc}") from exc
        warnings = [ClauseWarning(code=f"{clause.id}:vigilance", message=self.library.render_string(r.message, variables))
                    for r in clause.warnings if self.library.evaluate(r.when, variables)]
        bases, missing = resolve_articles(self.index.catalog, clause.legal_basis)
        if missing and self.strict:
            raise UnresolvedArticle(missing)
        warnings += [ClauseWarning(code="article-introuvable",
                                   message=f"L'article {a} n'est pas dans l'index : son texte ne peut pas être cité.")
                     for a in missing]
        for finding in self.linter.lint(text, amount=context.get("montant")):
            warnings.append(ClauseWarning(code=f"lint:{finding.rule_id}", finding=finding,
                                          message=f"{finding.title} : « {finding.quote} » ({', '.join(finding.articles)})."))
        return ClauseDraft(type_id=clause.id, title=clause.title, placement=clause.placement,
                           placement_title=PLACEMENT_TITLES[clause.placement], text=text, parameters=values,
                           legal_basis=bases, guidance=clause.guidance, risks=clause.risks,
                           citations=self._guide_citations(clause, context["objet"], context.get("profil")), warnings=warnings,
                           reason=reason)

    def propose(self, request: ClauseRequest) -> list[Proposal]:
        """Clause types ranked for the object, each with a one-line French reason."""
        text = " ".join(filter(None, [request.object, request.sector]))
        object_terms = set(self._analyzer(text))
        natures = {n for n, rx in _NATURE.items() if rx.search(request.object)}
        similarities = self._similarities(text)
        guide_hits = self.searcher.search(text, k=6, filters=GUIDES) if self.searcher else []
        guide_terms = set(self._analyzer(" ".join(h.text for h in guide_hits)))
        scored: list[Proposal] = []
        for clause in self.library:
            if natures and not natures & set(clause.applies_to):
                continue
            matched = [k for k in clause.keywords if (terms := set(self._analyzer(k))) and terms <= object_terms]
            in_guides = [k for k in clause.keywords if (terms := set(self._analyzer(k))) and terms <= guide_terms]
            score = (KEYWORD_WEIGHT * len(matched) + SIMILARITY_WEIGHT * similarities.get(clause.id, 0.0)
                     + GUIDE_WEIGHT * min(len(in_guides), 4) + (ALWAYS_BONUS if clause.always_relevant else 0.0))
            if not matched and not clause.always_relevant:
                continue  # proposals must be explainable by the object itself
            reason = clause.reason
            if matched:
                reason += f" (objet : {', '.join(matched[:3])})"
            scored.append(Proposal(type_id=clause.id, title=clause.title, score=round(score, 3), reason=reason))
        scored.sort(key=lambda p: -p.score)
        return scored[: request.max_proposals]

    def adapt_with_llm(self, draft: ClauseDraft, llm: LLMClient, context: dict[str, Any]) -> ClauseDraft:
        """Hook for the LLM: ask the model behind `llm` to adapt the clause to the object.

        The rewording is kept only if it keeps every number and article id of the deterministic text,
        adds none (articles outside the clause's legal basis included) and trips no linter rule; otherwise the
        deterministic text stays and a warning says why.
        """
        prompt = self.library.prompts.render(f"{FOLDER}/llm/adapt.md.j2", draft=draft, **context)
        adapted = llm.text(prompt)
        problems = self.check_adaptation(draft, adapted, context)
        if problems:
            warning = ClauseWarning(code="llm:rejete", message="Adaptation par le modèle écartée : " + " ; ".join(problems))
            return draft.model_copy(update={"warnings": [*draft.warnings, warning]})
        return draft.model_copy(update={"text": adapted, "adapted_by_llm": True})

    def _adapt_or_keep(self, draft: ClauseDraft, context: dict[str, Any]) -> ClauseDraft:
        """The model's adaptation, or the template text with a warning when the model cannot answer."""
        try:
            return self.adapt_with_llm(draft, self.llm, context)
        except GeneratorUnavailable as exc:  # only server failures are turned into a warning
            warning = ClauseWarning(code="llm:injoignable",
                                    message=f"Modèle de langue injoignable ({exc.reason}) : texte du gabarit conservé.")
            return draft.model_copy(update={"warnings": [*draft.warnings, warning]})

    def check_adaptation(self, draft: ClauseDraft, adapted: str, context: dict[str, Any]) -> list[str]:
        problems = []
        if not adapted:
            return ["réponse vide"]
        allowed = facts(draft.text) | {b.article_id for b in draft.legal_basis}
        new = sorted(facts(adapted) - allowed)
        if new:
            problems.append("chiffres ou articles absents du modèle de clause : " + ", ".join(new))
        lost = sorted(facts(draft.text) - facts(adapted))
        if lost:
            problems.append("chiffres ou articles du modèle de clause perdus : " + ", ".join(lost))
        findings = self.linter.lint(adapted, amount=context.get("montant"))
        if findings:
            problems.append("non-conformités : " + ", ".join(f"« {f.quote} » ({f.rule_id})" for f in findings))
        if re.search(r"\{\{|\{%|\}\}", adapted):
            problems.append("syntaxe de gabarit non rendue")
        return problems

    # --- internals ---------------------------------------------------------------------------------
    def _parameters(self, clauses: list[ClauseType], request: ClauseRequest,
                    context: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
        errors: list[str] = []
        known = {p.name for c in clauses for p in c.parameters} | {f"{c.id}.{p.name}" for c in clauses for p in c.parameters}
        for key in request.params:
            if key not in known:
                errors.append(f"paramètre inconnu « {key} » pour les clauses choisies"
                              + (f" (paramètres possibles : {', '.join(sorted(k for k in known if '.' not in k))})"
                                 if known else ""))
        values: dict[str, dict[str, Any]] = {}
        for clause in clauses:
            current: dict[str, Any] = {}
            for param in clause.parameters:
                raw = request.params.get(f"{clause.id}.{param.name}", request.params.get(param.name))
                if raw is None:
                    raw = self.library.evaluate(param.default_expr, context) if param.default_expr else param.default
                if raw is None:
                    if param.required:
                        errors.append(f"clause « {clause.id} », paramètre « {param.name} » ({param.label}) : "
                                      "valeur obligatoire manquante.")
                    current[param.name] = None
                    continue
                try:
                    current[param.name] = coerce(clause, param, raw)
                except ParameterError as exc:
                    errors.append(str(exc))
            if len(current) == len(clause.parameters):
                variables = {**context, **current}
                errors += [f"clause « {clause.id} » : {self.library.render_string(r.message, variables)}"
                           for r in clause.errors if self.library.evaluate(r.when, variables)]
            values[clause.id] = current
        return values, errors

    def _similarities(self, text: str) -> dict[str, float]:
        """Cosine similarity between the object and each clause description, rescaled to 0–1."""
        try:
            query = np.asarray(self.index.embedder.embed_query(text), dtype=np.float32)
        except Exception:  # noqa: BLE001 - no embedder: keyword ranking still works
            return {}
        clauses = list(self.library)
        texts = [f"{c.title}. {c.purpose} {' '.join(c.keywords)}" for c in clauses]
        hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        vectors = self.index.vectors_for(texts, hashes, namespace=":clauses")
        sims = {}
        for clause, h in zip(clauses, hashes):
            v = vectors[h]
            sims[clause.id] = float(np.dot(query, v) / (np.linalg.norm(query) * np.linalg.norm(v) + 1e-9))
        if not sims:
            return {}
        lo, hi = min(sims.values()), max(sims.values())
        return {k: (s - lo) / (hi - lo) if hi > lo else 0.0 for k, s in sims.items()}

    def _guide_citations(self, clause: ClauseType, objet: str, profile: dict | None = None, k: int = 2) -> list[Citation]:
        """Guide passages for the clause, cited like answers; a passage sharing too few words with the
        clause's guidance query is not cited (the guides do not cover every subject), nor one of a guide about
        another kind of purchase than this one (none is better than an unrelated one)."""
        if not self.searcher:
            return []
        query_terms = set(self._analyzer(clause.guidance_query))
        allowed = set(profile["guides"]) if profile else set()
        citations: list[Citation] = []
        for hit in self.searcher.search(f"{clause.guidance_query} {objet}", k=k * 3, filters=GUIDES):
            subject = self.sectors.guide_subject(hit.title, hit.source)
            if subject is not None and subject not in allowed:
                continue
            quote = best_quote(clause.guidance_query, hit.text, self._analyzer)
            overlap = len(query_terms & set(self._analyzer(quote))) / (len(query_terms) or 1)
            if overlap < MIN_GUIDE_OVERLAP:
                continue
            citations.append(Citation(n=len(citations) + 1, doc_id=hit.doc_id, title=hit.title, source=hit.source,
                                      locator=hit.locator, chunk_id=hit.chunk_id, quote=_shorten(quote)))
            if len(citations) == k:
                break
        return citations


def _shorten(quote: str, limit: int = QUOTE_CHARS) -> str:
    """A long table row is cut at a word boundary; the kept part is still the passage's exact text."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    return quote[:limit].rsplit(" ", 1)[0] + " …"
