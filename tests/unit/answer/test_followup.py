"""Rule-based follow-ups: which questions depend on the previous turn, and « le deuxième » resolved to a list item."""

from __future__ import annotations

import pytest

from assistant.answer.followup import is_followup, listed_items, ordinal_rewrite, rewrite_followup
from assistant.models import Turn

PLAN_ANSWER = "Le plan comporte trois chantiers : la formation, le financement et les lots [1]. Autres points : A ; B."
PLAN = [Turn(question="Quels sont les trois chantiers du plan ?",
             standalone_question="Quels sont les trois chantiers du plan ?", answer=PLAN_ANSWER)]
SEUIL = [Turn(question="Et le seuil ?", standalone_question="Quel est le seuil des marchés de fournitures ?",
              answer="Le seuil est de 40 000 euros HT [1].")]


@pytest.mark.parametrize("question", [
    "Et pour les travaux ?", "Mais si le marché est urgent ?", "Qu'en est-il des PME ?", "Détaille le deuxième",
    "Combien en faut-il ?", "Et elle ?", "Il en faut ?",
    # a pronoun subject opening a longer question speaks of the previous subject
    "Elle vaut aussi pour les marchés de services passés en procédure adaptée ?",
    "Ils peuvent la refuser si le titulaire est en retard de paiement ?",
    "Il en existe une liste officielle publiée quelque part ?",
    "Ça concerne aussi les entreprises de moins de dix salariés ?",
])
def test_followups(question):
    assert is_followup(question)


@pytest.mark.parametrize("question", [
    "Quel est le seuil des marchés de travaux ?",
    "Il y en a combien ?",  # a pronoun in a question of five words or more does not suffice
    "Les PME peuvent-elles candidater ?",
    # « il » impersonal: a question of its own
    "Il faut combien de devis pour un achat de fournitures de bureau ?",
    "Il y a un délai minimum entre la publication et la remise des offres ?",
    "Il est possible de négocier dans une procédure adaptée ?",
])
def test_standalone_questions(question):
    assert not is_followup(question)


def test_followup_with_a_typographic_apostrophe():
    assert is_followup("Qu’en est-il des PME ?")


# --- listed_items ----------------------------------------------------------------------------------

def test_listed_items_of_commas_and_et_or_of_semicolons():
    assert listed_items(PLAN_ANSWER) == ["la formation", "le financement", "les lots"]
    assert listed_items("Priorités : innovation ; export ; emploi.") == ["innovation", "export", "emploi"]


def test_listed_items_prefer_the_announced_count_then_the_announced_noun():
    assert listed_items(PLAN_ANSWER, count=2) == ["A", "B"]
    two_lists = "Les acteurs : A, B et C. Les trois chantiers : la formation, le financement et les lots."
    assert listed_items(two_lists, 3) == ["A", "B", "C"]  # same count: the first list
    assert listed_items(two_lists, 3, "chantiers") == ["la formation", "le financement", "les lots"]


def test_listed_items_none_without_an_enumeration():
    assert listed_items("Aucune liste ici.") == []
    assert listed_items("Un seul élément : la formation.") == []


# --- ordinal_rewrite ------------------------------------------------------------------------------

@pytest.mark.parametrize("question, rewritten", [
    ("Détaille le deuxième ?", "Détaille le financement ?"),
    ("Parle-moi du premier.", "Parle-moi de la formation ?"),
    ("Et le dernier ?", "Et les lots ?"),
    ("Qu'en est-il du troisième ?", "Qu'en est-il des lots ?"),
    ("Que dire sur le deuxième ?", "Que dire sur le financement ?"),
    ("Que faire au dernier ?", "Que faire aux lots ?"),
])
def test_ordinal_designates_an_item_of_the_previous_list(question, rewritten):
    assert ordinal_rewrite(question, PLAN) == rewritten
    assert rewrite_followup(question, PLAN) == rewritten


@pytest.mark.parametrize("question", [
    "Qu'en est-il du cinquième ?",  # the list has three items
    "Quel est le premier article du code ?",  # the ordinal names its own subject
    "Et pour les PME ?",
])
def test_ordinal_designating_nothing(question):
    assert ordinal_rewrite(question, PLAN) is None


def test_ordinal_without_history_or_list():
    assert ordinal_rewrite("Détaille le deuxième ?", []) is None
    assert ordinal_rewrite("Détaille le deuxième ?", SEUIL) is None


# --- rewrite_followup ----------------------------------------------------------------------------

