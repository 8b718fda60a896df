"""The figures database (key figures and attributed quotations): kept in sync with the catalog document by
document; figures searched with BM25.

Each document's figures are replaced in one transaction together with the signature of the
catalog version they come from, so a killed sync leaves either the old or the new figures of a
document, and the next sync (end of every ingest, or first search) finishes the job.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.sqlite import connect
from assistant.figures.extract import EXTRACTOR_VERSION, extract_document, extract_quotations
from assistant.figures.models import Figure, FigureHit, Quotation
from assistant.index.catalog import Catalog
from assistant.index.lexical import BM25_B, BM25_K1, FrenchAnalyzer
from assistant.text.normalize import sha256_hex

# A figure and a quotation are both a slice of a passage: the same columns say which passage and where it comes
# from; each adds its own between them.
_SLICE_HEAD = (("id", "TEXT PRIMARY KEY"), ("doc_id", "TEXT NOT NULL"), ("ord", "INTEGER NOT NULL"),
               ("chunk_id", "TEXT NOT NULL"))
_SLICE_TAIL = (("title", "TEXT NOT NULL"), ("doc_type", "TEXT NOT NULL"), ("audience", "TEXT NOT NULL"),
               ("locator", "TEXT NOT NULL"), ("date", "TEXT"), ("source", "TEXT NOT NULL"))
_FIGURE_OWN = (("value", "TEXT NOT NULL"), ("kind", "TEXT NOT NULL"), ("unit", "TEXT NOT NULL"), ("measures", "TEXT"),
               ("sentence", "TEXT NOT NULL"), ("attribution", "TEXT"), ("context", "TEXT"))
_QUOTE_OWN = (("text", "TEXT NOT NULL"), ("speaker", "TEXT NOT NULL"), ("role", "TEXT NOT NULL"))


def _slice_table(name: str, own: tuple[tuple[str, str], ...]) -> tuple[str, tuple[str, ...]]:
    """(CREATE statements, column names) of one table of passage slices."""
    columns = (*_SLICE_HEAD, *own, *_SLICE_TAIL)
    body = ",\n".join(f"    {column} {kind}" for column, kind in columns)
    return (f"CREATE TABLE IF NOT EXISTS {name} (\n{body}\n);\n"
            f"CREATE INDEX IF NOT EXISTS {name}_doc ON {name}(doc_id, ord);\n"), tuple(c for c, _ in columns)


_FIGURES_TABLE, _COLUMNS = _slice_table("figures", _FIGURE_OWN)
_QUOTES_TABLE, _QUOTE_COLUMNS = _slice_table("quotations", _QUOTE_OWN)
_SCHEMA = _FIGURES_TABLE + _QUOTES_TABLE + """\
CREATE TABLE IF NOT EXISTS figure_documents (doc_id TEXT PRIMARY KEY, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def document_signature(doc: dict[str, Any]) -> str:
    """Changes whenever the document's chunks or metadata change (the catalog fingerprint covers both)."""
    return sha256_hex("\x00".join(str(doc.get(k)) for k in ("fingerprint", "n_chunks", "title", "doc_type", "date",
                                                             "audience", "source")) + EXTRACTOR_VERSION)


class FigureStore:
    """Thread-safe access to figures.sqlite (one connection, serialised)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.RLock()
        # Same connection settings as the catalog: WAL, autocommit, one transaction per document.
        self._db = connect(path, _SCHEMA)
        with self._lock:
            columns = {r["name"] for r in self._db.execute("PRAGMA table_info(figures)")}
            if set(_COLUMNS) - columns:  # older layout: figures are derived data, extract them again
                self._db.executescript("DROP TABLE figures; DROP TABLE IF EXISTS quotations; "
                                       "DROP TABLE figure_documents; DELETE FROM state;" + _SCHEMA)
        self._analyzer = FrenchAnalyzer()
        self._cache: tuple[int, list[dict[str, Any]], list[Counter], dict[str, int], float] | None = None
        self._quotes: tuple[int, list[Quotation]] | None = None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- state --------------------------------------------------------------------------------
    def _state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None

    def generation(self) -> int:
        with self._lock:
            return int(self._state("generation") or 0)

    def _bump(self) -> None:
        self._db.execute("INSERT INTO state(key, value) VALUES ('generation', '1') "
                         "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    # --- sync ---------------------------------------------------------------------------------
    def sync(self, catalog: Catalog) -> dict[str, list[str]]:
        """Re-extract the documents whose catalog version changed, drop those the catalog lost."""
        generation = str(catalog.generation())
        with self._lock:
            known = {r["doc_id"]: r["signature"] for r in self._db.execute("SELECT * FROM figure_documents")}
        extracted, removed = [], []
        docs = catalog.documents()
        for doc in docs:
            signature = document_signature(doc)
            if known.get(doc["doc_id"]) == signature or not doc["vectors_synced"]:
                continue  # unchanged, or not searchable yet (vectors not stored): a later sync takes it
            rows = list(catalog.chunk_rows(doc["doc_id"]))
            self.replace_document(doc["doc_id"], signature, extract_document(rows), extract_quotations(rows))
            extracted.append(doc["doc_id"])
        for doc_id in sorted(set(known) - {d["doc_id"] for d in docs}):
            self.delete_document(doc_id)
            removed.append(doc_id)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('catalog_generation', ?)", (generation,))
            # New extraction rules re-extract every document (their signatures include the version).
            self._db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('extractor', ?)", (EXTRACTOR_VERSION,))
        return {"extracted": extracted, "removed": removed}

    def is_synced(self, catalog: Catalog) -> bool:
        """Whether the last sync saw the catalog as it is now (with the current extraction rules)."""
        with self._lock:
            seen = self._state("catalog_generation")
            extractor = self._state("extractor")
        return seen == str(catalog.generation()) and extractor == EXTRACTOR_VERSION

    def ensure_synced(self, catalog: Catalog) -> None:
        """Cheap when nothing changed: compares the catalog generation seen by the last sync."""
        if not self.is_synced(catalog):
            self.sync(catalog)

    def replace_document(self, doc_id: str, signature: str, figures: list[dict[str, Any]],
                         quotes: list[dict[str, Any]] | None = None) -> None:
        rows = [tuple(({**f, "ord": i}).get(c) for c in _COLUMNS) for i, f in enumerate(figures)]
        quote_rows = [tuple(({**q, "ord": i}).get(c) for c in _QUOTE_COLUMNS) for i, q in enumerate(quotes or [])]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM figures WHERE doc_id=?", (doc_id,))
                self._db.executemany(f"INSERT OR IGNORE INTO figures({', '.join(_COLUMNS)}) "
                                     f"VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
                self._db.execute("DELETE FROM quotations WHERE doc_id=?", (doc_id,))
                self._db.executemany(f"INSERT OR IGNORE INTO quotations({', '.join(_QUOTE_COLUMNS)}) "
                                     f"VALUES ({', '.join('?' * len(_QUOTE_COLUMNS))})", quote_rows)
                self._db.execute("INSERT OR REPLACE INTO figure_documents(doc_id, signature) VALUES (?, ?)",
                                 (doc_id, signature))
                self._bump()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def delete_document(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM figures WHERE doc_id=?", (doc_id,))
                self._db.execute("DELETE FROM quotations WHERE doc_id=?", (doc_id,))
                self._db.execute("DELETE FROM figure_documents WHERE doc_id=?", (doc_id,))
                self._bump()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # --- reading ------------------------------------------------------------------------------
    def figures(self, doc_id: str | None = None) -> list[Figure]:
        sql, args = "SELECT * FROM figures", ()
        if doc_id is not None:
            sql, args = sql + " WHERE doc_id=?", (doc_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY doc_id, ord", args).fetchall()
        return [Figure(**{k: r[k] for k in r.keys() if k != "ord"}) for r in rows]

    def quotations(self, audiences: list[str] | tuple[str, ...] | None = None) -> list[Quotation]:
        """Every attributed quotation of the documents (those the audiences may read), in document order.

        Read once per generation: the fact-checker looks them up for every quotation of a draft."""
        generation = self.generation()
        if self._quotes is None or self._quotes[0] != generation:
            with self._lock:
                rows = self._db.execute("SELECT * FROM quotations ORDER BY doc_id, ord").fetchall()
            self._quotes = (generation, [Quotation(**{k: r[k] for k in r.keys() if k != "ord"}) for r in rows])
        return [q for q in self._quotes[1] if audiences is None or q.audience in audiences]

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM figures").fetchone()[0]

    def _indexed(self):
        """All figures with their analysed text (sentence + unit + what they measure), cached per generation."""
        generation = self.generation()
        if self._cache is None or self._cache[0] != generation:
            with self._lock:
                rows = [dict(r) for r in self._db.execute("SELECT * FROM figures ORDER BY doc_id, ord")]
            terms = []
            for r in rows:  # the previous sentence often names the subject (« … : la commande publique. »)
                tf = Counter({t: 0.5 * n for t, n in Counter(self._analyzer(r["context"] or "")).items()})
                tf.update(self._analyzer(f"{r['sentence']} {r['unit']} {r['measures'] or ''}"))
                terms.append(tf)
            df: Counter = Counter()
            for t in terms:
                df.update(t.keys())
            avg = sum(sum(t.values()) for t in terms) / max(len(terms), 1)
            self._cache = (generation, rows, terms, dict(df), avg)
        return self._cache

    def search(self, query: str, k: int = 10, doc_type: list[str] | str | None = None,
               audiences: list[str] | tuple[str, ...] | None = None, kind: list[str] | str | None = None) -> list[FigureHit]:
        """Figures ranked by BM25 of the query over their sentence, unit and measured noun phrase (and, at half
        weight, the previous sentence of their paragraph); ties go to the most recent document."""
        _, rows, terms, df, avg = self._indexed()
        wanted = [t for t in dict.fromkeys(self._analyzer(query))]
        if not wanted or not rows:
            return []
        types = [doc_type] if isinstance(doc_type, str) else doc_type
        kinds = [kind] if isinstance(kind, str) else kind
        n = len(rows)
        idf = {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in wanted}
        # Coverage: the idf-weighted share of the query's words (numbers aside) the figure's text holds.
        words = [t for t in wanted if not t[0].isdigit()]
        mass = sum(idf[t] for t in words) or 1.0
        scored = []
        for i, (row, tf) in enumerate(zip(rows, terms)):
            if (types and row["doc_type"] not in types) or (audiences is not None and row["audience"] not in audiences) \
                    or (kinds and row["kind"] not in kinds):
                continue
            length = sum(tf.values())
            score = sum(idf[t] * tf[t] * (BM25_K1 + 1) / (tf[t] + BM25_K1 * (1 - BM25_B + BM25_B * length / avg))
                        for t in wanted if tf.get(t))
            if score > 0:
                coverage = sum(idf[t] for t in words if tf.get(t)) / mass
                scored.append((-score, -(_date_key(row["date"])), i, coverage))
        scored.sort()
        hits = []
        for rank, (neg, _, i, coverage) in enumerate(scored[:k], start=1):
            row = rows[i]
            hits.append(FigureHit(**{c: row[c] for c in row if c != "ord"}, rank=rank, score=round(-neg, 4),
                                  coverage=round(coverage, 4)))
        return hits


def _date_key(date: str | None) -> int:
    digits = "".join(c for c in (date or "") if c.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


def open_figures(settings) -> FigureStore:
    return FigureStore(settings.figures_path)
