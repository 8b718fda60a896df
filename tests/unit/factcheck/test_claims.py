"""The claims read from a draft: figures, quotations with their speaker, attributions, article references."""

from __future__ import annotations

from assistant.factcheck.claims import draft_sentences, paragraphs


def test_paragraphs_drop_markdown_marks():
    text = "# Titre\n\n- **Seuls 22 %** des achats\n> une citation\n1. premier point\n"
    assert paragraphs(text) == ["Titre", "Seuls 22 % des achats", "une citation", "premier point"]


def test_figures_attribution_and_articles_of_a_sentence():
    [sentence] = draft_sentences("Selon une étude de KPMG, la commande publique pèse 100 milliards d'euros "
                                 "et l'article R2122-8 fixe un seuil de 60 000 euros HT.")
    assert [f.value for f in sentence.figures] == ["100 milliards d'euros", "60 000 euros HT"]
    assert sentence.attribution and "KPMG" in sentence.attribution
    assert sentence.articles == ["R2122-8"]


def test_a_quotation_belongs_to_the_sentence_it_starts_in_with_its_speaker():
    text = ("Le constat est partagé. « Nos usines ferment une à une depuis trente ans, il faut réagir », "
            "affirme Jeanne Martin, présidente de la fédération. Elle conclut sur l'emploi.")
    sentences = draft_sentences(text)
    quoted = [q for s in sentences for q in s.quotations]
    assert len(quoted) == 1
    assert quoted[0].inner.startswith("Nos usines ferment")
    assert quoted[0].speaker is not None and quoted[0].speaker.name == "Jeanne Martin"
    # A figure inside the quotation is checked with the quotation's words, not as a figure of its own.
    assert not any(f.value.startswith("trente") for s in sentences for f in s.figures)


def test_an_unattributed_quotation_has_no_speaker():
    [sentence] = draft_sentences("On entend souvent « acheter français coûte toujours plus cher », ce qui est faux.")
    assert sentence.quotations and sentence.quotations[0].speaker is None


def test_sentences_keep_their_paragraph_number():
    sentences = draft_sentences("Premier paragraphe avec 22 %.\n\nSecond paragraphe. Avec 13 emplois.")
    assert [(s.paragraph, bool(s.figures)) for s in sentences] == [(0, True), (1, False), (1, True)]


def test_a_figure_set_alone_as_a_sentence_is_read_with_the_next():
    sentences = draft_sentences("12 %. C'est la part des achats qui vont aux artisans. Merci à tous.")
    assert [s.text for s in sentences] == ["12 %. C'est la part des achats qui vont aux artisans.", "Merci à tous."]
    assert [f.value for f in sentences[0].figures] == ["12 %"]
    # A short sentence without a figure, or a figure in a sentence of its own words, stays as written.
    assert len(draft_sentences("Enfin. Le taux atteint 12 % cette année.")) == 2
