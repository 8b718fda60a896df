"""An optional reranking server reorders the fused head of a search (both request shapes), never the exact article
references, and a server that fails leaves the fused order (search does not fail)."""

from __future__ import annotations

import pytest

from assistant.retrieval.rerank import Reranker
from assistant.retrieval.search import HybridSearcher
from tests.support.scripted_openai import ScriptedOpenAI


@pytest.fixture(scope="module")
def server():
    with ScriptedOpenAI() as scripted:
        yield scripted


@pytest.mark.parametrize("api", ["tei", "cohere"])
def test_the_server_s_order_is_the_search_order(shared_index, server, api):
    query = "commande publique et produits fabriqués en France"
    fused = HybridSearcher(shared_index).search(query, k=10)
    # A server that prefers what the fused order put last.
    last = fused[-1].text
    server.rerank = lambda q, texts: [1.0 if t == last else 0.0 for t in texts]
    try:
        reranked = HybridSearcher(shared_index, Reranker(server.url, api=api, top=10)).search(query, k=10)
    finally:
        server.rerank = None
    assert reranked[0].chunk_id == fused[-1].chunk_id
    assert {h.chunk_id for h in reranked} == {h.chunk_id for h in fused}
    sent = [r.body for r in server.requests if r.path.endswith("/rerank")][-1]
    assert ("texts" if api == "tei" else "documents") in sent and sent["query"] == query


def test_exact_references_stay_first_and_a_failing_server_changes_nothing(shared_index, server):
    server.rerank = None  # answers 503
    plain = HybridSearcher(shared_index).search("délai de paiement des pouvoirs adjudicateurs", k=5)
    degraded = HybridSearcher(shared_index, Reranker(server.url)).search("délai de paiement des pouvoirs adjudicateurs",
                                                                          k=5)
    assert [h.chunk_id for h in degraded] == [h.chunk_id for h in plain]
    server.rerank = lambda q, texts: list(range(len(texts)))
    hits = HybridSearcher(shared_index, Reranker(server.url)).search("R2192-10", k=3)
    assert hits[0].locator.startswith("R2192-10") or "R2192-10" in hits[0].locator
