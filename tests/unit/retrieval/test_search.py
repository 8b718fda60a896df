"""Hybrid search over the real shared corpus (index built once per session)."""

from __future__ import annotations

import json

import pytest

from assistant.index.filters import SearchFilters
from assistant.retrieval.search import HybridSearcher
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def searcher(shared_index):
    return HybridSearcher(shared_index)


def test_whole_shared_corpus_is_indexed(shared_index):
    counts = shared_index.catalog.counts()
    assert counts["documents"] == 72 and counts["chunks"] > 800
    assert shared_index.vectors.count() == counts["chunks"]


@pytest.mark.parametrize("query, article", [
    ("seuil en dessous duquel un marché de travaux peut être passé sans publicité", "R2122-8"),
    ("R2152-7", "R2152-7"),
    ("R. 2122-8", "R2122-8"),
    ("que dit l'article L. 2112-2 ?", "L2112-2"),
    ("article 6 du CCAG FCS", "CCAG-FCS-6"),
])
def test_acceptance_queries_return_the_article_first(searcher, query, article):
    hits = searcher.search(query, k=5)
    assert hits[0].meta["article_id"] == article, [h.locator for h in hits]


def test_alliance_figures_found(searcher):
    hits = searcher.search("Combien d'emplois soutient un million d'euros d'achats fabriqués en France ?", k=3)
    assert any("treize emplois" in h.text for h in hits)
    hits = searcher.search("Quelle part des achats est orientée vers la fabrication française ?", k=3)
    assert any("22 %" in h.text for h in hits)


def test_amount_matches_without_separator(searcher):
    hits = searcher.search("100000 euros travaux sans publicité", k=5)
    assert "R2122-8" in [h.meta.get("article_id") for h in hits]


def test_filters_apply_before_ranking(searcher):
    hits = searcher.search("R2152-7 critères d'attribution", k=10, filters=SearchFilters(doc_type=["press_article"]))
    assert hits and all(h.doc_type == "press_article" for h in hits)
    hits = searcher.search("Alliance Industrie du Futur", k=10, filters=SearchFilters(date_from="2020-01-01"))
    assert all(h.date and h.date >= "2020" for h in hits)
    assert not searcher.search("commande publique", k=5, filters=SearchFilters(audience=["staff"]))



def test_cli_search_json(shared_settings, cli_env):
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    result = run_cli("search", "R2152-7", "--json", "-k", "3", env=cli_env)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and hits[0]["rank"] == 1 and hits[0]["locator"] == "R2152-7"
    for key in ("rank", "score", "doc_id", "title", "doc_type", "source", "locator", "chunk_id", "text"):
        assert key in hits[0]
    stats = json.loads(run_cli("stats", "--json", env=cli_env).stdout)
    assert stats["documents"] == 72


def test_cli_search_on_empty_index_is_a_clear_french_error(cli_env):
    result = run_cli("search", "lots", env=cli_env)
    assert result.returncode == 1
    assert "lancez d'abord `assistant ingest" in result.stderr


def test_cli_rejects_bad_filters_in_french(shared_settings, cli_env):
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    result = run_cli("search", "lots", "--audience", "vip", env=cli_env)
    assert result.returncode == 1 and "public inconnu « vip »" in result.stderr
