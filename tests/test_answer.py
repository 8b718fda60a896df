"""Extractive answers on the real shared corpus: cited sentences, lists kept whole, quotes faithful."""

from __future__ import annotations

import pytest

from assistant.answer.engine import AnswerEngine
from assistant.retrieval.filters import SearchFilters
from assistant.retrieval.search import HybridSearcher


@pytest.fixture(scope="module")
def engine(shared_index):
    return AnswerEngine(HybridSearcher(shared_index))


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
