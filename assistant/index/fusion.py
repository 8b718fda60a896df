"""Hybrid fusion of dense and BM25 results: the one place where the choice is made.

Chosen on bench/eval/questions.yaml (see `make bench`): dense-weighted score fusion with scores
min-max normalised per query; the weight comes from `ASSISTANT_DENSE_WEIGHT`.
"""

from __future__ import annotations


def _normalise(results: list[tuple[str, float]]) -> dict[str, float]:
    if not results:
        return {}
    scores = [s for _, s in results]
    top, low = max(scores), min(scores)
    if top - low < 1e-9:
        return {cid: 1.0 for cid, _ in results}
    return {cid: (s - low) / (top - low) for cid, s in results}


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], dense_weight: float) -> list[tuple[str, float]]:
    """Weighted sum of per-query normalised scores; a chunk missing from one list scores 0 there."""
    d, b = _normalise(dense), _normalise(lexical)
    fused = {cid: dense_weight * d.get(cid, 0.0) + (1.0 - dense_weight) * b.get(cid, 0.0) for cid in d.keys() | b.keys()}
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