def test_followup_prefixed_with_the_previous_standalone_question():
    assert rewrite_followup("Qu'en est-il des marchés de travaux ?", SEUIL) == \
        "Quel est le seuil des marchés de fournitures ? Qu'en est-il des marchés de travaux ?"
    assert rewrite_followup("Et pour les PME ?", PLAN) == "Quels sont les trois chantiers du plan ? Et pour les PME ?"


def test_standalone_question_or_no_history_left_unchanged():
    assert rewrite_followup("Quel est le seuil des marchés de travaux ?", SEUIL) == \
        "Quel est le seuil des marchés de travaux ?"
    assert rewrite_followup("Et pour les PME ?", []) == "Et pour les PME ?"
    long_question = "Et " + " ".join(["mot"] * 24) + " ?"
    assert rewrite_followup(long_question, SEUIL) == long_question


# --- ordinals naming their list, neighbouring articles, asking back ---------------------------------------------
from assistant.answer.followup import neighbour_article, unresolved  # noqa: E402

KINDS = [Turn(question="Quelles demandes sont rejetées ?", standalone_question="Quelles demandes sont rejetées ?",
              answer="Trois catégories de demandes sont rejetées : les demandes tardives, les demandes incomplètes et "
                     "les demandes hors délai de recours [1].")]
ARTICLE = [Turn(question="Que dit l'article 12 du règlement ?", standalone_question="Que dit l'article 12 du règlement ?",
                answer="Il traite des délais [1].")]


def test_an_ordinal_naming_the_list_noun_designates_its_item():
    assert rewrite_followup("Que sait-on de la deuxième catégorie ?", KINDS) == "Que sait-on des demandes incomplètes ?"


def test_the_next_or_previous_article_of_the_previous_question():
    assert neighbour_article("Peux-tu résumer l'article suivant ?", ARTICLE) == "Que dit l'article 13 du règlement ?"
    assert rewrite_followup("Et le précédent ?", ARTICLE) == "Que dit l'article 11 du règlement ?"
    assert neighbour_article("Peux-tu résumer l'article suivant ?", KINDS) is None


@pytest.mark.parametrize("question, history, asks", [
    ("et la cinquième ?", KINDS, True),  # three items only
    ("Peux-tu résumer l'article suivant ?", KINDS, True),  # no numbered article before
    ("et la deuxième ?", KINDS, False),
    ("Peux-tu résumer l'article suivant ?", ARTICLE, False),
    ("et la deuxième ?", [], False),  # no conversation: nothing to point into
    ("Et pour les PME ?", KINDS, False),
])
def test_asking_back_when_nothing_fits(question, history, asks):
    line = unresolved(question, history)
    assert (line is not None) is asks
    if asks:
        assert line.endswith(".") and "?" in line  # one line, a question back, in French


def test_the_engine_asks_back_instead_of_answering_something_else(shared_container):
    engine = shared_container.answers
    history = KINDS  # three items listed
    answer = engine.ask("Et le septième ?", history=history)
    assert answer.status == "refused" and answer.text.startswith("De quel élément parlez-vous ?")
    assert answer.guards == ["precision-demandee:refuse"] and not answer.citations


def test_an_inline_enumeration_and_a_list_noun_are_pointed_into():
    from assistant.answer.followup import ordinal_rewrite
    from assistant.models import Turn

    turn = Turn(question="Que faire des offres ?", standalone_question="Que faire des offres ?",
                answer="L'acheteur rejette les offres tardives, incomplètes ou illisibles [1].")
    assert ordinal_rewrite("Et la troisième catégorie ?", [turn]) == "Et offres illisibles ?"


def test_items_glued_to_the_next_sentence_end_at_their_full_stop():
    from assistant.answer.followup import listed_items

    answer = "Le marché est modifié lorsque :1° Les parties le prévoient ;2° Le montant est faible.Elles le signent."
    assert listed_items(answer) == ["Les parties le prévoient", "Le montant est faible"]


def test_a_followup_saying_something_new_is_told_apart_from_an_ellipsis():
    from assistant.answer.followup import asks_something_new
    assert asks_something_new("Elle concerne également les cotraitants ?")
    assert not asks_something_new("Et pour les marchés de travaux ?")
    # A possessive names a new attribute of the previous subject, after « et » as well.
    assert asks_something_new("Et sa durée, elle est limitée à combien ?")
    assert asks_something_new("Et elle est versée à qui ?")


def test_a_pronoun_followup_after_a_threshold_answers_its_own_question(shared_container):
    engine = shared_container.answers
    first = "À partir de quel montant l'acheteur doit-il verser une avance ?"
    previous = engine.ask(first)
    answer = engine.ask("Elle est remboursée comment ensuite ?", history=[
        Turn(question=first, standalone_question=previous.standalone_question, answer=previous.text)])
    assert "seuil-demande:answer" not in answer.guards
    assert "remboursement de l'avance" in answer.text, answer.text


