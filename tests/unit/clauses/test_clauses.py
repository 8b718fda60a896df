"""Clause generator on the real index of ../shared/corpus: every clause type rendered, cited and
linted; « propose » for work clothing; parameter errors in French; the LLM hook's safeguards;
DOCX and Markdown exports (and a PDF/PNG rendering when LibreOffice is installed)."""

from __future__ import annotations

import io
import re
import socket
from itertools import product

import pytest
from docx import Document

from assistant.clauses.generator import ClauseGenerator, ClauseInputError
from assistant.grounding.legal import UnresolvedArticle
from assistant.clauses.library import ClauseLibrary
from assistant.grounding.lint import Linter
from assistant.render.clauses_markdown import clauses_markdown
from assistant.clauses.models import PLACEMENT_TITLES, ClauseRequest
from assistant.grounding.models import LegalReference
from assistant.render.clauses_layout import NOTICE
from assistant.render.clauses_docx import clauses_docx
from assistant.grounding.llm.client import LLMClient
from tests.support.office import render_page_one
from tests.conftest import ROOT, SHARED_CORPUS, container_for

CLOTHES = "fourniture de vêtements de travail pour les agents techniques"
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#")


def corpus_articles() -> dict[str, tuple[str | None, str]]:
    """article id -> (in-force date, text) read straight from the corpus files, independently of the index."""
    heading = re.compile(r"^## Article (?:([LRD])\.?\s?(\d+(?:-\d+)*)|CCAG\s.*?(\d+))\s*$")
    since = re.compile(r"^\*?En vigueur depuis le (\d{4}-\d{2}-\d{2})\.?\*?$")
    articles: dict[str, tuple[str | None, list[str]]] = {}
    files = sorted((SHARED_CORPUS / "commande-publique").glob("c*/*.md"))
    for path in files:
        current = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = heading.match(line.strip())
            if m:
                current = f"{m.group(1)}{m.group(2)}" if m.group(1) else f"CCAG-FCS-{m.group(3)}"
                articles[current] = (None, [])
                continue
            if line.startswith("# "):
                current = None
            if current and line.strip():
                date_match = since.match(line.strip())
                if date_match and not articles[current][1]:
                    articles[current] = (date_match.group(1), [])
                else:
                    articles[current][1].append(line.strip())
    return {k: (d, " ".join(lines)) for k, (d, lines) in articles.items()}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def library() -> ClauseLibrary:
    return ClauseLibrary()


@pytest.fixture(scope="module")
def generator(shared_container, library) -> ClauseGenerator:
    return ClauseGenerator(shared_container.grounding, library=library, strict=True)


@pytest.fixture(scope="module")
def articles() -> dict[str, tuple[str | None, str]]:
    return corpus_articles()


@pytest.fixture(scope="module")
def clothes(generator):
    return generator.generate(ClauseRequest(object=CLOTHES, buyer="Commune de Saint-Exemple", amount=180_000,
                                            procedure="appel-offres", duration_months=36,
                                            lots=["vêtements haute visibilité", "chaussures de sécurité"]))


# --- the library --------------------------------------------------------------------------------

def test_library_has_complete_entries(library, articles):
    assert len(library) >= 15
    assert {c.placement for c in library} == {"RC", "CCAP", "CCTP", "AE"}
    for clause in library:
        assert clause.title and clause.purpose and clause.guidance and clause.risks and clause.keywords, clause.id
        assert clause.legal_basis and all(ref.role for ref in clause.legal_basis), clause.id
        for param in clause.parameters:
            assert param.label and (param.default is not None or param.default_expr), (clause.id, param.name)
        # Every cited id exists in the corpus under exactly that spelling.
        assert set(clause.article_ids) <= set(articles), (clause.id, set(clause.article_ids) - set(articles))


def test_no_clause_text_in_python():
    sources = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "assistant" / "clauses").glob("*.py"))
    for phrase in ("le titulaire", "Le titulaire", "soumissionnaire indique", "heures d'insertion professionnelle"):
        assert phrase not in sources


