"""The guards: listed once, in order; each class checked on the real corpus through the engine, and the benchmark's
per-guard precision and recall computed from hand-built results."""

from __future__ import annotations

import pytest

from assistant.answer.guards import DRAFT_GUARDS, PLAN_GUARDS, Guard, referral
from assistant.evaluation import ItemResult, guard_report


@pytest.fixture(scope="module")
def engine(shared_container):
    return shared_container.answers


def test_guards_are_listed_once_with_distinct_names_and_a_docstring_or_name():
    guards = PLAN_GUARDS + DRAFT_GUARDS
    assert len(set(guards)) == len(guards)
    names = [g.name for g in guards]
    assert all(names) and len(set(names)) == len(names)
    assert all(issubclass(g, Guard) for g in guards)
    # A subject out of scope is refused before its passages are read; a premise is corrected before relevance.
    order = [g.__name__ for g in PLAN_GUARDS]
    assert order.index("OutOfScope") < order.index("Relevance")
    assert order.index("KnownMisconception") < order.index("Relevance")
    assert order.index("Lawfulness") < order.index("Relevance")


@pytest.mark.parametrize("sentence, where", [
    ("Les seuils figurent dans un avis annexé au présent code.", "une annexe du code"),
    ("Le taux est fixé par arrêté du ministre chargé de l'économie.", "un arrêté"),
    ("Une proportion minimale, fixée par voie réglementaire, est exigée.", "un texte réglementaire"),
    ("Les conditions sont précisées par décret en Conseil d'Etat.", "un texte réglementaire"),
    ("Le délai est de trente jours.", None),
])
def test_referral(sentence, where):
    assert referral(sentence) == where


def test_the_verdicts_are_kept_with_the_answer(engine):
    answer = engine.ask("Comment déclarer la TVA d'une entreprise individuelle ?")
    assert answer.status == "refused" and answer.guards == ["hors-sujet:refuse"]
    answer = engine.ask("Combien d'emplois soutient un million d'euros d'achats fabriqués en France ?")
    assert answer.status == "answered" and answer.guards == []


def test_a_value_set_in_an_annex_is_a_partial_answer_that_says_where(engine):
    answer = engine.ask("Quel est le montant du seuil européen applicable aux marchés de fournitures ?")
    assert answer.status == "partial", (answer.guards, answer.text)
    assert answer.citations and any("annex" in c.quote for c in answer.citations)
    assert "annexe" in answer.missing[0] and answer.missing[0] in answer.text
    assert "type-de-reponse:partial" in answer.guards


def test_a_value_of_another_kind_is_not_given_as_the_answer(engine):
    # The passages on the founding speak of dates and of members, never of a sum of money.
    answer = engine.ask("Combien d'euros l'Alliance du Fabriqué en France a-t-elle levés lors de sa création ?")
    assert answer.status in ("partial", "refused"), answer.text
    if answer.status == "partial":
        assert any("montant" in m for m in answer.missing)


def test_a_value_of_the_same_kind_stated_of_another_thing_is_not_the_answer(engine):
    # The passages on the Alliance's plans name the tool asked about without a sum, and give sums of other things
    # (the public purchases a year): those are not its budget.
    answer = engine.ask("Quel est le coût du baromètre sur les achats publics que prépare l'Alliance du Fabriqué en France ?")
    assert answer.status == "partial" and "type-de-reponse:partial" in answer.guards, answer.text
    assert any("montant" in m for m in answer.missing)


def test_a_verb_of_announcing_does_not_ask_about_advertising(engine):
    # « annoncé » is not « une annonce »: no threshold of the publicity rules is quoted for it.
    answer = engine.ask("Quel est le montant des rencontres territoriales annoncées par la CPME ?")
    assert not any(g.startswith("seuil-demande") for g in answer.guards), answer.guards
    assert not any(c.locator.startswith("R2131") for c in answer.citations)


