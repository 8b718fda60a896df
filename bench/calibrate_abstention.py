"""Calibrate the abstention thresholds (coverage, dense similarity) on real questions.

Questions that must be answered: the retrieval set (bench/eval/questions.yaml) and every
non-out-of-scope item of bench/eval/answers.yaml. Questions that must be refused: the
out-of-scope items of answers.yaml and PIAF questions (general-knowledge questions about
Wikipedia articles, which the Alliance's documents do not cover). The chosen pair maximises the
share of refused off-topic questions with at most 5 % false refusals on the first group.

Usage: python -m bench.calibrate_abstention [--work DIR] [--piaf N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assistant.answer.followup import rewrite_followup
from assistant.config import Settings
from assistant.container import Container
from assistant.grounding.relevance import FULL_COVERAGE, relevance
from assistant.ingest.pipeline import Ingestor
from assistant.models import Turn
from assistant.retrieval.search import HybridSearcher
from bench import evalsets
from bench.quality import SHARED, piaf_sample

ROOT = Path(__file__).resolve().parents[1]
MAX_FALSE_REFUSALS = 0.05


def eval_container(work: Path) -> Container:
    """The container over the index of ../shared/corpus and the project's corpus/ (incremental, kept
    between runs)."""
    container = Container(Settings(data_dir=work / "answers"))
    roots = [(SHARED / "corpus").resolve(), (ROOT / "corpus").resolve()]
    # Documents are keyed by path: a run from another checkout on the same --work adds its corpus/ a second
    # time, and the duplicated passages crowd out others (the answer numbers drop with nothing changed).
    # Prune only drops files gone from under its roots: documents from anywhere else are dropped here.
    index = container.index
    for doc in index.catalog.documents():
        if not any(Path(doc["path"]).resolve().is_relative_to(root) for root in roots):
            index.vectors.delete(index.catalog.delete_document(doc["doc_id"]))
    Ingestor(index).run(roots, prune=True)
    return container


def question_sets(piaf: int) -> tuple[list[str], list[str], list[str]]:
    answers = evalsets.read("answers.yaml")
    positives = [q["question"] for q in evalsets.read("questions.yaml")]
    for item in answers:
        if item["kind"] == "out_of_scope":
            continue
        question = item["question"]
        if item.get("previous"):
            history = [Turn(question=p, standalone_question=p, answer="") for p in item["previous"]]
            question = rewrite_followup(question, history)
        positives.append(question)
    own_negatives = [i["question"] for i in answers if i["kind"] == "out_of_scope"]
    piaf_negatives = [q.question for q in piaf_sample(piaf, seed=29)[0]]
    return positives, own_negatives, piaf_negatives


def features(searcher: HybridSearcher, questions: list[str], k: int = 5) -> np.ndarray:
    bm25 = searcher.index.bm25_index()
    out = []
    for q in questions:
        rel = relevance(q, searcher.search(q, k=k), bm25)
        out.append((rel.coverage, rel.dense, rel.max_uncovered_idf))
    return np.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=Path(__file__).with_name(".work"))
    parser.add_argument("--piaf", type=int, default=200)
    args = parser.parse_args()
    searcher = eval_container(args.work).searcher
    positives, own_neg, piaf_neg = question_sets(args.piaf)
    pos, own, piaf = features(searcher, positives), features(searcher, own_neg), features(searcher, piaf_neg)
    print(f"à répondre : {len(pos)}  hors sujet (jeu maison) : {len(own)}  hors sujet (PIAF) : {len(piaf)}")
    for name, f in (("à répondre", pos), ("hors sujet maison", own), ("PIAF", piaf)):
        print(f"{name:18s} couverture p5/p50/p95 {np.percentile(f[:, 0], [5, 50, 95]).round(3)}  "
              f"similarité {np.percentile(f[:, 1], [5, 50, 95]).round(3)}")
    negatives = np.vstack([own, piaf])
    print(f"idf max non couvert : à répondre p50/p95 {np.percentile(pos[:, 2], [50, 95]).round(2)}, "
          f"hors sujet maison p50 {np.percentile(own[:, 2], 50):.2f}, PIAF p50 {np.percentile(piaf[:, 2], 50):.2f}")

    def refused(f: np.ndarray, cov: float, dense: float, idf: float) -> np.ndarray:
        return (f[:, 0] < cov) | ((f[:, 1] < dense) & (f[:, 0] < FULL_COVERAGE)) | (f[:, 2] > idf)

    best = None
    for cov in np.arange(0.0, 0.8, 0.025):
        for dense in np.arange(0.78, 0.88, 0.0025):
            for idf in list(np.arange(3.0, 8.0, 0.25)) + [99.0]:
                false_refusals = refused(pos, cov, dense, idf).mean()
                if false_refusals > MAX_FALSE_REFUSALS:
                    continue
                key = (refused(own, cov, dense, idf).mean() + refused(piaf, cov, dense, idf).mean(),
                       -false_refusals)
                if best is None or key > best[0]:
                    best = (key, cov, dense, idf)
    _, cov, dense, idf = best
    print(f"seuils retenus : couverture >= {cov:.3f}, similarité >= {dense:.4f}, idf max non couvert <= {idf:.2f}")
    print(f"refus à tort {refused(pos, cov, dense, idf).mean():.1%} ; hors sujet refusés : maison "
          f"{refused(own, cov, dense, idf).mean():.1%} ({len(own)} questions), PIAF {refused(piaf, cov, dense, idf).mean():.1%}")

if __name__ == "__main__":
    main()