def test_library_copies_no_90_character_run_from_the_corpus():
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text)

    corpus = " ".join(norm(p.read_text(encoding="utf-8", errors="ignore")) for p in SHARED_CORPUS.rglob("*")
                      if p.suffix in {".md", ".txt", ".html"})
    grams = {corpus[i:i + 90] for i in range(len(corpus) - 90)}
    files = [*sorted((ROOT / "prompts" / "clauses").rglob("*.*")), ROOT / "assistant" / "grounding" / "lint_rules.yaml"]
    for path in files:
        text = norm(path.read_text(encoding="utf-8"))
        copied = [text[i:i + 90] for i in range(len(text) - 90) if text[i:i + 90] in grams]
        assert not copied, (path.name, copied[:1])


# --- every clause type --------------------------------------------------------------------------

def _variants(clause) -> list[dict]:
    """Defaults, then each value of each choice parameter and each boolean flipped."""
    variants = [{}]
    for param in clause.parameters:
        if param.type == "choice":
            variants += [{param.name: value} for value in param.choices if value != param.default]
        elif param.type == "bool":
            variants.append({param.name: not param.default})
    return variants


def test_every_clause_type_renders_cited_and_lawful(generator, library, articles, shared_index):
    linter = Linter()
    contexts = [ClauseRequest(object=CLOTHES, amount=180_000, duration_months=24),
                ClauseRequest(object="prestations de nettoyage des locaux", buyer="Département de l'Exemple",
                              amount=40_000, duration_months=12, lots=["bureaux", "vitrerie"], procedure="adaptee")]
    rendered = 0
    for clause, request in product(library, contexts):
        for variant in _variants(clause):
            values, errors = generator._parameters([clause], request.model_copy(update={"params": variant}),
                                                   generator.context(request))
            if errors:  # a refused combination (e.g. ESS reservation) must say why, in French
                assert all("«" in e for e in errors), errors
                continue
            draft = generator.draft(clause, generator.context(request), values[clause.id])
            rendered += 1
            assert not TEMPLATE_SYNTAX.search(draft.text), (clause.id, variant)
            assert draft.text.strip() and "None" not in draft.text, (clause.id, variant)
            assert not linter.lint(draft.text, amount=request.amount), (clause.id, variant, linter.lint(draft.text))
            assert not [w for w in draft.warnings if w.code.startswith(("lint:", "article-introuvable"))]
            assert [b.article_id for b in draft.legal_basis] == clause.article_ids
            for basis in draft.legal_basis:
                since, text = articles[basis.article_id]
                assert squash(basis.text) == squash(text), basis.article_id  # the article's own text
                assert basis.in_force_since == since, basis.article_id
                rows = shared_index.catalog.chunks_by_id(basis.chunk_ids)
                assert {r["meta"]["article_id"] for r in rows.values()} == {basis.article_id}
    assert rendered >= 2 * len(library) + 20


def test_unresolved_article_is_a_hard_error(generator, library):
    clause = library.get("sourcing").model_copy(
        update={"legal_basis": [LegalReference(article="R9999-1", role="article qui n'existe pas")]})
    request = ClauseRequest(object=CLOTHES)
    values, _ = generator._parameters([clause], request, generator.context(request))
    with pytest.raises(UnresolvedArticle, match="R9999-1"):
        generator.draft(clause, generator.context(request), values[clause.id])


# --- « propose » for work clothing ------------------------------------------------------------------

