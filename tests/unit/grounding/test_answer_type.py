"""Expected answer type: a date for « depuis quand », a quantity for « combien », and which sentences give one."""

from __future__ import annotations

import pytest

from assistant.grounding.answer_type import DATE, ENUMERATION, QUANTITY, expected_type, gives, listed_noun


@pytest.mark.parametrize("question, kind", [
    ("Depuis quand la règle s'applique-t-elle ?", DATE),
    ("À partir de quand ?", DATE),
    ("Et la fédération, elle a été fondée quand ?", DATE),  # « quand » after the event, as people speak
    ("Jusqu’à quand l'offre est-elle valable ?", DATE),  # typographic apostrophe
    ("En quelle année l'association est-elle née ?", DATE),
    ("Combien coûte l'adhésion ?", QUANTITY),
    ("Quel est le montant du seuil ?", QUANTITY),
    ("Quels sont les délais ?", QUANTITY),
    ("À partir de quel montant faut-il publier ?", QUANTITY),
    ("Pourquoi acheter français ?", None),
    ("Quelle est la procédure ?", None),
    ("Quelles entreprises sont concernées ?", ENUMERATION),  # several things, named by the plural noun
    ("Quels sont les axes du plan de la fédération ?", ENUMERATION),
    ("Lesquels sont exclus ?", ENUMERATION),
])
def test_expected_type(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize("sentence, date, quantity", [
    ("Depuis 2019, la règle s'applique.", True, False),
    ("Le label date de mars 2021.", True, False),
    ("Le texte entre en vigueur le 1er juillet.", True, False),
    ("Vingt-cinq entreprises participent.", False, True),
    ("Le taux atteint 5%.", False, True),
    ("Le seuil est fixé à 90 000 euros.", False, True),
    ("Le plan compte des volets distincts.", False, False),
    ("Voir le titre III du livre II.", False, False),
    # « une fois <participe> » is a conjunction; « une fois par an » a frequency.
    ("Une fois le dossier déposé, le service répond.", False, False),
    ("Le comité se réunit une fois par an.", False, True),
    ("Le montant est révisé deux fois.", False, True),
])
def test_gives(sentence, date, quantity):
    assert gives(DATE, sentence) is date
    assert gives(QUANTITY, sentence) is quantity


@pytest.mark.parametrize("sentence, listed", [
    ("Le plan a trois axes : l'export ; la formation ; l'investissement.", True),
    ("La fédération réunit : les scieries, les menuisiers et les charpentiers.", True),
    ("L'acheteur peut : 1° Allotir ; 2° Réserver un lot.", True),
    ("Le plan a été présenté le 3 mars, à Lyon, devant la presse.", False),  # commas, but no items announced
    ("Le plan a trois axes.", False),
])
def test_gives_an_enumeration(sentence, listed):
    assert gives(ENUMERATION, sentence) is listed


@pytest.mark.parametrize("question, noun", [
    ("Quels sont les grands axes du plan ?", "axes"),
    ("Quelles mesures la fédération propose-t-elle ?", "mesur"),
    ("Quelle est la durée ?", None),
])
def test_listed_noun(question, noun):
    assert listed_noun(question) == noun


# --- the finer kind of value asked for, which the answer-type guard checks --------------------------------------
from assistant.grounding.answer_type import AMOUNT, COUNT, DURATION, PERCENT, PERSON, asked_value, states  # noqa: E402


@pytest.mark.parametrize("question, kind", [
    ("Combien d'euros coûte l'abonnement ?", AMOUNT),
    ("Quel est le plafond des pénalités ?", AMOUNT),
    ("À partir de quelle somme faut-il un écrit ?", AMOUNT),
    ("Quels sont les plafonds des indemnités de résiliation ?", AMOUNT),  # the amounts asked in the plural
    ("À combien s'élèvent les crédits ouverts pour ce programme ?", AMOUNT),
    ("Quelle pénalité en cas de retard de livraison ?", AMOUNT),  # a sum owed, or the share of a sum it is set at
    ("Combien sont rémunérés les experts de la commission ?", AMOUNT),  # what someone is paid
    ("Quelle est la note attribuée au dossier ?", COUNT),  # a mark on a scale
    ("Quels sénateurs ont signé la tribune ?", PERSON),  # people asked by what they are
    ("Quel est aujourd'hui, en euros HT, le plafond de la garantie ?", AMOUNT),  # an aside before the noun
    ("Quelle est actuellement la durée maximale du contrat ?", DURATION),
    ("Quel délai pour répondre à une réclamation ?", DURATION),
    ("Pendant combien de temps le registre est-il gardé ?", DURATION),
    ("Combien d'années les pièces doivent-elles rester disponibles ?", DURATION),  # « d' » before a vowel
    ("Quelle part des achats va aux artisans ?", PERCENT),
    ("Combien de fédérations ont signé la charte ?", COUNT),
    ("Comment s'appelle la déléguée générale du syndicat ?", PERSON),
    ("Qui est le président de la fédération ?", PERSON),
    ("Qui préside la fédération du bois ?", PERSON),
    ("Qui est à la tête du syndicat depuis l'an dernier ?", PERSON),
    ("Qui a piloté la commission export de la fédération ?", PERSON),  # the role said in the past
    ("Qui a lancé le label ?", None),  # a body as often as a person
    ("Qui a été désigné pour animer la commission ?", PERSON),  # someone chosen for a role
    ("Quelle ancienne ministre parraine le salon ?", PERSON),
    ("Quel ex-ministre a signé la tribune ?", PERSON),
    ("Quel ministre fixe le modèle du registre ?", None),  # a ministry as often as a person
    ("Depuis quand le label existe-t-il ?", DATE),
    ("Quand la garantie joue-t-elle ?", None),  # a condition as often as a date
    ("Le salon a ouvert quand, et où ?", DATE),  # but after an event in a compound tense, its date
    ("Que faire quand l'offre paraît trop basse ?", None),
    ("Quels coûts entrent dans le calcul ?", None),  # a list of kinds of cost, not an amount
    ("Quelles sont les étapes de la procédure ?", None),
])
def test_asked_value(question, kind):
    assert asked_value(question) == kind


@pytest.mark.parametrize("kind, sentence, expected", [
    (AMOUNT, "Le plafond est fixé à 25 000 euros hors taxes.", True),
    (AMOUNT, "La retenue ne peut excéder 4 % du montant du marché.", True),  # a ceiling given as a share
    (AMOUNT, "Le chiffre d'affaires exigé ne dépasse pas deux fois la valeur du lot.", True),
    (AMOUNT, "La durée du contrat ne peut dépasser trois ans.", False),
    (DURATION, "La durée du contrat ne peut dépasser trois ans.", True),
    (DURATION, "Le plafond est fixé à 25 000 euros.", False),
    (PERCENT, "Un tiers des achats va aux artisans.", True),
    (COUNT, "Huit fédérations ont signé la charte.", True),
    (COUNT, "La charte a été signée en 2024.", False),  # a year is not a count
    (COUNT, "Plus de 70 % des adhérents ont répondu.", False),  # a share is not a count
    (COUNT, "1. une enquête auprès des adhérents ;", False),  # a list's numbering is not a count
    (COUNT, "Le jury compte au moins :1° Quatre membres en concours ;2° Deux sinon.", True),  # an item that is a number
    (COUNT, "Les lots sont : 1° Une clause ; 2° Un délai.", False),
    (PERSON, "La fédération est présidée par Claire Martin depuis mai.", True),
    (PERSON, "La fédération a publié un rapport.", False),
    # Names of bodies and labels are not people.
    (PERSON, "Elle réunit Origine France Garantie, le Salon du Made in France et le réseau Excellence EPV.", False),
])
def test_states(kind, sentence, expected):
    assert states(kind, sentence) is expected


def test_a_name_the_question_writes_is_not_an_answer():
    assert not states(PERSON, "Claire Martin préside la fédération.", "Qui est Claire Martin, présidente ?")


from assistant.grounding.answer_type import LIST, asks_list  # noqa: E402


@pytest.mark.parametrize(("question", "expected"), [
    ("Pouvez-vous me donner la liste des pièces à fournir ?", True),
    ("Quelles sont les prestations concernées par cette règle ?", True),
    ("Parmi ces procédures, lesquelles sont ouvertes aux PME ?", True),
    ("Quel est le délai de paiement d'un hôpital ?", False),
    ("Une liste ne suffit-elle pas ?", True),  # the word alone: the guard then needs a referral about the question
])
def test_asks_list(question, expected):
    assert asks_list(question) is expected


def test_a_list_is_stated_by_numbered_items_or_semicolons():
    assert states(LIST, "Sont concernés : 1° Les fournitures ; 2° Les services.")
    assert states(LIST, "les tables ; les chaises ; les armoires.")
    assert not states(LIST, "La liste figure dans un avis annexé au présent code.")


@pytest.mark.parametrize("sentence, expected", [
    ("La charte compte 120 pages et trois annexes.", True),
    ("Huit fédérations ont signé la charte.", False),  # a count, of something else
    ("La fédération a cofondé le réseau avec 6 autres acteurs.", False),
    ("Vingt-deux pages composent la charte.", True),  # a number in words, hyphenated
    ("Vingt-et-une pages composent la charte.", True),
    ("Le porte-parole a relu chaque page.", False),  # a hyphenated word that is no number
])
def test_a_count_question_is_answered_by_a_count_of_its_noun(sentence, expected):
    assert states(COUNT, sentence, "Combien de pages compte la charte ?") is expected


def test_a_count_of_the_noun_in_other_words_of_the_same_stem():
    question = "Combien d'entreprises la fédération accompagne-t-elle ?"
    assert states(COUNT, "Elle accompagne 2 000 entreprises industrielles.", question)
    assert not states(COUNT, "Une entreprise sur deux est accompagnée.", question)  # « une » is an article
    assert states(COUNT, "Huit fédérations ont signé.", "Combien de temps faut-il ?")  # no noun counted: any count


@pytest.mark.parametrize("sentence, question, expected", [
    ("La fédération, présidée par Claire Martin, a signé.", "Qui préside la fédération ?", True),
    ("Claire Martin, vice-présidente de la fédération, a signé.", "Qui préside la fédération ?", False),
    ("Claire Martin, vice-présidente de la fédération, a signé.", "Qui est la vice-présidente de la fédération ?", True),
    ("Le ministre Paul Durand a salué la fédération.", "Qui est le délégué général de la fédération ?", False),
    ("Paul Durand, délégué général de la fédération, a signé.", "Qui est le délégué général de la fédération ?", True),
    # who speaks for it: its spokesperson
    ("Paul Durand, porte-parole de la fédération, a signé.", "Qui parle au nom de la fédération ?", True),
    ("Paul Durand, trésorier de la fédération, a signé.", "Qui parle au nom de la fédération ?", False),
    # A role of a named organisation: its holder named beside it (an apposition, after it, or « présidée par »), not
    # other people of the sentence, nor the role said of several (« les présidents de … »).
    ("Autour de Paul Durand, président de la ligue, sont venus Claire Martin et les présidents de la FNX et de la FNY.",
     "Comment s'appelle le président de la FNX ?", False),
    ("« Produire ici », affirme Claire Martin, présidente de la FNX.", "Comment s'appelle la présidente de la FNX ?", True),
    ("La présidente de la FNX, Claire Martin, a signé.", "Qui est la présidente de la FNX ?", True),
    ("La FNX, présidée par Claire Martin, a signé.", "Qui est la présidente de la FNX ?", True),
    ("La FNX a signé avec Claire Martin.", "Qui est la présidente de la FNX ?", False),
    ("Claire Martin, vice-présidente de la FNX, a signé.", "Qui est la présidente de la FNX ?", False),
    ("Claire Martin, vice-présidente de la FNX, a signé.", "Qui est la vice-présidente de la FNX ?", True),
])
def test_a_person_answers_who_holds_a_role_when_the_sentence_gives_that_role(sentence, question, expected):
    assert states(PERSON, sentence, question) is expected


from assistant.grounding.answer_type import measured_noun, names_measured  # noqa: E402


@pytest.mark.parametrize("question, noun", [
    ("Quel est le montant des subventions versées ?", "subvention"[:6]),
    ("Quel est le taux maximal de la retenue ?", "retenu"),
    ("Quelle est la durée totale du contrat ?", "contra"),
    ("Quel délai d'exécution prévoir ?", "execut"),
    ("Quel est le montant de cette aide ?", None),  # a demonstrative names nothing
    ("Combien coûte un audit ?", None),
    ("Quel est le taux des indemnités de licenciement ?", "indemn licenc"),  # the noun and its own kind
])
def test_measured_noun(question, noun):
    assert measured_noun(question) == noun


def test_a_sentence_names_the_thing_measured_in_the_singular_or_plural():
    assert names_measured("Les subventions atteignent 3 M€.", measured_noun("le montant de la subvention"))
    assert not names_measured("Le budget atteint 3 M€.", measured_noun("le montant de la subvention"))
    # another indemnity than the kind asked is not the one asked
    asked = measured_noun("Quel est le taux des indemnités de licenciement ?")
    assert names_measured("Les indemnités de licenciement sont de 2 %.", asked)
    assert not names_measured("Les indemnités de résiliation sont de 2 %.", asked)


def test_a_directive_number_is_no_fraction():
    from assistant.grounding.answer_type import PERCENT, states
    assert not states(PERCENT, "la directive 80/723/ CEE")
    assert states(PERCENT, "une pénalité de 1/3 000 du montant du marché")


def test_a_statistic_of_a_measure_is_not_the_measure():
    # « la note moyenne des <nom> »: the scale a mark is given on, or one case's mark, is not their average.
    noun = measured_noun("Quelle est la note moyenne des dossiers déposés ?")
    assert noun == "dossie moyen"
    assert not names_measured("Chaque dossier reçoit une note sur 20.", noun)
    assert names_measured("En moyenne, les dossiers obtiennent 12 sur 20.", noun)
    assert measured_noun("Quelle est la note des dossiers déposés ?") == "dossie"


@pytest.mark.parametrize("sentence, question, expected", [
    # a sum asked: a share of something else is no sum; a text giving the sum as a share says so
    ("Un tiers des bureaux vendus en 2023 était importé.", "Pour quelle somme la ville a-t-elle acheté ses bureaux ?", False),
    ("Le budget des achats atteint 2 % des dépenses.", "Quel est le budget des achats ?", True),
    ("La remise atteint 15 % sur ce catalogue.", "Combien d'euros coûte le catalogue ?", False),
    ("La pénalité est égale à 1/3 000 du montant du marché.", "Quel est le montant de la pénalité ?", True),
    # a threshold or a ceiling asked without a money word may be a share
    ("Le plafond est fixé à 20 % du total.", "Jusqu'à quel plafond va la retenue ?", True),
])
def test_a_share_answers_a_sum_asked_only_when_the_text_gives_the_sum_as_one(sentence, question, expected):
    assert states(AMOUNT, sentence, question) is expected


@pytest.mark.parametrize("question", ["Qui a rédigé la note de conjoncture de mars ?", "La charte a été signée par qui ?",
                                      "Qui avait commandé cette enquête auprès des artisans ?",
                                      "Pour le compte de qui le cabinet a-t-il mené ce sondage ?",
                                      "Cette cartographie des sous-traitants a été dressée à la demande de qui ?"])
def test_who_did_a_thing_asks_for_a_name(question):
    assert asked_value(question) == "agent"


@pytest.mark.parametrize("sentence, expected", [
    ("La note de conjoncture de mars relève un recul des commandes.", False),  # the thing, not who wrote it
    ("Selon la note de conjoncture de mars, rédigée par Bpifrance, les commandes reculent.", True),
    ("Une note de conjoncture publiée en mars par la FIM relève un recul.", True),
    ("Le recul atteint 3 % en France, selon la note de conjoncture.", False),  # a place is no author
])
def test_a_name_the_question_does_not_write_says_who(sentence, expected):
    assert states("agent", sentence, "Qui a rédigé la note de conjoncture de mars ?") is expected


@pytest.mark.parametrize("question, kind", [
    # the value of a measure the question names, asked as such or as its bound: a number answers it
    ("Quelle valeur maximale de consommation d'eau le cahier des charges peut-il fixer ?", "measure"),
    ("Quel indice minimal faut-il viser pour les lave-linge ?", "measure"),
    ("Quelle est la valeur de l'indicateur retenu par le guide ?", "measure"),
    # a unit's kind first (a delay, a rate, an amount); a level of quality is often answered in words
    ("Quel délai maximal entre deux acomptes ?", "duration"),
    ("Quel taux minimal d'avance pour une PME ?", "percent"),
    ("Quel niveau de qualité exiger des fournisseurs ?", None),
])
def test_a_measures_value_is_asked_by_its_value_or_its_bound(question, kind):
    assert asked_value(question) == kind


def test_a_measures_value_is_stated_by_a_number_not_by_a_year_or_words():
    asked = "Quelle valeur maximale de consommation d'eau exiger ?"
    assert states("measure", "La consommation ne dépasse pas 45 litres par cycle.", asked)
    assert not states("measure", "Le guide recommande depuis 2021 une consommation d'eau réduite.", asked)


@pytest.mark.parametrize("sentence", [
    "Les déchets sont traités selon la hiérarchie de l'article L. 541-1 du code de l'environnement.",
    "2.2. Pouvez-vous décrire votre démarche de réemploi ?",
])
def test_the_number_of_an_article_or_of_a_section_states_no_value(sentence):
    assert not states("measure", sentence, "Quelle valeur maximale de consommation exiger ?")
    assert not states("count", sentence, "Combien de critères sont retenus ?")
