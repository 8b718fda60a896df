"""Sector profiles (prompts/clauses/profils/secteurs.yaml): who uses what is bought, its usual lots, standards and labels,
and which guides speak of it — matched from the object of the purchase, its sector field or its CPV code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.text.normalize import fold

SECTORS_FILE = Path(__file__).resolve().parents[2] / "prompts" / "clauses" / "profils" / "secteurs.yaml"


@dataclass(frozen=True)
class SectorProfile:
    id: str
    label: str
    patterns: tuple[re.Pattern, ...]
    cpv: tuple[str, ...]
    usage: str
    lots: tuple[str, ...]
    normes: tuple[str, ...]
    label_ref: str  # the reference label, « la marque NF Environnement Ameublement »
    caracteristiques: str  # what the label proves, the only characteristics required
    guides: tuple[str, ...]  # subjects of the guides that may be quoted for it
    critere_technique: str = ""  # what the technical criterion weighs for this kind of purchase
    critere_environnemental: str = ""

    def variables(self) -> dict:
        """What the templates read (`profil.usage`, `profil.lots`…)."""
        return {"id": self.id, "label": self.label, "usage": self.usage, "lots": list(self.lots),
                "normes": list(self.normes), "label_ref": self.label_ref, "caracteristiques": self.caracteristiques,
                "critere_technique": self.critere_technique, "critere_environnemental": self.critere_environnemental,
                "guides": list(self.guides)}


@dataclass(frozen=True)
class Sectors:
    profiles: tuple[SectorProfile, ...]
    guide_subjects: dict[str, tuple[re.Pattern, ...]]

    def match(self, text: str, cpv: str | None = None) -> SectorProfile | None:
        """The first profile whose CPV prefix or wording matches (the object and the sector field, together)."""
        code = re.sub(r"\D", "", cpv or "")
        folded = fold(text).lower()
        for profile in self.profiles:
            if code and any(code.startswith(prefix) for prefix in profile.cpv):
                return profile
        return next((p for p in self.profiles if any(rx.search(folded) for rx in p.patterns)), None)

    def guide_subject(self, title: str, source: str) -> str | None:
        """The one subject a guide is about (« numerique »), or None for a general guide."""
        folded = fold(f"{title} {source}").lower()
        return next((s for s, patterns in self.guide_subjects.items() if any(rx.search(folded) for rx in patterns)), None)


@lru_cache(maxsize=2)
def load_sectors(path: Path = SECTORS_FILE) -> Sectors:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    profiles = tuple(SectorProfile(
        id=p["id"], label=p["label"], patterns=tuple(re.compile(x) for x in p.get("patterns") or []),
        cpv=tuple(str(c) for c in p.get("cpv") or []), usage=p["usage"], lots=tuple(p.get("lots") or []),
        normes=tuple(p.get("normes") or []), label_ref=p["label_ref"],
        caracteristiques=p["caracteristiques"], guides=tuple(p.get("guides") or []),
        critere_technique=p.get("critere_technique", ""), critere_environnemental=p.get("critere_environnemental", ""))
        for p in data["profiles"])
    subjects = {s: tuple(re.compile(x) for x in patterns) for s, patterns in (data.get("guide_subjects") or {}).items()}
    return Sectors(profiles, subjects)
