"""Extractive answers on the real shared corpus: cited sentences, lists kept whole, quotes faithful."""

from __future__ import annotations

import re

import pytest

from assistant.grounding.answer_type import expected_type, gives
from assistant.answer.engine import AnswerEngine
from assistant.answer.followup import rewrite_followup
from assistant.models import Turn
from assistant.index.filters import SearchFilters


@pytest.fixture(scope="module")
def engine(shared_container):
    return shared_container.answers


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_figure_answer_is_cited_and_quotes_are_verbatim(engine):
    answer = engine.ask("Combien d'emplois soutient un million d'euros d'achats fabriqués en France ?")
    assert not answer.abstained and "treize emplois" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    by_chunk = {h.chunk_id: h for h in answer.retrieved}
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.text
        assert _squash(citation.quote) in _squash(by_chunk[citation.chunk_id].text)


def test_list_question_keeps_the_whole_list(engine):
    answer = engine.ask("Quels sont les trois chantiers prioritaires de l'Alliance ?")
    text = answer.text.lower()
    assert "commande publique" in text and "formation" in text and "épargne" in text


def test_nothing_retrieved_abstains_in_french(engine):
    answer = engine.ask("commande publique", filters=SearchFilters(audience=["staff"]))
    assert answer.abstained and not answer.citations
    assert "ne contiennent pas" in answer.text


