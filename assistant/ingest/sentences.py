"""French sentence splitting, aware of abbreviations, legal references and numbered items."""

from __future__ import annotations

import re

# Tokens after which a period does not end a sentence.
_ABBREVIATIONS = {
    "art", "arts", "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "cf", "p", "pp",
    "n", "no", "nos", "vol", "chap", "éd", "ed", "etc", "env", "ex", "fig", "hab", "min", "max",
    "l", "r", "d", "al", "c", "cass", "civ", "crim", "req", "ord", "déc", "dec", "janv", "févr",
    "sept", "oct", "nov", "av", "apr", "j.-c", "inf", "sup", "op", "cit", "ibid", "id",
}
_CANDIDATE = re.compile(r"([.!?…]+|[.!?…]+[»\"”)]+)(\s+)(?=[«\"“(]?\s*[A-ZÀ-ÖØ-Þ0-9])")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; the pieces concatenate back to the input (modulo spaces)."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end(1)
        before = text[start:match.start(1)]
        last_word = re.findall(r"[\wÀ-ÿ.-]+$", before)
        token = last_word[0].lower() if last_word else ""
        numbered_item = re.fullmatch(r"[\d.]{1,6}", token) is not None and before.strip() == last_word[0]
        if match.group(1) == "." and (token in _ABBREVIATIONS or len(token) == 1 or numbered_item):
            # "art. 6", "M. Dupont", "L. 2112-2", "1. Objet" are not sentence ends.
            continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
