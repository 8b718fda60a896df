"""Typed request and result of the brief generator."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from assistant.models import Citation
from assistant.text.normalize import fold, xml_safe

BriefFormat = Literal["note", "communique", "argumentaire", "faq"]
BRIEF_FORMATS: tuple[str, ...] = ("note", "communique", "argumentaire", "faq")
Audience = Literal["elus", "presse", "adherents", "acheteurs"]
Length = Literal["court", "standard", "long"]
MAX_TOPIC_CHARS = 300


class BriefRequest(BaseModel):
    topic: str = Field(description="Sujet de la note (« La commande publique, levier de réindustrialisation »).")
    format: BriefFormat = "note"
    audience: Audience = "elus"
    length: Length = "standard"
    title: str | None = Field(None, max_length=200, description="Titre choisi ; sinon celui du format.")
    # Per section, sentences not to use again: « régénérer » a section asks for other material.
    exclude: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("format", "audience", "length", mode="before")
    @classmethod
    def _choice(cls, value):
        # « élus », « Presse », « Communiqué » name the same choices as « elus », « presse », « communique ».
        return fold(value).strip().lower() if isinstance(value, str) else value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        title = " ".join(xml_safe(value or "").split())
        return title or None

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {xml_safe(k): [xml_safe(s) for s in v] for k, v in value.items()}

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        topic = " ".join(xml_safe(value or "").split())
        if not topic:
            raise ValueError("le sujet est vide : indiquez le thème de la note")
        if len(topic) > MAX_TOPIC_CHARS:
            raise ValueError(f"le sujet est trop long ({len(topic)} caractères, {MAX_TOPIC_CHARS} au plus)")
        return topic


class BriefItem(BaseModel):
    """One verified piece of a section: a sentence, a figure with its sentence, or a question with its answer."""

    text: str = Field(description="Texte vérifié, avec les renvois [n] aux sources.")
    label: str | None = Field(None, description="Chiffre mis en avant, question ou objection.")
    quotes: list[str] = Field(default_factory=list, description="Phrases des documents reprises telles quelles.")


class BriefSection(BaseModel):
    id: str
    title: str
    style: Literal["paragraph", "lead", "bullets", "figures", "messages", "quote", "qa"]
    items: list[BriefItem] = Field(default_factory=list)
    # Said instead of padding when the documents hold too little for this section.
    notice: str | None = None


class BriefWarning(BaseModel):
    kind: Literal["figure_age", "entity", "thin_section", "fallback", "removed", "wording", "message"]
    message: str
    section_id: str | None = None
    doc_id: str | None = None


class BibliographyEntry(BaseModel):
    n: list[int] = Field(description="Numéros des renvois qui citent ce document.")
    doc_id: str
    title: str
    doc_type: str
    type_label: str
    publisher: str
    date: str | None = None
    link: str


class Brief(BaseModel):
    title: str
    format: BriefFormat
    format_label: str
    topic: str
    audience: Audience
    audience_label: str
    length: Length
    sections: list[BriefSection]
    citations: list[Citation] = Field(default_factory=list)
    bibliography: list[BibliographyEntry] = Field(default_factory=list)
    warnings: list[BriefWarning] = Field(default_factory=list)
    engine: str = "extractive"
    generated_at: str = ""
    latency_ms: float | None = None
