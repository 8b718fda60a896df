"""Evaluation grading and summaries with partial answers, on hand-built results (no engine needed)."""

from __future__ import annotations

from assistant.answer.models import Answer
from assistant.evaluation import EvalItem, ItemResult, grade, summarize

LACK = "Les passages les plus pertinents ne mentionnent pas « 12 345 € »."


def result(id_: str, kind: str, status: str, correct: bool | None) -> ItemResult:
    return ItemResult(id=id_, kind=kind, question="q", answer="a", abstained=status == "refused", status=status,
                      correct=correct, retrieval_hit=None, citations=0, citations_valid=0, sentences=0,
                      sentences_cited=0, latency_ms=1.0)


def partial(text: str) -> Answer:
    return Answer(text=f"{text}\n{LACK}", missing=[LACK], framing=[LACK])


def test_summarize_counts_partial_answers_apart_from_refusals():
    report = summarize([
        result("a1", "answerable", "answered", True),
        result("a2", "answerable", "partial", True),
        result("a3", "answerable", "partial", False),
        result("a4", "answerable", "refused", False),
        result("u1", "unanswerable", "partial", True),
        result("u2", "unanswerable", "refused", True),
        result("o1", "out_of_scope", "refused", True),
    ])
    answerable, unanswerable = report.by_kind["answerable"], report.by_kind["unanswerable"]
    assert answerable["partial_rate"] == 0.5 and answerable["abstention_rate"] == 0.25
    assert unanswerable["partial_rate"] == 0.5 and unanswerable["accuracy"] == 1.0
    assert report.by_kind["out_of_scope"]["partial_rate"] == 0.0
    # Only the real refusal of an answerable question is a false refusal; partial answers are not refusals.
    assert report.false_refusal_rate == 0.25
    assert report.abstention_recall == 0.667 and report.abstention_precision == 0.667
    assert report.accuracy == round(5 / 7, 3)


def test_a_question_to_refuse_is_also_right_answered_partial():
    item = EvalItem(id="u", question="q", kind="unanswerable")
    assert grade(item, partial("Le seuil est de 100 000 euros [1]."))[0] is True
    assert grade(item, Answer(text="Rien.", abstained=True))[0] is True
    assert grade(item, Answer(text="Le seuil est de 100 000 euros [1]."))[0] is False  # answered as if known


def test_a_partial_answer_to_refuse_must_not_state_the_forbidden_fact_and_must_name_the_missing_piece():
    forbidden = EvalItem(id="u", question="q", kind="out_of_scope", must_not_contain=["100 000"])
    correct, _, found = grade(forbidden, partial("Le seuil est de 100 000 euros [1]."))
    assert correct is False and found == ["100 000"]
    # The figure the documents lack, repeated by the sentence that says so, is not a forbidden claim.
    asked = EvalItem(id="u", question="q", kind="unanswerable", must_not_contain=["12 345"])
    assert grade(asked, partial("Le seuil est de 100 000 euros [1]."))[0] is True
    named = EvalItem(id="u", question="q", kind="unanswerable", must_contain=["12 345"])
    assert grade(named, partial("Le seuil est de 100 000 euros [1]."))[0] is True
    other = EvalItem(id="u", question="q", kind="unanswerable", must_contain=["arrêté"])
    assert grade(other, partial("Le seuil est de 100 000 euros [1]."))[0] is False


def test_an_answerable_question_answered_partial_is_graded_by_its_facts():
    item = EvalItem(id="a", question="q", kind="answerable", must_contain=["100 000"])
    assert grade(item, partial("Le seuil est de 100 000 euros [1]."))[0] is True
    assert grade(item, partial("Une autre règle s'applique [1]."))[0] is False


def test_a_fact_is_right_whether_its_number_is_written_in_digits_or_words():
    item = EvalItem(id="x", question="?", kind="answerable", must_contain=["trente jours", "6 autres"])
    answer = Answer(text="Le délai est de 30 jours [1]. Elle réunit six autres organisations [2].", citations=[],
                    abstained=False)
    assert grade(item, answer)[0] is True
    wrong = Answer(text="Le délai est de 50 jours [1]. Elle réunit six autres organisations [2].", citations=[],
                   abstained=False)
    assert grade(item, wrong)[1] == ["trente jours"]


def test_the_share_of_answers_opening_on_an_expected_source_counts_only_answers_citing_something():
    rows = [result(f"a{i}", "answerable", "answered", True) for i in range(3)]
    for row, first in zip(rows, (True, False, None)):
        row.first_cited = first
    assert summarize(rows).first_cited_rate == 0.5
