"""French sentence splitting, aware of abbreviations, legal references and numbered items."""

from __future__ import annotations

import re

from assistant.text.normalize import word_count

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


# Paragraphs glued by a conversion (« …de son prix.Lorsqu'un marché… »): a word's end, a full stop, then a capitalised
# word, with no space between them.
_GLUED = re.compile(r"(?<=[a-zà-ÿ)]\.)(?=[A-ZÀ-ÖØ-Þ][a-zà-ÿ'’])")


def unglued(sentence: str) -> list[str]:
    """A sentence cut where two paragraphs were glued into it (« …prix.Lorsqu'un… »), unless the stop ends an
    abbreviation (« M.Dupont »). Rules are read paragraph by paragraph; quotes keep the text as the passage has it.

    Measured and not done for every citable sentence: answers quoting one paragraph of a glued pair lost as many facts
    on the blind sets (the other paragraph held them) as they gained."""
    pieces, start = [], 0
    for match in _GLUED.finditer(sentence):
        token = re.findall(r"[\wÀ-ÿ-]+\.$", sentence[start:match.start()])
        if token and (token[0][:-1].lower() in _ABBREVIATIONS or len(token[0]) <= 2):
            continue
        pieces.append(sentence[start:match.start()].strip())
        start = match.start()
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


# Sentences shorter than this (« Voir ci-dessous. ») state nothing worth quoting.
MIN_WORDS = 5


def _is_heading(line: str) -> bool:
    """A short line without final punctuation is a title: it names a subject but states nothing."""
    return len(line.split()) <= 12 and not line.rstrip().endswith((".", "!", "?", "…", ":", ";"))


def citable_units(text: str) -> list[str]:
    """Lines of a passage, with a list kept whole with the line that introduces it (« … : - a - b »)."""
    units: list[str] = []
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        is_item = line[:2] in ("- ", "• ", "* ")
        line = line.replace("**", "")  # markdown emphasis is layout, not words
        editorial = line.startswith("*") and line.rstrip().endswith("*") and not is_item  # italic aside
        if (not is_item and _is_heading(line)) or line.startswith("|") or editorial:
            continue  # titles and table rows read badly as sentences
        if is_item and units and (units[-1].endswith(":") or units[-1].startswith("\x00")):
            # Items joined with « ; » so that the list stays one sentence once cited.
            head = units[-1].lstrip("\x00").rstrip(". ")
            glue = " " if head.endswith((":", ";")) else " ; "
            units[-1] = f"\x00{head}{glue}{line[2:].strip().rstrip('.')}"
        else:
            units.append(line[2:].strip() if is_item else line)
    return units


def citable_sentences(text: str) -> list[tuple[int, str]]:
    """(position, sentence) of every sentence of a passage that can be quoted as an answer.

    A list with its introduction is one candidate: a question on « les N … » needs all items.
    Computed at ingest (to embed them ahead of questions) and when answering, so both agree.
    """
    out = []
    position = 0
    for unit in citable_units(text):
        pieces = [unit[1:]] if unit.startswith("\x00") else split_sentences(unit)
        for sentence in pieces:
            if word_count(sentence) >= MIN_WORDS:
                out.append((position, sentence))
            position += 1
    return out


# Openings that lean on a previous sentence: a connective (« Pourtant », « En effet ») or a subject standing for
# something said before (« Cette mesure », « Il »). Quoted alone, such a sentence reads as a fragment.
_LEANING = re.compile(
    r"^\W*(?:pourtant|mais|ainsi|donc|en\s+effet|de\s+plus|par\s+ailleurs|cependant|toutefois|néanmoins|or|aussi|"
    r"et|c['’]est\s+pourquoi|dès\s+lors|en\s+outre|enfin|d['’]autre\s+part|de\s+même|en\s+revanche|"
    r"ce|cet|cette|ces|celui|celle|ceux|celles|cela|ceci|il|elle|ils|elles|leur|leurs|son|sa|ses)\b"
    r"|^[^.!?]{0,80},\s+et\s+pourtant\b", re.IGNORECASE)


def leans_on_previous(sentence: str) -> bool:
    """Whether the sentence opens on a word that needs the previous sentence to be understood."""
    return bool(_LEANING.search(sentence.strip()))