def test_cli_ask_json(shared_settings, cli_env):
    import json

    from tests.conftest import run_cli

    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    result = run_cli("ask", "Quelle part des achats est orientée vers la fabrication française ?", "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "22 %" in answer["text"] and answer["citations"] and not answer["abstained"]
    assert set(answer["citations"][0]) >= {"n", "doc_id", "title", "source", "locator", "chunk_id", "quote"}
    refused = run_cli("ask", "Comment obtenir un prêt garanti par l'État ?", env={**cli_env, "COLUMNS": "200"})
    assert refused.returncode == 0, refused.stderr
    assert "ne contiennent pas cette information" in refused.stdout and "Sources les plus proches" in refused.stdout
    assert "Motif : les documents de l'Alliance ne traitent pas du financement des entreprises" in refused.stderr


def test_cli_ask_tells_a_partial_answer_and_what_is_missing(shared_settings, cli_env):
    import json

    from tests.conftest import run_cli
    from tests.support.questions import PARTIAL_QUESTION

    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    shown = run_cli("ask", PARTIAL_QUESTION, env={**cli_env, "COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    answer = json.loads(run_cli("ask", PARTIAL_QUESTION, "--json", env=cli_env).stdout)
    assert answer["status"] == "partial" and answer["missing"] and not answer["abstained"]
    out = shown.stdout
    assert "Réponse partielle" in out and "Ce que les documents ne disent pas" in out
    # Each missing sentence once, in its block after the cited text and before the sources.
    for sentence in answer["missing"]:
        assert out.count(sentence) == 1
        assert out.index("[1]") < out.index("Ce que les documents ne disent pas") < out.index(sentence)
        assert out.index(sentence) < out.index("Sources")


def _cited_docs(answer) -> set[str]:
    return {c.doc_id for c in answer.citations}


def test_written_contract_threshold_is_cited_to_r2112_1(engine):
    answer = engine.ask("À partir de quel montant un marché public doit-il être conclu par écrit ?")
    assert not answer.abstained
    assert "25 000" in _squash(answer.text).replace("\u202f", " ").replace("\u00a0", " ")
    legal = [c for c in answer.citations if c.locator == "R2112-1"]
    assert legal, [c.locator for c in answer.citations]
    assert "25 000" in _squash(legal[0].quote).replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("question", ["Quelle est la recette de la tarte tatin ?",
                                      "Qui a remporté la dernière finale de la Ligue des champions ?"])
def test_out_of_scope_question_abstains_with_suggestions(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations
    assert answer.text.startswith("Les documents de l'Alliance")
    assert answer.reason


@pytest.mark.parametrize("question, reason", [
    ("Quels sont les seuils de publicité des marchés publics en Belgique ?", "autres pays"),
    ("Quel est le taux réduit d'impôt sur les sociétés pour une PME ?", "fiscalité"),
    ("Combien d'adhérents compte l'Alliance du Fabriqué en France ?", "« adhérents »"),
    ("Quel budget l'Alliance du Fabriqué en France a-t-elle pour 2026 ?", "« budget »"),
    ("Comment obtenir un prêt garanti par l'État ?", "ne traitent pas du financement des entreprises"),
    ("Comment créer une entreprise en ligne ?", "ne traitent pas du droit des sociétés"),
    ("Quel est le salaire moyen d'un acheteur public ?", "ne traitent pas du droit du travail"),
])
def test_near_domain_questions_the_documents_do_not_answer_are_refused(engine, question, reason):
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations and reason in answer.reason, answer


def test_questions_on_concessions_are_answered_only_from_passages_on_concessions(engine):
    # The code's concessions part holds only R3124-1…6: its award criteria are there…
    answer = engine.ask("Sur quels critères choisir le délégataire d'une concession de service public ?")
    assert not answer.abstained, answer.reason
    assert {"R3124-4", "R3124-5"} & {c.locator for c in answer.citations}
    assert all("concession" in c.quote or "concédante" in c.quote for c in answer.citations), answer.citations
    # …its estimated value is not, and the rule for marchés publics (R2121-1) is not an answer.
    answer = engine.ask("Comment calcule-t-on la valeur estimée d'un contrat de concession ?")
    assert answer.abstained and not answer.citations, answer.text
    assert "« calcule »" in answer.reason or "« valeur »" in answer.reason or "« estimée »" in answer.reason, answer.reason


def test_a_named_standard_no_passage_mentions_is_refused_not_reframed(engine):
    # « ISO 14044 » is in the guides, « ISO 45001 » nowhere: its number is a name, not a premise to correct.
    answer = engine.ask("Comment une PME obtient-elle la certification ISO 45001 ?")
    assert answer.abstained and "« ISO 45001 »" in answer.reason, answer
    answer = engine.ask("Que dit la norme ISO 14044 mentionnée dans les guides ?")
    assert not answer.abstained and any("14044" in c.quote for c in answer.citations), answer


@pytest.mark.parametrize("question", [
    # Candidates in liquidation and the contractor's pay are in the code: no scope subject may catch them.
    "Une entreprise en liquidation judiciaire peut-elle se porter candidate à un marché public ?",
    "Quelle est la rémunération du titulaire d'un marché de conception-réalisation ?",
    # scope.yaml's `unless`: with a procurement word the question asks what the code says (exclusions, groupings).
    "Un candidat qui ne paie pas son impôt sur les sociétés peut-il être exclu d'un marché public ?",
    "Deux PME peuvent-elles créer une société commune pour répondre ensemble à un marché public ?",
    # Its launch and its priorities are in the documents: the attribute check lets these through.
    "Quand l'Alliance du Fabriqué en France a-t-elle été lancée ?",
    "Quels sont les chantiers prioritaires de l'Alliance du Fabriqué en France ?",
])
def test_questions_the_documents_answer_are_not_refused(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained, (question, answer.reason)


def test_ambiguous_alliance_named_by_a_comparison_note_only_gets_its_own_part(engine):
    # Only comparison notes name the 2015 alliance among the first passages: asked about by name, it answers too.
    answer = engine.ask("Quand l'Alliance a-t-elle été créée ?")
    parts = {line.split(" : ")[0]: line for line in answer.text.split("\n")}
    assert {"L'Alliance du Fabriqué en France", "L'Alliance Industrie du Futur"} <= set(parts), answer.text
    assert "28 janvier 2026" in parts["L'Alliance du Fabriqué en France"]
    assert "20 juillet" in parts["L'Alliance Industrie du Futur"]


def test_ambiguous_alliance_part_without_the_asked_fact_says_so(engine):
    answer = engine.ask("Qui sont les présidents d'honneur de l'Alliance ?")
    assert "Pascal Daloz" in answer.text  # the Alliance Industrie du Futur's part answers
    part = next(line for line in answer.text.split("\n") if line.startswith("L'Alliance du Fabriqué en France"))
    assert "ne disent rien de « honneur »" in part and "[" not in part and "Montebourg" not in answer.text
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert used == {c.n for c in answer.citations}  # the dropped part's sources are not listed


def test_ambiguous_alliance_asked_who_holds_a_role_names_each_holder(engine):
    # Each part answers with the sentence naming a person in the role asked (said « présidée par », « élu
    # président »), not with what its organisation's passages say first.
    answer = engine.ask("Qui pilote l'Alliance ?")
    parts = {line.split(" : ")[0]: line for line in answer.text.split("\n")}
    assert "Amir Reza-Tofighi" in parts["L'Alliance du Fabriqué en France"], answer.text
    assert "Philippe Darmayan" in parts["L'Alliance Industrie du Futur"], answer.text
    assert answer.status == "answered" and len(answer.citations) == 2


def test_false_premise_is_corrected_not_answered(engine):
    answer = engine.ask("Quel article du Code de la commande publique oblige à acheter français ?")
    assert not answer.abstained and answer.framing
    assert "égalité de traitement" in answer.text
    assert {"L3", "R2111-7"} & {c.locator for c in answer.citations}


def test_years_written_in_a_document_title_are_not_unknown_years(engine):
    # « 2015-2020 » is in the plan's title only; 2020, the target year, is in the passage.
    answer = engine.ask("Quel objectif de clauses sociales fixait le plan national d'action pour les achats "
                        "publics durables 2015-2020 ?")
    assert not answer.abstained and "25 %" in _squash(answer.text).replace("\u202f", " "), answer.reason


def test_a_comparison_table_does_not_attribute_the_other_alliances_president(shared_index):
    """« Darmayan, président de l'Alliance du Fabriqué en France » is a false premise even when the only
    passage naming both alliances is a table with one column per alliance."""
    from assistant.grounding.entities import EntityTagger, question_entities
    from assistant.answer.premises import entity_conflicts
    from assistant.models import SearchHit

    def hit(n: int, text: str) -> SearchHit:
        return SearchHit(rank=n, score=1.0, doc_id=f"d{n}", title="Fiche", doc_type="note", source="s",
                         locator="Comparaison", chunk_id=f"d{n}#0", text=text)

    table = hit(1, "| | Alliance du Fabriqué en France | Alliance Industrie du Futur |\n|---|---|---|\n"
                   "| Président | Amir Reza-Tofighi, président de la CPME | Philippe Darmayan (UIMM) |")
    aif = hit(2, "Philippe Darmayan a été élu président de l'Alliance Industrie du Futur.")
    question = "Quelle feuille de route Philippe Darmayan a-t-il présentée en tant que président de l'Alliance du Fabriqué en France ?"
    conflict = entity_conflicts(question, question_entities(question).named, [table, aif],
                                EntityTagger(shared_index.catalog))
    assert conflict is not None and conflict[0].id == "industrie-du-futur" and "darmayan" in conflict[1]


def test_wrong_number_in_question_is_pointed_out(engine):
    answer = engine.ask("Pourquoi le seuil de dispense de procédure pour les fournitures est-il fixé à 40 000 euros ?")
    assert any("40 000" in f for f in answer.framing)
    assert "60 000" in _squash(answer.text).replace("\u202f", " ")


def test_facts_of_another_alliance_are_never_attributed(engine, shared_index):
    industrie_du_futur = {d["doc_id"] for d in shared_index.catalog.documents() if "004_" in d["path"]}
    answer = engine.ask("Pourquoi l'Alliance du Fabriqué en France a-t-elle été créée en 2015 ?")
    assert any("Industrie du Futur" in f for f in answer.framing), answer.framing
    assert not _cited_docs(answer) & industrie_du_futur
    answer = engine.ask("Quel budget a l'Alliance du Fabriqué en France ?")
    assert "160 millions" not in answer.text and not _cited_docs(answer) & industrie_du_futur


def test_ambiguous_alliance_is_answered_per_entity(engine):
    answer = engine.ask("Quand l'Alliance a-t-elle été créée ?")
    assert not answer.abstained
    assert "Alliance du Fabriqué en France" in answer.text and "Alliance Industrie du Futur" in answer.text


def test_streamed_deltas_make_up_the_answer(engine):
    events = list(engine.stream("Quelle part des achats est orientée vers la fabrication française ?"))
    deltas = [e.text for e in events if e.type == "delta"]
    assert events[-1].type == "answer" and len(deltas) >= 1
    assert "".join(deltas).strip() == events[-1].answer.text


def test_follow_up_is_rewritten_and_conversation_stored(shared_container, tmp_path):
    from assistant.answer.conversations import ConversationStore

    store = ConversationStore(tmp_path / "conversations.sqlite")
    engine = AnswerEngine(shared_container.grounding, conversations=store)
    first = engine.ask("Quel est le seuil de dispense de publicité pour les travaux ?", conversation_id="essai-1")
    second = engine.ask("et pour les fournitures ?", conversation_id="essai-1")
    assert first.message_id and second.message_id and second.conversation_id == "essai-1"
    assert "travaux" in second.standalone_question and second.standalone_question != second.question
    assert "60 000" in _squash(second.text).replace("\u202f", " ")
    assert [m["question"] for m in store.messages("essai-1")] == [first.question, second.question]


@pytest.mark.parametrize("question, standalone", [
    ("Détaille le deuxième.", "Détaille la formation des compétences ?"),
    ("Et le dernier ?", "Et le financement par l’épargne ?"),
    ("Qu'en est-il de la troisième ?", "Qu'en est-il du financement par l’épargne ?"),
    ("Parle-moi du premier", "Parle-moi de la commande publique ?"),
    # An ordinal followed by its own noun, or past the list's end, is not an item of the list.
    ("Quel est le premier article du code ?", "Quel est le premier article du code ?"),
    ("Et le cinquième ?", "Quels sont les trois chantiers ? Et le cinquième ?"),
])
def test_an_ordinal_follow_up_designates_an_item_of_the_previous_answer(question, standalone):
    history = [Turn(question="Quels sont les trois chantiers ?", standalone_question="Quels sont les trois chantiers ?",
                    answer="Trois chantiers structurent la feuille de route : la commande publique [1], la formation "
                           "des compétences et le financement par l’épargne [1].")]
    assert rewrite_followup(question, history) == standalone


def test_the_second_priority_is_detailed_from_its_own_passages(engine):
    previous = "Quels sont les trois chantiers prioritaires de l'Alliance du Fabriqué en France ?"
    first = engine.ask(previous)
    second = engine.ask("Détaille le deuxième.", history=[Turn(question=previous, standalone_question=previous,
                                                               answer=first.text)])
    assert "compétences" in second.standalone_question and "60 000" in _squash(second.text).replace("\u202f", " ")


def test_a_sentence_that_goes_on_from_the_chosen_one_is_kept_with_it(engine):
    # R2182-1: « … un délai minimal de onze jours … » then « Ce délai minimal est porté à seize jours … ».
    answer = engine.ask("Combien de temps faut-il attendre entre l'information des candidats évincés et la "
                        "signature d'un marché formalisé ?")
    text = _squash(answer.text)
    assert "onze jours" in text and "seize jours" in text, text
    assert text.index("onze jours") < text.index("seize jours")  # in the passage's order


def test_which_unions_belong_to_the_alliance_is_answered(engine):
    # « font partie » is how the question is asked, not a word the passages must contain.
    answer = engine.ask("Quels syndicats de salariés font partie de l'Alliance ?")
    assert "CFTC" in answer.text and "CFE-CGC" in answer.text, answer.text


def test_long_words_sharing_their_start_match_in_sentence_choice():
    from assistant.grounding.extractive import shared_terms

    assert shared_terms({"syndicat", "salari"}, {"confédér", "syndical", "salari"}) == {"syndicat", "salari"}
    assert shared_terms({"march"}, {"marchandis"}) == set()  # short words must match exactly


def test_a_follow_up_is_answered_with_sentences_about_what_it_asks(engine):
    previous = "Qui a été élu président de l'Alliance Industrie du Futur ?"
    history = [Turn(question=previous, standalone_question=previous, answer=engine.ask(previous).text)]
    answer = engine.ask("Et de quel budget dispose-t-elle ?", history=history)
    # The previous question retrieves the passages; the sentences answer the budget, of that alliance.
    assert previous in answer.standalone_question and "160 millions" in answer.text, answer.text
    # « Et pourquoi ? » has no word of its own: its sentences are chosen for the whole rewritten question.
    assert engine._followup_focus("Et pourquoi ?", f"{previous} Et pourquoi ?") is None
    assert engine._followup_focus("Et de quel budget ?", f"{previous} Et de quel budget ?") == "Et de quel budget ?"


def test_bad_questions_and_ids_get_french_errors(engine):
    from assistant.answer.conversations import ConversationError
    from assistant.answer.engine import QuestionError

    with pytest.raises(QuestionError, match="vide"):
        engine.ask("   ")
    with pytest.raises(QuestionError, match="trop longue"):
        engine.ask("a" * 2001)
    with pytest.raises(ConversationError, match="invalide"):
        engine.ask("Quel est le seuil ?", conversation_id="../../etc")


def test_cli_eval_reports_every_metric(shared_settings, cli_env, tmp_path):
    import json

    from tests.conftest import run_cli

    items = [
        {"id": "t1", "question": "À partir de quel montant un marché public doit-il être conclu par écrit ?",
         "kind": "answerable", "expected_sources": ["R2112-1"], "must_contain": ["25 000"]},
        {"id": "t2", "question": "Quelle est la recette de la tarte tatin ?", "kind": "out_of_scope"},
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    cli_env["ASSISTANT_DATA_DIR"] = str(shared_settings.data_dir)
    result = run_cli("eval", str(path), "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 2 and report["accuracy"] == 1.0 and report["abstention_recall"] == 1.0
    assert report["citation_precision"] == 1.0 and report["retrieval_recall"] == 1.0
    # The answer opens on the expected article (the one out-of-scope item cites nothing and is not counted).
    assert report["first_cited_rate"] == 1.0 and [i["first_cited"] for i in report["items"]] == [True, None]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = run_cli("eval", str(bad), env=cli_env)
    assert result.returncode == 1 and "invalide" in result.stderr


@pytest.mark.parametrize("question, kind", [
    ("Depuis quand les acheteurs doivent-ils tenir compte de l'indice de réparabilité ?", "date"),
    ("Combien de jours faut-il attendre avant de signer ?", "quantity"),
    ("À partir de quel montant faut-il un écrit ?", "quantity"),
    ("Quelle est la durée maximale d'un accord-cadre ?", "quantity"),
    ("Qui a lancé l'Alliance du Fabriqué en France ?", None),
])
def test_expected_answer_type(question, kind):
    assert expected_type(question) == kind


def test_sentences_giving_a_date_or_a_quantity_are_recognised():
    assert gives("date", "L'obligation s'applique à compter du 1er janvier 2023.")
    assert not gives("date", "L'obligation s'applique aux produits neufs (article L. 541-9-2).")
    assert gives("quantity", "Le délai minimal est de onze jours.") and gives("quantity", "au moins 20 % du volume")
    assert gives("quantity", "un montant de 25 000 euros hors taxes")
    assert not gives("quantity", "conformément à l'article R. 2191-3")


def test_a_when_question_is_answered_with_the_sentence_giving_the_date(engine):
    answer = engine.ask("Depuis quand l'État et les collectivités doivent-ils tenir compte de l'indice de "
                        "réparabilité quand ils achètent des produits numériques ?")
    assert "1er janvier 2023" in answer.text, answer.text


def test_the_other_alliances_person_is_named_as_the_question_writes_it(engine):
    answer = engine.ask("Philippe Darmayan étant à la tête de l'Alliance du Fabriqué en France, que demande-t-il aux acheteurs ?")
    assert answer.guards[:1] == ["organisation-nommee:correct"], answer.guards
    warning = next(f for f in answer.framing if f.startswith("Attention"))
    assert "« Philippe Darmayan » se rapporte à l'Alliance Industrie du Futur" in warning, warning


def test_words_are_quoted_as_written_and_joined_when_they_follow_each_other():
    from assistant.answer.guards import _as_written
    question = "Selon Philippe  Darmayan, l'Alliance créée en 2015 a-t-elle un budget ?"
    assert _as_written(question, ["philippe", "darmayan"]) == ["Philippe  Darmayan"]
    assert _as_written(question, ["darmayan", "2015"]) == ["Darmayan", "2015"]
    assert _as_written(question, ["absent"]) == ["absent"]
