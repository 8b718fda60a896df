"""Retrieval quality: recall@1, recall@5, MRR on the evaluation set and on PIAF."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import evalsets
from bench.evalsets import SHARED

EVAL_FILE = Path(__file__).with_name("eval") / "questions.yaml"


@dataclass
class Question:
    id: str
    question: str
    kind: str
    expected_articles: list[str] = field(default_factory=list)
    expected_docs: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # PIAF: the gold answer spans (for `bench.sentences`)


def load_questions(path: Path = EVAL_FILE) -> list[Question]:
    data = evalsets.read(path)
    return [Question(**{k: item.get(k) or ([] if k.startswith("expected") else item.get(k))
                        for k in ("id", "question", "kind", "expected_articles", "expected_docs")}) for item in data]


@dataclass
class Retrieved:
    """What a retriever returned for one rank: the article ids and source path it covers."""

    articles: set[str]
    path: str


def is_hit(question: Question, item: Retrieved) -> bool:
    if question.expected_articles and item.articles & set(question.expected_articles):
        return True
    return any(item.path.endswith(doc) for doc in question.expected_docs)


@dataclass
class Scores:
    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    by_kind: dict[str, dict[str, float]]
    misses: list[str]

    def line(self) -> str:
        return f"R@1 {self.recall_at_1:.3f}  R@5 {self.recall_at_5:.3f}  MRR {self.mrr:.3f}  (n={self.n})"


def evaluate(questions: list[Question], retrieve: Callable[[str], list[Retrieved]], k: int = 10) -> Scores:
    ranks: list[int | None] = []
    kinds: dict[str, list[int | None]] = {}
    misses = []
    for q in questions:
        results = retrieve(q.question)[:k]
        rank = next((i + 1 for i, r in enumerate(results) if is_hit(q, r)), None)
        ranks.append(rank)
        kinds.setdefault(q.kind, []).append(rank)
        if rank is None or rank > 5:
            misses.append(f"{q.id} ({rank or '>' + str(k)}) {q.question}")

    def summary(rs: list[int | None]) -> dict[str, float]:
        n = len(rs) or 1
        return {"n": len(rs), "r@1": sum(1 for r in rs if r == 1) / n, "r@5": sum(1 for r in rs if r and r <= 5) / n,
                "mrr": sum(1 / r for r in rs if r) / n}

    total = summary(ranks)
    return Scores(n=len(ranks), recall_at_1=total["r@1"], recall_at_5=total["r@5"], mrr=total["mrr"],
                  by_kind={kind: summary(rs) for kind, rs in sorted(kinds.items())}, misses=misses)


def piaf_sample(n: int = 300, seed: int = 13) -> tuple[list[Question], dict[str, dict]]:
    """n PIAF questions (fixed seed) and every paragraph of PIAF, keyed by a stable id."""
    data = json.loads((SHARED / "datasets" / "piaf" / "piaf-v1.0.json").read_text(encoding="utf-8"))
    paragraphs: dict[str, dict] = {}
    questions: list[Question] = []
    for a, article in enumerate(data["data"]):
        for p, para in enumerate(article["paragraphs"]):
            pid = f"piaf-{a:03d}-{p:02d}"
            paragraphs[pid] = {"title": article["title"].replace("_", " "), "context": para["context"]}
            for qa in para["qas"]:
                questions.append(Question(id=qa["id"], question=qa["question"], kind="piaf", expected_docs=[f"{pid}.md"],
                                          answers=[a["text"] for a in qa["answers"]]))
    random.Random(seed).shuffle(questions)
    return questions[:n], paragraphs