def test_propose_for_work_clothing(clothes, shared_index):
    proposed = [p.type_id for p in clothes.proposals]
    for expected in ("durabilite-reparabilite", "contenu-recycle", "carbone-transport", "insertion-heures",
                     "conventions-oit", "criteres-attribution"):
        assert expected in proposed, proposed
    assert "marche-reserve" not in proposed and "acces-pme-avance" not in proposed  # nothing in the object asks for them
    assert all(p.reason and "\n" not in p.reason for p in clothes.proposals)
    durability = next(p for p in clothes.proposals if p.type_id == "durabilite-reparabilite")
    assert "vêtements" in durability.reason
    assert [d.type_id for d in clothes.drafts] and {d.type_id for d in clothes.drafts} == set(proposed)
    order = [d.placement for d in clothes.drafts]
    assert order == sorted(order, key=["RC", "CCAP", "CCTP", "AE"].index)
    linter = Linter()
    for draft in clothes.drafts:
        assert draft.reason
        assert not linter.lint(draft.text, amount=180_000), draft.type_id
        assert not [w for w in draft.warnings if w.code.startswith("lint:")], draft.type_id
        for c in draft.citations:  # guide passages, quoted exactly
            row = shared_index.catalog.chunks_by_id([c.chunk_id])[c.chunk_id]
            assert row["doc_type"] == "procurement_guide"
            assert " ".join(c.quote.removesuffix(" …").split()) in " ".join(row["text"].split())


def test_clothing_drafts_cite_the_right_articles(clothes):
    drafts = {d.type_id: d for d in clothes.drafts}
    criteria = {b.article_id: b for b in drafts["criteres-attribution"].legal_basis}
    assert criteria["L2152-7"].in_force_since == "2026-08-22"
    assert "Au moins un de ces critères prend en compte les caractéristiques environnementales" in criteria["L2152-7"].text
    assert "Au moins l'un d'entre eux prend en compte les caractéristiques environnementales" in criteria["R2152-7"].text
    insertion = {b.article_id: b for b in drafts["insertion-heures"].legal_basis}
    assert insertion["L2112-2"].in_force_since == "2026-08-22"
    assert "prennent en compte des considérations relatives à l'environnement" in insertion["L2112-2"].text
    assert "domaine social ou à l'emploi" in insertion["L2112-2-1"].text
    oit = {b.article_id: b for b in drafts["conventions-oit"].legal_basis}
    assert "huit conventions fondamentales de l'Organisation internationale du travail" in oit["CCAG-FCS-6"].text
    assert "C182" in drafts["conventions-oit"].text and "OIT" in drafts["conventions-oit"].title
    transport = drafts["carbone-transport"]
    assert "L2112-3" in [b.article_id for b in transport.legal_basis]
    assert not re.search(r"\bkm\b|kilom|local", transport.text)  # emissions, never distance
    assert "180" not in drafts["durabilite-reparabilite"].text  # amounts only where a template uses them


def test_explicit_types_and_targeted_parameters(generator):
    result = generator.generate(ClauseRequest(
        object=CLOTHES, amount=250_000, types=["criteres-attribution", "formation-apprentissage"],
        params={"criteres-attribution.poids_prix": "30", "poids_technique": 40, "poids_environnement": "20 %",
                "poids_social": 10, "dispositif": "apprentissage"}))
    assert not result.proposals
    criteria, training = result.drafts
    assert criteria.parameters["poids_prix"] == 30 and criteria.parameters["poids_environnement"] == 20
    assert "| Prix | 30 % |" in criteria.text and "| Performances environnementales | 20 % |" in criteria.text
    assert training.parameters["heures_formation"] == 450  # guide's calibration for 200 000–399 000 €
    assert "apprentis" in training.text


@pytest.mark.parametrize("amount,hours", [(None, 150), (99_000, 150), (150_000, 300), (500_000, 900)])
def test_training_hours_follow_the_guide_calibration(generator, amount, hours):
    result = generator.generate(ClauseRequest(object=CLOTHES, amount=amount, types=["formation-apprentissage"]))
    assert result.drafts[0].parameters["heures_formation"] == hours
    assert f"{hours} heures" in result.drafts[0].text


