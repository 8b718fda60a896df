"""Key figures extracted at ingest: exact values, verbatim sentences, sources, sync with the catalog."""

from __future__ import annotations

import json
import os
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.figures.extract import find_attribution, find_figures
from assistant.figures.store import FigureStore
from assistant.index.lexical import LEGAL_REF
from assistant.index.store import IndexStore
from assistant.ingest.pipeline import Ingestor
from tests.conftest import SHARED_CORPUS, make_settings, run_cli


@pytest.fixture(scope="module")
def store(shared_settings, shared_index):
    figures = FigureStore(shared_settings.figures_path)
    yield figures
    figures.close()


@pytest.fixture(scope="module")
def all_figures(store):
    figures = store.figures()
    assert len(figures) > 100, "l'indexation du corpus partagé n'a pas extrait ses chiffres clés"
    return figures


def _corpus_line(fragment: str) -> str:
    for path in (SHARED_CORPUS / "alliance").iterdir():
        for line in path.read_text(encoding="utf-8").splitlines():
            if fragment in line:
                return line
    raise AssertionError(fragment)


def test_22_percent_and_100_billion_found_with_their_exact_sentences(store, all_figures):
    hits = store.search("part des achats orientés vers la fabrication française", k=10)
    share = [h for h in hits if h.value == "22 %" and h.doc_id.startswith("alliance/")]
    assert share, [h.value for h in hits]
    assert share[0].kind == "percent" and share[0].measures == "achats"
    line = _corpus_line("seuls 22 % des achats")
    assert share[0].sentence in line and "seuls 22 % des achats" in share[0].sentence
    assert share[0].sentence[0].isupper() and share[0].sentence.endswith("."), share[0].sentence

    hits = store.search("commande publique", k=30)
    billions = [h for h in hits if h.value == "100 milliards d’euros" and h.kind == "amount"]
    assert billions, [(h.value, h.doc_id) for h in hits]
    sentences = {h.sentence for h in billions}
    # The whole sentence of the press article, read from the corpus: its opening names the public buyers.
    expected = next(s for s in sentences if "passent pour plus de 100 milliards" in s)
    assert expected in _corpus_line("passent pour plus de 100 milliards")
    assert expected.startswith("Chaque année") and expected.endswith("d’achats."), expected
    hit = next(h for h in billions if h.sentence == expected)
    assert hit.measures == "achats" and hit.unit == "milliards d’euros"
    assert hit.title and hit.date and hit.doc_type == "press_article" and hit.locator is not None


def test_every_figure_is_verbatim_in_its_sentence_and_its_sentence_in_its_chunk(shared_index, all_figures):
    chunks = shared_index.catalog.chunks_by_id({f.chunk_id for f in all_figures})
    for figure in all_figures:
        assert figure.value in figure.sentence, figure
        chunk = chunks[figure.chunk_id]
        assert figure.sentence in chunk["text"], figure
        assert figure.doc_id == chunk["doc_id"] and figure.title == chunk["title"] and figure.date == chunk["date"]
        assert figure.attribution is None or len(figure.attribution) >= 4
    assert len({f.id for f in all_figures}) == len(all_figures)
    kinds = {f.kind for f in all_figures}
    assert {"percent", "amount", "jobs", "date", "count"} <= kinds


def test_no_article_id_or_paragraph_number_becomes_a_figure(all_figures):
    for figure in all_figures:
        assert not LEGAL_REF.search(figure.value), figure.value
        assert not re.search(r"\d\s?°", figure.value), figure.value
        if re.fullmatch(r"\d+", figure.value):  # a bare number is never a figure, only a year (« dès 2026 »)
            assert figure.kind == "date" and re.fullmatch(r"(19|20)\d\d", figure.value), figure.value
    legal = [f for f in all_figures if f.doc_type == "procurement_law"]
    # Thresholds, rates and delays only: no count of a legal text other than a duration.
    assert legal and all(f.kind in ("amount", "percent") or (f.kind == "count" and f.unit.split()[0] in
                                                               ("jours", "jour", "mois", "ans", "an", "années",
                                                                "année", "semaines", "semaine", "heures"))
                         for f in legal)
    values = {f.value for f in legal}
    assert any("euros" in v for v in values)


