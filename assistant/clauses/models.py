"""Typed boundaries of the clause generator: library entries, requests, drafts, warnings."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ValidationError, Field, field_validator, model_validator

from assistant.grounding.models import LegalBasis, LegalReference, LintFinding
from assistant.models import Citation
from assistant.validation import validation_messages

PLACEMENTS = ("RC", "CCAP", "CCTP", "AE")
PLACEMENT_TITLES = {
    "RC": "Règlement de la consultation (RC)",
    "CCAP": "Cahier des clauses administratives particulières (CCAP)",
    "CCTP": "Cahier des clauses techniques particulières (CCTP)",
    "AE": "Acte d'engagement (AE)",
}
PROCEDURES = {
    "adaptee": "procédure adaptée",
    "appel-offres": "appel d'offres",
    "negociee": "procédure avec négociation",
    "dialogue": "dialogue compétitif",
    "sans-publicite": "marché sans publicité ni mise en concurrence préalables",
}
PARAM_TYPES = ("int", "float", "percent", "str", "bool", "choice")
PROPOSE = "propose"


class ClauseParameter(BaseModel):
    """One parameter of a clause template, as declared in the library YAML."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: Literal["int", "float", "percent", "str", "bool", "choice"]
    default: Any = None
    # A Jinja2 expression over the buyer's context (montant, duree_mois…) giving the default.
    default_expr: str | None = None
    required: bool = True
    choices: list[str] | None = None
    min: float | None = None
    max: float | None = None
    help: str | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "ClauseParameter":
        if self.type == "choice" and not self.choices:
            raise ValueError(f"paramètre {self.name} : type choice sans liste de valeurs")
        return self


class Rule(BaseModel):
    """A Jinja2 condition over context + parameters, and the French message shown when it holds."""

    when: str
    message: str


class ClauseType(BaseModel):
    """A clause of the library: metadata from `<id>.yaml`, template text from `<id>.md.j2`."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str
    purpose: str
    placement: Literal["RC", "CCAP", "CCTP", "AE"]
    kind: Literal["besoin", "specification", "critere", "condition-execution", "candidature", "procedure",
                  "financier"]
    applies_to: list[Literal["fournitures", "services", "travaux"]] = Field(
        default_factory=lambda: ["fournitures", "services", "travaux"])
    parameters: list[ClauseParameter] = Field(default_factory=list)
    legal_basis: list[LegalReference]
    guidance: list[str]
    risks: list[str]
    keywords: list[str] = Field(default_factory=list)
    always_relevant: bool = False  # proposed for every object (e.g. award criteria are mandatory)
    reason: str  # one-line French reason shown by « propose »
    guidance_query: str  # query sent to the guides for this clause
    errors: list[Rule] = Field(default_factory=list)  # parameter combinations that are refused
    warnings: list[Rule] = Field(default_factory=list)  # context-dependent cautions
    template: str = ""  # filled by the library loader from `<id>.md.j2`

    @model_validator(mode="after")
    def _unique_parameters(self) -> "ClauseType":
        names = [p.name for p in self.parameters]
        if len(names) != len(set(names)):
            raise ValueError(f"clause {self.id} : paramètres en double")
        return self

    @property
    def article_ids(self) -> list[str]:
        return [ref.article for ref in self.legal_basis]


class ClauseRequest(BaseModel):
    """The buyer's context and choices."""

    object: str = Field(min_length=3, max_length=1000, description="Objet du marché")
    buyer: str | None = Field(None, max_length=300, description="Nom de l'acheteur")
    sector: str | None = Field(None, max_length=300, description="Secteur ou code CPV")
    cpv: str | None = Field(None, max_length=50)
    amount: float | None = Field(None, ge=0, le=1e12, description="Montant estimé, en euros HT")
    procedure: str | None = Field(None, description="Procédure : " + ", ".join(PROCEDURES))
    duration_months: int | None = Field(None, ge=1, le=600)
    lots: list[str] = Field(default_factory=list, max_length=100)
    types: list[str] = Field(default_factory=lambda: [PROPOSE], max_length=50)
    params: dict[str, Any] = Field(default_factory=dict, description="name=valeur, ou id.name=valeur pour une clause")
    max_proposals: int = Field(10, ge=1, le=30)

    @field_validator("object")
    @classmethod
    def _object_not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < 3:
            raise ValueError("l'objet du marché est vide")
        return value

    @field_validator("procedure")
    @classmethod
    def _known_procedure(cls, value: str | None) -> str | None:
        if value is not None and value not in PROCEDURES:
            raise ValueError(f"procédure inconnue « {value} » : valeurs possibles {', '.join(PROCEDURES)}")
        return value

    @field_validator("types")
    @classmethod
    def _types_not_empty(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value if v and v.strip()]
        return cleaned or [PROPOSE]


class ClauseWarning(BaseModel):
    """A caution attached to a draft (context rule, unresolved article or linter finding)."""

    code: str
    message: str
    finding: LintFinding | None = None


class InputFinding(BaseModel):
    """A linter finding on the buyer's own words (the object, the sector, a lot, a parameter), before drafting."""

    field: str  # « object », « sector », « buyer », « lots.2 », « params.poids_prix »
    label: str  # the field as the form names it, in French
    finding: LintFinding


class Proposal(BaseModel):
    """A clause type proposed for the object, with its one-line reason."""

    type_id: str
    title: str
    score: float
    reason: str


class ClauseDraft(BaseModel):
    """One rendered clause, ready to paste into the consultation documents."""

    type_id: str
    title: str
    placement: str
    placement_title: str
    text: str
    parameters: dict[str, Any]
    legal_basis: list[LegalBasis]
    guidance: list[str]
    risks: list[str]
    citations: list[Citation] = Field(default_factory=list)  # guide passages, cited like answers
    warnings: list[ClauseWarning] = Field(default_factory=list)
    reason: str | None = None  # filled when the clause was proposed
    adapted_by_llm: bool = False


class ClauseSet(BaseModel):
    """The generator's answer: the drafts, grouped later by document for export."""

    request: ClauseRequest
    drafts: list[ClauseDraft]
    proposals: list[Proposal] = Field(default_factory=list)
    generated_at: str  # ISO date
    # Warnings on the buyer's own words (errors stop drafting): shown above the drafts, not on one clause only.
    input_warnings: list[InputFinding] = Field(default_factory=list)


def validation_message(exc: ValidationError) -> str:
    """Pydantic errors of a ClauseRequest, in French (the API and the CLI show the same words)."""
    labels = {"object": "objet du marché", "amount": "montant", "procedure": "procédure", "duration_months": "durée",
              "types": "types de clauses", "lots": "lots", "buyer": "acheteur", "sector": "secteur", "params": "paramètres",
              "max_proposals": "nombre de propositions", "cpv": "code CPV"}
    return " ; ".join(validation_messages(exc.errors(), labels))
