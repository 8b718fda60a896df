"""Metadata rules: dates found in the text, legal texts, audience names, folder types, corpus.yaml sidecars."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.loaders import LoadError
from assistant.ingest.metadata import (
    detect_date,
    folder_doc_type,
    is_legal_text,
    legal_position,
    normalize_audience,
    sidecar_meta,
)
from assistant.models import Block, LoadedDocument


def _paras(*texts: str) -> LoadedDocument:
    return LoadedDocument([Block("para", t) for t in texts])


# --- detect_date -------------------------------------------------------------------------------

@pytest.mark.parametrize("texts, date", [
    (("Paris, le 1er mars 2025 — l'Alliance annonce un label.", "Suite."), "2025-03-01"),
    (("Publié le 28 Janvier 2026.",), "2026-01-28"),
    (("Communiqué du 5 décembre 2023.",), "2023-12-05"),  # accented month
    (("Un texte sans date.", "Rédigé en août 2024."), "2024-08"),  # month and year at the end
])
def test_detect_date(texts, date):
    assert detect_date(_paras(*texts)) == date


def test_no_date_detected():
    assert detect_date(_paras("Rien de daté.")) is None
    assert detect_date(LoadedDocument([])) is None
    # « mois AAAA » only counts in a short last paragraph (a signature line), not in running text
    assert detect_date(_paras("Un texte sans date.", "Rédigé en mars 2024. " + "Suite du texte. " * 20)) is None
    # headings are not read
    assert detect_date(LoadedDocument([Block("heading", "Le 1er mars 2025"), Block("para", "Texte.")])) is None


def test_full_date_only_near_the_start():
    # beyond the first 1500 characters the day is not read; a short closing line still gives the month
    assert detect_date(_paras("Introduction. " * 120, "Signé le 2 mai 2022.")) == "2022-05"
    assert detect_date(_paras("Introduction. " * 120, "Signé le 2 mai 2022.", "Fin.")) is None


def test_impossible_date_is_not_returned():
    assert detect_date(_paras("Paris, le 31 février 2025.")) != "2025-02-31"


# --- legal texts ----------------------------------------------------------------------------------

CODE_EXTRACT = LoadedDocument([
    Block("para", "> Partie réglementaire › Livre Ier › Titre II › **Chapitre II**"),
    Block("heading", "Article R2122-8", 2), Block("para", "Texte.")])


def test_is_legal_text_by_article_headings():
    assert is_legal_text(CODE_EXTRACT)
    assert is_legal_text(LoadedDocument([Block("heading", "Article CCAG Fournitures et services 6")]))
    assert not is_legal_text(_paras("Article R2122-8"))  # a paragraph is not an article heading
    assert not is_legal_text(LoadedDocument([Block("heading", "Articles de presse")]))
    assert not is_legal_text(LoadedDocument([Block("heading", "Article 6 : les délais")]))


def test_legal_position_is_the_breadcrumb_line_without_markup():
    assert legal_position(CODE_EXTRACT) == "Partie réglementaire › Livre Ier › Titre II › Chapitre II"
    assert legal_position(_paras("Pas de fil d'Ariane.")) is None


# --- normalize_audience ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, audience", [("public", "public"), (None, "public"), ("", "public"),
                                             ("Membres", "members"), ("adhérents", "members"),
                                             ("Équipe", "staff"), ("interne", "staff")])
def test_normalize_audience(value, audience):
    assert normalize_audience(value) == audience


def test_unknown_audience_is_a_french_error():
    with pytest.raises(LoadError, match="audience inconnue « vip »"):
        normalize_audience("vip")


# --- folder_doc_type ------------------------------------------------------------------------------

@pytest.mark.parametrize("path, doc_type", [
    ("/corpus/code/x.md", "procurement_law"),
    ("/corpus/Guides/x.md", "procurement_guide"),  # case
    ("/corpus/Communiqués/x.md", "press_release"),  # accents
    ("/corpus/guides/alliance/x.md", "press_article"),  # the deepest folder wins
    ("/corpus/autre/x.md", None),
    ("/corpus/x.md", None),
])
def test_folder_doc_type(path, doc_type):
    assert folder_doc_type(Path(path), Path("/corpus")) == doc_type


def test_folder_doc_type_reads_the_root_folder_name_too():
    assert folder_doc_type(Path("/data/code/x.md"), Path("/data/code")) == "procurement_law"


# --- sidecar_meta -----------------------------------------------------------------------------------

def test_sidecar_defaults_and_file_patterns_inner_ones_win(tmp_path):
    (tmp_path / "presse").mkdir()
    (tmp_path / "corpus.yaml").write_text("defaults: {audience: members, source: racine}\n"
                                          "files: {'presse/*.md': {doc_type: press_article}}\n", encoding="utf-8")
    (tmp_path / "presse" / "corpus.yaml").write_text("defaults: {source: presse}\n"
                                                     "files: {'a.md': {date: 2024-05-02}}\n", encoding="utf-8")
    meta = sidecar_meta(tmp_path / "presse" / "a.md", tmp_path)
    assert meta == {"audience": "members", "source": "presse", "doc_type": "press_article",
                    "date": __import__("datetime").date(2024, 5, 2)}
    assert sidecar_meta(tmp_path / "presse" / "b.md", tmp_path) == {"audience": "members", "source": "presse",
                                                                    "doc_type": "press_article"}


def test_no_sidecar_no_metadata(tmp_path):
    assert sidecar_meta(tmp_path / "a.md", tmp_path) == {}


def test_invalid_sidecar_is_a_french_error(tmp_path):
    (tmp_path / "corpus.yaml").write_text("- une liste\n- pas un dictionnaire\n", encoding="utf-8")
    with pytest.raises(LoadError, match="invalide"):
        sidecar_meta(tmp_path / "a.md", tmp_path)
