"""Clause article ids resolved to the indexed text: parts joined, newest version wins, missing ids listed."""

from __future__ import annotations

import pytest

from assistant.grounding.legal import UnresolvedArticle, resolve_articles
from assistant.grounding.models import LegalReference


class FakeCatalog:
    def __init__(self, rows):
        self.rows = rows
        self.asked: list[list[str]] = []

    def chunks_for_articles(self, ids):
        self.asked.append(list(ids))
        return [r for r in self.rows if r["meta"]["article_id"] in ids]


def _row(article_id: str, doc_id: str, text: str, ord_: int = 0, part: int | None = None,
         since: str | None = "2019-04-01") -> dict:
    return {"chunk_id": f"{doc_id}:{article_id}" + (f"~{part}" if part else ""), "doc_id": doc_id, "ord": ord_,
            "text": text, "title": f"Titre {doc_id}", "source": f"src-{doc_id}", "locator": article_id,
            "meta": {"article_id": article_id, "part": part, "in_force_since": since}}


def test_resolved_in_the_clause_order_with_roles_and_missing_ids():
    catalog = FakeCatalog([_row("L3", "code-a", "Égalité de traitement."), _row("R2111-7", "code-b", "Pas d'origine.")])
    refs = [LegalReference(article="R2111-7", role="interdit une provenance"),
            LegalReference(article="L3", role="principes"),
            LegalReference(article="R2152-7", role="critères"),
            LegalReference(article="L3", role="répété")]
    resolved, missing = resolve_articles(catalog, refs)
    assert [(b.article_id, b.role, b.text) for b in resolved] == [
        ("R2111-7", "interdit une provenance", "Pas d'origine."), ("L3", "répété", "Égalité de traitement.")]
    assert missing == ["R2152-7"]
    assert catalog.asked == [["R2111-7", "L3", "R2152-7"]]  # one lookup, without repeats
    first = resolved[0]
    assert (first.title, first.source, first.locator, first.chunk_ids, first.in_force_since) == (
        "Titre code-b", "src-code-b", "R2111-7", ["code-b:R2111-7"], "2019-04-01")


def test_parts_of_a_split_article_are_joined_in_part_order():
    catalog = FakeCatalog([_row("CCAG-FCS-6", "ccag", "Deuxième partie.", ord_=5, part=2),
                           _row("CCAG-FCS-6", "ccag", "Première partie.", ord_=4, part=1)])
    [basis], missing = resolve_articles(catalog, [LegalReference(article="CCAG-FCS-6", role="pénalités")])
    assert basis.text == "Première partie.\nDeuxième partie."
    assert basis.chunk_ids == ["ccag:CCAG-FCS-6~1", "ccag:CCAG-FCS-6~2"] and missing == []


def test_the_most_recent_version_in_force_wins_and_ties_go_to_the_first_document():
    catalog = FakeCatalog([_row("R2122-8", "b-new", "Version 2024.", since="2024-01-01"),
                           _row("R2122-8", "a-old", "Version 2019.", since="2019-04-01"),
                           _row("L3", "z-doc", "Texte Z."), _row("L3", "a-doc", "Texte A."),
                           _row("L1", "dated", "Datée.", since="2019-04-01"), _row("L1", "a-undated", "Sans date.", since=None)])
    refs = [LegalReference(article=a, role="r") for a in ("R2122-8", "L3", "L1")]
    resolved, _ = resolve_articles(catalog, refs)
    assert [(b.article_id, b.text) for b in resolved] == [("R2122-8", "Version 2024."), ("L3", "Texte A."),
                                                         ("L1", "Datée.")]


def test_nothing_to_resolve():
    assert resolve_articles(FakeCatalog([]), []) == ([], [])


def test_unresolved_article_message_is_french_and_lists_the_ids():
    error = UnresolvedArticle(["L3", "R2111-7"])
    assert error.article_ids == ["L3", "R2111-7"]
    assert str(error).startswith("article(s) introuvable(s) dans l'index : L3, R2111-7")
    with pytest.raises(LookupError):
        raise error
