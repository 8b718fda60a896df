"""Structure-aware chunking on the real Code de la commande publique and on other documents."""

from __future__ import annotations

import re

from assistant.ingest.chunking import MAX_WORDS, chunk_document
from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import doc_id_for, resolve_metadata
from assistant.text.normalize import word_count
from tests.conftest import CODE_DIR, ROOT, SHARED_CORPUS

_HEADING = re.compile(r"^## Article (.+?)\s*$", re.MULTILINE)


def _chunks(path, root=SHARED_CORPUS):
    doc = load_file(path)
    return chunk_document(resolve_metadata(path, root, doc, doc_id_for(path, root)), doc)


def test_every_article_is_its_own_chunk_with_its_id_and_position():
    total = 0
    for path in sorted(CODE_DIR.glob("*.md")):
        source = path.read_text(encoding="utf-8")
        expected = [h.replace(" ", "") for h in _HEADING.findall(source)]
        chunks = _chunks(path)
        ids = list(dict.fromkeys(c.meta["article_id"] for c in chunks))
        assert ids == expected, path.name
        for chunk in chunks:
            assert chunk.locator == chunk.meta["article_id"]
            assert "## Article" not in chunk.text
            assert chunk.meta["position"].count("›") >= 1
            assert chunk.embed_text.startswith(f"Article {chunk.locator}")
            # The chunk's text lies inside its own article in the source, never across two.
            article_body = source.split(f"## Article {chunk.locator}\n", 1)[1].split("\n## Article ", 1)[0]
            for line in chunk.text.split("\n"):
                assert " ".join(line.split()) in " ".join(article_body.split())
            assert chunk.meta["in_force_since"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", chunk.meta["in_force_since"])
        total += len(set(ids))
    assert total >= 700


def test_known_article_text_and_chapter():
    chunks = {c.meta["article_id"]: c for p in CODE_DIR.glob("*.md") for c in _chunks(p)}
    r2122_8 = chunks["R2122-8"]
    assert "100 000 euros hors taxes pour les marchés de travaux" in r2122_8.text
    assert r2122_8.meta["chapter"] == "Marchés passés sans publicité ni mise en concurrence préalables"
    assert r2122_8.chunk_id.endswith(":R2122-8")
    assert "R2152-7" in chunks and "L2112-2" in chunks


def test_long_ccag_articles_are_split_in_parts_keeping_their_id():
    path = SHARED_CORPUS / "commande-publique" / "ccag" / "007-ccag-fournitures-et-services-chapitre-1er-generalites.md"
    chunks = _chunks(path)
    assert {c.meta["article_id"] for c in chunks} == {f"CCAG-FCS-{i}" for i in range(1, 10)}
    for chunk in chunks:
        assert chunk.locator == f"CCAG-FCS art. {chunk.meta['article_id'].rsplit('-', 1)[1]}"
        assert word_count(chunk.text) <= 460
    split = [c for c in chunks if c.meta["parts"] > 1]
    assert split and all(c.chunk_id.endswith(f"~{c.meta['part']}") for c in split)


def test_other_documents_follow_headings_and_sizes():
    for path in sorted((SHARED_CORPUS / "commande-publique" / "guides").glob("*")) + sorted((ROOT / "corpus").glob("fiche-*.md")):
        chunks = _chunks(path, path.parent)
        assert chunks, path.name
        for chunk in chunks:
            assert word_count(chunk.text) <= int(MAX_WORDS * 1.3) + 5, (path.name, chunk.locator)
            assert chunk.locator
        big = [c for c in chunks if word_count(c.text) >= 150]
        if sum(word_count(c.text) for c in chunks) > 1500:
            assert len(big) >= len(chunks) // 2, path.name  # not shredded into tiny pieces


def test_chunk_ids_are_stable():
    path = SHARED_CORPUS / "alliance" / "001_9e6445f9d8286af7.txt"
    first, second = _chunks(path), _chunks(path)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert [c.text for c in first] == [c.text for c in second]
    assert len({c.chunk_id for c in first}) == len(first)