from assistant.answer.followup import person_rewrite  # noqa: E402


def test_a_pronoun_after_a_question_on_who_is_the_person_the_answer_named():
    who = Turn(question="Qui a présidé la commission ?", standalone_question="Qui a présidé la commission ?",
               answer="La commission était présidée par Claire Martin, ancienne directrice de l'usine [1].")
    assert rewrite_followup("elle habite dans quelle ville ?", [who]) == "Claire Martin habite dans quelle ville ?"
    assert person_rewrite("Et il travaille où ?", [who]) == "Et Claire Martin travaille où ?"
    # « il faut », « elle vaut »: impersonal or a thing; a turn that did not ask who; an answer naming nobody new.
    assert person_rewrite("il faut quel délai ?", [who]) is None
    what = Turn(question="Quelle règle s'applique ?", standalone_question="Quelle règle s'applique ?", answer=who.answer)
    assert person_rewrite("elle habite dans quelle ville ?", [what]) is None
    named = Turn(question="Qui est Claire Martin ?", standalone_question="Qui est Claire Martin ?",
                 answer="Claire Martin est ingénieure [1].")
    assert person_rewrite("elle habite dans quelle ville ?", [named]) is None


def test_a_pronoun_after_a_question_on_one_organisation_stands_for_it():
    from assistant.answer.followup import organisation_rewrite
    about = Turn(question="Que fait la CPME pour l'industrie ?", standalone_question="Que fait la CPME pour l'industrie ?",
                 answer="La CPME a publié un livre blanc [1].")
    assert rewrite_followup("Elle compte combien d'adhérents ?", [about]) == "La CPME compte combien d'adhérents ?"
    assert organisation_rewrite("et elle siège où ?", [about]) == "et la CPME siège où ?"
    # « il » does not stand for an organisation said « elle » (the white paper, not the confederation)
    assert organisation_rewrite("Il a été publié quand ?", [about]) is None
    # two organisations named: the pronoun does not say which
    both = Turn(question="La CPME et le MEDEF ont-ils signé ?", standalone_question="La CPME et le MEDEF ont-ils signé ?",
                answer="Oui [1].")
    assert organisation_rewrite("Elle a signé quand ?", [both]) is None
    # no organisation named
    rule = Turn(question="Quelle règle s'applique ?", standalone_question="Quelle règle s'applique ?", answer="R [1].")
    assert organisation_rewrite("Elle s'applique depuis quand ?", [rule]) is None


@pytest.mark.parametrize("question", ["pourquoi ?", "Et pourquoi ?", "Pour quelle raison ?", "comment ça ?",
                                      "C'est-à-dire ?"])
def test_a_bare_interrogative_asks_it_of_the_previous_answer(question):
    assert rewrite_followup(question, PLAN) == f"Quels sont les trois chantiers du plan ? {question}"


def test_an_interrogative_with_words_of_its_own_is_a_question_of_its_own():
    assert rewrite_followup("Pourquoi acheter français pour les cantines ?", PLAN) == \
        "Pourquoi acheter français pour les cantines ?"


@pytest.mark.parametrize("question", ["et c'était quand, au juste ?", "C'est où exactement ?", "et c'est combien ?",
                                      "c'est quel taux pour des services ?", "Ça a eu lieu quand ?"])
def test_a_short_question_on_what_the_previous_answer_spoke_of(question):
    assert is_followup(question)


@pytest.mark.parametrize("question", ["C'est quoi une centrale d'achat ?", "C'est quel article du code qui fixe le seuil "
                                      "de la publicité pour les marchés de travaux ?"])
def test_a_demonstrative_question_naming_its_subject_is_its_own(question):
    assert not is_followup(question)


def test_words_of_acknowledgement_before_a_followup_are_left_out():
    assert is_followup("ok et la troisième ?") and is_followup("Merci ! Et pour les travaux ?")
    assert rewrite_followup("d'accord, et le deuxième ?", PLAN) == "et le financement ?"
    assert not is_followup("Merci de me dire quel est le seuil des marchés de travaux.")


def test_the_list_whose_sentence_names_the_noun_asked_is_pointed_into():
    answer = ("Ses membres y voient trois risques : la dette, le chômage et l'exil. Elle s'est fixé trois tâches : "
              "former, financer et acheter (voir « Les axes du plan ») [1].")
    turn = [Turn(question="Quels sont les trois axes du plan ?", standalone_question="Quels sont les trois axes du plan ?",
                 answer=answer)]
    assert rewrite_followup("et le deuxième ?", turn) == "et financer ?"
