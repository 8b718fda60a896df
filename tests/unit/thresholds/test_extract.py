"""Thresholds read from the real Code articles of ../shared/corpus, checked against a table written by reading them.

The table below was written article by article from the Code's text (figures are the Code's, cited by article);
a second, independent scan of the Markdown files finds every sentence that compares with an amount, so that a
threshold sentence the extractor misses fails here.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata

import pytest

from assistant.index.lexical import cited_articles
from assistant.thresholds.extract import extract_article, extract_rows
from assistant.thresholds.models import Bound, compare
from assistant.thresholds.table import ThresholdTable, bound_label
from tests.conftest import CODE_DIR, run_cli

EU = "un avis annexé au code (seuils européens)"
FS, T = ("fournitures", "services"), ("travaux",)

# article -> the thresholds it states: (aspect, what is compared, ((comparison, euros or where the value lives, contracts)…)).
EXPECTED: dict[str, set[tuple]] = {
    "R2112-1": {("ecrit", "besoin", (("ge", 25000.0, ()),))},
    "L2112-1": {("ecrit", "besoin", (("ge", 25000.0, ()),))},  # « fixé par voie réglementaire »: R2112-1
    # The same amounts again for each lot (« ou pour les lots dont le montant est inférieur à ces montants »).
    "R2122-8": {("dispense", "besoin", (("lt", 60000.0, FS), ("lt", 100000.0, T))),
                ("dispense", "lot", (("lt", 60000.0, FS), ("lt", 100000.0, T)))},
    "R2122-9": {("dispense", "besoin", (("lt", 90000.0, ()),))},
    "R2122-9-1": {("dispense", "besoin", (("lt", 100000.0, ()),)),
                  ("dispense", "lot", (("lt", 80000.0, FS), ("lt", 100000.0, T)))},
    "R2123-1": {("procedure", "besoin", (("lt", EU, ()),)), ("procedure", "lot", (("ge", EU, ()),)),
                ("procedure", "lot", (("lt", 80000.0, FS), ("lt", 1000000.0, T)))},
    "L2123-1": {("procedure", "besoin", (("lt", EU, ()),)), ("procedure", "besoin", (("ge", EU, ()),)),
                ("procedure", "lot", (("lt", 80000.0, FS), ("lt", 1000000.0, T)))},
    "L2124-1": {("procedure", "besoin", (("ge", EU, ()),))},
    "R2124-1": {("procedure", "besoin", (("ge", EU, ()),))},
    "R2131-12": {("publicite", "besoin", (("lt", 90000.0, ()),)),
                 ("publicite", "besoin", (("ge", 90000.0, ()), ("lt", EU, ())))},
    "R2131-14": {("publicite", "besoin", (("lt", EU, ()),))},
    "R2131-15": {("publicite", "besoin", (("ge", EU, ()),))},
    "R2132-2": {("profil-acheteur", "besoin", (("ge", 60000.0, ()),))},
    "R2191-3": {("avance", "besoin", (("gt", 50000.0, ()),))},
    "R2191-17": {("avance", "accord-cadre", (("gt", 50000.0, ()),))},
    "R2191-18": {("avance", "accord-cadre", (("gt", 50000.0, ()),))},
    "R2196-1": {("donnees-essentielles", "besoin", (("ge", 40000.0, ()),)),
                ("donnees-essentielles", "besoin", (("ge", 25000.0, ()),))},
    "R2193-10": {("paiement-direct", "sous-traitance", (("ge", 600.0, ()),))},
    "L2193-10": {("paiement-direct", "sous-traitance", (("ge", 600.0, ()),)),
                 ("paiement-direct", "sous-traitance", (("lt", 600.0, ()),))},
    # Below the European thresholds and below a share of the initial amount, by kind of contract.
    "R2194-8": {("modification", "modification", (("lt", EU, ()), ("lt", "10 %", FS), ("lt", "15 %", T)))},
    "D2151-7-1": {("allotissement", "besoin", (("ge", 10000000.0, ()),))},
    "R2183-1": {("attribution", "besoin", (("ge", EU, ()),))},
    "R2184-1": {("rapport", "besoin", (("ge", EU, ()),))},
    # Rules for the contracts passed in a formalised procedure: those at or above the European thresholds (R2124-1).
    "R2131-16": {("publicite", "besoin", (("ge", EU, ()),))},  # both items (State and local authorities; others)
    "R2182-1": {("delai-signature", "besoin", (("ge", EU, ()),))},
    "R2152-12": {("ponderation", "besoin", (("ge", EU, ()),))},
    "L2151-2": {("variantes", "besoin", (("ge", EU, ()),))},
    "R2151-8": {("variantes", "besoin", (("ge", EU, ()),))},
    "R2194-10": {(None, "besoin", (("ge", EU, ()),))},  # the notice of a modification: no aspect a buyer measures
    "R2143-1": {(None, "autre", (("ge", EU, ()),))},  # minimal delays, set per procedure elsewhere
    "R2151-2": {(None, "autre", (("ge", EU, ()),))},
    # Aspects the Code decides without an amount: I at the European thresholds; II 4° (works under six months) read with
    # its conditions; the interim payments' periodicity for every contract, and for a small firm holding it.
    "L2112-2-1": {("clause-sociale", "besoin", (("ge", EU, ()),)), ("clause-sociale", "besoin", ())},
    "R2191-22": {("acomptes", "besoin", ()), ("acomptes", "besoin", ())},
    # The payment delay: thirty days for the pouvoirs adjudicateurs; by derogation, for two kinds of buyer.
    "R2192-10": {("delai-paiement", "besoin", ())},
    "R2192-11": {("delai-paiement", "besoin", ())},
}
# The conditions of the rules without an amount, as the articles write them.
CONDITIONS = {
    "L2112-2-1": [[], [("duree", "durée inférieure à six mois"), ("type", "s'agit d'un marché de travaux")]],
    "R2191-22": [[], [("titulaire", "<lorsque le titulaire … est une PME>")]],
    "R2192-10": [[]],
    "R2192-11": [[("acheteur-vise", "établissements publics de santé")], [("acheteur-vise", "entreprises publiques")]],
    "R2112-14": [[("duree", "durée d'exécution supérieure à trois mois"),
                  ("contenu", "part importante de fournitures, notamment de matières premières")]],
    # two paragraphs glued without a space in the corpus: read as two rules, one duty and one permission
    "R2112-10": [[("contenu", "conclu à prix ferme"),
                  ("contenu", "fournitures ou services autres que courants ou pour des travaux")],
                 [("contenu", "conclu à prix ferme"), ("contenu", "pour des fournitures ou services courants")]],
}


def _condition(kind: str, text: str) -> tuple[str, str]:
    # A small firm holding the contract is read from the article's own words, shown here by their shape.
    return kind, "<lorsque le titulaire … est une PME>" if kind == "titulaire" and text.startswith("Lorsque le titulaire") \
        and text.endswith("petite ou moyenne entreprise") else text
# Sentences that compare with an amount without being a threshold a purchase is measured against.
NOT_THRESHOLDS = {
    "D2192-35": "un montant fixe (l'indemnité forfaitaire pour frais de recouvrement), sans comparaison",
    "L2192-15": "le plafond d'une amende administrative, pas un seuil d'achat",
}


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text.lower())


def _code_articles() -> dict[str, str]:
    articles, current = {}, None
    for path in sorted(CODE_DIR.glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := re.match(r"## Article (\S+)", line):
                current = match.group(1)
                articles[current] = ""
            elif current:
                articles[current] += line + "\n"
    return articles


def _shape(threshold) -> tuple:
    bounds = tuple((b.comparison, b.amount if b.amount is not None else f"{b.share:g} %" if b.share is not None
                    else b.refers_to, tuple(b.contract_types))
                   for b in threshold.bounds)
    return threshold.aspect, threshold.subject_kind, bounds


@pytest.fixture(scope="module")
def table(shared_index):
    return ThresholdTable(shared_index.catalog).all()


@pytest.mark.parametrize("article", sorted(EXPECTED))
def test_each_threshold_read_as_the_article_writes_it(table, article):
    assert {_shape(t) for t in table if t.article == article} == EXPECTED[article]


def test_every_threshold_sentence_of_the_code_is_found(table):
    # An independent reading: any line comparing with an amount in euros, a named threshold or a value set elsewhere.
    compares = re.compile(r"(superieur|inferieur|a compter|a partir|fixe a|n'excede|depasser)[^.]{0,80}?"
                          r"(euros|seuil|montant fixe)")
    # Or a rule for the contracts passed in a formalised procedure (not the list of procedures, not the obligations
    # of one).
    formalised = re.compile(r"(?:passes?\s+selon\s+(?:une|l'une\s+des|une\s+des)\s+procedures?\s+formalisees?"
                            r"|(?:^|\. |, )en\s+procedure\s+formalisee|dans\s+le\s+cadre\s+d'une\s+procedure\s+formalisee)")
    # checked against CONDITIONS, below; with them the rules of the chapter written for the formalised procedures, which
    # its title alone bounds
    conditional = {t.article for t in table if all(b.amount is None and "formalis" in b.written and b.written ==
                                                   "règles applicables aux procédures formalisées" for b in t.bounds)}
    scanned = {a for a, text in _code_articles().items()
               if compares.search(_flat(text).replace("’", "'")) or formalised.search(_flat(text).replace("’", "'"))} | conditional
    found = {t.article for t in table}
    assert scanned - found == set(NOT_THRESHOLDS)
    assert found <= scanned
    assert len(scanned) > 50  # the scan read the Code


def test_each_threshold_quotes_its_article_word_for_word(table, shared_index):
    texts = {r["chunk_id"]: r["text"] for r in shared_index.catalog.chunk_rows()}
    for threshold in table:
        assert threshold.sentence in texts[threshold.chunk_id]
        assert threshold.effect in threshold.sentence
        # What is compared is the article's own words, or those of the law article whose value it sets.
        cited = [t.sentence for t in table if t.article in cited_articles(threshold.sentence)
                 or any(b.refers_to == f"article {threshold.article}" for b in t.bounds)]
        assert any(_flat(threshold.subject) in _flat(s) for s in [threshold.sentence, *cited]), threshold.id
        for bound in threshold.bounds:
            if bound.refers_to is None:  # a figure of the article itself, as written there
                assert bound.written in threshold.sentence


def test_a_value_the_corpus_only_points_to_is_missing_never_guessed(table):
    european = [b for t in table for b in t.bounds if b.refers_to == EU]
    assert len(european) >= 20 and all(b.amount is None for b in european)
    assert all(t.missing for t in table if any(b.refers_to == EU for b in t.bounds))


def test_conditions_beside_the_amount(table):
    advance = next(t for t in table if t.article == "R2191-3")
    duration = [c for c in advance.conditions if c.kind == "duree"]
    assert [(c.comparison, c.months) for c in duration] == [("gt", 2.0)]
    local = next(t for t in table if t.article == "R2172-2" and t.bounds[0].amount == 300000.0)
    assert any("collectivité territoriale" in c.text for c in local.conditions if c.kind == "acheteur")


def test_a_regulatory_value_completes_its_law_article(table):
    law = next(t for t in table if t.article == "L2111-3" and t.subject_kind == "acheteur")
    assert law.bounds[0].amount == 50_000_000.0 and law.bounds[0].refers_to == "article D2111-3"
    assert "fixé par voie réglementaire" in law.bounds[0].written
    decree = next(t for t in table if t.article == "D2111-3")
    assert decree.bounds[0].comparison == "gt"  # as L2111-3 compares: « supérieur à un montant fixé… »


def test_amounts_in_words_and_enumerations():
    row = {"article_id": "D9999-1", "chunk_id": "c", "doc_type": "procurement_law",
           "text": "Les acheteurs peuvent : 1° Passer le marché lorsque sa valeur estimée est inférieure à dix millions "
                   "d'euros hors taxes ; 2° Conclure le marché par écrit lorsque son montant est égal ou supérieur à "
                   "1,5 million d'euros hors taxes."}
    found = extract_article(row)
    assert [(t.bounds[0].comparison, t.bounds[0].amount) for t in found] == [("lt", 10_000_000.0), ("ge", 1_500_000.0)]
    assert found[1].aspect == "ecrit" and found[0].aspect != "ecrit"


def test_other_documents_and_plain_amounts_give_no_threshold():
    assert extract_rows([{"article_id": None, "locator": "p. 3", "chunk_id": "c", "doc_type": "press_article",
                          "text": "Les achats inférieurs à 40 000 euros hors taxes représentent la moitié des marchés."}]) == []
    assert extract_article({"article_id": "D9999-2", "chunk_id": "c", "doc_type": "procurement_law",
                            "text": "Le montant de l'indemnité est fixé à 40 euros."}) == []


def test_compare_and_labels():
    bound = Bound(comparison="lt", written="60 000 euros hors taxes", amount=60000.0, tax="HT",
                  contract_types=["fournitures", "services"])
    assert bound.holds(59999.0) and not bound.holds(60000.0)
    assert compare(25000.0, "ge", 25000.0) and not compare(50000.0, "gt", 50000.0)
    assert bound_label(bound) == "inférieur à 60\u202f000 € HT (fournitures, services)"
    missing = Bound(comparison="ge", written="aux seuils européens", refers_to=EU)
    assert missing.holds(1e9) is None and "absente des documents" in bound_label(missing)


def test_cli_thresholds(shared_settings):
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(shared_settings.data_dir), PYTHONUNBUFFERED="1")
    result = run_cli("thresholds", "--aspect", "avance", "--json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["article"] for r in rows} >= {"R2191-3", "R2191-17"} and all(r["aspect"] == "avance" for r in rows)
    table = run_cli("thresholds", "--manquants", env=env)
    assert table.returncode == 0 and "Seuils du Code" in table.stdout and "avis annexé" in table.stdout
    wrong = run_cli("thresholds", "--aspect", "inconnu", env=env)
    assert wrong.returncode != 0 and "Aspect inconnu" in wrong.stdout + wrong.stderr
    limits = run_cli("thresholds", "--limites", "--article", "R2142-7", "--json", env=env)
    assert limits.returncode == 0, limits.stderr
    assert [(r["kind"], r["value"]) for r in json.loads(limits.stdout)] == [("multiple", 1.5)]
    cases = run_cli("thresholds", "--sans-montant", "--article", "R2122-3", "--json", env=env)
    assert cases.returncode == 0, cases.stderr
    assert [(r["article"], r["aspect"]) for r in json.loads(cases.stdout)] == [("R2122-3", "dispense")]
    shown = run_cli("thresholds", "--sans-montant", env=env)
    assert shown.returncode == 0 and "Cas admis sans condition de montant" in shown.stdout and "R2122-1" in shown.stdout


def test_a_condition_written_in_another_article_is_read_there(table):
    # « … qui remplissent la condition prévue au b du 2° de l'article … »: a reference to an item is not an item, and the
    # share of the lots that item sets becomes the lots' condition.
    (lots,) = [t for t in table if t.article == "R2122-8" and t.subject_kind == "lot"]
    assert [(c.kind, c.share, c.comparison) for c in lots.conditions] == [("part", 20.0, "le")]


def test_rules_without_an_amount_keep_the_conditions_they_state(table):
    rows = {article: [[_condition(c.kind, c.text) for c in t.conditions if c.kind in ("duree", "titulaire", "type",
                                                                                    "acheteur-vise", "contenu")]
                      for t in table if t.article == article] for article in CONDITIONS}
    assert rows == CONDITIONS
    assert {t.article for t in table if not t.bounds} == {"L2112-2-1", "R2112-10", "R2112-14", "R2131-13", "R2191-22",
                                                         "R2192-10", "R2192-11"}
    # The chapter written for the formalised procedures: its single time limit for candidatures and offers, bounded by the
    # chapter's title.
    (limit,) = [t for t in table if t.article.startswith("R2161")]
    assert (limit.article, limit.aspect, [b.comparison for b in limit.bounds]) == ("R2161-2", "delai-reception", ["ge"])


def test_a_rule_for_the_buyers_another_article_does_not_name_is_read_with_that_article(table):
    # « les acheteurs autres que ceux mentionnés à l'article R. 2131-12 »: the publicity of every other buyer, whatever
    # the amount, read although the aspect is decided by amounts for the buyers that article names.
    (other,) = [t for t in table if t.article == "R2131-13"]
    assert other.aspect == "publicite" and not other.bounds
    assert [(c.kind, c.article) for c in other.conditions] == [("autres-acheteurs", "R2131-12")]


def test_articles_saying_how_another_of_their_chapter_is_carried_out(shared_index):
    found = {(a.article, a.applies) for a in ThresholdTable(shared_index.catalog).applications()}
    assert ("R2112-11", "R2112-10") in found  # « … en application de l'article R. 2112-10, ses clauses précisent : »
    # an article of another chapter referring to one (the payment delay of an advance) is not its terms
    assert not any(applies == "R2191-3" for _, applies in found)
    assert all(article.split("-")[0] == applies.split("-")[0] for article, applies in found)
