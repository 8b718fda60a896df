"""The fact-checker over the index of ../shared/corpus, on drafts written for these tests: a correct paragraph,
a changed figure, a figure of the other alliance given to ours, a quotation given to the wrong person, an old
figure, a misplaced article, and invented claims. Quotations are read from the corpus files at run time (the
repository keeps none of their sentences)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant.text.quotes import quotations
from tests.conftest import SHARED_CORPUS

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def checker(shared_container):
    return shared_container.fact_checker


def _check(checker, text: str):
    return checker.check(text, audiences=("public", "members", "staff"), today=TODAY)


def _statuses(report) -> list[tuple[str, str]]:
    return [(f.claim, f.status) for f in report.findings]


def test_a_correct_paragraph_is_confirmed_figure_by_figure(checker):
    # Figures of the launch articles (alliance/000 and 001): 22 % of purchases, about 100 Md€ a year of public
    # procurement, 4 jobs per million euros spent abroad.
    report = _check(checker, "Aujourd'hui, seuls 22 % des achats vont à la fabrication française. La commande "
                             "publique, elle, pèse chaque année plus de 100 milliards d'euros. Importé, le même "
                             "million d'euros ne fait vivre que 4 emplois.")
    assert _statuses(report) == [("22 %", "confirmed"), ("100 milliards d'euros", "confirmed"),
                                 ("4 emplois", "confirmed")]
    first = report.findings[0]
    assert first.evidence is not None and "22 %" in first.evidence.sentence
    assert report.summary == "3 chiffres : 3 confirmés"


def test_a_changed_figure_is_different_and_the_source_value_suggested(checker):
    report = _check(checker, "Aujourd'hui, seuls 27 % des achats vont à la fabrication française.")
    [finding] = report.findings
    assert finding.status == "different"
    assert finding.suggestion == "22 %"
    assert "22 %" in finding.evidence.sentence and "« 22 % », pas « 27 % »" in finding.message


def test_a_figure_of_the_other_alliance_given_to_ours_is_misattributed(checker):
    # alliance/004 (2015): the Alliance Industrie du Futur's 160 M€ budget to support companies.
    report = _check(checker, "L'Alliance du Fabriqué en France a déjà alloué un budget de 160 millions d'euros "
                             "à l'accompagnement des entreprises.")
    [finding] = report.findings
    assert finding.status == "misattributed"
    assert "Industrie du Futur" in finding.message
    assert "160" in finding.evidence.sentence


def test_an_old_figure_presented_as_current_is_old_unless_dated(checker):
    current = _check(checker, "L'Alliance Industrie du Futur a déjà alloué 160 millions d'euros à "
                              "l'accompagnement des entreprises.")
    assert _statuses(current) == [("160 millions d'euros", "old")]
    assert "2015" in current.findings[0].message
    dated = _check(checker, "En 2015, l'Alliance Industrie du Futur avait alloué 160 millions d'euros à "
                            "l'accompagnement des entreprises.")
    assert ("160 millions d'euros", "confirmed") in _statuses(dated)


def _a_press_quotation() -> tuple[str, str]:
    """A quotation of the launch article (alliance/001) with its speaker, read from the file."""
    path = next((SHARED_CORPUS / "alliance").glob("001_*.txt"))
    text = path.read_text(encoding="utf-8")
    start, end, speaker = next(q for q in quotations(text) if len(text[q[0]:q[1]]) < 200)
    return text[start + 1:end - 1].strip(), speaker.name


def test_a_quotation_given_to_the_wrong_person_is_misattributed(checker):
    words, speaker = _a_press_quotation()
    right = _check(checker, f"« {words} », rappelle {speaker}.")
    assert _statuses(right) == [(f"« {words} »", "confirmed")]
    wrong = _check(checker, f"« {words} », affirme Jeanne Durand, présidente de la fédération.")
    [finding] = wrong.findings
    assert finding.status == "misattributed"
    assert finding.suggestion.startswith(speaker)


def test_a_changed_or_invented_quotation(checker):
    words, speaker = _a_press_quotation()
    tokens = words.split()
    changed = " ".join(tokens[:-3] + ["rien", "du", "tout"])
    assert _check(checker, f"« {changed} », rappelle {speaker}.").findings[0].status == "different"
    invented = _check(checker, "« Nous ouvrirons cent usines de jouets en bois dans le Cantal avant l'été », "
                               f"promet {speaker}.")
    assert invented.findings[0].status == "not_found"


def test_an_invented_figure_is_not_found(checker):
    report = _check(checker, "L'Alliance du Fabriqué en France compte déjà 4 500 entreprises adhérentes.")
    assert _statuses(report) == [("4 500 entreprises", "not_found")]


def test_law_figures_and_the_article_that_states_them(checker):
    # R2192-10: payment within thirty days for contracting authorities; R2122-8: no advertising below
    # 60 000 € HT for supplies and services in this version of the Code.
    right = _check(checker, "Les pouvoirs adjudicateurs doivent payer sous 30 jours (article R2192-10).")
    assert ("30 jours", "confirmed") in _statuses(right)
    assert not any(f.status != "confirmed" for f in right.findings)
    changed = _check(checker, "Sans publicité ni mise en concurrence, un acheteur peut passer un marché de "
                              "fournitures inférieur à 40 000 euros HT.")
    assert _statuses(changed) == [("40 000 euros HT", "different")]
    # Several articles set such amounts in nearly the same words: each is named, R2122-8's among them.
    assert "« 60 000 euros hors taxes » (l'article R2122-8)" in changed.findings[0].message
    moved = _check(checker, "L'article R2191-35 fixe à trente jours le délai de paiement des pouvoirs adjudicateurs.")
    assert any(f.kind == "article" and f.status == "misattributed" and f.suggestion == "R2192-10"
               for f in moved.findings)


def test_only_passages_the_caller_may_read_are_used(checker, shared_container):
    staff_only = [d for d in shared_container.index.catalog.documents() if d["audience"] == "staff"]
    # The shared corpus is public; the audience filter is applied all the same (no staff figure leaks).
    report = checker.check("Seuls 22 % des achats vont à la fabrication française.", audiences=("public",),
                           today=TODAY)
    assert report.findings[0].status == "confirmed"
    assert all(f.evidence is None or f.evidence.doc_id not in {d["doc_id"] for d in staff_only}
               for f in report.findings)


def test_a_person_s_role_is_the_one_the_documents_give(checker):
    # alliance/003: André Festou presides over the CPME's Normandy branch, not the national CPME.
    right = _check(checker, "André Festou, président de la CPME Normandie, appelle à relocaliser les filières.")
    assert [(f.kind, f.status) for f in right.findings] == [("attribution", "confirmed")]
    wrong = _check(checker, "André Festou, président de la CPME, appelle à relocaliser les filières.")
    [finding] = wrong.findings
    assert finding.status == "misattributed" and finding.suggestion == "André Festou, président de la CPME Normandie"
    # Someone the documents never name is not judged.
    assert _check(checker, "Jeanne Durand, présidente de la fédération, appelle à relocaliser.").findings == []


def test_a_role_in_lower_case_and_a_second_role_said_in_prose_beside_the_name(checker):
    # alliance/001 names Olivier Ducatillion president of the textile industries' union, then, after a comma and
    # « et », spokesman of the Alliance (read as one role); other documents capitalise the union's name.
    report = _check(checker, "Olivier Ducatillion, porte-parole de notre Alliance et président de l'Union des "
                             "industries textiles, défend nos ateliers.")
    assert [(f.kind, f.status) for f in report.findings] == [("attribution", "confirmed")]
    wrong = _check(checker, "Olivier Ducatillion, trésorier de notre Alliance et président de l'Union des "
                            "industries textiles, défend nos ateliers.")
    assert [(f.kind, f.status) for f in wrong.findings] == [("attribution", "misattributed")]


def test_a_date_the_press_gives_without_its_year(checker):
    # alliance/004 (2015) says the minister chaired the project « le N mai dernier », beside a full date.
    report = _check(checker, "Le ministre a présidé le projet Industrie du Futur le 18 mai 2015.")
    assert _statuses(report) == [("18 mai 2015", "confirmed")]
    assert _check(checker, "Le ministre a présidé le projet Industrie du Futur le 18 mai 2019.").findings[0].status \
        != "confirmed"


def test_a_count_worded_around_the_source_s_noun(checker):
    # alliance/000 and the key-figures note: 60 000 industrial jobs are vacant.
    assert _statuses(_check(checker, "Dans l'industrie, 60 000 offres d'emploi attendent toujours un candidat.")) \
        == [("60 000 offres", "confirmed")]
    # The same number of something else is not the source's figure.
    assert _statuses(_check(checker, "Dans l'industrie, 60 000 machines attendent toujours un acheteur.")) \
        == [("60 000 machines", "not_found")]


def test_a_figure_the_draft_situates_in_the_past_is_not_old(checker):
    # alliance/004 (2015): the 160 M€ of the Alliance Industrie du Futur.
    now = "L'Alliance Industrie du Futur a 160 millions d'euros à consacrer au soutien des entreprises."
    assert _statuses(_check(checker, now)) == [("160 millions d'euros", "old")]
    for dated in ("En son temps, l'Alliance Industrie du Futur avait 160 millions d'euros à consacrer au soutien "
                  "des entreprises.",
                  "Dans son plan de 2014, l'Alliance Industrie du Futur avait 160 millions d'euros à consacrer au "
                  "soutien des entreprises."):
        assert [s for _, s in _statuses(_check(checker, dated)) if s != "confirmed"] == [], dated


def test_an_acronym_the_source_writes_out_is_named_there(checker):
    # R2192-31 names the European Central Bank in full.
    report = _check(checker, "Comme le calcule la BCE, les intérêts moratoires suivent son taux de refinancement, "
                             "majoré de huit points de pourcentage.")
    assert _statuses(report) == [("huit points de pourcentage", "confirmed")]
    # A body the article does not name, spelled out or not, is still not its source.
    other = _check(checker, "Comme le calcule l'INSEE, les intérêts moratoires suivent le taux de refinancement, "
                            "majoré de huit points de pourcentage.")
    assert _statuses(other) == [("huit points de pourcentage", "misattributed")]


def test_our_alliance_implied_beside_the_other_one_named_by_its_own_words(checker):
    # alliance/004 (2015): the Industrie du Futur project launched on 14 April 2015.
    right = _check(checker, "Le projet Industrie du Futur a été lancé le 14 avril 2015, bien avant notre Alliance.")
    assert _statuses(right) == [("14 avril 2015", "confirmed")]
    wrong = _check(checker, "Notre Alliance est née le 14 avril 2015, à l'initiative du chef de l'État.")
    assert _statuses(wrong) == [("14 avril 2015", "misattributed")]


def test_a_share_written_as_one_in_n_is_its_percentage(checker):
    # alliance/000: 22 % of purchases go to French-made goods, a little more than one in five.
    report = _check(checker, "À peine plus d'un achat sur cinq va aujourd'hui à la fabrication française.")
    assert [s for _, s in _statuses(report)] == ["confirmed"]


def test_two_values_of_one_source_sentence_confirm_each_other(checker):
    # R2161-3 gives the open procedure's period and its shortened form after a prior information notice in one
    # sentence, which this draft words in its own way.
    report = _check(checker, "Un acheteur qui a publié un avis de préinformation peut laisser 15 jours aux candidats "
                             "au lieu de 35 jours.")
    assert _statuses(report) == [("15 jours", "confirmed"), ("35 jours", "confirmed")]
    changed = _check(checker, "Un acheteur qui a publié un avis de préinformation peut laisser 10 jours aux candidats "
                              "au lieu de 35 jours.")
    assert dict(_statuses(changed))["10 jours"] in ("different", "not_found")


def test_a_count_of_the_items_the_draft_lists_is_confirmed_by_a_passage_naming_them_all(checker):
    # The CPME's white paper (alliance/003) names Normandy's historical industries without counting them.
    right = _check(checker, "Le livre blanc met en avant six filières normandes : automobile, aéronautique, "
                            "pharmacie, agroalimentaire, chimie des matériaux et activité portuaire.")
    assert [(f.claim, f.status) for f in right.findings] == [("six filières", "confirmed")]
    wrong = _check(checker, "Le livre blanc met en avant sept filières normandes : automobile, aéronautique, "
                            "pharmacie, agroalimentaire, chimie des matériaux, informatique et activité portuaire.")
    assert [f.status for f in wrong.findings] != ["confirmed"]


def test_a_body_the_source_never_names_and_a_law_article_it_does_not_give(checker):
    # alliance/000 states the 22 % without naming any statistics institute.
    report = _check(checker, "D'après l'INSEE, seuls 22 % des achats vont à la fabrication française.")
    assert [(f.claim, f.status) for f in report.findings] == [("22 %", "misattributed")]
    assert "INSEE" in report.findings[0].message
    # The State's digital purchasing guide (bureautique sheet) ties the 5-year spare-parts duration to article 19.
    moved = _check(checker, "L'article 16 de la loi AGEC fixe à 5 ans la durée minimale de disponibilité des pièces "
                            "détachées.")
    article = [f for f in moved.findings if f.kind == "article"]
    assert article and article[0].status == "misattributed" and article[0].suggestion == "article 19"


def test_a_value_set_for_another_article_s_subject_is_read_with_that_article(checker):
    # D2111-3 sets the amount « prévu à l'article L. 2111-3 »; the subject (a purchasing plan) is in L2111-3.
    report = _check(checker, "Un schéma de promotion des achats responsables s'impose aux acheteurs dont le montant "
                             "annuel d'achats dépasse 50 millions d'euros HT.")
    [finding] = [f for f in report.findings if f.kind == "figure"]
    assert finding.status == "confirmed" and finding.message == "Confirmé par l'article D2111-3."


def test_two_figures_compared_in_one_sentence_are_each_confirmed(checker):
    # alliance/001: about 60 % of French public purchases are imported, 15 to 20 % in Germany and Italy.
    report = _check(checker, "Chez nous, environ 60 % des achats publics portent sur des produits importés ; en "
                             "Allemagne et en Italie, c'est 15 à 20 %.")
    assert _statuses(report) == [("60 %", "confirmed"), ("15 à 20 %", "confirmed")]


def _quotation_in_a_passage_it_does_not_attribute() -> str:
    """Words of a press quotation whose speaker its own paragraph names only by a pronoun (read at run time)."""
    for path in sorted((SHARED_CORPUS / "alliance").iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            start = line.find("Il ajoute : “")
            if start >= 0:
                inner = line[start + len("Il ajoute : “"):].split(":")[0].split("”")[0].strip(" .")
                if len(inner.split()) >= 5:
                    return inner
    raise AssertionError("aucune citation introduite par « Il ajoute : »")


def test_a_quotation_of_common_words_is_found_where_it_is_written(checker):
    words = _quotation_in_a_passage_it_does_not_attribute()
    report = _check(checker, f"« {words} », insiste quelqu'un de bien informé.")
    assert [f.status for f in report.findings] == ["confirmed"], report.findings


def test_a_speaker_named_before_the_colon(checker):
    words, speaker = _a_press_quotation()
    [finding] = _check(checker, f"Jeanne Durand l'a dit au lancement : « {words} »").findings
    assert finding.status == "misattributed", finding
    [named] = _check(checker, f"{speaker} l'a dit au lancement : « {words} »").findings
    assert named.status == "confirmed", named


def test_words_given_to_someone_their_source_never_names(checker):
    # A sentence of the Code (read from the corpus) quoted as a person's words: the law names nobody.
    code = next((SHARED_CORPUS / "commande-publique" / "code").glob("083-*.md")).read_text(encoding="utf-8")
    sentence = next(s.strip() for s in re.split(r"(?<=\.)\s", code)
                    if s.strip()[:1].isupper() and 60 < len(s.strip()) < 200 and "article" not in s.lower()
                    and not re.search(r"\d", s))
    [finding] = _check(checker, f"« {sentence.rstrip('.')} », affirme Jeanne Durand, présidente de la fédération.").findings
    assert finding.status == "misattributed" and "ne nomme pas Jeanne Durand" in finding.message, finding


def test_a_count_of_a_named_thing_is_its_own_subject(checker):
    # The 2015 article on the other alliance counts the regions engaged (alliance/004); the draft says it in other
    # words. Given to the other alliance, it is that alliance's figure; given to ours, it is misattributed.
    line = _corpus_line_with("régions sont engagées")
    count = re.search(r"(\S+) régions sont engagées", line).group(1)
    theirs = _check(checker, f"{count.capitalize()} régions participent à la démarche Industrie du Futur en 2015.")
    assert [f.status for f in theirs.findings if "régions" in f.claim] == ["confirmed"], theirs.findings
    ours = _check(checker, f"{count.capitalize()} régions ont rejoint l'Alliance du Fabriqué en France.")
    assert [f.status for f in ours.findings if "régions" in f.claim] == ["misattributed"], ours.findings


def _corpus_line_with(fragment: str) -> str:
    for path in sorted((SHARED_CORPUS / "alliance").iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if fragment in line:
                return line
    raise AssertionError(fragment)


def test_a_date_of_entry_into_force_or_of_publication_the_catalog_gives(checker):
    # R2152-7 and R3124-4 are in force since 21 August 2026 (their « En vigueur depuis » line, not a sentence).
    rule = ("les autorités concédantes doivent retenir au moins un critère d'attribution qui tienne compte des "
            "caractéristiques environnementales de l'offre.")
    report = _check(checker, f"Depuis le 21 août 2026, {rule}")
    assert _statuses(report) == [("21 août 2026", "confirmed")]
    assert "en vigueur depuis" in report.findings[0].message
    assert _statuses(_check(checker, f"Depuis le 20 août 2026, {rule}"))[0][1] in ("different", "not_found")
    # The school-dropout training clause model is dated 7 February 2018 in the catalog.
    model = "le modèle de clause de formation des élèves sous statut scolaire s'adresse aux décrocheurs."
    assert _statuses(_check(checker, f"Dans sa version du 7 février 2018, {model}")) == [("7 février 2018", "confirmed")]
    assert _statuses(_check(checker, f"Dans sa version du 9 février 2018, {model}"))[0][1] != "confirmed"
    # Without words saying which date it is, the catalog's date does not confirm a sentence's.
    assert _statuses(_check(checker, f"Le 7 février 2018, {model}"))[0][1] != "confirmed"


def test_an_amount_written_with_abbreviations_the_code_spells_out(checker):
    # R2122-8: works below 100 000 euros hors taxes may be bought without advertising or competition.
    report = _check(checker, "Pour les travaux, le seuil de dispense de mise en concurrence est fixé à 100 000 € HT.")
    assert _statuses(report) == [("100 000 € HT", "confirmed")]


def test_a_figure_of_a_list_item_wrapped_over_two_lines(checker):
    # The PNAAPD 2015-2020 extract lists its 2020 targets, one item wrapped over two lines: 25 % of contracts with a
    # social clause.
    right = "Pour 2020, le plan national pour des achats publics durables visait 25 % de marchés avec au moins une " \
            "disposition sociale."
    assert _statuses(_check(checker, right)) == [("25 %", "confirmed")]
    assert _statuses(_check(checker, right.replace("25 %", "45 %"))) == [("45 %", "different")]