def test_kpmg_figures_carry_their_attribution(all_figures):
    kpmg = [f for f in all_figures if f.value == "80 %" and "KPMG" in f.sentence]
    assert kpmg
    assert all(f.attribution and "KPMG" in f.attribution for f in kpmg)
    # the parliamentary report is named in the very sentence of the figure
    controlled = [f for f in all_figures if f.value == "0,008 %"]
    assert controlled and all(f.attribution and "rapport parlementaire" in f.attribution for f in controlled)


def test_extraction_rules_on_sentences():
    found = find_figures("“1 million d'euros de commandes passées en France fait vivre treize emplois.")
    assert [(f.value, f.kind) for f in found] == [("1 million d'euros", "amount"), ("treize emplois", "jobs")]
    found = find_figures("Un chiffre d'affaires de 1 M€, des marchés de 25 000 euros HT et 13 000 entreprises.")
    assert [(f.value, f.kind) for f in found] == [("1 M€", "amount"), ("25 000 euros HT", "amount"),
                                                   ("13 000 entreprises", "count")]
    assert found[0].measures == "chiffre d'affaires"
    # Compound numbers in words are figures too.
    assert [(f.value, f.kind) for f in find_figures("Un délai de quarante-cinq jours et trente-deux entreprises.")] \
        == [("quarante-cinq jours", "count"), ("trente-deux entreprises", "count")]
    # Two or more of something is written in the plural: a number followed by a singular word counts nothing.
    assert find_figures("Le reportage de France 3 diffusé hier montre deux ateliers.") == []
    assert [f.value for f in find_figures("Elle a ouvert 2 sites à 3 km de la gare, avec 120 PME.")] == \
        ["2 sites", "3 km", "120 PME"]
    found = find_figures("il est jusqu’à 1,8 fois plus coûteux ; l’Allemagne plafonne autour de 15 à 20 %.")
    assert [(f.value, f.kind) for f in found] == [("1,8 fois plus", "ratio"), ("15 à 20 %", "percent")]
    legal = ("En application de l'article R2122-8 et du 2° de l'article L. 2112-2, alinéa 3, les marchés inférieurs "
             "à 40 000 euros HT sont dispensés (décret n° 2016-360 du 25 mars 2016), soit 30 % du montant.")
    assert [f.value for f in find_figures(legal, legal=True)] == ["40 000 euros HT", "30 %"]
    assert [f.kind for f in find_figures(legal)] == ["amount", "percent"]
    assert find_attribution("Le taux atteint 12 %, d'après l'Insee.") == "d'après l'Insee"
    assert find_attribution("Selon la CPME, 60 % des achats publics portent sur des produits importés.") == "Selon la CPME"
    assert find_attribution("Une enquête de KPMG publiée fin 2025 conclut : 80 %.") == \
        "Une enquête de KPMG publiée fin 2025"
    assert find_attribution("Source : Insee, enquête annuelle.") == "Source : Insee, enquête annuelle"
    assert find_attribution("Les marchés passés selon une procédure adaptée par l'Etat.") is None
    assert find_attribution("Les prix sont révisés selon l'article R2112-14.") is None


