"""French lexical search: analyzer (legal references, numbers, elisions, stopwords, stemming,
accent folding) and a BM25 index (bm25s) persisted beside the catalog.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

from assistant.text.normalize import fold
from assistant.text.numbers import GROUPED_PATTERN

# "R2122-8", "R. 2122-8", "article R.2122-8", "L 2112-2", "D2111-3" -> one token "r2122-8".
LEGAL_REF = re.compile(r"(?<![\w-])([LRDlrd])\s?\.?\s?(\d{1,4}(?:-\d{1,3}){1,2})(?![\w-])")
# "25 000 €", "100 000", "1 000 000" -> "25000"; decimals keep their comma as a dot.
_GROUPED_NUMBER = re.compile(r"(?<![\d,.])(" + GROUPED_PATTERN + r")(?![\d])")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[0-9]+)*")
_ELISION = re.compile(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_EXTRA_STOPWORDS = {"a", "au", "aux", "dont", "ou", "si", "cette", "cet", "tout", "tous", "toute", "toutes",
                    "sont", "etre", "peut", "peuvent", "fait", "plus", "quel", "quelle", "quels", "quelles",
                    "comment", "quoi", "est-ce", "lorsque", "ainsi", "leurs", "leur", "article", "articles"}
STOPWORDS = frozenset({fold(w) for w in STOPWORDS_FRENCH} | _EXTRA_STOPWORDS)


_CCAG_REF = re.compile(
    r"\bart(?:icle|\.)?\s*(\d{1,2})\s+du\s+ccag\b|\bccag[- ]?(?:fcs|fournitures[\w ]*?services)?\s*,?\s*art(?:icle|\.)?\s*(\d{1,2})\b",
    re.IGNORECASE)


# The preliminary title's articles have no dash (« article L3 »): only read as such after « article », since a
# bare « L3 » is as often a degree or a size.
_SHORT_REF = re.compile(r"\barticles?\s+([LRD])\.?\s?(\d{1,2})\b(?![-\d])", re.IGNORECASE)


def normalize_legal_refs(text: str) -> list[str]:
    """Legal article ids cited in a text, normalised ("R. 2122-8" -> "R2122-8")."""
    return [f"{m.group(1).upper()}{m.group(2)}" for m in LEGAL_REF.finditer(text)]


def cited_articles(text: str) -> list[str]:
    """Article ids cited in a text, Code and CCAG-FCS ("article 6 du CCAG" -> "CCAG-FCS-6"), in order."""
    found = [(m.start(), f"{m.group(1).upper()}{m.group(2)}") for m in LEGAL_REF.finditer(text)]
    found += [(m.start(), f"CCAG-FCS-{m.group(1) or m.group(2)}") for m in _CCAG_REF.finditer(text)]
    found += [(m.start(1), f"{m.group(1).upper()}{m.group(2)}") for m in _SHORT_REF.finditer(text)]
    return list(dict.fromkeys(ref for _, ref in sorted(found)))


def without_articles(text: str) -> str:
    """The text with its article references blanked out (their digits are not numbers of the text)."""
    for pattern in (LEGAL_REF, _CCAG_REF, _SHORT_REF):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


class FrenchAnalyzer:
    """Text -> index terms. Identical for documents and queries."""

    def __call__(self, text: str) -> list[str]:
        refs = [r.lower() for r in normalize_legal_refs(text)]
        text = LEGAL_REF.sub(" ", text)
        text = _GROUPED_NUMBER.sub(lambda m: re.sub(r"[ \u00a0\u202f.]", "", m.group(1)), text)
        text = _ELISION.sub(" ", text.lower())
        words = [w for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", text) if w]
        terms: list[str] = list(refs)
        stemmer = _stemmer()
        for word in words:
            for part in ([word] if word[0].isdigit() else word.split("-")):
                folded = fold(part)
                if len(folded) < 2 and not folded.isdigit():
                    continue
                if folded in STOPWORDS:
                    continue
                terms.append(folded if folded.isdigit() else fold(stemmer.stemWord(part)))
        return terms


# Changing the analyzer or the BM25 parameters changes this stamp, which forces a rebuild.
BM25_K1, BM25_B = 1.2, 0.5  # b tuned on bench/eval: articles are short, long guides should not win by length
ANALYZER_STAMP = f"fr-1/k1={BM25_K1}/b={BM25_B}"


class BM25Index:
    """bm25s index over the catalog's chunks, with per-chunk metadata arrays for filtering."""

    def __init__(self, retriever: bm25s.BM25 | None, chunk_ids: list[str], meta: dict[str, list[Any]],
                 generation: int, stamp: str = ANALYZER_STAMP):
        self.stamp = stamp
        self.retriever = retriever
        self.chunk_ids = chunk_ids
        self.meta = {k: np.asarray(v) for k, v in meta.items()}
        self.generation = generation
        self.analyzer = FrenchAnalyzer()

    @classmethod
    def build(cls, rows: Iterable[dict[str, Any]], generation: int) -> "BM25Index":
        analyzer = FrenchAnalyzer()
        chunk_ids: list[str] = []
        corpus: list[list[str]] = []
        meta: dict[str, list[Any]] = {"doc_type": [], "audience": [], "date": [], "doc_id": []}
        for row in rows:
            chunk_ids.append(row["chunk_id"])
            corpus.append(analyzer(row["embed_text"]) or ["_vide_"])
            meta["doc_type"].append(row["doc_type"])
            meta["audience"].append(row["audience"])
            meta["date"].append(row["date"] or "")
            meta["doc_id"].append(row["doc_id"])
        retriever = None
        if corpus:
            retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
            retriever.index(corpus, show_progress=False)
        return cls(retriever, chunk_ids, meta, generation)

    def save(self, directory: Path) -> None:
        """Write to a temporary folder then swap it in, so readers never see a half-written index."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        # Per-process names: an ingest and an app worker may both write it (first search, empty dir).
        tmp = directory.with_name(f"{directory.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self.retriever is not None:
            self.retriever.save(str(tmp / "bm25"), show_progress=False)
        with open(tmp / "chunks.json", "w", encoding="utf-8") as fh:
            json.dump({"generation": self.generation, "stamp": self.stamp, "chunk_ids": self.chunk_ids,
                       "meta": {k: v.tolist() for k, v in self.meta.items()}}, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "BM25Index | None":
        for candidate in (directory, directory.with_name(directory.name + ".old")):
            try:
                with open(candidate / "chunks.json", encoding="utf-8") as fh:
                    data = json.load(fh)
                retriever = None
                if data["chunk_ids"]:
                    retriever = bm25s.BM25.load(str(candidate / "bm25"), load_corpus=False)
                return cls(retriever, data["chunk_ids"], data["meta"], int(data["generation"]), data.get("stamp", ""))
            except (OSError, ValueError, KeyError):
                continue
        return None

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term; a term no chunk contains gets the maximum."""
        n = len(self.chunk_ids)
        tid = self.retriever.vocab_dict.get(term) if self.retriever is not None else None
        indptr = self.retriever.scores["indptr"] if self.retriever is not None else None
        df = int(indptr[tid + 1] - indptr[tid]) if tid is not None else 0
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def knows(self, term: str) -> bool:
        """Whether some chunk contains the analysed term."""
        return self.retriever is not None and term in self.retriever.vocab_dict

    def is_current(self, generation: int) -> bool:
        return self.generation == generation and self.stamp == ANALYZER_STAMP

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        if self.retriever is None or not self.chunk_ids:
            return []
        terms = [t for t in self.analyzer(query) if t in self.retriever.vocab_dict]
        if not terms:
            return []
        k = min(k, len(self.chunk_ids))
        ids, scores = self.retriever.retrieve([terms], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        return [(self.chunk_ids[int(i)], float(s)) for i, s in zip(ids[0], scores[0]) if s > 0]


class BM25Holder:
    """Keeps the loaded BM25 index fresh: reloads it when another process has rewritten it."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._index: BM25Index | None = None
        self._mtime: float | None = None

    def _stamp(self) -> float | None:
        try:
            return (self.directory / "chunks.json").stat().st_mtime
        except OSError:
            return None

    def get(self) -> BM25Index | None:
        stamp = self._stamp()
        with self._lock:
            if self._index is None or stamp != self._mtime:
                self._index = BM25Index.load(self.directory)
                self._mtime = stamp
            return self._index

    def set(self, index: BM25Index) -> None:
        index.save(self.directory)
        with self._lock:
            self._index = index
            self._mtime = self._stamp()