def test_a_pay_asked_is_not_a_threshold_and_an_advisory_body_is_no_consultation(engine):
    # What the members of a committee are paid is a sum owed, which no threshold of the Code triggers; « consultatif »
    # names a kind of body, not the consultation of firms the exemption from advertising speaks of.
    answer = engine.ask("Combien sont indemnisés les experts siégeant dans une commission consultative, par séance ?")
    assert not any(g.startswith("seuil-demande") for g in answer.guards), answer.guards
    assert not any(c.locator == "R2122-8" for c in answer.citations)


def _result(id_: str, kind: str, guards: list[str]) -> ItemResult:
    return ItemResult(id=id_, kind=kind, question="q", answer="a", abstained=False, correct=True, retrieval_hit=None,
                      citations=0, citations_valid=0, sentences=0, sentences_cited=0, latency_ms=1.0, guards=guards)


def test_guard_report_measures_precision_and_recall_per_verdict():
    results = [_result("1", "unanswerable", ["inventaire:refuse"]),
               _result("2", "answerable", ["inventaire:refuse"]),
               _result("3", "unanswerable", []),
               _result("4", "lawfulness", ["licéité:correct"]),
               _result("5", "answerable", [])]
    report = guard_report(results)
    assert report["inventaire:refuse"] == {"fired": 2, "precision": 0.5, "recall": 0.5}
    assert report["licéité:correct"] == {"fired": 1, "precision": 1.0, "recall": 1.0}



def test_a_named_article_is_answered_from_its_own_text(engine):
    answer = engine.ask("Que prévoit l'article 8 du CCAG Fournitures courantes et services ?")
    assert answer.guards[:1] == ["article-nomme:answer"], answer.guards
    assert {c.locator for c in answer.citations} == {"CCAG-FCS art. 8"}
    answer = engine.ask("Que dit l'article R2191-3 ?")
    assert {c.locator for c in answer.citations} == {"R2191-3"} and "50 000" in answer.text


@pytest.mark.parametrize("question, article, start", [
    ("Que veut dire accord-cadre ?", "L2125-1", "Les techniques d'achat sont les suivantes : 1° L'accord-cadre, qui permet"),
    ("C'est quoi une offre anormalement basse ?", "L2152-5", "Une offre anormalement basse est une offre"),
    # the term first, between quotation marks, defined by one item of a glossary written as one list
    ("L'ajournement, ça veut dire quoi ?", "CCAG-FCS art. 2", "l'« ajournement » est la décision"),
    ("Pour un marché de fournitures, le « rejet », concrètement, c'est quoi ?", "CCAG-FCS art. 2",
     "le « rejet » est la décision"),
])
def test_a_definition_is_answered_by_the_sentence_that_defines(engine, question, article, start):
    answer = engine.ask(question)
    assert answer.guards[:1] == ["definition:answer"] and answer.text.startswith(start), answer.text
    assert [c.locator for c in answer.citations] == [article]


def test_a_rule_in_the_passive_is_not_a_definition():
    from assistant.answer.guards import _DEFINITION_ASKED

    assert _DEFINITION_ASKED.search("qu'est-ce qu'un accord-cadre ?").group("what") == "accord-cadre"
    assert _DEFINITION_ASKED.search("quel est le seuil ?") is None
    assert _DEFINITION_ASKED.search("dans le ccag, une « penalite », concretement, c'est quoi ?").group("before") == "penalite"
    assert _DEFINITION_ASKED.search("c'est quoi ?") is None


def _hit(rank: int, text: str):
    from assistant.models import SearchHit
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title="Reportage", doc_type="press", source="s",
                     locator=f"p{rank}", chunk_id=f"c{rank}", text=text)


def _answer_type_verdict(shared_container, question: str, *sentences: str):
    """The answer-type guard's verdict on an answer quoting `sentences`, each from its own passage."""
    from assistant.answer.guards import AnswerType, Draft
    hits = [_hit(i, sentence) for i, sentence in enumerate(sentences, start=1)]
    text = " ".join(f"{sentence} [{i}]" for i, sentence in enumerate(sentences, start=1))
    return AnswerType(shared_container.answers.grounding, 5).check(Draft(question, text, hits, "extractive"))


