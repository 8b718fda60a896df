"""Metadata filters applied inside both retrievers, before ranking."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError, field_validator

from assistant.models import AUDIENCES


def date_number(date: str | None) -> int:
    """"2026-01-28" -> 20260128, "2015-09" -> 20150900, None -> 0 (Chroma metadata cannot be null)."""
    if not date:
        return 0
    parts = (date.split("-") + ["00", "00"])[:3]
    try:
        return int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2])
    except ValueError:
        return 0


class SearchFilters(BaseModel):
    doc_type: list[str] | None = None
    audience: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None

    @field_validator("doc_type", "audience", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()] or None
        return value

    @field_validator("date_from", "date_to")
    @classmethod
    def _valid_date(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
            raise ValueError(f"date invalide « {value} » : format attendu AAAA-MM-JJ")
        return value.strip() if value else None

    @field_validator("audience")
    @classmethod
    def _valid_audience(cls, value: list[str] | None) -> list[str] | None:
        unknown = [v for v in value or [] if v not in AUDIENCES]
        if unknown:
            raise ValueError(f"public inconnu « {', '.join(unknown)} » : valeurs possibles {', '.join(AUDIENCES)}")
        return value

    def is_empty(self) -> bool:
        return not (self.doc_type or self.audience or self.date_from or self.date_to)

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.doc_type:
            clauses.append({"doc_type": {"$in": list(self.doc_type)}})
        if self.audience:
            clauses.append({"audience": {"$in": list(self.audience)}})
        if self.date_from:
            clauses.append({"date_num": {"$gte": date_number(self.date_from)}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": date_number(self.date_to) or 99999999}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, meta: dict[str, np.ndarray]) -> np.ndarray | None:
        """1/0 weights over BM25 documents (same order as the index)."""
        if self.is_empty():
            return None
        keep = np.ones(len(meta["doc_type"]), dtype=bool)
        if self.doc_type:
            keep &= np.isin(meta["doc_type"], list(self.doc_type))
        if self.audience:
            keep &= np.isin(meta["audience"], list(self.audience))
        if self.date_from or self.date_to:
            dates = np.array([date_number(d) for d in meta["date"]])
            if self.date_from:
                keep &= dates >= date_number(self.date_from)
            if self.date_to:
                keep &= (dates <= (date_number(self.date_to) or 99999999)) & (dates > 0)
        return keep.astype(np.float32)


def filter_error_message(exc: Exception) -> str:
    """The French messages of a filter validation error, without pydantic's decoration."""
    if isinstance(exc, ValidationError):
        return " ; ".join(str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors())
    return str(exc)
