"""Citation verification: markers resolved, unsupported claims dropped, sources numbered by first use."""

from __future__ import annotations

import pytest

from assistant.grounding.verify import CitationVerifier, check_support, facts, verify_stream
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import doc_id_for, resolve_metadata
from assistant.models import SearchHit
from tests.conftest import CODE_DIR, SHARED_CORPUS


def _hit(chunk, rank=1) -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=chunk.doc_id, title="Code", doc_type="procurement_law",
                     source="code", locator=chunk.locator, chunk_id=chunk.chunk_id, text=chunk.text, meta=chunk.meta)


@pytest.fixture(scope="module")
def articles():
    path = next(CODE_DIR.glob("018-*choix-de-la-procedure*.md"))
    doc = load_file(path)
    chunks = chunk_document(resolve_metadata(path, SHARED_CORPUS, doc, doc_id_for(path, SHARED_CORPUS)), doc)
    return {c.meta["article_id"]: c for c in chunks}


def test_facts_normalise_numbers_and_keep_article_ids():
    assert facts("moins de 100 000 euros HT, soit 1,8 fois, selon l'article R. 2122-8") == {"100000", "1.8", "R2122-8"}
    assert facts("22 % des achats") == {"22"}
    assert facts("le plan 2015-2020") == {"2015", "2020"}  # a span of years is two years


def test_supported_and_unsupported_claims(articles):
    passage = articles["R2122-8"].text
    assert check_support("Un marché de travaux inférieur à 100 000 euros hors taxes peut être passé sans publicité.",
                         passage).ok
    wrong_amount = check_support("Un marché de travaux inférieur à 150 000 euros hors taxes peut être passé sans publicité.",
                                 passage)
    assert not wrong_amount.ok and wrong_amount.missing_facts == ["150000"]
    assert not check_support("Les pénalités de retard sont plafonnées pour les PME.", passage).ok


def test_verifier_drops_bad_markers_and_renumbers(articles):
    retrieved = [_hit(articles["R2122-1"], 1), _hit(articles["R2122-8"], 2)]
    text = ("Sous 100 000 euros hors taxes, un marché de travaux peut être passé sans publicité ni mise en concurrence [2]. "
            "Le seuil est de 200 000 euros pour les fournitures [2]. "
            "Une source inventée est citée ici [7]. "
            "Pour les fournitures et services, le montant est de 60 000 euros hors taxes [2][2].")
    result = CitationVerifier(retrieved)
    verified = "".join(verify_stream(iter([text]), result))  # as the engine checks a draft
    assert [c.n for c in result.citations] == [1]
    assert result.citations[0].chunk_id == articles["R2122-8"].chunk_id
    assert "100 000 euros hors taxes" in result.citations[0].quote
    assert verified.count("[1]") == 2 and "[2]" not in verified and "[7]" not in verified
    assert len(result.removed) == 2
    assert verified.endswith("60 000 euros hors taxes [1].")