def _attribute_guard(shared_container):
    from assistant.answer.guards import AttributeNotMentioned
    return AttributeNotMentioned(shared_container.answers.grounding, 5)


def test_a_sentence_naming_what_is_asked_answers_rather_than_a_refusal(shared_container):
    from assistant.answer.guards import Draft
    from assistant.grounding.relevance import Asked
    question = "Quel nombre d'adhérents revendique aujourd'hui l'Alliance du Fabriqué en France ?"
    chosen = _hit(1, "L'Alliance du Fabriqué en France a été lancée à Paris.")
    lower = _hit(8, "Selon ses fondateurs, l'Alliance du Fabriqué en France compte déjà quarante adhérents. "
                    "Elle se réunira au printemps.")
    draft = Draft(question, "L'Alliance du Fabriqué en France a été lancée à Paris [1].", [chosen], "extractive",
                  Asked(("adher",), "adhérents"), candidates=[chosen, lower])
    verdict = _attribute_guard(shared_container).check(draft)
    assert verdict.action == "answer" and verdict.segments[0].sentences == [
        "Selon ses fondateurs, l'Alliance du Fabriqué en France compte déjà quarante adhérents."]
    # Nothing naming it in the passages: the refusal says what is missing.
    draft.candidates = [chosen]
    assert _attribute_guard(shared_container).check(draft).action == "refuse"


def test_each_thing_asked_of_an_organisation_is_read_for_its_own(shared_container):
    # The question's rarest word is the second part's: the first part, answered by the draft, does not make the whole
    # answer a refusal, and the second is answered by the sentence of the organisation's passages that states it.
    from assistant.answer.guards import Draft
    from assistant.grounding.relevance import Asked
    question = "L'Alliance du Fabriqué en France a été lancée quand, et avec quelle enveloppe budgétaire ?"
    launch = _hit(1, "L'Alliance du Fabriqué en France a été lancée le 3 mars 2031 à Lyon.")
    money = _hit(6, "Pour sa première année, l'Alliance du Fabriqué en France disposera d'une enveloppe budgétaire de "
                    "4 millions d'euros. Elle recrutera ensuite.")
    draft = Draft(question, "L'Alliance du Fabriqué en France a été lancée le 3 mars 2031 à Lyon [1].", [launch],
                  "extractive", Asked(("budget",), "budgétaire"), candidates=[launch, money])
    verdict = _attribute_guard(shared_container).check(draft)
    assert verdict.action == "answer"
    assert [s.sentences for s in verdict.segments] == [
        ["L'Alliance du Fabriqué en France a été lancée le 3 mars 2031 à Lyon."],
        ["Pour sa première année, l'Alliance du Fabriqué en France disposera d'une enveloppe budgétaire de 4 millions "
         "d'euros."]]
    # Nothing about the second part in the passages: what the draft says stands (the parts' own check says the rest).
    draft = Draft(question, draft.text, [launch], "extractive", Asked(("budget",), "budgétaire"), candidates=[launch])
    assert _attribute_guard(shared_container).check(draft) is None


def test_a_person_the_question_names_must_be_named_by_the_sentence_that_answers(shared_container):
    from assistant.answer.guards import Draft
    from assistant.grounding.relevance import Asked
    question = "Quelle entreprise dirige Jeanne Exemple, membre de l'Alliance du Fabriqué en France ?"
    other = _hit(3, "Paul Autre, membre de l'Alliance du Fabriqué en France, dirige une entreprise de textile.")
    draft = Draft(question, "", [other], "extractive", Asked(("dirig",), "dirige"), candidates=[other])
    assert _attribute_guard(shared_container).check(draft).action == "refuse"


