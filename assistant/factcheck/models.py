"""What the fact-checker returns: one finding per claim of the draft, and a summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.figures.models import SourceRef

Status = Literal["confirmed", "different", "not_found", "misattributed", "old"]
ClaimKind = Literal["figure", "quotation", "attribution", "article"]
STATUSES: tuple[str, ...] = ("confirmed", "different", "not_found", "misattributed", "old")
# What a reader sees for each status (summary line, UI badge, Word comment).
STATUS_LABELS = {"confirmed": "confirmé", "different": "différent dans les sources", "not_found": "introuvable",
                 "misattributed": "attribué à tort", "old": "ancien"}
# The summary counts a status with these words (« 9 confirmés »): (masculine, feminine) × (one, many).
_COUNTED = {"confirmed": (("confirmé", "confirmés"), ("confirmée", "confirmées")),
            "different": (("différent", "différents"), ("différente", "différentes")),
            "not_found": (("introuvable", "introuvables"), ("introuvable", "introuvables")),
            "misattributed": (("mal attribué", "mal attribués"), ("mal attribuée", "mal attribuées")),
            "old": (("ancien", "anciens"), ("ancienne", "anciennes"))}
_NOUNS = {"figure": ("chiffre", "chiffres"), "quotation": ("citation", "citations"),
          "attribution": ("attribution", "attributions"), "article": ("référence d'article", "références d'articles")}


class Evidence(SourceRef):
    """The source passage a finding rests on."""

    sentence: str = Field(description="La phrase de la source, mot pour mot.")

    @classmethod
    def of(cls, source: Any, sentence: str) -> Evidence:
        """The evidence of a figure, a quotation, a search hit or a catalog row (a mapping), at one of its
        sentences."""
        get = source.get if isinstance(source, Mapping) else (lambda key: getattr(source, key, None))
        return cls(doc_id=get("doc_id"), chunk_id=get("chunk_id"), title=get("title"), source=get("source") or "",
                   locator=get("locator") or "", date=get("date"), sentence=sentence)


class Finding(BaseModel):
    """One claim of the draft (a figure, a quotation, an attribution, an article reference) and its status."""

    sentence: str = Field(description="La phrase du texte vérifié.")
    paragraph: int = Field(description="Numéro du paragraphe (à partir de 0).")
    start: int = Field(description="Position de l'affirmation dans la phrase.")
    claim: str = Field(description="L'affirmation telle qu'écrite (« 25 % », « « … » », « selon l'Insee »).")
    kind: ClaimKind
    status: Status
    message: str = Field(description="Le constat, en français.")
    evidence: Evidence | None = None
    suggestion: str | None = Field(None, description="Correction reprise mot pour mot de la source.")

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


class FactCheck(BaseModel):
    """The findings of a draft, in reading order, with counts per kind and status."""

    findings: list[Finding] = Field(default_factory=list)
    paragraphs: list[str] = Field(default_factory=list, description="Le texte vérifié, paragraphe par paragraphe.")
    max_age_years: int
    summary: str = ""

    def counts(self, kind: str | None = None) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for finding in self.findings:
            if kind is None or finding.kind == kind:
                out[finding.status] += 1
        return out

    def summarise(self) -> str:
        """« 12 chiffres : 9 confirmés, 1 différent, 1 introuvable, 1 ancien ; 2 citations : 2 confirmées »."""
        parts = []
        for kind, (one, many) in _NOUNS.items():
            counts = self.counts(kind)
            total = sum(counts.values())
            if not total:
                continue
            feminine = kind != "figure"
            details = [f"{n} {_COUNTED[status][feminine][n > 1]}" for status, n in counts.items() if n]
            parts.append(f"{total} {many if total > 1 else one} : {', '.join(details)}")
        return " ; ".join(parts) if parts else "Aucun chiffre, citation ni attribution à vérifier dans ce texte."
