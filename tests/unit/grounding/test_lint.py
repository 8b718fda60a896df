"""The clause linter on 50 written examples (lawful and unlawful), plus the shape of each finding."""

from __future__ import annotations

import pytest
import yaml

from assistant.grounding.lint import Linter, load_rules, parse_amount, rule_ids
from tests.conftest import ROOT

EXAMPLES = yaml.safe_load((ROOT / "tests" / "data" / "clause_lint_examples.yaml").read_text(encoding="utf-8"))[
    "examples"]


def test_enough_examples_of_both_kinds():
    assert len(EXAMPLES) >= 40
    assert len({e["id"] for e in EXAMPLES}) == len(EXAMPLES)
    lawful = [e for e in EXAMPLES if not e["expected"]]
    assert len(lawful) >= 12 and len(EXAMPLES) - len(lawful) >= 25
    # Every rule that reads clauses is exercised by at least one unlawful example; a rule may only answer questions
    # (no pattern of its own for clauses, patterns for questions).
    questions_only = {r.id for r in load_rules().rules if not r.patterns and r.question and r.question.patterns}
    assert questions_only == {"critere-licite-effet-local", "origine-pays-tiers", "sourcing-egalite"}
    assert set(rule_ids()) - questions_only <= {r for e in EXAMPLES for r in e["expected"]}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_example_gives_exactly_the_expected_rules(example):
    findings = Linter().lint(example["text"], amount=example.get("amount"))
    assert sorted({f.rule_id for f in findings}) == sorted(example["expected"]), [
        (f.rule_id, f.quote) for f in findings]
    for f in findings:
        # The quote is the buyer's own words, at the stated offsets.
        assert f.quote and example["text"][f.start:f.end] == f.quote
        assert f.explanation and f.rewrite and f.articles and f.title
        assert f.severity in {"erreur", "avertissement"}


def test_finding_explains_and_rewrites_in_french():
    (finding,) = Linter().lint("Les vêtements doivent être fabriqués en France.")
    assert finding.rule_id == "origine-nationale" and finding.quote == "fabriqués en France"
    assert finding.articles == ["L3", "R2111-7"]
    assert "égalité de traitement" in finding.explanation
    assert "« fabriqués en France »" in finding.rewrite


def test_rule_articles_use_index_id_format():
    import re

    for rule in load_rules().rules:
        for article in rule.articles:
            assert re.fullmatch(r"[LRD]\d+(?:-\d+)*|CCAG-FCS-\d+", article), (rule.id, article)


def test_turnover_uses_the_one_and_a_half_cap():
    linter = Linter()
    ok = "Chiffre d'affaires annuel minimal exigé : 150 000 €."
    too_much = "Chiffre d'affaires annuel minimal exigé : 151 000 €."
    assert not linter.lint(ok, amount=100_000)
    assert [f.rule_id for f in linter.lint(too_much, amount=100_000)] == ["chiffre-affaires-disproportionne"]
    assert not linter.lint(too_much)  # no estimated amount: nothing to compare with


@pytest.mark.parametrize("num,unit,value", [("1 200 000", "€", 1_200_000), ("1,2", "M€", 1_200_000),
                                            ("800", "k€", 800_000), ("3", "millions d'euros", 3_000_000),
                                            ("1.200.000", "euros", 1_200_000)])
def test_parse_amount(num, unit, value):
    assert parse_amount(num, unit) == value
