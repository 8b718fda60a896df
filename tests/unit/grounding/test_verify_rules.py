"""Citation verification rules on small passages: quotes, marker placement, sentence cutting, streaming."""

from __future__ import annotations

from assistant.grounding.verify import (
    CitationVerifier,
    best_quote,
    check_support,
    cited_sentences,
    facts,
    normalize_markers,
    verify_stream,
)
from assistant.models import SearchHit

PASSAGE = ("Le marché est passé selon une procédure adaptée. Son montant est inférieur à 40 000 euros HT. "
           "Les offres sont reçues pendant 30 jours.")


def _hit(text: str, rank: int = 1, locator: str = "") -> SearchHit:
    return SearchHit(rank=rank, score=1.0, doc_id=f"d{rank}", title=f"Doc {rank}", doc_type="note", source="s",
                     locator=locator, chunk_id=f"d{rank}:1", text=text)


HITS = [_hit("Les offres sont reçues pendant 30 jours au minimum."), _hit(PASSAGE, 2),
        _hit("Le texte fixe les règles de cette procédure.", 3, locator="R2122-8")]


def test_facts_of_percentages_decimals_and_ccag_articles():
    assert facts("un taux de 3,5 % et 12 000 entreprises") == {"3.5", "12000"}
    assert facts("l'article 14 du CCAG") == {"CCAG-FCS-14"}  # its digits are not a separate number
    assert facts("aucun chiffre ici") == set()


def test_check_support_needs_enough_shared_words():
    support = check_support("Les offres sont reçues pendant 30 jours.", PASSAGE)
    assert support.ok and support.missing_facts == [] and support.lexical == 1.0
    unrelated = check_support("Les adhérents votent chaque année.", PASSAGE)
    assert not unrelated.ok and unrelated.missing_facts == [] and unrelated.lexical == 0.0


def test_best_quote_is_the_passage_sentence_with_the_claims_facts_and_words():
    assert best_quote("Le montant est inférieur à 40 000 euros [1].", PASSAGE) == \
        "Son montant est inférieur à 40 000 euros HT."
    assert best_quote("Les offres sont reçues pendant un mois.", PASSAGE) == "Les offres sont reçues pendant 30 jours."
    # the facts weigh more than the words
    assert best_quote("La procédure adaptée dure 30 jours.", PASSAGE) == "Les offres sont reçues pendant 30 jours."


def test_best_quote_of_a_passage_of_one_sentence():
    assert best_quote("zzz", "Une seule phrase sans point") == "Une seule phrase sans point"


def test_normalize_markers_moves_them_before_the_final_punctuation():
    assert normalize_markers("Le seuil est bas. [1] Le délai court ! [2][3]") == \
        "Le seuil est bas [1]. Le délai court  [2][3]!"
    assert normalize_markers("Déjà bien placé [1].") == "Déjà bien placé [1]."


def test_cited_sentences_end_after_a_marker_whatever_follows():
    assert cited_sentences("Le seuil est de 40 000 euros [1]. « Une citation » suit [2]. 30 jours suffisent.") == [
        "Le seuil est de 40 000 euros [1].", "« Une citation » suit [2].", "30 jours suffisent."]
    assert cited_sentences("Le seuil est bas. [1] Le délai court.") == ["Le seuil est bas [1].", "Le délai court."]


def test_verifier_renumbers_by_first_use_and_quotes_the_supporting_sentence():
    verifier = CitationVerifier(HITS)
    assert verifier.sentence("Son montant est inférieur à 40 000 euros HT [2].") == \
        "Son montant est inférieur à 40 000 euros HT [1]."
    assert verifier.sentence("Les offres sont reçues pendant 30 jours [1].") == \
        "Les offres sont reçues pendant 30 jours [2]."
    assert verifier.sentence("Le montant reste inférieur à 40 000 euros HT [2].") == \
        "Le montant reste inférieur à 40 000 euros HT [1]."  # same source, same number
    assert [(c.n, c.chunk_id, c.quote) for c in verifier.citations] == [
        (1, "d2:1", "Son montant est inférieur à 40 000 euros HT."),
        (2, "d1:1", "Les offres sont reçues pendant 30 jours au minimum.")]
    assert verifier.removed == []


def test_verifier_keeps_only_the_markers_that_support_the_sentence():
    verifier = CitationVerifier(HITS)
    assert verifier.sentence("Son montant est inférieur à 40 000 euros HT [1][2].") == \
        "Son montant est inférieur à 40 000 euros HT [1]."
    assert [c.chunk_id for c in verifier.citations] == ["d2:1"]


def test_verifier_removes_wrong_facts_dangling_markers_and_uncited_sentences():
    verifier = CitationVerifier(HITS)
    assert verifier.sentence("Les offres sont reçues pendant 45 jours [1].") is None
    assert verifier.sentence("Son montant est inférieur à 40 000 euros HT [9].") is None
    assert verifier.sentence("Une phrase sans marqueur.") is None
    assert verifier.sentence(" [1]") is None  # nothing but a marker: not even counted
    assert verifier.removed == ["Les offres sont reçues pendant 45 jours.",
                                "Son montant est inférieur à 40 000 euros HT.", "Une phrase sans marqueur."]
    assert verifier.citations == []


def test_verifier_reads_the_locator_of_a_legal_passage():
    verifier = CitationVerifier(HITS)
    assert verifier.sentence("L'article R2122-8 fixe les règles de cette procédure [3].") == \
        "L'article R2122-8 fixe les règles de cette procédure [1]."


def test_verified_stream_joins_kept_sentences():
    def verified(text: str) -> str:
        return "".join(verify_stream(iter([text]), CitationVerifier(HITS)))

    assert verified("Inventé à 99 % [1]. Les offres sont reçues pendant 30 jours. [1]") == \
        "Les offres sont reçues pendant 30 jours [1]."
    assert verified("Inventé à 99 % [1].") == ""


def test_verify_stream_cuts_pieces_into_verified_sentences():
    pieces = ["Son montant est infé", "rieur à 40 000 euros HT [1]. Les offres sont ",
              "reçues pendant 30 jours [2].\nInventé à 99 % [1]. Les offres sont reçues ", "pendant 30 jours [2]."]
    verifier = CitationVerifier(HITS)
    out = list(verify_stream(iter(pieces), verifier, mapping={1: 2, 2: 1}))
    assert out == ["Son montant est inférieur à 40 000 euros HT [1].", " Les offres sont reçues pendant 30 jours [2].",
                   "\nLes offres sont reçues pendant 30 jours [2]."]
    assert verifier.removed == ["Inventé à 99 %."]


def test_verify_stream_drops_markers_outside_the_mapping():
    verifier = CitationVerifier(HITS)
    out = list(verify_stream(iter(["Les offres sont reçues pendant 30 jours [3]."]), verifier, mapping={1: 1}))
    assert out == [] and verifier.removed == ["Les offres sont reçues pendant 30 jours."]
