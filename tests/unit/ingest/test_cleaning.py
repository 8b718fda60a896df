"""Cleaning, checked on the real files of ../shared/corpus."""

from __future__ import annotations

import re

from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import doc_id_for, resolve_metadata
from tests.conftest import SHARED_CORPUS

ALLIANCE = SHARED_CORPUS / "alliance"
GUIDES = SHARED_CORPUS / "commande-publique" / "guides"


def _texts(path):
    return [b.text for b in load_file(path).blocks]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_login_banner_removed_and_title_found():
    path = ALLIANCE / "003_299b4e29a4f4b10f.txt"
    texts = _texts(path)
    assert not any("Sauvegarder l'article" in t or "Identifiez vous" in t for t in texts)
    meta = resolve_metadata(path, SHARED_CORPUS, load_file(path), doc_id_for(path, SHARED_CORPUS))
    assert meta.title.startswith("« Réindustrialiser pour retrouver la souveraineté »")
    assert meta.doc_type == "press_article" and meta.audience == "public"
    # The photo credit printed twice is not content.
    assert not any("©" in t for t in texts)


def test_a_byline_remnant_glued_to_the_text_is_removed():
    # The 2015 article's author was lost in its page's markup, leaving « par » glued to its first sentence.
    first = next(t for t in _texts(ALLIANCE / "004_51d146f4fd5bd881.txt") if "20 juillet" in t)
    assert first.startswith("La création officielle")
    # A word that only starts with those letters is text.
    from assistant.ingest.cleaning import strip_byline_remnant
    assert strip_byline_remnant("Parfois l'acheteur") == "Parfois l'acheteur"
    assert strip_byline_remnant("par la voie") == "par la voie"


def test_membership_menu_and_trailing_blank_lines_removed():
    texts = _texts(ALLIANCE / "002_0da53852a5d3084c.txt")
    for menu in ("Adhérer en ligne", "Pourquoi adhérer ?", "Découvrir la CPME"):
        assert menu not in texts
    assert texts[-1].startswith("La méthode est claire")


def test_repeated_paragraph_kept_once():
    path = ALLIANCE / "004_51d146f4fd5bd881.txt"
    raw = path.read_text(encoding="utf-8")
    repeated = "Industrie du Futur réunit des organisations"
    assert raw.count(repeated) == 2
    assert sum(repeated in t for t in _texts(path)) == 1


def test_html_comment_stripped_and_source_kept():
    path = GUIDES / "guide-achat-indice-reparabilite__index.md"
    assert "<!--" in path.read_text(encoding="utf-8")
    doc = load_file(path)
    assert not any("<!--" in b.text or "-->" in b.text for b in doc.blocks)
    meta = resolve_metadata(path, SHARED_CORPUS, doc, doc_id_for(path, SHARED_CORPUS))
    assert meta.source.startswith("github.com/DISIC/MiNumEco")
    assert meta.doc_type == "procurement_guide" and meta.date == "2023-01-05"
    assert not any(t.startswith(("title:", "permalink:")) for t in (b.text for b in doc.blocks))


def test_pdf_line_breaks_joined():
    path = GUIDES / "guide-pratique-acheteurs-clause-sociale-formation-dec2019.txt"
    raw = path.read_text(encoding="utf-8")
    texts = _texts(path)
    # Each fragment straddles a line break of the PDF's text: found only once the lines are joined.
    for fragment in ("jeunes décrochent du système", "en situation de décrochage scolaire"):
        assert fragment not in raw
        assert any(fragment in t for t in texts), fragment


def test_whitespace_normalised_and_text_faithful():
    """Cleaning only removes: every kept paragraph appears in the source (modulo whitespace)."""
    for path in sorted(ALLIANCE.glob("*.txt")) + sorted(GUIDES.glob("*.md")):
        source = _squash(path.read_text(encoding="utf-8"))
        for block in load_file(path).blocks:
            assert "  " not in block.text and "\t" not in block.text
            for line in block.text.split("\n"):
                assert _squash(line) in source, f"{path.name}: « {line[:80]} » n'est pas dans la source"


def test_dates_detected_from_text():
    launch = ALLIANCE / "001_9e6445f9d8286af7.txt"
    old = ALLIANCE / "004_51d146f4fd5bd881.txt"
    assert resolve_metadata(launch, SHARED_CORPUS, load_file(launch), "x").date == "2026-01-28"
    assert re.match(r"2015-", resolve_metadata(old, SHARED_CORPUS, load_file(old), "y").date)