def test_cli_json(shared_settings):
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(shared_settings.data_dir), PYTHONUNBUFFERED="1")
    result = run_cli("figures", "commande publique", "-k", "8", "--json", env=env)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert 0 < len(hits) <= 8 and [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert all(h["value"] in h["sentence"] for h in hits)
    assert any("100 milliards" in h["value"] for h in hits)
    table = run_cli("figures", "emplois", "-k", "3", env=env)
    assert table.returncode == 0 and "Chiffres clés" in table.stdout


def test_api_figures(shared_settings):
    with TestClient(create_app(shared_settings)) as client:
        response = client.get("/api/figures", params={"q": "commande publique", "k": 5})
        assert response.status_code == 200
        hits = response.json()
        assert 0 < len(hits) <= 5 and all(h["value"] in h["sentence"] for h in hits)
        assert {"value", "kind", "unit", "measures", "sentence", "attribution", "title", "date", "doc_id",
                "chunk_id", "locator"} <= set(hits[0])
        jobs = client.get("/api/figures", params={"q": "emplois", "kind": "jobs"}).json()
        assert jobs and all(h["kind"] == "jobs" for h in jobs)
        assert client.get("/api/figures", params={"q": "emplois", "kind": "kilos"}).status_code == 422
        assert client.get("/api/figures", params={"q": " "}).status_code == 422


def test_reingest_keeps_figures_and_deleting_a_document_removes_them(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note-usines.md").write_text(
        "---\ntitle: Note usines\ndoc_type: note\ndate: 2026-02-01\n---\n\n# Usines\n\n"
        "Selon l'Insee, la France compte 13 000 entreprises industrielles de plus de dix salariés. "
        "Leur production représente 12,5 % du PIB.\n", encoding="utf-8")
    (corpus / "note-adherents.md").write_text(
        "---\ntitle: Note réservée\ndoc_type: note\naudience: members\ndate: 2026-03-01\n---\n\n# Emplois\n\n"
        "Le programme zorglub a créé 250 emplois en 2025 pour un budget de 3 millions d'euros.\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data")
    index = IndexStore(settings)
    try:
        Ingestor(index).run([corpus])
        store = FigureStore(settings.figures_path)
        first = store.figures()
        values = {f.value for f in first}
        assert {"13 000 entreprises", "12,5 %", "250 emplois", "3 millions d'euros", "2025"} <= values
        insee = next(f for f in first if f.value == "13 000 entreprises")
        assert insee.attribution == "Selon l'Insee" and insee.title == "Note usines" and insee.date == "2026-02-01"
        generation = store.generation()

        again = Ingestor(index).run([corpus])
        assert again.unchanged == 2
        second = store.figures()
        assert [f.id for f in second] == [f.id for f in first] and store.generation() == generation

        # The API hides the figures of documents above the caller's audience (anonymous: public).
        with TestClient(create_app(settings)) as client:
            assert client.get("/api/figures", params={"q": "zorglub emplois"}).json() == []
            assert client.get("/api/figures", params={"q": "entreprises industrielles"}).json()
        assert store.search("zorglub emplois", k=5, audiences=["members"])

        (corpus / "note-adherents.md").unlink()
        pruned = Ingestor(index).run([corpus], prune=True)
        assert pruned.removed == ["note-adherents"]
        assert not store.figures("note-adherents") and store.search("zorglub", k=5) == []
        assert {f.id for f in store.figures()} == {f.id for f in first if f.doc_id == "note-usines"}
        store.close()
    finally:
        index.close()


def test_quotations_are_extracted_with_their_speaker_at_ingest(shared_container):
    store = shared_container.figures
    store.ensure_synced(shared_container.index.catalog)
    quotes = store.quotations(["public"])
    assert quotes, "les articles de presse citent des personnes nommées"
    # Each quotation is a slice of its passage, its speaker a named person of the same passage.
    rows = shared_container.index.catalog.chunks_by_id({q.chunk_id for q in quotes})
    for quote in quotes:
        text = rows[quote.chunk_id]["text"]
        assert quote.text in text and quote.speaker.split()[-1] in text
        assert quote.doc_type != "procurement_law"
    # alliance/003: the CPME Normandy president is quoted with his role.
    assert any(q.speaker == "André Festou" and "CPME Normandie" in q.role for q in quotes)
    assert store.quotations(["staff"]) == [q for q in store.quotations() if q.audience == "staff"]
