"""The container: one builder of shared objects, backends swapped by binding, nothing built twice."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.answer.llm import LLMGenerator
from assistant.container import Container
from assistant.grounding.llm.base import LLMConfigError
from assistant.grounding.llm.client import LLMClient
from tests.conftest import make_settings


def test_the_three_engines_share_one_grounding_and_one_llm_client(shared_index):
    container = Container(shared_index.settings, index=shared_index)
    client = LLMClient(FakeListChatModel(responses=["Réponse du modèle."]))
    container.bind("llm", client)
    grounding = container.grounding
    assert container.answers.grounding is grounding
    assert container.clauses.grounding is grounding and container.briefs.grounding is grounding
    assert grounding.llm is client and container.clauses.llm is client
    assert isinstance(container.answers.generator, LLMGenerator) and container.answers.generator.client is client
    # Built once: the same objects on every access.
    assert container.answers is container.answers and container.searcher is grounding.searcher


def test_without_a_model_the_answers_are_extractive(shared_index):
    container = Container(shared_index.settings, index=shared_index)
    assert container.llm is None
    assert container.answers.generator is container.grounding.selector
    assert container.answers.generator.name == "extractive"


def test_a_misconfigured_model_is_reported_every_time_and_never_cached(tmp_path):
    container = Container(make_settings(tmp_path / "data", llm="llm", llm_model=""))
    for _ in range(2):
        with pytest.raises(LLMConfigError, match="ASSISTANT_LLM_MODEL"):
            container.llm
    assert container.built("llm") is None


def test_binding_an_unknown_object_is_refused(tmp_path):
    container = Container(make_settings(tmp_path / "data"))
    with pytest.raises(AttributeError, match="unknown container object"):
        container.bind("indexx", object())
    with pytest.raises(AttributeError):
        Container(make_settings(tmp_path / "data"), engine=object())


class _Closable:
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True


def test_close_leaves_bound_objects_open_and_forgets_built_ones(tmp_path):
    container = Container(make_settings(tmp_path / "data"))
    bound = _Closable()
    container.bind("index", bound)
    store = container.conversations  # built by the container: its own to close
    container.close()
    assert not bound.closed
    assert container.index is bound  # still bound after close
    assert container.built("conversations") is None
    reopened = container.conversations
    assert reopened is not store
    container.close()
