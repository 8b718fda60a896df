"""Sector profiles: each matched from how buyers name the purchase, each rendering every clause type with its own
users, lots, standards and label, and guide extracts only from guides about that kind of purchase."""

from __future__ import annotations

import pytest

from assistant.clauses.models import ClauseRequest
from assistant.clauses.sectors import load_sectors
from tests.unit.clauses.test_clauses import TEMPLATE_SYNTAX, generator, library  # noqa: F401 (fixtures)

# One purchase per profile, worded as a buyer would.
PURCHASES = {
    "mobilier-scolaire": "renouvellement des tables et chaises des écoles maternelles",
    "mobilier": "fourniture de mobilier de bureau pour l'hôtel de ville",
    "textile": "vêtements de travail et chaussures de sécurité des agents des espaces verts",
    "informatique": "acquisition d'ordinateurs portables pour les services",
    "impression": "impression des supports de communication et fourniture de papier",
    "restauration": "fourniture de denrées alimentaires pour la cuisine centrale",
    "nettoyage": "nettoyage des locaux administratifs et vitrerie",
    "vehicules": "acquisition de véhicules utilitaires pour les services techniques",
    "travaux-batiment": "travaux de rénovation énergétique d'un gymnase",
}


def test_at_least_eight_profiles_each_with_users_lots_and_a_label():
    sectors = load_sectors()
    assert len(sectors.profiles) >= 8 and set(PURCHASES) == {p.id for p in sectors.profiles}
    for profile in sectors.profiles:
        assert profile.usage and len(profile.lots) >= 2 and profile.label_ref and profile.caracteristiques
        assert profile.critere_technique and profile.critere_environnemental
        assert all("ou équivalent" in norme for norme in profile.normes), profile.id


@pytest.mark.parametrize("profile_id", sorted(PURCHASES))
def test_a_purchase_is_matched_to_its_profile(profile_id):
    assert load_sectors().match(PURCHASES[profile_id]).id == profile_id


def test_a_cpv_code_names_the_profile_and_an_unknown_purchase_gets_none():
    sectors = load_sectors()
    assert sectors.match("marché de fournitures", "30213100-6").id == "informatique"
    assert sectors.match("mission d'assistance juridique") is None


@pytest.mark.parametrize("profile_id", sorted(PURCHASES))
def test_every_clause_type_renders_for_every_profile(generator, library, profile_id):  # noqa: F811
    sectors = load_sectors()
    profile = next(p for p in sectors.profiles if p.id == profile_id)
    request = ClauseRequest(object=PURCHASES[profile_id], types=list(library.types), amount=300_000, duration_months=24)
    result = generator.generate(request)
    assert {d.type_id for d in result.drafts} == set(library.types)
    texts = {d.type_id: d.text for d in result.drafts}
    for type_id, text in texts.items():
        assert not TEMPLATE_SYNTAX.search(text) and "None" not in text, type_id
    assert profile.usage in texts["besoin-performances"]
    assert profile.label_ref in texts["labels-equivalents"] and profile.caracteristiques in texts["labels-equivalents"]
    assert all(lot in texts["allotissement"] for lot in profile.lots)
    assert "[intitulé à compléter]" not in texts["allotissement"]
    assert profile.critere_technique in texts["criteres-attribution"]
    assert profile.critere_environnemental in texts["criteres-attribution"]
    for draft in result.drafts:  # a guide about another kind of purchase is never quoted
        for citation in draft.citations:
            subject = sectors.guide_subject(citation.title, citation.source)
            assert subject is None or subject in profile.guides, (profile_id, draft.type_id, citation.title)


def test_guides_about_one_kind_of_purchase_are_quoted_for_it_only(generator):  # noqa: F811
    sectors = load_sectors()
    subjects = {sectors.guide_subject(c.title, c.source)
                for d in generator.generate(ClauseRequest(object=PURCHASES["informatique"],
                                                          types=["besoin-performances", "durabilite-reparabilite",
                                                                 "cout-cycle-vie"])).drafts for c in d.citations}
    assert "numerique" in subjects