def test_a_value_left_to_the_regulatory_part_is_read_there_though_the_law_writes_out_the_words(engine):
    # The law names the structures in full where a buyer names them otherwise: two of the question's three rarest
    # words are enough for its sentence to be about what is asked, and its reference is followed to the decree.
    answer = engine.ask("Un lot réservé aux entreprises adaptées : quelle proportion de travailleurs handicapés ces "
                        "structures doivent-elles employer au minimum ?")
    assert [c.locator for c in answer.citations] == ["L2113-12", "R2113-7"], answer.text
    assert "50 %" in answer.text and answer.status == "answered"


def test_how_a_thing_is_computed_is_read_in_the_regulatory_article_completing_the_law(engine):
    # The law leaves the interest rate to the regulatory part, whose article names the law article it completes: the
    # detail asked is read there, not said to be missing.
    answer = engine.ask("Comment calcule-t-on les intérêts moratoires quand le paiement arrive en retard ?")
    assert [c.locator for c in answer.citations] == ["L2192-13", "R2192-31"], answer.text
    assert "huit points de pourcentage" in answer.text and answer.status == "answered"


def test_a_list_the_text_leaves_to_an_annex_is_said_to_be_missing(shared_container):
    answer = shared_container.answers.ask("Quels sont les services sociaux et autres services spécifiques, "
                                          "donnez-m'en la liste complète ?")
    assert answer.status == "partial" and "type-de-reponse:partial" in answer.guards
    assert any("liste demandée" in m and "annexe" in m for m in answer.missing), answer.missing


def test_a_list_answered_by_the_passages_is_not_made_partial(shared_container):
    answer = shared_container.answers.ask("Quels sont les critères d'attribution qu'un acheteur peut utiliser ?")
    assert answer.status == "answered"


def test_a_value_stated_in_a_sentence_going_on_from_the_one_before_is_read_with_it(shared_container):
    # « À défaut de l'avoir produit …, le titulaire encourt une pénalité … »: the sentence states the sum, the one before
    # it what it is owed for; found together, quoted together.
    from assistant.answer.guards import AnswerType, Draft
    before = "Le titulaire est tenu de transmettre le registre des livraisons à la fédération lorsqu'elle le demande."
    after = "A défaut de l'avoir produit dans les huit jours, il encourt une pénalité égale à 1/500 du montant du marché."
    chosen = _hit(1, "Le registre des livraisons est tenu par le titulaire.")
    other = _hit(2, f"{before} {after}")
    question = "Quelle pénalité si le titulaire ne transmet pas le registre des livraisons à la fédération ?"
    draft = Draft(question, "Le registre des livraisons est tenu par le titulaire [1].", [chosen, other], "extractive")
    verdict = AnswerType(shared_container.answers.grounding, 5).check(draft)
    assert verdict.action == "answer" and verdict.segments[0].sentences == [before, after]


_MODEL_ELSEWHERE = "Les bordereaux de pesée sont établis selon un modèle fixé par un arrêté du ministre chargé de l'agriculture."


@pytest.mark.parametrize("question, partial", [
    ("Quelles rubriques doit porter un bordereau de pesée ?", True),  # the content asked is in the arrêté
    ("Comment remplir un bordereau de pesée ?", True),
    ("Quel ministre fixe le modèle des bordereaux de pesée ?", False),  # named by the sentence: it answers
    ("Comment appelle-t-on le document de pesée ?", False),  # a name asked, not a manner
    # What a thing looks like or holds: its model, which the sentence sends to the arrêté.
    ("À quoi ressemble un bordereau de pesée ?", True),
    ("Que contient un bordereau de pesée ?", True),
])
def test_a_detail_the_quoted_text_leaves_to_another_is_said_to_be_missing(shared_container, question, partial):
    verdict = _answer_type_verdict(shared_container, question, _MODEL_ELSEWHERE)
    if partial:
        assert verdict.action == "partial" and verdict.segments is None
        assert verdict.missing == ["Les documents ne donnent pas ce détail : le texte cité renvoie à un arrêté, qui ne "
                                   "figure pas dans les documents indexés."]
    else:
        assert verdict is None


