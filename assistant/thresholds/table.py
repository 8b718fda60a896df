"""The thresholds of the indexed Code, read again whenever the catalog changes (an article added, amended, removed).

Extraction is a few regular expressions over the law articles (a few milliseconds for the whole Code): the table is
derived from the catalog at first use after each ingest rather than stored beside it, so it can never disagree with
the articles the answers quote.
"""

from __future__ import annotations

import threading

from assistant.index.catalog import Catalog
from assistant.text.numbers import french_number
from assistant.thresholds.caps import Limit, extract_limits
from assistant.thresholds.extract import aspects, extract_applications, extract_cases, extract_exclusions, extract_rows
from assistant.thresholds.models import COMPARISON_LABELS, Application, Bound, CaseWithoutAmount, Exclusion, Threshold


class ThresholdTable:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._rows: list[Threshold] = []
        self._limits: list[Limit] = []
        self._exclusions: list[Exclusion] = []
        self._applications: list[Application] = []
        self._cases: list[CaseWithoutAmount] = []

    def _refresh(self) -> None:
        generation = self.catalog.generation()
        if generation != self._seen:
            rows = list(self.catalog.chunk_rows(synced_only=True))
            self._rows, self._limits, self._exclusions = extract_rows(rows), extract_limits(rows), extract_exclusions(rows)
            self._applications = extract_applications(rows)
            self._cases = extract_cases(rows, self._rows)
            self._seen = generation

    def all(self) -> list[Threshold]:
        with self._lock:
            self._refresh()
            return list(self._rows)

    def limits(self) -> list[Limit]:
        """The limits the Code sets on a rate, a multiple of the contract's amount or a duration (caps.py)."""
        with self._lock:
            self._refresh()
            return list(self._limits)

    def exclusions(self) -> list[Exclusion]:
        """The parts of the Code some buyers are put outside of (« … ne sont pas soumis aux dispositions du présent
        chapitre »)."""
        with self._lock:
            self._refresh()
            return list(self._exclusions)

    def applications(self) -> list[Application]:
        """The articles that say how another of their chapter is carried out (« en application de l'article <X> »)."""
        with self._lock:
            self._refresh()
            return list(self._applications)

    def cases(self) -> list[CaseWithoutAmount]:
        """The cases an article allows whatever the amount, beside a rule an amount decides (R2122-3 beside R2122-8)."""
        with self._lock:
            self._refresh()
            return list(self._cases)

    def select(self, aspect: str | None = None, article: str | None = None,
               missing: bool | None = None) -> list[Threshold]:
        """The thresholds of one aspect and/or article; `missing`: only those whose value the corpus lacks (True) or
        holds (False)."""
        rows = self.all()
        if aspect:
            rows = [t for t in rows if t.aspect == aspect]
        if article:
            rows = [t for t in rows if t.article.upper() == article.upper()]
        if missing is not None:
            rows = [t for t in rows if bool(t.missing) == missing]
        return rows


def aspect_ids() -> tuple[str, ...]:
    return tuple(a["id"] for a in aspects())


def bound_label(bound: Bound) -> str:
    """« inférieur à N € HT (fournitures, services) », « égal ou supérieur aux seuils européens (non indexés) »."""
    if bound.share is not None:
        value = bound.written
    elif bound.amount is None:
        value = f"{bound.written} — valeur absente des documents : {bound.refers_to}"
    else:
        value = f"{french_number(bound.amount)} €{' ' + bound.tax if bound.tax else ''}"
    types = f" ({', '.join(bound.contract_types)})" if bound.contract_types else ""
    return f"{COMPARISON_LABELS[bound.comparison]} {value}{types}"
