"""Brief generator on the real shared corpus: verbatim figures, entity care, footnotes, formats, exports."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from assistant.briefs.formats import BriefLibrary, FormatPlan, SectionPlan, load_library
from assistant.briefs.generator import EMPTY_NOTICE, BriefError, BriefGenerator
from assistant.briefs.models import BRIEF_FORMATS, BriefRequest
from assistant.render.brief_review import brief_review_markdown
from assistant.render.brief_markdown import brief_markdown
from assistant.render.brief_docx import brief_docx
from assistant.render.footnotes import Footnotes, footnote_references
from assistant.retrieval.search import HybridSearcher
from tests.conftest import ROOT, VENV_BIN
from tests.support.office import render_page_one

TOPIC = "La commande publique, levier de réindustrialisation"
TOPICS = (TOPIC, "L'accès des PME aux marchés publics", "Les achats publics durables et l'économie circulaire")
INDUSTRIE_DU_FUTUR_DOC = "alliance/004-51d146f4fd5bd881"
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#")
# A figure as written: digits with their separators (« 100 », « 9 % », « 1,5 », « 60 000 »).
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
MARKER = re.compile(r"\[(\d{1,3})\]")


@pytest.fixture(scope="module")
def generator(shared_container) -> BriefGenerator:
    return shared_container.briefs


@pytest.fixture(scope="module")
def note(generator):
    return generator.generate(BriefRequest(topic=TOPIC, format="note", audience="elus"))


def _passage(generator, citation) -> str:
    row = generator.searcher.index.catalog.chunks_by_id([citation.chunk_id])[citation.chunk_id]
    return f"{row['locator']}\n{row['text']}"


def test_note_every_figure_is_verbatim_in_the_passage_it_cites(generator, note):
    by_n = {c.n: c for c in note.citations}
    checked = 0
    for section in note.sections:
        for item in section.items:
            cited = [by_n[int(n)] for n in MARKER.findall(item.text)]
            assert cited, f"phrase sans source : {item.text}"
            passages = [_passage(generator, c) for c in cited]
            for number in NUMBER.findall(MARKER.sub("", item.text)):
                assert any(number in p for p in passages), f"« {number} » absent du passage cité : {item.text}"
                checked += 1
            if item.label:  # the highlighted key figure, exactly as written in its passage
                assert any(item.label in p for p in passages), item.label
    assert checked >= 5, "la note devrait contenir des chiffres"
    figures = next(s for s in note.sections if s.id == "chiffres")
    assert len(figures.items) >= 2 and all(i.label for i in figures.items)
    assert any("100 milliards" in i.text for s in note.sections for i in s.items)
    # Only cited sources are listed, numbered by first use.
    assert [c.n for c in note.citations] == list(range(1, len(note.citations) + 1))
    used = {int(n) for s in note.sections for i in s.items for n in MARKER.findall(i.text)}
    assert used == {c.n for c in note.citations}
    assert {e.doc_id for e in note.bibliography} == {c.doc_id for c in note.citations}


def test_nothing_from_industrie_du_futur_is_attributed_to_the_alliance(generator, note):
    for brief in (note, generator.generate(BriefRequest(
            topic="Le lancement de l'Alliance et l'industrie du futur", format="communique", audience="presse"))):
        assert INDUSTRIE_DU_FUTUR_DOC not in {c.doc_id for c in brief.citations}
        for citation in brief.citations:
            assert "Industrie du Futur" not in citation.quote, citation.quote
        for section in brief.sections:
            for item in section.items:
                assert "Darmayan" not in item.text and "UIMM" not in item.text
    # The brief that ran into the 2015 article says it set it aside.
    warnings = [w for w in brief.warnings if w.kind == "entity"]
    assert any(w.doc_id == INDUSTRIE_DU_FUTUR_DOC and "Industrie du Futur" in w.message for w in warnings)


def test_docx_footnotes_list_exactly_the_cited_sources(note, tmp_path):
    data = brief_docx(note)
    path = tmp_path / "note.docx"
    path.write_bytes(data)
    document = Document(str(path))  # re-read from disk
    notes = Footnotes.of(document).texts()
    references = footnote_references(document)
    cited_markers = sum(len(MARKER.findall(i.text)) for s in note.sections for i in s.items)
    assert len(references) == cited_markers == len(notes)
    footnoted = set()
    for text in notes.values():
        # The quote word for word, its Markdown emphasis (layout) aside.
        match = [c for c in note.citations
                 if text.startswith(f"{c.title} — {c.locator}. « {c.quote.strip().replace('**', '')} »")]
        assert "**" not in text
        assert match, f"note de bas de page sans source citée : {text[:120]}"
        footnoted.add(match[0].n)
    assert footnoted == {c.n for c in note.citations}
    # Word-compatible package: the footnotes part, its relationship and content type are declared.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        assert "word/footnotes.xml" in names
        assert "footnotes" in package.read("word/_rels/document.xml.rels").decode()
        assert "wordprocessingml.footnotes+xml" in package.read("[Content_Types].xml").decode()
        footer = "".join(package.read(n).decode() for n in names if n.startswith("word/footer"))
        assert 'w:instr=" PAGE' in footer and 'w:instr=" NUMPAGES' in footer
    body = "\n".join(p.text for p in document.paragraphs)
    assert note.title in body and "Sources" in body
    for entry in note.bibliography:
        assert entry.title.rstrip(".") in body and entry.type_label in body and entry.publisher in body


@pytest.mark.parametrize("fmt", BRIEF_FORMATS)
def test_each_format_renders_for_three_topics(generator, fmt):
    plan = load_library().formats[fmt]
    for topic in TOPICS:
        brief = generator.generate(BriefRequest(topic=topic, format=fmt, audience="elus"))
        assert [s.id for s in brief.sections] == [s.id for s in plan.sections]
        assert brief.sections[0].items, f"{fmt} / {topic} : première section vide"
        thin = {w.section_id for w in brief.warnings if w.kind == "thin_section"}
        by_n = {c.n: c for c in brief.citations}
        for section, section_plan in zip(brief.sections, plan.sections):
            # A section short of material says so to the team (never padded from other documents)…
            assert section.items or section_plan.min_items == 0 or section.id in thin, (fmt, topic, section.id)
            # …and an advocacy section cites the Alliance's own documents only: never a guide or the Code.
            if section_plan.doc_types:
                cited = {by_n[int(n)].doc_id for item in section.items for n in MARKER.findall(item.text)}
                types = {generator.searcher.index.catalog.document(d)["doc_type"] for d in cited}
                assert types <= set(section_plan.doc_types), (fmt, topic, section.id, types)
        markdown = brief_markdown(brief)
        assert not TEMPLATE_SYNTAX.search(markdown), markdown
        for section in brief.sections:
            # A press release opens on its dateline and standfirst, without a heading; an empty section is left out.
            assert (f"## {section.title}" in markdown) == bool(section.items) or (
                fmt == "communique" and section.style == "lead")
        assert all(f"[^{c.n}]:" in markdown for c in brief.citations)
        docx = Document(io.BytesIO(brief_docx(brief)))
        body = "\n".join(p.text for p in docx.paragraphs)
        assert not TEMPLATE_SYNTAX.search(body) and "**" not in body
        # The document sent out holds no review item; the review sheet holds them all.
        assert "vigilance" not in markdown.lower() and "vigilance" not in body.lower()
        assert all(w.message in brief_review_markdown(brief) for w in brief.warnings)
        for section in brief.sections:  # every quotation said by a named person of its passage
            if section.style == "quote":
                assert all(item.label and " " in item.label.split(",")[0] for item in section.items), section.items
                assert all(f"— {item.label}" in body for item in section.items)
        if fmt == "note":  # object first, synthesis in bullets
            assert f"Objet : {topic}" in body and f"**Objet :** {topic}" in markdown
            assert brief.sections[0].style == "bullets"
        if fmt == "communique":
            # « À propos »: the team's sentences (a-propos.yaml), each cited.
            about = next(s for s in brief.sections if s.id == "a-propos")
            own = {sentence.label for sentence in load_library().about}
            assert about.items and all(re.sub(r"\s*\[\d+\]", "", i.text).rstrip(".") in {o.rstrip(".") for o in own}
                                       for i in about.items), about.items
            assert all(MARKER.search(i.text) for i in about.items)
            assert re.search(r"^Paris, le \d{1,2} \w+ \d{4} — ", body, re.M), body[:300]
            assert "Contact presse" in body and "Contact presse" in markdown
            assert "à l'attention des" not in body


def test_old_figures_are_flagged_with_a_configurable_age(generator, note):
    aged = [w for w in note.warnings if w.kind == "figure_age"]
    assert aged, "la note cite un guide de 2023 : un avertissement d'ancienneté est attendu"
    for warning in aged:
        doc = generator.searcher.index.catalog.document(warning.doc_id)
        assert doc["doc_type"] != "procurement_law" and "plus de 3 ans" in warning.message
    lenient = BriefGenerator(generator.grounding, generator.figures,
                             generator.settings.model_copy(update={"brief_max_figure_age_years": 50}))
    relaxed = lenient.generate(BriefRequest(topic=TOPIC, format="note", audience="elus"))
    assert not [w for w in relaxed.warnings if w.kind == "figure_age"]


def test_thin_section_says_so_instead_of_padding(generator):
    real = load_library()
    plan = FormatPlan(id="note", label="Note", title="Note — {{ topic }}", sections=(
        SectionPlan(id="citation", title="Citation", kind="quote", style="quote", queries=("{{ topic }}",),
                    max_items=1, min_items=1),))
    library = BriefLibrary(formats={**real.formats, "note": plan}, audiences=real.audiences, lengths=real.lengths,
                           objections=real.objections, questions=real.questions)
    thin = BriefGenerator(generator.grounding, generator.figures, library=library)
    # Articles of the code quote nobody: no spokesperson's quotation can be found for this topic.
    brief = thin.generate(BriefRequest(topic="seuils des procédures formalisées des marchés de fournitures"))
    section = brief.sections[0]
    assert section.items == [] and section.notice == EMPTY_NOTICE
    assert [w.section_id for w in brief.warnings if w.kind == "thin_section"] == ["citation"]
    assert "à rédiger par l'équipe" in brief_review_markdown(brief)  # said to the team…
    assert "## Citation" not in brief_markdown(brief)  # …not printed as an empty part of the document


def test_regenerating_a_section_gives_other_material(generator, note):
    section = next(s for s in note.sections if s.id == "arguments")
    used = [q for item in section.items for q in item.quotes]
    again = generator.generate(BriefRequest(topic=TOPIC, format="note", audience="elus",
                                            exclude={"arguments": used}))
    redone = next(s for s in again.sections if s.id == "arguments")
    assert used and not {q for i in redone.items for q in i.quotes} & set(used)
    # Other material from the Alliance's documents, or, when they hold no more, a section that says so.
    assert redone.items or redone.notice == EMPTY_NOTICE
    # Every other section word for word, each sentence citing the same passage (its number may move by one when
    # the redrawn section brings a source that comes earlier in reading order); sources numbered in reading order.
    def cited(brief, section):
        by_n = {c.n: c.chunk_id for c in brief.citations}
        return [(i.label, MARKER.sub(lambda m: f"[{by_n[int(m.group(1))]}]", i.text)) for i in section.items]

    for before, after in zip(note.sections, again.sections):
        if before.id != "arguments":
            assert cited(again, after) == cited(note, before), before.id
    numbers = [int(n) for s in again.sections for i in s.items for n in MARKER.findall(i.text)]
    assert numbers and sorted(set(numbers)) == [c.n for c in again.citations]
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == sorted(first_seen)
    # The same holds for a section in the middle of the document, whose sentences later sections could take.
    figures = next(s for s in note.sections if s.id == "chiffres")
    redrawn = generator.generate(BriefRequest(topic=TOPIC, format="note", audience="elus",
                                              exclude={"chiffres": [q for i in figures.items for q in i.quotes]}))
    for before, after in zip(note.sections, redrawn.sections):
        if before.id != "chiffres":
            assert cited(redrawn, after) == cited(note, before), before.id


def test_out_of_scope_topic_is_refused_in_french(generator):
    with pytest.raises(BriefError, match="ne traitent pas de « recette de la tarte tatin »"):
        generator.generate(BriefRequest(topic="recette de la tarte tatin"))
    # A subject staff list as not covered (scope.yaml) is refused even though its words are everywhere.
    with pytest.raises(BriefError, match="ne traitent pas du financement des entreprises"):
        generator.generate(BriefRequest(topic="les aides régionales aux PME industrielles"))
    with pytest.raises(ValueError, match="le sujet est vide"):
        BriefRequest(topic="   ")


def test_members_only_material_never_reaches_a_public_brief(generator, note):
    assert all(h.audience == "public" for h in generator.searcher.search(TOPIC, k=50))  # shared corpus is public
    staff = generator.generate(BriefRequest(topic=TOPIC, format="note"), audiences=("public", "members", "staff"))
    assert staff.citations  # wider rights do not change what a public corpus yields
    nothing = BriefGenerator(generator.grounding, generator.figures)
    with pytest.raises(BriefError):  # an audience holding no document: nothing to write from
        nothing.generate(BriefRequest(topic=TOPIC, format="note"), audiences=("members",))


def test_docx_renders_to_pdf_and_png(generator, note, tmp_path):
    pdf, png = render_page_one(brief_docx(note), "note-commande-publique", tmp_path)
    if png and shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Note de plaidoyer" in text and "Page 1 sur" in text
    release = generator.generate(BriefRequest(topic=TOPIC, format="communique", audience="presse"))
    pdf, png = render_page_one(brief_docx(release), "communique-commande-publique", tmp_path)
    if png and shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert re.search(r"Paris, le \d{1,2} \w+ \d{4}", text) and "Communiqué" in text


def test_cli_brief_writes_json_markdown_and_docx(shared_settings, tmp_path):
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(shared_settings.data_dir), "PYTHONUNBUFFERED": "1"}
    out_docx, out_md = tmp_path / "faq.docx", tmp_path / "faq.md"
    done = subprocess.run([str(VENV_BIN / "assistant"), "brief", "--topic", TOPIC, "--format", "faq", "--json",
                           "--docx", str(out_docx), "--markdown", str(out_md)],
                          env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    brief = json.loads(done.stdout)
    assert brief["format"] == "faq" and brief["sections"][0]["items"]
    assert out_md.read_text(encoding="utf-8").startswith("# Questions fréquentes")
    assert Footnotes.of(Document(str(out_docx))).texts()
    bad = subprocess.run([str(VENV_BIN / "assistant"), "brief", "--topic", TOPIC, "--format", "tract"],
                         env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert bad.returncode == 1 and "format inconnu « tract »" in bad.stderr
    # Choices as people write them (accents, capitals); the review sheet apart from the document.
    review = tmp_path / "relecture.md"
    accented = subprocess.run([str(VENV_BIN / "assistant"), "brief", "--topic", TOPIC, "--format", "Communiqué",
                               "--audience", "élus", "--json", "--relecture", str(review)],
                              env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert accented.returncode == 0, accented.stderr
    assert json.loads(accented.stdout)["format"] == "communique"
    assert review.read_text(encoding="utf-8").startswith("# Fiche de relecture")


# --- the LLM path, over a scripted OpenAI-compatible server on 127.0.0.1 --------------------------------------


def _section_reply(request):
    """A model that writes one faithful sentence from passage 1 and one with an invented figure."""
    from tests.support.scripted_openai import Reply
    from tests.unit.answer.test_llm import passages

    if "section d'un document de plaidoyer" not in request.message("system"):
        raise AssertionError(f"prompt inattendu : {request.message('system')[:200]}")
    first = passages(request)[1]
    sentence = next(s.strip() for s in re.split(r"(?<=[.!?])\s+", first.split("Texte :", 1)[-1].strip())
                    if len(s.split()) > 6 and s.strip().endswith("."))
    return Reply(f"{sentence[:-1]} [1]. La commande publique représente 987 milliards d'euros par an [1].")


def test_llm_writes_prose_sections_and_the_verifier_removes_invented_figures(shared_index, generator):
    from tests.support.scripted_openai import ScriptedOpenAI
    from tests.unit.answer.test_llm import llm_engine

    with ScriptedOpenAI(_section_reply) as server:
        engine = llm_engine(HybridSearcher(shared_index), shared_index.settings, server.url, llm_streaming=False)
        brief = BriefGenerator(engine.grounding, generator.figures).generate(BriefRequest(topic=TOPIC, format="note"))
        assert server.chat_requests and not server.unexpected
        # The passages go to the model fenced as data.
        assert "<documents>" in server.chat_requests[0].message("user")
    assert brief.engine == "llm"
    text = " ".join(i.text for s in brief.sections for i in s.items)
    assert "987 milliards" not in text
    assert any(w.kind == "removed" and "modèle de langue" in w.message for w in brief.warnings)
    prose = [i for s in brief.sections if s.id in ("synthese", "contexte") for i in s.items]
    assert prose and all(MARKER.search(i.text) for i in prose)
    figures = next(s for s in brief.sections if s.id == "chiffres")
    assert figures.items and all(i.label and i.quotes for i in figures.items)  # figures stay verbatim

    # Model down: the extractive engine writes the sections, and the brief says so.
    engine = llm_engine(HybridSearcher(shared_index), shared_index.settings, "http://127.0.0.1:9/v1",
                        llm_streaming=False, llm_timeout=2.0)
    fallback = BriefGenerator(engine.grounding, generator.figures).generate(BriefRequest(topic=TOPIC, format="note"))
    assert fallback.engine == "extractive" and fallback.sections[0].items
    assert all(s.items or s.notice for s in fallback.sections)
    assert any(w.kind == "fallback" for w in fallback.warnings)


def test_one_figure_one_wording_is_checked_across_the_document():
    from assistant.briefs.generator import wording_warnings
    from assistant.briefs.models import BriefItem, BriefSection

    sections = [
        BriefSection(id="a", title="Contexte", style="paragraph", items=[
            BriefItem(text="La commande publique pèse plus de 100 milliards d'euros par an [1].")]),
        BriefSection(id="b", title="Chiffres clés", style="figures", items=[
            BriefItem(text="Les achats publics représentent près de 100 Md€ [2]."),
            BriefItem(text="Seuls 22 % des achats [1]. Seuls 22 % des achats, encore [2].")]),
    ]
    [warning] = wording_warnings(sections)
    assert warning.kind == "wording"
    assert "« plus de 100 milliards d'euros » (Contexte)" in warning.message
    assert "« près de 100 Md€ » (Chiffres clés)" in warning.message
    # The same wording twice is one wording.
    assert not wording_warnings([sections[1].model_copy(update={"items": sections[1].items[1:]})])


def test_key_messages_lead_the_arguments_each_with_a_sentence_that_supports_it(generator):
    from dataclasses import replace

    from assistant.briefs.formats import Prompted

    real = load_library()
    # The arguments section alone: no earlier section takes the sentences it needs.
    arguments_plan = next(s for s in real.formats["note"].sections if s.id == "arguments")
    plan = FormatPlan(id="note", label="Note", title="Note — {{ topic }}", sections=(arguments_plan,))
    library = replace(real, formats={**real.formats, "note": plan}, messages=(
        # Supported by the launch article (alliance/000): the small share of purchases going to French-made goods.
        Prompted("Une part bien trop faible des achats est orientée vers la fabrication française.",
                 "part des achats orientés vers la fabrication française"),
        # On the topic, but nothing in the documents says it (no such year, no such trend).
        Prompted("La part des achats orientés vers la fabrication française a triplé depuis 1990.",
                 "part des achats fabrication française triplé depuis 1990"),
    ))
    brief = BriefGenerator(generator.grounding, generator.figures, library=library).generate(
        BriefRequest(topic="La part des achats orientés vers la fabrication française", format="note"))
    arguments = next(s for s in brief.sections if s.id == "arguments")
    assert arguments.style == "messages"
    led = [item for item in arguments.items if item.label]
    assert [item.label for item in led] == [library.messages[0].label]
    assert re.search(r"\[\d+\]", led[0].text) and "22 %" in led[0].text
    unsupported = [w for w in brief.warnings if w.kind == "message"]
    assert len(unsupported) == 1 and "triplé" in unsupported[0].message
    assert "triplé" not in brief_markdown(brief, generator.grounding.prompts)
    assert "Messages clés sans appui" in brief_review_markdown(brief)