def test_a_verb_sharing_the_stem_of_the_noun_asked_does_not_state_it(shared_container):
    # « (ils) exigent » is not « exigences »: the only sentence naming the requirements sends them to an arrêté.
    held = "Les palettes sanitaires répondent à des exigences minimales figurant dans un arrêté du ministre chargé de l'agriculture."
    verb = "Les palettes sanitaires sont contrôlées avant leur réemploi lorsque les services vétérinaires l'exigent."
    verdict = _answer_type_verdict(shared_container, "Quelles exigences minimales les palettes sanitaires doivent-elles "
                                   "respecter ?", held, verb)
    assert verdict is not None and verdict.action == "partial" and "un arrêté" in verdict.missing[0], verdict


def test_the_content_of_a_thing_stated_by_the_sentence_is_not_missing(shared_container):
    sentence = "Le bordereau de pesée mentionne le poids, la date de pesée et le nom du transporteur."
    assert _answer_type_verdict(shared_container, "Que contient un bordereau de pesée ?", sentence) is None


@pytest.mark.parametrize("sentence, partial", [
    # The noun asked is what another text holds or sets: naming it, the sentence still does not give it.
    ("La liste des essences de bois admises pour les palettes figure dans un arrêté du ministre chargé de l'agriculture.", True),
    ("Les palettes respectent des essences minimales figurant dans un arrêté du ministre chargé de l'agriculture.", True),
    ("Un arrêté du ministre chargé de l'agriculture fixe les essences admises pour les palettes.", True),
    # The noun asked stated by the sentence, beside a referral about something else: it may well answer.
    ("Les essences admises pour les palettes sont le chêne et le hêtre, selon les modalités fixées par un arrêté.", False),
])
def test_a_detail_named_as_held_by_another_text_is_said_to_be_missing(shared_container, sentence, partial):
    question = "Quelles essences de bois sont admises pour les palettes ?"
    verdict = _answer_type_verdict(shared_container, question, sentence)
    assert (verdict is not None and verdict.action == "partial") == partial, verdict


def test_the_things_asked_as_a_list_whose_manner_another_text_sets_are_said_to_be_missing(shared_container):
    # « Quelles sont les <noms> » asks a list; no « liste » sent elsewhere, but the manner of it is.
    sentence = "Un arrêté du ministre chargé de l'agriculture définit les modalités techniques d'étiquetage des palettes."
    verdict = _answer_type_verdict(shared_container, "Quelles sont les spécifications d'étiquetage des palettes ?", sentence)
    assert verdict is not None and verdict.action == "partial" and "un arrêté" in verdict.missing[0]


def test_a_detail_stated_by_one_sentence_is_not_missing_because_another_sends_elsewhere(shared_container):
    from assistant.answer.guards import AnswerType, Draft
    # One quoted sentence states the conditions asked; another sends other conditions to a decree.
    stating = ("Les palettes de chêne peuvent être réemployées lorsqu'elles remplissent les deux conditions suivantes : "
               "a) elles sont intactes ; b) elles ont été traitées.")
    sending = "Les palettes peuvent aussi être réemployées dans les conditions fixées par décret."
    draft = Draft("À quelles conditions peut-on réemployer des palettes de chêne ?", f"{stating} [1] {sending} [1]",
                  [_hit(1, f"{stating} {sending}")], "extractive")
    assert AnswerType(shared_container.answers.grounding, 5).check(draft) is None


def test_a_manner_stated_by_the_quoted_text_is_the_answer(shared_container):
    # A sentence stating the manner asked, sending nowhere: it answers alone.
    sentence = "Le bordereau de pesée est signé par le peseur juré et remis au transporteur."
    assert _answer_type_verdict(shared_container, "Comment se signe un bordereau de pesée ?", sentence) is None