@pytest.mark.parametrize("types,params,message", [
    (["inconnue"], {}, "type de clause inconnu « inconnue »"),
    (["criteres-attribution"], {"poids_prix": "beaucoup"}, "« beaucoup » n'est pas un pourcentage"),
    (["criteres-attribution"], {"poids_prix": 50}, "La somme des pondérations doit être égale à 100 % (elle est de 110 %)"),
    (["criteres-attribution"], {"poids_prix": 50, "poids_environnement": 0, "poids_technique": 40},
     "0 est inférieur au minimum autorisé (1)"),
    (["insertion-heures"], {"heures": "12,5"}, "« 12,5 » n'est pas un nombre entier"),
    (["insertion-heures"], {"heure": 10}, "paramètre inconnu « heure »"),
    (["capacites-proportionnees"], {"ratio_ca": 3}, "3 dépasse le maximum autorisé (1,5)"),
    (["variantes-environnementales"], {"variantes": "interdites"}, "« interdites » n'est pas une valeur possible"),
    (["marche-reserve"], {"reservation": "ess"}, "ne peut durer plus de trois ans (L2113-16)"),
    (["sourcing"], {"periode": "{{ 7*7 }}"}, "accolades de gabarit"),
    (["acces-pme-avance"], {"garantie": "peut-être"}, "n'est pas oui ou non"),
    (["sourcing"], {"periode": ["a", "b"]}, "une valeur simple est attendue"),
])
def test_bad_parameters_give_french_errors(generator, types, params, message):
    with pytest.raises(ClauseInputError) as info:
        generator.generate(ClauseRequest(object=CLOTHES, types=types, params=params, duration_months=48))
    assert any(message in m for m in info.value.messages), info.value.messages


def test_context_warnings(generator):
    result = generator.generate(ClauseRequest(
        object=CLOTHES, amount=40_000, duration_months=6,
        types=["allotissement", "formation-apprentissage", "acces-pme-avance"], params={"allotir": "non"}))
    messages = " ".join(w.message for d in result.drafts for w in d.warnings)
    assert "motivé" in messages and "L2113-11" in messages
    assert "au moins un an" in messages
    assert "l'avance n'est pas obligatoire" in messages
    allotment = next(d for d in result.drafts if d.type_id == "allotissement")
    assert "n'est pas alloti" in allotment.text and "[à compléter" in allotment.text


# --- LLM hook -----------------------------------------------------------------------------------

def test_llm_adaptation_is_checked(generator, clothes):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    draft = next(d for d in clothes.drafts if d.type_id == "carbone-transport")
    context = generator.context(clothes.request)
    faithful = draft.text.replace("Le titulaire organise", "Pour les vêtements de travail, le titulaire organise")
    unlawful = draft.text + "\nLes vêtements sont fabriqués en France."
    invented = draft.text.replace("au plus 2 fois", "au plus 17 fois")
    foreign_article = draft.text + "\nVoir aussi l'article R2122-8."
    model = LLMClient(FakeListChatModel(responses=[faithful, unlawful, invented, foreign_article]))
    kept = generator.adapt_with_llm(draft, model, context)
    assert kept.adapted_by_llm and kept.text == faithful
    for _ in range(3):
        refused = generator.adapt_with_llm(draft, model, context)
        assert not refused.adapted_by_llm and refused.text == draft.text
        assert refused.warnings[-1].code == "llm:rejete"


# --- exports ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def all_documents(generator):
    return generator.generate(ClauseRequest(
        object=CLOTHES, buyer="Commune de Saint-Exemple", amount=180_000, procedure="appel-offres",
        types=["criteres-attribution", "allotissement", "insertion-heures", "conventions-oit",
               "durabilite-reparabilite", "acces-pme-avance"],
        lots=["vêtements haute visibilité", "chaussures de sécurité"]))


def test_docx_structure(all_documents, tmp_path):
    data = clauses_docx(all_documents)
    doc = Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1 == [PLACEMENT_TITLES[k] for k in ("RC", "CCAP", "CCTP", "AE")] + [
        "Annexe — Fondements juridiques", "Annexe — Passages des guides cités"][: len(level1) - 4]
    assert "Annexe — Fondements juridiques" in level1
    assert headings[0] == ("Title", f"Projet de clauses — {CLOTHES}")
    level2 = [t for s, t in headings if s == "Heading 2"]
    assert level2[:2] == ["Article 1 — Critères d'attribution et pondération", "Article 2 — Allotissement"]
    assert "Article 1 — Condition d'exécution sociale : heures d'insertion professionnelle" in level2
    assert "Article L2112-2" in level2 and "CCAG-FCS, article 6" in level2
    body = "\n".join(p.text for p in doc.paragraphs)
    assert NOTICE in body and NOTICE in doc.sections[0].header.paragraphs[0].text
    assert "Acheteur : Commune de Saint-Exemple" in body and "Date de génération : " in body
    assert "En vigueur depuis le 22 août 2026" in body  # L2112-2
    assert "prennent en compte des considérations relatives à l'environnement." in body
    assert doc.tables and doc.tables[0].cell(1, 1).text == "40 %"
    (tmp_path / "clauses.docx").write_bytes(data)


