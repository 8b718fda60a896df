"""Entity care: which organisation a question names, which ones a passage speaks of, and its lines about one."""

from __future__ import annotations

import pytest

from assistant.grounding.entities import EntityTagger, load_entities, question_entities
from assistant.models import SearchHit

AFF, AIF = "fabrique-en-france", "industrie-du-futur"


class FakeCatalog:
    """What the tagger reads of the catalog: a generation number, documents and their chunks."""

    def __init__(self, docs: dict[str, tuple[str, list[str]]]):
        self.docs = docs
        self.gen = 1
        self.reads = 0

    def generation(self) -> int:
        return self.gen

    def document(self, doc_id):
        self.reads += 1
        return {"title": self.docs[doc_id][0]} if doc_id in self.docs else None

    def chunk_rows(self, doc_id):
        return [{"text": t} for t in self.docs.get(doc_id, ("", []))[1]]


def _hit(text: str, doc_id: str = "doc", locator: str = "") -> SearchHit:
    return SearchHit(rank=1, score=1.0, doc_id=doc_id, title="Note", doc_type="note", source="s",
                     locator=locator, chunk_id=f"{doc_id}:1", text=text)


# --- question_entities ---------------------------------------------------------------------------

@pytest.mark.parametrize("question, named, ambiguous, organisations", [
    ("Que fait l’Alliance du Fabriqué en France ?", [AFF], False, []),
    ("Qui préside l'Alliance pour l'Industrie du Futur ?", [AIF], False, []),
    ("QUE PROPOSE L'ALLIANCE   FABRIQUÉ  EN FRANCE ?", [AFF], False, []),  # case, spacing, accents
    ("Que fait l'Alliance ?", [], True, []),
    ("Quel est le rôle de la CPME et de Bpifrance ?", [], False, ["cpme", "bpifrance"]),
    ("L'Alliance travaille-t-elle avec le MEDEF ?", [], True, ["medef"]),
    ("Quel est le seuil de la procédure adaptée ?", [], False, []),
])
def test_question_entities(question, named, ambiguous, organisations):
    found = question_entities(question)
    assert [e.id for e in found.named] == named
    assert found.ambiguous is ambiguous
    assert [o.id for o in found.organisations] == organisations


def test_naming_both_entities_is_not_ambiguous():
    found = question_entities("Quelle différence entre l'Alliance du Fabriqué en France et l'Alliance Industrie du Futur ?")
    assert [e.id for e in found.named] == [AFF, AIF] and not found.ambiguous


def test_entity_name_in_and_strip_from():
    aif = next(e for e in load_entities().entities if e.id == AIF)
    assert aif.named_in("l'alliance pour l'industrie du futur") and not aif.named_in("l'alliance du fabrique en france")
    assert aif.name_in("Que fait l’Alliance ?") == "Que fait l’Alliance Industrie du Futur ?"
    assert aif.name_in("Quel est le seuil ?") == "Quel est le seuil ?"
    assert aif.strip_from("Quand l’Alliance Industrie du Futur a-t-elle été créée ?") == \
        "Quand l’Alliance a-t-elle été créée ?"
    assert aif.strip_from("Quand la CPME a-t-elle été créée ?") == "Quand la CPME a-t-elle été créée ?"


# --- EntityTagger.passage_entities ---------------------------------------------------------------

def test_passage_entities_from_the_passage_or_its_locator():
    tagger = EntityTagger(FakeCatalog({}))
    assert tagger.passage_entities(_hit("L'Alliance Industrie du Futur réunit des fédérations.")) == {AIF}
    assert tagger.passage_entities(_hit("Ses membres se réunissent.", locator="Alliance du Fabriqué en France")) == {AFF}
    both = _hit("L'Alliance du Fabriqué en France et l'Alliance Industrie du Futur se sont rencontrées.")
    assert tagger.passage_entities(both) == {AFF, AIF}


def test_passage_entities_from_the_document_only_when_it_names_a_single_one():
    catalog = FakeCatalog({
        "one": ("Communiqué de l'Alliance du Fabriqué en France", ["Elle lance un label."]),
        "two": ("Comparaison", ["L'Alliance du Fabriqué en France…", "L'Alliance Industrie du Futur…"]),
        "none": ("Guide d'achat", ["Le seuil est de 40 000 euros."]),
    })
    tagger = EntityTagger(catalog)
    assert tagger.passage_entities(_hit("Elle lance un label.", "one")) == {AFF}
    assert tagger.passage_entities(_hit("Elle lance un label.", "two")) == frozenset()
    assert tagger.passage_entities(_hit("Le seuil est de 40 000 euros.", "none")) == frozenset()
    assert tagger.passage_entities(_hit("Texte.", "missing")) == frozenset()


def test_document_entities_are_cached_until_the_catalog_changes():
    catalog = FakeCatalog({"one": ("Alliance du Fabriqué en France", ["Elle lance un label."])})
    tagger = EntityTagger(catalog)
    hit = _hit("Elle lance un label.", "one")
    tagger.passage_entities(hit)
    tagger.passage_entities(hit)
    assert catalog.reads == 1
    catalog.docs["one"] = ("Alliance Industrie du Futur", ["Elle lance un label."])
    catalog.gen += 1
    assert tagger.passage_entities(hit) == {AIF} and catalog.reads == 2


# --- EntityTagger.view ----------------------------------------------------------------------------

COMPARISON = "\n".join([
    "Deux organisations aux noms proches.",
    "## Alliance du Fabriqué en France",
    "Créée pour promouvoir la fabrication française.",
    "Elle compte des fédérations membres.",
    "## Alliance Industrie du Futur",
    "Elle accompagne la modernisation des usines.",
    "L'Alliance Industrie du Futur et l'Alliance du Fabriqué en France échangent parfois.",
])


def test_view_keeps_the_lines_of_one_entity_verbatim():
    tagger = EntityTagger(FakeCatalog({}))
    hit = _hit(COMPARISON)
    aff = tagger.view(hit, AFF)
    assert aff.text == "\n".join([
        "Deux organisations aux noms proches.",
        "## Alliance du Fabriqué en France",
        "Créée pour promouvoir la fabrication française.",
        "Elle compte des fédérations membres.",
        "L'Alliance Industrie du Futur et l'Alliance du Fabriqué en France échangent parfois.",
    ])
    aif = tagger.view(hit, AIF)
    assert aif.text == "\n".join([
        "Deux organisations aux noms proches.",
        "## Alliance Industrie du Futur",
        "Elle accompagne la modernisation des usines.",
        "L'Alliance Industrie du Futur et l'Alliance du Fabriqué en France échangent parfois.",
    ])
    assert aif.chunk_id == hit.chunk_id and hit.text == COMPARISON


def test_a_sentence_naming_one_entity_does_not_open_its_part():
    tagger = EntityTagger(FakeCatalog({}))
    text = ("L'Alliance Industrie du Futur a été fondée par des industriels.\n"
            "Cette ligne reste commune.\n"
            "## Alliance du Fabriqué en France\n"
            "Elle défend la fabrication française.")
    assert tagger.view(_hit(text), AIF).text == (
        "L'Alliance Industrie du Futur a été fondée par des industriels.\nCette ligne reste commune.")


def test_view_of_a_passage_about_one_entity_is_the_passage():
    tagger = EntityTagger(FakeCatalog({}))
    hit = _hit("L'Alliance Industrie du Futur réunit des fédérations.")
    assert tagger.view(hit, AFF) is hit
    assert tagger.entity(AIF).label == "l'Alliance Industrie du Futur"
