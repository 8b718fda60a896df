"""A refusal's reason reads as plain French for members; the measures behind it stay in the diagnostics."""

from __future__ import annotations


def test_a_refusal_is_said_plainly_with_its_measures_kept_apart(shared_container):
    answer = shared_container.answers.ask("Quelle est la pointure de chaussures préférée des acheteurs publics ?")
    assert answer.abstained and answer.reason
    assert "%" not in answer.reason and "similarité" not in answer.reason
    assert "pointure" not in answer.reason  # never the question's words: they could read as known to the documents
    assert set(answer.diagnostics) == {"couverture", "similarite"}
    assert all(0.0 <= v <= 1.0 for v in answer.diagnostics.values())
