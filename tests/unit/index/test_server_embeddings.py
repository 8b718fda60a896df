"""Embeddings from an OpenAI-compatible server (`openai:<model>@<URL>`): a real HTTP server on loopback serving
multilingual-e5-small, an index built and searched through it, its model in the index stamp, French errors."""

from __future__ import annotations

import shutil

import pytest

from assistant.index.embeddings import EmbedderError, ServerEmbeddings
from assistant.index.store import IndexStore
from assistant.index.version import IndexVersionMismatch, read_stamp
from assistant.ingest.pipeline import Ingestor
from assistant.retrieval.search import HybridSearcher
from tests.conftest import SHARED_CORPUS, make_settings
from tests.support.scripted_openai import ScriptedOpenAI


@pytest.fixture(scope="module")
def server():
    with ScriptedOpenAI() as scripted:
        yield scripted


def test_an_index_built_and_searched_through_an_embedding_server(server, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SHARED_CORPUS / "alliance", corpus / "alliance")
    settings = make_settings(tmp_path / "data", embedder=f"openai:multilingual-e5-small@{server.url}")
    index = IndexStore(settings)
    try:
        report = Ingestor(index).run([corpus])
        assert len(report.added) == 5
        assert read_stamp(index.catalog).embedder == "openai:multilingual-e5-small"
        hits = HybridSearcher(index).search("Quand l'Alliance Industrie du Futur a-t-elle été créée ?", k=3)
        assert hits and hits[0].doc_id.startswith("alliance/004")
        # e5 wants its prefixes: the server received passages and queries marked as such.
        inputs = [t for r in server.requests if r.path.endswith("/embeddings") for t in r.body["input"]]
        assert any(t.startswith("passage: ") for t in inputs) and any(t.startswith("query: ") for t in inputs)
    finally:
        index.close()
    # The same index opened with the built-in embedder is refused, in French, as for any other embedder change.
    other = IndexStore(make_settings(tmp_path / "data"))
    try:
        with pytest.raises(IndexVersionMismatch, match="openai:multilingual-e5-small"):
            other.check_version()
    finally:
        other.close()


def test_a_server_that_fails_gives_a_french_error(server):
    embedder = ServerEmbeddings(f"multilingual-e5-small@{server.url}")
    assert embedder.dim == 384
    server.embeddings_down = True
    try:
        with pytest.raises(EmbedderError, match="serveur d'embeddings .* injoignable ou réponse invalide"):
            embedder.embed_query("commande publique")
    finally:
        server.embeddings_down = False
    with pytest.raises(EmbedderError, match="mal écrit"):
        ServerEmbeddings("sans-adresse")
