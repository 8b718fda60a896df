"""A threshold as an article writes it: what is compared, with what, for which contracts, and what follows."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Comparison = Literal["lt", "le", "gt", "ge"]
# How each comparison reads to a buyer, and how code applies it.
COMPARISON_LABELS = {"lt": "inférieur à", "le": "inférieur ou égal à", "gt": "supérieur à",
                     "ge": "égal ou supérieur à"}
CONTRACT_TYPES = ("travaux", "fournitures", "services")


def compare(value: float, comparison: Comparison, limit: float) -> bool:
    return {"lt": value < limit, "le": value <= limit, "gt": value > limit, "ge": value >= limit}[comparison]


class Bound(BaseModel):
    """One side of a threshold: « inférieure à N euros hors taxes » or « égale ou supérieure aux seuils
    européens » (a value the article only points to)."""

    comparison: Comparison
    written: str = Field(description="Le seuil tel qu'écrit dans l'article (« N euros hors taxes »).")
    amount: float | None = Field(None, description="Le montant en euros, quand l'article le donne en chiffres.")
    tax: Literal["HT", "TTC"] | None = None
    refers_to: str | None = Field(None, description="Où vit la valeur quand l'article ne la donne pas "
                                                    "(une annexe du code, un texte réglementaire).")
    contract_types: list[str] = Field(default_factory=list, description="travaux / fournitures / services ; "
                                                                        "vide : tous les marchés.")
    share: float | None = Field(None, description="Une part du montant initial du marché, en %, au lieu d'un montant "
                                                 "(« N % du montant du marché initial »).")

    def holds(self, value: float) -> bool | None:
        """Whether a figure meets this side of the threshold; None when the article does not give the amount."""
        return None if self.amount is None else compare(value, self.comparison, self.amount)


class Condition(BaseModel):
    """Another condition of the same rule (a duration, a kind of buyer), kept as written."""

    kind: Literal["duree", "acheteur", "article", "part", "renvoi", "titulaire", "type", "acheteur-vise", "autres-acheteurs", "contenu"]
    text: str
    comparison: Comparison | None = None
    months: float | None = None  # durations, in months, when written as such
    article: str | None = None  # « conclus en application de l'article R. 2122-8 »: that article's rule must apply
    # (« autres-acheteurs »: the rule is for the buyers that article's rules are not written for)
    # « le montant cumulé de ces lots n'excède pas N % de la valeur totale »: a share of the whole, in per cent.
    share: float | None = None
    contract_types: list[str] = Field(default_factory=list)  # « … marché de <type> »: the kinds of contract it is for
    buyer_kind: str | None = None  # « pour les <genre d'acheteur> »: the kind of buyer it is for (aspects.yaml)
    content: str | None = None  # « … une part importante de <contenu> »: what the purchase must be made of (aspects.yaml)


class Threshold(BaseModel):
    """One rule of the Code that depends on an amount, linked to its article and its sentence."""

    id: str
    article: str
    aspect: str | None = Field(None, description="Ce que le seuil décide (identifiant d'aspect : ecrit, avance…).")
    aspect_label: str | None = None
    subject: str = Field(description="Ce qui est comparé, tel que l'article l'écrit (« la valeur … de X »).")
    subject_kind: Literal["besoin", "lot", "sous-traitance", "modification", "acheteur", "accord-cadre", "autre"]
    bounds: list[Bound]
    conditions: list[Condition] = Field(default_factory=list)
    effect: str = Field(description="La disposition dont le seuil décide, mot pour mot (l'article ou son alinéa).")
    sentence: str = Field(description="La phrase de l'article qui porte le seuil, mot pour mot.")
    lead: str = Field("", description="L'introduction d'une énumération dont le seuil est un élément (« 1° … »).")
    alternatives: list[str] = Field(default_factory=list, description="Les autres éléments de la même énumération, "
                                    "sans montant : des cas où la règle vaut aussi, quel que soit le montant.")
    chunk_id: str
    source: str = ""
    doc_title: str = ""
    audience: str = "public"

    @property
    def missing(self) -> list[Bound]:
        """The sides whose value the corpus does not hold (an annex, a regulatory text not indexed)."""
        return [b for b in self.bounds if b.amount is None and b.share is None]


class Exclusion(BaseModel):
    """Buyers an article puts outside a part of the Code, except for some of its articles."""

    article: str
    sentence: str = Field(description="La phrase qui exclut, mot pour mot.")
    buyers_article: str = Field(description="L'article qui énumère les acheteurs exclus.")
    prefix: str = Field(description="Le préfixe des articles de la partie exclue (« R2191 » pour le chapitre).")
    kept: list[str] = Field(default_factory=list, description="Les articles de cette partie qui s'appliquent quand même.")
    chunk_id: str


class Application(BaseModel):
    """An article that says how another of its chapter is carried out (« … conclu à prix ferme en application de
    l'article R. 2112-10, ses clauses précisent : … »)."""

    article: str
    applies: str = Field(description="L'article dont il précise la mise en œuvre.")
    sentence: str = Field(description="La phrase qui le dit, mot pour mot.")
    chunk_id: str


class CaseWithoutAmount(BaseModel):
    """A case in which an article allows or releases whatever the amount (« L'acheteur peut passer un marché sans
    publicité ni mise en concurrence préalables lorsque <cas> », each item of « pour l'une des raisons suivantes :
    1° … »): beside the rule an amount decides, another way to the same consequence."""

    id: str
    article: str
    aspect: str
    aspect_label: str
    case: str = Field(description="Le cas, mot pour mot : l'élément de l'énumération, ou la phrase.")
    lead: str = Field("", description="L'introduction de l'énumération dont le cas est un élément.")
    sentence: str
    words: list[str] = Field(description="Les mots qui distinguent le cas (rares dans le code), tronqués à six lettres.")
    contract_types: list[str] = Field(default_factory=list, description="Les marchés auxquels l'article le réserve.")
    chunk_id: str
    audience: str = "public"

    def as_rule(self) -> Threshold:
        """The case as a rule of its aspect without a bound, to be applied and quoted as thresholds are."""
        return Threshold(id=self.id, article=self.article, aspect=self.aspect,
                         aspect_label=self.aspect_label, subject=self.case, subject_kind="autre", bounds=[],
                         effect=self.case, sentence=self.sentence, lead=self.lead, chunk_id=self.chunk_id)
