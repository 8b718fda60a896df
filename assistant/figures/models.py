"""Key figures: a number with its unit, what it measures, its sentence, its document and its source."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

FigureKind = Literal["percent", "amount", "jobs", "count", "date", "ratio"]
FIGURE_KINDS: tuple[str, ...] = ("percent", "amount", "jobs", "count", "date", "ratio")


class SourceRef(BaseModel):
    """Where a sentence of the documents comes from: its passage, document, place in it, date and source."""

    chunk_id: str
    doc_id: str
    title: str
    locator: str = ""
    date: str | None = None
    source: str = ""


class PassageSlice(SourceRef):
    """What a figure and a quotation share: the passage they are read from, with who may read it."""

    doc_type: str
    audience: str = "public"


class Figure(PassageSlice):
    """One figure as written in a document: never rounded, converted or detached from its sentence."""

    id: str = Field(description="Identifiant stable (hash du passage, de la phrase et de la position).")
    value: str = Field(description="Le chiffre exactement tel qu'écrit (« 40 millions d'euros »).")
    kind: FigureKind
    unit: str = Field(description="Unité telle qu'écrite (« % », « milliards d'euros », « emplois »).")
    measures: str | None = Field(None, description="Ce que le chiffre mesure, quand la phrase le dit (« achats »).")
    sentence: str = Field(description="La phrase entière, mot pour mot, du passage source.")
    attribution: str | None = Field(None, description="Source citée par la phrase ou sa voisine (« selon l'Insee »).")
    context: str | None = Field(None, description="La phrase précédente du même paragraphe, qui pose souvent le sujet.")


class FigureHit(Figure):
    rank: int
    score: float
    coverage: float = Field(0.0, description="Part (pondérée idf) des mots de la requête présents autour du chiffre.")


class Quotation(PassageSlice):
    """A quotation as a document prints it, with the person it names as its speaker (extracted at ingest)."""

    id: str
    text: str = Field(description="Les mots cités, sans les guillemets, tels qu'imprimés.")
    speaker: str = Field(description="La personne qui les dit (« Prénom Nom »).")
    role: str = Field("", description="Son rôle tel que le document l'écrit (« président de l'organisation X »).")