def test_a_later_part_the_quoted_sentences_leave_unanswered_is_named(engine):
    # The duration is in the Code; which software to use is in no document: the answer says so of that part only.
    answer = engine.ask("Quelle est la durée maximale d'un accord-cadre passé par un pouvoir adjudicateur, et quel "
                        "logiciel faut-il utiliser pour en suivre les bons de commande ?")
    assert answer.status == "partial" and "partie-sans-reponse:partial" in answer.guards, answer.guards
    assert "quatre ans" in answer.text
    assert answer.missing == ["Les passages cités ne répondent pas à cette partie de la question : « Quel logiciel faut-il "
                              "utiliser pour en suivre les bons de commande ? »"]


def test_a_later_part_answered_by_a_value_of_its_kind_is_not_named(engine):
    answer = engine.ask("Quelle est la durée maximale d'un accord-cadre passé par un pouvoir adjudicateur, et de combien "
                        "de temps pour une entité adjudicatrice ?")
    assert answer.status == "answered" and "huit ans" in answer.text, (answer.guards, answer.text)


@pytest.mark.parametrize("question, refused", [
    # A year asked about that no passage mentions: nothing to answer from.
    ("Quel était le budget de l'Alliance du Fabriqué en France en 2019 ?", True),
    # A year asserted in a yes-or-no question is a premise: checked against what the passages say of the event.
    ("L'Alliance du Fabriqué en France a-t-elle été créée en 2019 ?", False),
    ("L'Alliance du Fabriqué en France, c'est bien en 2019 qu'elle a été fondée ?", False),
])
def test_a_year_asserted_in_a_yes_or_no_question_is_checked_not_refused(engine, question, refused):
    answer = engine.ask(question)
    if refused:
        assert answer.status == "refused" and "annee-absente:refuse" in answer.guards
    else:
        assert answer.status == "partial" and "nombre-absent:partial" in answer.guards, answer.guards
        assert any("2019" in m for m in answer.missing), answer.missing


@pytest.mark.parametrize("sentence, partial", [
    # The subject announced, the items asked never named: what is asked is not there.
    ("La fédération annonce pour 2027 un palmarès public des coopératives laitières de la région.", True),
    # The items named: the answer may well give them.
    ("Le palmarès des coopératives laitières retiendra trois indicateurs : le prix payé, le volume et l'emploi.", False),
])
def test_the_items_of_a_list_asked_precisely_must_be_named(shared_container, sentence, partial):
    question = "Quels indicateurs précis retiendra le palmarès des coopératives laitières ?"
    verdict = _answer_type_verdict(shared_container, question, sentence)
    if partial:
        assert verdict is not None and verdict.action == "partial" and "indicateurs" in verdict.missing[0], verdict
    else:
        assert verdict is None, verdict


def test_a_purchase_beside_the_buyers_own_figure_is_framed_as_the_purchase(engine):
    answer = engine.ask("Quel taux minimal d'avance pour une PME titulaire d'un marché de 300 000 € HT sur 8 mois passé "
                        "par un département dont les dépenses de fonctionnement dépassent 60 M€ ?")
    text = answer.text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Votre achat : 300 000 € HT" in text and "Vos achats annuels" not in text, text[:300]
    assert "Plus de 60 000 000 € : chiffre de l'acheteur" in text, text[:400]


def test_an_elliptic_follow_up_asks_the_earlier_questions_value_of_another_case(shared_container):
    from assistant.answer.guards import AnswerType, Draft
    # « Et pour les <autre cas> ? » after « quel pourcentage … ? » asks a percentage: the passage stating it for that
    # case answers, though the sentence quoted first states none.
    listed = "Les coopératives laitières peuvent revoir leurs quotas dans les cas suivants : hausse de la demande, crise."
    rates = "La révision est limitée à 10 % du quota initial pour le lait de vache et à 15 % pour le lait de chèvre."
    draft = Draft("Et pour le lait de chèvre ?", f"{listed} [1]", [_hit(1, listed), _hit(2, rates)], "extractive",
                  followup=True, earlier="Jusqu'à quel pourcentage une coopérative laitière peut-elle revoir ses quotas "
                                         "de lait de vache ?")
    verdict = AnswerType(shared_container.answers.grounding, 5).check(draft)
    assert verdict is not None and verdict.action == "answer" and "15 %" in verdict.segments[0].sentences[0], verdict


