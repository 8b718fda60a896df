"""The evaluation sets stay valid: every expected article, document and figure exists in the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.text.normalize import fold
from bench import evalsets
from tests.conftest import CODE_DIR, ROOT, SHARED_CORPUS

EVAL = ROOT / "bench" / "eval"


def _articles() -> dict[str, str]:
    texts = {}
    for path in list(CODE_DIR.glob("*.md")) + list((SHARED_CORPUS / "commande-publique" / "ccag").glob("*.md")):
        parts = re.split(r"^## Article (.+?)\s*$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        for heading, body in zip(parts[1::2], parts[2::2]):
            m = re.match(r"CCAG .*?(\d+)$", heading)
            texts[f"CCAG-FCS-{m.group(1)}" if m else heading.replace(" ", "")] = body
    return texts


def _source_text(ref: str, articles: dict[str, str]) -> str:
    if ref in articles:
        return articles[ref]
    path = ROOT / ref if ref.startswith("corpus/") else SHARED_CORPUS / ref
    assert path.is_file(), f"source introuvable : {ref}"
    return path.read_text(encoding="utf-8")


def test_retrieval_questions_point_to_existing_sources():
    articles = _articles()
    items = evalsets.read("questions.yaml", SHARED_CORPUS)
    assert len(items) >= 60 and len({i["id"] for i in items}) == len(items)
    for item in items:
        refs = (item.get("expected_articles") or []) + (item.get("expected_docs") or [])
        assert refs, item["id"]
        for ref in refs:
            _source_text(ref, articles)


@pytest.mark.parametrize("name, kinds", [
    ("answers.yaml", {"answerable", "out_of_scope", "false_premise", "ambiguous_entity", "follow_up"}),
    ("heldout.yaml", {"answerable", "out_of_scope"}),
    ("blind.yaml", {"answerable", "unanswerable", "false_premise", "lawfulness", "ambiguous_entity", "follow_up"}),
    ("blind2.yaml", {"answerable", "unanswerable", "false_premise", "follow_up"}),
    ("blind3.yaml", {"answerable", "unanswerable", "false_premise", "follow_up"}),
    ("principles.yaml", {"answerable"}),
    ("blind4.yaml", {"answerable", "unanswerable", "false_premise", "lawfulness", "follow_up"}),
    ("blind5.yaml", {"answerable", "unanswerable", "false_premise", "lawfulness", "follow_up"}),
])
def test_answer_questions_figures_are_verbatim_in_their_sources(name, kinds):
    articles = _articles()
    items = evalsets.read(name, SHARED_CORPUS)
    assert len({i["id"] for i in items}) == len(items)
    assert {i["kind"] for i in items} == kinds
    for item in items:
        sources = [_source_text(ref, articles) for ref in item.get("expected_sources") or []]
        if item["kind"] in ("out_of_scope", "unanswerable"):
            assert not sources and not item.get("must_contain"), item["id"]
        for needle in item.get("must_contain") or []:
            assert any(needle in text for text in sources), (item["id"], needle)


# situations_multi.yaml's writer was allowed figures computed from the buyer's (« 1,5 × … »): not the articles' own.
@pytest.mark.parametrize("name, verbatim", [("situations.yaml", True), ("situations_multi.yaml", False),
                                            ("situations2.yaml", True)])
def test_situation_sets_point_to_articles_that_hold_their_figures(name, verbatim):
    """Every aspect names articles of the corpus, one of which holds each figure it expects (when the set was written
    so); ids are unique and each half holds every kind."""
    articles = _articles()
    items = evalsets.read(name, SHARED_CORPUS)
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["kind"] in {"situation", "missing", "ask_back", "compound"} and item["aspects"], item["id"]
        for aspect in item["aspects"]:
            assert aspect["expected_sources"] and all(a in articles for a in aspect["expected_sources"]), item["id"]
            assert aspect.get("applies") in (True, False, None), item["id"]
            for needle in (aspect.get("must_contain") or []) if verbatim else []:
                assert any(str(needle) in articles[a] for a in aspect["expected_sources"]), (item["id"], needle)
    for half in (0, 1):
        kinds = {i["kind"] for i in items if int(str(i["id"]).rsplit("-", 1)[1]) % 2 == half}
        assert kinds == {i["kind"] for i in items}


@pytest.mark.parametrize("name", ["verify_alliance.yaml", "verify_marches.yaml", "verify_extra.yaml",
                                  "verify_probe.yaml"])
def test_fact_checking_sets_are_well_formed(name):
    """Checked mechanically (the even half is never read): unique ids, a claim that is a slice of its text, a known
    status, a source file that exists, each half holding planted errors and correct sentences."""
    path = EVAL / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    items = evalsets.read(path, SHARED_CORPUS)
    assert len({i["id"] for i in items}) == len(items)
    corpus = SHARED_CORPUS
    for item in items:
        assert item["claim"] in item["text"], item["id"]
        assert item["expected"] in {"confirmed", "different", "not_found", "misattributed", "old"}, item["id"]
        if item.get("source"):
            assert (corpus / item["source"]).exists() or list(corpus.glob(f"**/{Path(item['source']).name}")), item["id"]
    for half in (0, 1):
        chosen = [i for i in items if int(i["id"].rsplit("-", 1)[1]) % 2 == half]
        assert sum(i["expected"] == "confirmed" for i in chosen) >= 0.3 * len(chosen)
        assert sum(i["expected"] != "confirmed" for i in chosen) >= 0.3 * len(chosen)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text).lower())


def test_no_set_carries_sentences_of_the_shared_corpus():
    """The corpus's own words are stored as references (bench/evalsets.py), never copied: no run of eight words of a
    set's text fields (ids, paths and expected fragments aside) is found as such in ../shared/corpus."""
    size = 8
    runs = set()
    for path in SHARED_CORPUS.rglob("*"):
        if path.is_file() and path.suffix in {".md", ".txt", ".html", ".json", ".yaml", ".csv"}:
            words = _words(path.read_text(encoding="utf-8", errors="ignore"))
            runs.update(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))
    assert runs
    copied = []
    # The examples a model learns how buyers ask from are held to the same rule.
    for path in [*sorted(EVAL.glob("*.yaml")), *sorted((ROOT / "bench" / "dev").glob("*.yaml")),
                 *sorted((ROOT / "assistant" / "grounding").glob("*_questions.yaml"))]:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            for key, value in item.items():
                if key in {"id", "source", "expected_docs", "expected_articles", "expected_sources", "must_contain"}:
                    continue
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        words = _words(evalsets.REFERENCE.sub(" ", text))
                        if any(" ".join(words[i:i + size]) in runs for i in range(len(words) - size + 1)):
                            copied.append(f"{path.name} {item.get('id')} {key}")
    assert not copied, copied


def test_corpus_references_resolve_to_the_words_they_stand_for():
    """A reference points inside its file, on word boundaries, so a set reads as it was written."""
    seen = 0
    for path in sorted(EVAL.glob("*.yaml")):
        for match in evalsets.REFERENCE.finditer(path.read_text(encoding="utf-8")):
            text = (SHARED_CORPUS / match.group(1)).read_text(encoding="utf-8")
            start, length = int(match.group(2)), int(match.group(3))
            assert start + length <= len(text), match.group(0)
            piece = text[start:start + length]
            assert piece == piece.strip() and _words(piece), match.group(0)
            assert not (start and text[start - 1].isalnum()) and not text[start + length:start + length + 1].isalnum()
            seen += 1
    assert seen
