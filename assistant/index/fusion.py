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


# Measured and removed (2026-12-07): a third ranker, each passage scored by its closest citable sentence (e5 vectors of
# every sentence, embedded at ingest, held in memory), added to the fused score at weight 0.2 to 1.0 (both min-max
# normalised per query). Retrieval gained everywhere at 0.5: passages holding an expected source in the top 5 went
# 91.2 -> 94.7 % on answers.yaml, 75.8 -> 80.3 % and 73.9 -> 78.3 % on the tuning halves of blind.yaml and blind2.yaml
# (65.2 -> 72.7 % and 78.3 -> 87.0 % on their counted halves), PIAF R@5 0.917 -> 0.930. Answers did not: on the own
# sets and the tuning halves 295 right became 293 (0.2), 292 (0.3) and 292 (0.5), the counted halves -1 and 0. The
# passages it brings in hold a sentence close to the question, which then takes the place of the one stating the fact
# (a second sentence of the same article) or makes « l'Alliance » read as ambiguous.