def test_docx_renders_to_pdf_and_png(all_documents, tmp_path):
    render_page_one(clauses_docx(all_documents), "clauses-vetements", tmp_path)


def test_markdown_structure(all_documents):
    md = clauses_markdown(all_documents)
    assert md.startswith(f"# Projet de clauses — {CLOTHES}")
    assert f"> **{NOTICE}**" in md
    for title in PLACEMENT_TITLES.values():
        assert f"## {title}" in md
    assert md.index("## Règlement") < md.index("## Cahier des clauses administratives") < md.index("## Cahier des clauses techniques")
    assert "## Annexe — Fondements juridiques" in md and "### CCAG-FCS, article 6" in md
    assert "*En vigueur depuis le 22 août 2026.*" in md
    assert not TEMPLATE_SYNTAX.search(md)
    # Guide extracts name their public source, never a repository path at a commit.
    assert not re.search(r"@[0-9a-f]{7,40}|:_doc/", md)
    assert any(d.citations for d in all_documents.drafts) and "https://github.com/" in md


def test_a_repository_reference_is_shown_as_its_public_page():
    from assistant.models import reader_source
    assert reader_source("github.com/owner/repo@0123456789abcdef0123456789abcdef01234567:docs/guide.md") == \
        "https://github.com/owner/repo"
    assert reader_source("/srv/data/corpus/note.md") == "" and reader_source("https://exemple.fr/a") == "https://exemple.fr/a"


def _llm_generator(shared_index, base_url: str) -> ClauseGenerator:
    """The generator as configured by ASSISTANT_LLM=llm, pointing at `base_url` (a real HTTP server)."""
    return container_for(shared_index, llm="llm", llm_provider="openai", llm_base_url=base_url,
                         llm_model="modele-scripte", llm_api_key="cle-test", llm_timeout=10.0).clauses


def test_configured_llm_adapts_clauses_and_bad_adaptations_are_rejected(shared_index, shared_container):
    from tests.support.scripted_openai import Reply, ScriptedOpenAI

    request = ClauseRequest(object=CLOTHES, types=["conventions-oit", "cout-cycle-vie"], amount=180_000)
    reference = shared_container.clauses.generate(request)

    def reply(recorded) -> Reply:
        # The first clause is reworded faithfully (same text, object named first); the second gets an
        # invented figure and an origin requirement, which the checks must refuse.
        prompt = recorded.message("user") + recorded.message("system")
        first = reference.drafts[0]
        if first.text[:60] in prompt:
            return Reply(content=f"Pour la {CLOTHES} : {first.text}")
        return Reply(content="Les produits doivent être fabriqués en France et réduire les coûts de 37 %.")

    with ScriptedOpenAI(reply) as server:
        result = _llm_generator(shared_index, server.url).generate(request)
        assert len(server.chat_requests) == 2
    adapted, rejected = result.drafts
    assert adapted.adapted_by_llm and adapted.text.startswith(f"Pour la {CLOTHES}")
    assert not rejected.adapted_by_llm and rejected.text == reference.drafts[1].text
    assert any(w.code == "llm:rejete" for w in rejected.warnings)


def test_unreachable_llm_keeps_the_templates_with_a_warning(shared_index):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = _llm_generator(shared_index, f"http://127.0.0.1:{port}/v1").generate(
        ClauseRequest(object=CLOTHES, types=["conventions-oit"]))
    draft = result.drafts[0]
    assert not draft.adapted_by_llm and any(w.code == "llm:injoignable" for w in draft.warnings)