def test_a_question_asking_two_things_is_not_refused_for_the_words_of_the_second(engine):
    # The first ask is answered by the press passages; the second's words are not all in them. Refused before: the
    # whole question's words were measured against the passages.
    answer = engine.ask("Le livre blanc de la CPME, il a été présenté à l'occasion de quoi, et jusqu'à quelle date se "
                        "tenait la manifestation ?")
    assert answer.status != "refused" and "Semaine de l" in answer.text


@pytest.mark.parametrize("question, article, figure", [
    # An amount asked « c'est combien, en euros », the value set in an annexed notice: said missing, where it is.
    ("Le seuil européen des marchés de travaux, c'est combien en euros ?", None, None),
    # Data put « en ligne » are the essential data, not the consultation documents on a buyer profile.
    ("Dès quel montant faut-il mettre en ligne les données essentielles de nos marchés ?", "R2196-1", "40 000 euros"),
])
def test_more_ways_of_asking_for_a_threshold(engine, question, article, figure):
    answer = engine.ask(question)
    if article is None:
        assert answer.status == "partial" and "annexe" in answer.text
    else:
        assert answer.citations[0].locator == article and figure in answer.text


def test_who_did_a_thing_is_said_missing_unless_a_sentence_names_someone(shared_container):
    question = "Qui a rédigé le baromètre des achats de mobilier scolaire publié en mars ?"
    silent = _answer_type_verdict(shared_container, question,
                                  "Le baromètre des achats de mobilier scolaire publié en mars relève une hausse de 8 %.")
    assert silent.action == "partial" and "le nom de la personne ou de l'organisme demandé" in " ".join(silent.missing)
    named = _answer_type_verdict(shared_container, question,
                                 "Le baromètre des achats de mobilier scolaire publié en mars par l'Ameublement "
                                 "français relève une hausse de 8 %.")
    assert named is None


def test_a_follow_up_writing_its_own_figure_replaces_the_earlier_ones(shared_container):
    from assistant.answer.guards import Case, UnknownYear, UnsupportedNumber
    from assistant.grounding.entities import QuestionEntities
    grounding = shared_container.answers.grounding
    scale = _hit(1, "Le barème propose 20 heures de tutorat jusqu'à 50 000 euros et 60 heures à partir de 250 000 euros.")
    carried = "Combien d'heures de tutorat pour une commande de 70 000 € ? Et au-delà de 250 000 € ?"

    def case(question: str, followup: bool) -> Case:
        return Case(question, None, [scale], QuestionEntities(named=[], ambiguous=False), followup=followup)

    assert UnsupportedNumber(grounding, 5).check(case(carried, followup=True)) is None
    # asked at once, the first figure is the user's premise: that no passage holds it is said
    verdict = UnsupportedNumber(grounding, 5).check(case(carried, followup=False))
    assert verdict is not None and "70 000 €" in verdict.missing[0]
    # an elliptic follow-up with no figure of its own keeps the earlier one
    assert UnsupportedNumber(grounding, 5).check(case("Combien d'heures pour 70 000 € ? Et pour des travaux ?", True))
    years = "Combien de membres en 2019 ? Et en 2024 ?"
    dated = _hit(2, "En 2024, le réseau comptait 300 membres.")
    assert UnknownYear(grounding, 5).check(Case(years, None, [dated], QuestionEntities(named=[], ambiguous=False),
                                                followup=True)) is None

