"""Who says a quotation, read as the press writes it; a quotation nobody named says is never attributed."""

from __future__ import annotations

import pytest

from assistant.text.quotes import quotations, speaker_of, whole_quotation
from tests.conftest import SHARED_CORPUS


@pytest.mark.parametrize(("passage", "name", "role"), [
    ("« Il faut acheter mieux et plus durable dans nos collectivités », affirme Jeanne Exemple, présidente "
     "de la fédération. La suite.", "Jeanne Exemple", "présidente de la fédération"),
    ("“Les marchés publics doivent servir l'emploi local et durable”, selon Paul Modèle, délégué général.",
     "Paul Modèle", "délégué général"),
    ("Marie Témoin, directrice d'usine : « Nous avons embauché vingt personnes cette année dans l'atelier. »",
     "Marie Témoin", "directrice d'usine"),
    ("Jean Dupont-Martin, maire de la commune, a présenté le projet. « Nous voulons des achats responsables et "
     "locaux pour nos écoles », ajoute-t-il.", "Jean Dupont-Martin", "maire de la commune"),
    # The speaker, a verb of saying in the past and a circumstance, then the colon.
    ("Lucie Exemple l'a dit devant les élus : « Nos ateliers tournent à plein depuis le début de l'année. »",
     "Lucie Exemple", ""),
    ("Paul Modèle a rappelé en ouvrant la séance : « Chaque marché doit laisser sa chance aux petites entreprises. »",
     "Paul Modèle", ""),
    # The speaker given by a role the passage gave a named person before.
    ("Marie Témoin, présidente de la fédération régionale, ouvre la journée. Plus tard : « Nos entreprises savent "
     "produire ici, à condition qu'on leur confie des commandes. », conclut la présidente de la fédération régionale.",
     "Marie Témoin", "présidente de la fédération régionale"),
])
def test_the_speaker_is_read_as_the_press_writes_it(passage, name, role):
    ((_, _, who),) = quotations(passage)
    assert (who.name, who.role) == (name, role)


def test_a_quotation_nobody_named_says_is_not_attributed():
    passage = "« L'enjeu est de sécuriser les pratiques d'achat des collectivités », précise un communiqué."
    assert quotations(passage) == [] and speaker_of(passage, passage) is None
    # A role nobody in the passage holds names nobody.
    passage = ("Marie Témoin, présidente de la fédération, ouvre la journée. « Les commandes publiques doivent "
               "venir aux ateliers du territoire », conclut le directeur de l'usine.")
    assert quotations(passage) == []


def test_a_quotation_cut_by_the_sentence_splitter_is_quoted_whole():
    passage = ("Le maire Jean Exemple parle : « Nous achetons français. Nous achetons durable et réparable "
               "pour longtemps », affirme-t-il. Fin.")
    sentences = ["Le maire Jean Exemple parle : « Nous achetons français.",
                 "Nous achetons durable et réparable pour longtemps », affirme-t-il.", "Fin."]
    assert whole_quotation(sentences[1], passage, sentences) == sentences[:2]


def test_the_press_articles_quotations_have_their_speakers():
    named = {who.name for path in (SHARED_CORPUS / "alliance").glob("*.txt")
             for _, _, who in quotations(path.read_text(encoding="utf-8"))}
    assert {"Arnaud Montebourg", "Clarisse Maillet"} <= named
