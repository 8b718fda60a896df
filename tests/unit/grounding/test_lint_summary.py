"""The linter with its default rules (`Linter.lint`) and `summarize` (counts by severity)."""

from __future__ import annotations

from assistant.grounding.lint import Linter, summarize


def lint_text(text: str) -> list:
    return Linter().lint(text)


def test_lint_text_finds_each_problem_in_reading_order():
    findings = lint_text("Le titulaire livre des ordinateurs de marque Dell, fabriqués en France.")
    assert [(f.rule_id, f.severity, f.quote) for f in findings] == [
        ("marque-sans-equivalent", "erreur", "de marque Dell"), ("origine-nationale", "erreur", "fabriqués en France")]


def test_lint_text_of_a_lawful_clause_is_empty():
    assert lint_text("Le titulaire livre des fournitures de bureau dans un délai de dix jours.") == []


def test_summarize_counts_errors_and_warnings():
    errors = lint_text("Le titulaire livre des ordinateurs de marque Dell, fabriqués en France.")
    assert summarize(errors) == {"erreurs": 2, "avertissements": 0}
    warning = lint_text("Critères d’attribution : prix, valeur technique et performances environnementales.")
    assert [f.rule_id for f in warning] == ["critere-sans-ponderation"]
    assert summarize(warning) == {"erreurs": 0, "avertissements": 1}
    assert summarize(errors + warning) == {"erreurs": 2, "avertissements": 1}
    assert summarize([]) == {"erreurs": 0, "avertissements": 0}
