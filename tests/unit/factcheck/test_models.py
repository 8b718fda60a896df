"""The summary of a check, in French, with its agreements."""

from __future__ import annotations

from assistant.factcheck.models import FactCheck, Finding


def _finding(kind: str, status: str) -> Finding:
    return Finding(sentence="s", paragraph=0, start=0, claim="c", kind=kind, status=status, message="m")


def test_summary_counts_each_kind_and_status():
    report = FactCheck(max_age_years=3, findings=[
        *[_finding("figure", "confirmed")] * 9, _finding("figure", "different"), _finding("figure", "not_found"),
        _finding("figure", "old"), _finding("quotation", "confirmed"), _finding("quotation", "misattributed")])
    assert report.summarise() == ("12 chiffres : 9 confirmés, 1 différent, 1 introuvable, 1 ancien ; "
                                  "2 citations : 1 confirmée, 1 mal attribuée")


def test_summary_of_a_text_without_claims():
    assert "Aucun chiffre" in FactCheck(max_age_years=3).summarise()


def test_counts_filter_by_kind():
    report = FactCheck(max_age_years=3, findings=[_finding("figure", "old"), _finding("article", "misattributed")])
    assert report.counts("article")["misattributed"] == 1
    assert report.counts()["old"] == 1
