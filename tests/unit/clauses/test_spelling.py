"""Every rendered clause, in every variant of its parameters, spelled right: French hunspell (Debian hunspell-fr,
installed by `make test`) with the procurement words of prompts/clauses/lexique.txt."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from itertools import product
from pathlib import Path

import pytest

from assistant.clauses.models import ClauseRequest
from tests.conftest import ROOT
from tests.unit.clauses.test_clauses import CLOTHES, _variants, generator, library  # noqa: F401 (fixtures)

DICTIONARY = Path("/usr/share/hunspell/fr_FR.dic")
LEXICON = ROOT / "prompts" / "clauses" / "lexique.txt"
# Words only: numbers, article and convention ids (R2152-7, C182), markup and acronyms of one letter are not spelled.
WORD = re.compile(r"(?<![\w-])[A-Za-zÀ-ÖØ-öø-ÿœŒ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿœŒ]+)*(?![\w-]*\d)")


# « l'OIT », « qu'un »: the word after an elided article or pronoun is the one spelled.
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'", re.IGNORECASE)


def _hunspell_ready() -> bool:
    if shutil.which("hunspell") and DICTIONARY.exists():
        return True
    if os.environ.get("CI"):
        raise RuntimeError("hunspell-fr absent en CI : `make test` l'installe (cible spelling).")
    return False


@pytest.fixture(scope="module")
def misspelled(tmp_path_factory):
    if not _hunspell_ready():
        pytest.skip("hunspell-fr non installé")
    personal = tmp_path_factory.mktemp("lexique") / "lexique.dic"
    words = [w for w in LEXICON.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    personal.write_text("\n".join(words) + "\n", encoding="utf-8")

    def check(text: str) -> list[str]:
        tokens = [ELISION.sub("", t.replace("’", "'")) for t in WORD.findall(text)]
        tokens = [t for t in tokens if len(t) > 1]
        result = subprocess.run(["hunspell", "-d", "fr_FR", "-p", str(personal), "-l", "-i", "utf-8"],
                                input="\n".join(tokens), capture_output=True, text=True, check=True)
        return sorted(set(result.stdout.split()))
    return check


def test_the_check_finds_a_misspelling(misspelled):
    assert misspelled("Le titulaire remet un raport trimestriel à l'acheteur.") == ["raport"]
    assert misspelled("Le titulaire remet un rapport trimestriel au CCAP.") == []


def test_every_rendered_clause_is_spelled_right(generator, library, misspelled):
    contexts = [ClauseRequest(object=CLOTHES, amount=180_000, duration_months=24),
                ClauseRequest(object="prestations de nettoyage des locaux", buyer="Département de l'Exemple",
                              amount=40_000, duration_months=12, lots=["bureaux", "vitrerie"], procedure="adaptee")]
    wrong: dict[str, list[str]] = {}
    for clause, request in product(library, contexts):
        for variant in _variants(clause):
            values, errors = generator._parameters([clause], request.model_copy(update={"params": variant}),
                                                   generator.context(request))
            if errors:
                continue
            draft = generator.draft(clause, generator.context(request), values[clause.id])
            texts = [draft.text, *draft.guidance, *draft.risks, *(w.message for w in draft.warnings)]
            words = misspelled("\n".join(texts))
            if words:
                wrong[clause.id] = sorted(set(wrong.get(clause.id, [])) | set(words))
    assert not wrong, wrong


def test_every_sector_profile_is_spelled_right(misspelled):
    from assistant.clauses.sectors import load_sectors
    wrong = {}
    for p in load_sectors().profiles:
        texts = [p.usage, *p.lots, *p.normes, p.label_ref, p.caracteristiques, p.critere_technique,
                 p.critere_environnemental]
        words = misspelled("\n".join(texts))
        if words:
            wrong[p.id] = words
    assert not wrong, wrong
