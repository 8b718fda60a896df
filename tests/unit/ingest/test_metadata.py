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


# --- titles ------------------------------------------------------------------------------------

def _title_of(tmp_path, name: str, text: str, front: str = "") -> str:
    from assistant.ingest.loaders import load_file
    from assistant.ingest.metadata import doc_id_for, resolve_metadata
    path = tmp_path / "presse" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front + text, encoding="utf-8")
    return resolve_metadata(path, tmp_path, load_file(path), doc_id_for(path, tmp_path)).title


LONG_OPENING = ("Ils étaient tous là, autour de la même table, pour la première fois depuis des années. Le 3 mars 2025, "
                "à Lyon, les organisations ont présenté leur programme commun pour l'industrie. " * 2)


def test_a_document_without_a_title_is_never_named_by_its_first_sentence(tmp_path):
    # A title line opens the text: it is the title (a PDF's may close on a full stop).
    assert _title_of(tmp_path, "a.txt", "Les PME et la commande publique\n\n" + LONG_OPENING) == \
        "Les PME et la commande publique"
    assert _title_of(tmp_path, "b.txt", "Dispositif des clauses sociales de formation.\n\n" + LONG_OPENING) == \
        "Dispositif des clauses sociales de formation"
    # A text that opens on its first paragraph: where and when it was published…
    assert _title_of(tmp_path, "c.md", LONG_OPENING, "---\nsource: https://www.exemple-presse.fr/article/42\n"
                     "date: 2025-03-04\n---\n") == "exemple-presse.fr, 4 mars 2025"
    # …else what it is and its date, else its file name.
    assert _title_of(tmp_path, "d.md", LONG_OPENING, "---\ndoc_type: press_article\ndate: 2025-03-04\n---\n") == \
        "Article de presse du 4 mars 2025"
    undated = "Ils étaient tous là, autour de la même table. Les organisations ont présenté leur programme. " * 3
    assert _title_of(tmp_path, "revue_de_presse.md", undated, "---\ndoc_type: note\n---\n") == "revue de presse"
