"""Find the key figures of a passage (numbers with their unit, what they measure and who says so) and its
attributed quotations (what is said, by whom, in which role).

Rules (French press, white papers, guides and legal texts):
- a number becomes a figure only with a unit: « 7 % », « 40 millions d'euros », « neuf emplois »,
  « 2,5 fois », « 4 000 entreprises », « 3 mai 2024 » ; a bare number is never a figure;
- article ids (R2122-8, article 6, alinéa 3, 1°, n° 2016-360) and the dates of the legal texts
  they cite (« décret du 25 mars 2016 ») are masked first, so none of their digits becomes a figure;
- legal texts (doc_type procurement_law) only yield amounts (thresholds, « <montant> euros HT »),
  percentages (« <n> % ») and durations (« <n> jours », « <n> ans »): the figures a draft quotes from the law;
- the value is a slice of the sentence, itself a slice of the passage: nothing is rounded or rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from assistant.index.lexical import LEGAL_REF
from assistant.text.dates import MONTHS, MONTHS_ANY_ACCENT_PATTERN, YEAR_PATTERN
from assistant.text.sentences import split_sentences
from assistant.text.normalize import sha256_hex
from assistant.text.numbers import FIGURE_NUMBER_PATTERN
from assistant.text.quotes import quotations

# Bump when the rules change: every document's figures are extracted again at the next sync.
EXTRACTOR_VERSION = "figures-10"
LEGAL_DOC_TYPES = frozenset({"procurement_law"})

_A = "['’]"
_NUM_OPEN = rf"(?<![\w.,/\-]){FIGURE_NUMBER_PATTERN}"  # may touch its unit (« 10% », « 5M€ »)
_NUM = rf"{_NUM_OPEN}(?![\d\w\-])"
_WORDNUMS = ("(?:vingt|trente|quarante|cinquante|soixante)-(?:et-un|et-onze|deux|trois|quatre|cinq|six|sept|huit|"
             "neuf|onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|dix)|"
             "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|"
             "trente|quarante|cinquante|soixante|soixante-dix|quatre-vingts?|quatre-vingt-dix|cent|cents|mille|"
             "dix-sept|dix-huit|dix-neuf|vingt-(?:et-un|deux|trois|quatre|cinq|six|sept|huit|neuf)|"
             "des\\s+centaines|des\\s+milliers|plusieurs\\s+milliers|plusieurs\\s+centaines")
_WORDNUM = rf"(?<![\w\-])(?:{_WORDNUMS})(?![\w\-])"
_SCALE = r"(?:milliards?|millions?|milliers?|Mds?|Md|M|k)"
_EURO = rf"(?:d{_A}\s?euros?|euros?|€|M€|Md€|Mds€|k€)"
_TAX = r"(?:\s(?:HT|TTC|hors\s+taxes|toutes\s+taxes\s+comprises))?"
_NOUN = r"[a-zà-öø-ÿ][a-zà-öø-ÿ'’\-]*"

# (kind, pattern, group holding the unit). Tried in this order; a later match may not overlap an earlier one.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("date", re.compile(rf"(?<![\w])(?:1er|\d{{1,2}})\s+(?:{MONTHS_ANY_ACCENT_PATTERN})\s+{YEAR_PATTERN}(?![\d])", re.I)),
    ("date", re.compile(rf"(?<![\w])(?:{MONTHS_ANY_ACCENT_PATTERN})\s+{YEAR_PATTERN}(?![\d])", re.I)),
    ("date", re.compile(rf"(?<![\w])(?:fin|début|mi-|courant|années)\s*{YEAR_PATTERN}(?![\d\-])", re.I)),
    ("date", re.compile(rf"\b(?:en|depuis|dès|avant|après|entre|et|d{_A}ici)\s(?P<v>{YEAR_PATTERN})(?![\d\w\-])", re.I)),
    ("amount", re.compile(rf"{_NUM_OPEN}(?:\s?(?:à|-|–)\s?{_NUM_OPEN})?\s?(?:{_SCALE}\s?)?{_EURO}(?![\w]){_TAX}")),
    ("amount", re.compile(rf"{_WORDNUM}\s+(?:milliards?|millions?)\s+d{_A}\s?euros?(?![\w]){_TAX}", re.I)),
    ("percent", re.compile(rf"{_NUM_OPEN}(?:\s?%)?\s(?:à|-|–)\s{_NUM_OPEN}\s?%")),
    ("percent", re.compile(rf"{_NUM_OPEN}\s?(?:%|pour\s?cent(?![\w])|points?\s+de\s+pourcentage)")),
    ("percent", re.compile(rf"{_WORDNUM}(?:[\s\-]+(?:et[\s\-]+)?(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
                           rf"treize|quatorze|quinze|seize))?\s+(?:pour\s?cent(?![\w])|points?\s+de\s+pourcentage)", re.I)),
    ("jobs", re.compile(rf"(?:{_NUM}|{_WORDNUM})\s+(?:(?:millions?|milliers?)\s+d{_A}\s?)?(?:emplois|emploi|postes|salariés|"
                        r"collaborateurs|ETP|équivalents?\s+temps\s+plein)(?![\w])", re.I)),
    ("ratio", re.compile(rf"(?:{_NUM}|{_WORDNUM})\s?fois(?:\s(?:plus|moins))?(?![\w])", re.I)),
    ("ratio", re.compile(rf"(?<![\w\-])(?:un|une|\d+)\s+(?:{_NOUN}\s+)?sur\s+(?:deux|trois|quatre|cinq|six|dix|\d+)(?![\w\-])",
                         re.I)),
    ("count", re.compile(rf"{_NUM}\s+(?:milliards?|millions?)(?:\s+(?:de\s+|d{_A}\s?){_NOUN})?")),
    ("count", re.compile(rf"{_NUM}\s+{_NOUN}")),
    ("count", re.compile(rf"{_NUM}\s+(?:TPE|PME|PMI|ETI|TPE-PME)(?![\w\-])")),
    ("count", re.compile(rf"{_WORDNUM}\s+(?:entreprises|sites|usines|pays|ans|années|mois|jours|heures|adhérents|membres|"
                         r"organisations|régions|territoires|départements|communes|produits|filières|acheteurs|"
                         r"marchés|millions|milliards|PME|ETI)(?![\w])", re.I)),
]
# What a legal text counts that a draft quotes (a delay, a duration); its other counts are numbering.
_DURATIONS = {"jours", "jour", "mois", "ans", "an", "années", "année", "semaines", "semaine", "heures"}
# Company sizes counted after a number that could be a year (« 2000 PME »).
_COMPANY_SIZES = {"tpe", "pme", "pmi", "eti", "tpe-pme"}
# Words that follow a number without being what it counts.
_NOT_UNITS = {
    "de", "du", "des", "et", "à", "au", "aux", "ou", "en", "le", "la", "les", "un", "une", "pour", "par", "sur",
    "dans", "avec", "sans", "qui", "que", "est", "sont", "a", "ont", "ne", "se", "il", "elle", "ils", "elles",
    "article", "articles", "alinéa", "alinéas", "bis", "ter", "quater", "fois", *MONTHS, "er", "ème",
    "e", "è", "entre", "autres", "premiers", "premières", "derniers", "dernières", "suivants", "suivantes", "contre", "selon", "afin", "lorsque", "si", "ni", "mais", "donc", "car",
}

def _singular_after_plural_number(value: str, noun: str) -> bool:
    """Two or more of something is written in the plural: a word that is not (a participle, « N publié ») is not what the
    number counts. Short units (« km », « kg ») and invariable acronyms pass."""
    first = value.split()[0]
    if not first.isdigit() or int(first) < 2 or len(noun) <= 3 or noun.isupper():
        return False
    return not noun.endswith(("s", "x", "z"))


# Spans that hold digits without being figures: legal references, numbering, the dates of cited texts.
_MASKS = [
    LEGAL_REF,
    re.compile(r"(?<![\w])(?:articles?|art\.|alinéas?|paragraphes?|chapitres?|sections?|titres?|livres?|annexes?|"
               r"points?|parties?|n°|nos?|numéros?|§|annexe|tome|page|pages|p\.)\s*(?:[\dIVXLC]+[\w.\-]*)"
               r"(?:\s*(?:,|à|et|ou)\s*\d[\w.\-]*)*", re.I),
    re.compile(r"\d+\s?°"),
    re.compile(rf"(?<![\w])(?:lois?|décrets?|ordonnances?|arrêtés?|directives?|règlements?|circulaires?|délibérations?|"
               rf"décisions?)\b[^.;:]{{0,60}}?\bdu\s+(?:1er|\d{{1,2}})\s+(?:{MONTHS_ANY_ACCENT_PATTERN})\s+{YEAR_PATTERN}", re.I),
    re.compile(r"^\s*\d+(?:\.\d+)*[.)]\s"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),
]

_MEASURE_AFTER = re.compile(rf"^\s*(?:de\s+la\s+|de\s+l{_A}|des\s+|du\s+|de\s+|d{_A})\s?([\wÀ-ÿ'’\-]+(?:\s+[\wÀ-ÿ'’\-]+){{0,5}})")
_MEASURE_BEFORE = re.compile(
    rf"(?:\b(?:le|la|les|un|une|son|sa|ses|leur|leurs|ce|cette|du|des)\s+|\bl{_A}\s*)((?:[\wÀ-ÿ'’\-]+\s+){{0,3}}?[\wÀ-ÿ'’\-]+)"
    rf"\s+(?:de|d{_A}|à|s{_A}élève\s+à|atteint|représente|est\s+de|estimée?s?\s+à|évaluée?s?\s+à)\s*"
    rf"(?:(?:plus|moins|près)\s+de\s+|environ\s+|quelque\s+|jusqu{_A}à\s+|hauteur\s+de\s+)?$", re.I)
_MEASURE_STOP = {
    "qui", "que", "qu", "sont", "est", "sera", "seront", "ont", "a", "dans", "pour", "en", "contre", "avec", "sur",
    "par", "et", "ou", "ne", "n", "se", "s", "aujourd", "aujourd'hui", "aujourd’hui", "chaque", "lorsque", "si",
    "soit", "au", "aux", "à", "dont", "selon", "sans", "mais", "donc", "car", "alors", "comme", "entre", "il",
    "elle", "ils", "elles", "on", "y", "peut", "peuvent", "doit", "doivent", "était", "étaient", "reste", "restent",
}
_DETERMINERS = {"son", "sa", "ses", "leur", "leurs", "le", "la", "les", "un", "une", "ce", "cette", "ces", "notre", "nos"}
_NOT_MEASURES = {"plus", "moins", "près", "environ", "hauteur", "autour", "total", "seuil", "montant"}

_SOURCE_NOUNS = r"(?:étude|enquête|rapport|baromètre|sondage|analyse|note|observatoire|statistiques|chiffres|données|bilan)"
_ATTRIBUTIONS = [
    re.compile(rf"\b(?:[Ss]elon|[Dd]{_A}après)\s+[^,;:.()«»\"“”]{{2,140}}"),
    re.compile(r"\b[Ss]ources?\s*:\s*[^;.()]{2,140}"),
    re.compile(rf"(?:\b(?:[Uu]ne?|[Ll]{_A}|[Ll]a|[Ll]e|[Cc]ette|[Cc]e)\s+)?\b{_SOURCE_NOUNS}\s+(?:[\wÀ-ÿ\-]+\s+)?"
               rf"(?:de\s+la\s+|de\s+l{_A}|de\s+|du\s+|des\s+|d{_A}|publiée?s?\s+par\s+|réalisée?s?\s+par\s+|"
               rf"menée?s?\s+par\s+)[A-ZÀ-Þ][^,;:.()«»\"“”]{{1,120}}"),
]
_ATTRIBUTION_END = re.compile(
    r"\s+(?:sert|servent|montre|montrent|indique|indiquent|révèle|révèlent|estime|estiment|souligne|soulignent|"
    r"confirme|confirment|conclut|concluent|rappelle|rappellent|évalue|évaluent|chiffre|chiffrent|"
    r"a|ont|est|sont|fait|font|avance|avancent|établit|observe|note|notent|constate|constatent|relève)\b.*$")
_SOURCE_HINT = re.compile(rf"(?-i:[A-ZÀ-Þ])|{_SOURCE_NOUNS}|institut|ministère|cabinet|agence|observatoire|"
                          rf"commission|cour des comptes|banque|parlement|reportage|presse|article\s+(?:de|du|d{_A})", re.I)
_NOT_SOURCES = re.compile(rf"^(?:selon|d{_A}après)\s+(?:que|qu{_A}|le\s+cas|les\s+cas|les\s+modalités|"
                          rf"(?:une|la|les)\s+procédures?|les\s+conditions|leur|leurs|son|sa|ses|la\s+nature|"
                          rf"l{_A}article\s*(?:$|[LRD]\.?\s?\d|\d|\()|les\s+articles|les\s+dispositions|le\s+montant|"
                          rf"la\s+valeur)", re.I)


@dataclass
class Found:
    """A figure inside one sentence (positions relative to the sentence)."""

    value: str
    kind: str
    unit: str
    start: int
    measures: str | None


def _masked(sentence: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in _MASKS:
        spans.extend(m.span() for m in pattern.finditer(sentence))
    return spans


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _unit_of(kind: str, value: str) -> str:
    if kind == "percent":
        if "%" in value:
            return "%"
        return "points de pourcentage" if "point" in value.lower() else "pour cent"
    if kind == "date":
        return "date"
    if kind == "ratio":
        return "fois" if "fois" in value else "ratio"
    # amount, jobs, count: what follows the number (« milliards d'euros HT », « emplois », « entreprises »)
    number = re.match(rf"(?:{_NUM_OPEN}(?:\s?(?:à|-|–)\s?{_NUM_OPEN})?|{_WORDNUM})\s?", value, re.I)
    return value[number.end():] if number else value


def _measures(sentence: str, start: int, end: int, kind: str, unit: str) -> str | None:
    if kind == "date":
        return None
    after = _MEASURE_AFTER.match(sentence[end:])
    if after and not re.match(r"\s*d[’']\s?euros?", sentence[end:], re.I):
        words = []
        for word in after.group(1).split():
            if word.lower().strip("'’") in _MEASURE_STOP or any(c.isdigit() for c in word):
                break
            words.append(word)
        while words and words[-1].lower() in {"de", "des", "du", "d'", "d’", "la", "le", "les", "l'", "l’"}:
            words.pop()
        while words and words[0].lower() in _DETERMINERS:
            words.pop(0)
        if words and words[0].lower() not in _NOT_MEASURES:
            return " ".join(words).rstrip("’',")
    if kind in ("jobs", "count") and unit:
        return unit
    before = _MEASURE_BEFORE.search(sentence[:start])
    if before:
        words = before.group(1).split()
        while words and words[0].lower() in _DETERMINERS:
            words.pop(0)
        lowered = {w.lower() for w in words}
        if words and not lowered & (_NOT_MEASURES | _MEASURE_STOP) and not any(c.isdigit() for c in "".join(words)):
            return " ".join(words)
    return None


def find_figures(sentence: str, legal: bool = False) -> list[Found]:
    """The figures of one sentence, in reading order; for a legal text its amounts, percentages and durations."""
    taken: list[tuple[int, int]] = _masked(sentence)
    masked = len(taken)
    found: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        if legal and kind not in ("amount", "percent", "count"):
            continue
        for match in pattern.finditer(sentence):
            group = "v" if "v" in pattern.groupindex else 0
            span = match.span(group)
            value = match.group(group)
            if not re.search(r"\d", value) and not re.search(_WORDNUM, value, re.I):
                continue
            if kind == "count":
                noun = value.split()[-1].lower().strip("'’")
                if legal and noun not in _DURATIONS:
                    continue
                if noun in _NOT_UNITS or len(noun) < 2 or \
                        (re.match(rf"{YEAR_PATTERN}\s", value) and noun not in _COMPANY_SIZES):
                    continue  # « 2018 vise » : a year followed by a verb counts nothing
                if _singular_after_plural_number(value, noun):
                    continue  # a name's number followed by a verb (a channel's name and number, then a participle), not a count
            if kind == "date" and _overlaps(span, taken[:masked]):
                continue
            if _overlaps(span, taken):
                continue
            taken.append(span)
            found.append((span[0], span[1], kind))
    out = []
    for start, end, kind in sorted(found):
        value = sentence[start:end]
        unit = _unit_of(kind, value)
        out.append(Found(value=value, kind=kind, unit=unit, start=start,
                         measures=_measures(sentence, start, end, kind, unit)))
    return out


def find_attribution(sentence: str) -> str | None:
    """« selon une étude de X publiée fin AAAA », « d'après X », « Source : X » — or None."""
    for pattern in _ATTRIBUTIONS:
        for match in pattern.finditer(sentence):
            text = _ATTRIBUTION_END.sub("", match.group(0)).strip(" ,;:-–")
            if len(text) < 4 or _NOT_SOURCES.match(text):
                continue
            words = text.split(maxsplit=1)
            rest = words[1] if len(words) > 1 else ""
            if pattern is _ATTRIBUTIONS[2]:
                rest = text
            if _SOURCE_HINT.search(rest):
                return text
    return None


_MARKER = re.compile(r"^(?:(?:[-*•>+]|#{1,6})\s+)+")


# A line that goes on from the one before: it opens in lower case, after a line that ends no sentence (the hard
# line breaks of a text extracted from a PDF, a list item wrapped over two lines).
_GOES_ON = re.compile(r"^[a-zàâäçéèêëîïôöùûüÿœ(«]")
_ENDS = re.compile(r"[.!?…:;»\"]\s*$")


def _lines(text: str) -> list[str]:
    """The passage's lines, a wrapped line joined to the one it goes on from (keeping the break: a verbatim slice)."""
    spans: list[list[int]] = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        if not raw.strip():
            continue
        start = match.start() + len(raw) - len(raw.lstrip())
        end = match.end() - (len(raw) - len(raw.rstrip()))
        line = text[start:end]
        if spans and _GOES_ON.match(line):
            previous = text[spans[-1][0]:spans[-1][1]]
            if not previous.startswith(("|", "#")) and not _ENDS.search(previous) \
                    and not set(previous) <= set("-=*_ "):
                spans[-1][1] = end
                continue
        spans.append([start, end])
    return [text[a:b] for a, b in spans]


def passage_sentences(text: str) -> list[list[str]]:
    """Sentences of a passage grouped by paragraph; each sentence is a verbatim slice of `text`."""
    paragraphs = []
    for line in _lines(text):
        if line.startswith("|") or set(line) <= set("-=*_ "):
            continue  # table rows and rules: no sentence to quote
        line = _MARKER.sub("", line)
        pieces = [s for s in split_sentences(line) if s in text]
        if pieces:
            paragraphs.append(pieces)
    return paragraphs


def figure_id(doc_id: str, sentence: str, value: str, start: int) -> str:
    return sha256_hex(f"{EXTRACTOR_VERSION}\x00{doc_id}\x00{sentence}\x00{start}\x00{value}")[:20]


def extract_chunk(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Figures of one catalog chunk row (`Catalog.chunk_rows`), as dicts ready for `Figure`."""
    legal = row.get("doc_type") in LEGAL_DOC_TYPES
    figures = []
    lead = None
    for paragraph in passage_sentences(row["text"]):
        # A list item's subject is the line that introduces the list (the line before it, ending with a colon).
        before = lead if lead is not None and lead.rstrip().endswith(":") else None
        lead = paragraph[-1]
        for i, sentence in enumerate(paragraph):
            found = find_figures(sentence, legal=legal)
            if not found:
                continue
            attribution = find_attribution(sentence)
            for neighbour in (paragraph[i - 1] if i > 0 else None, paragraph[i + 1] if i + 1 < len(paragraph) else None):
                # A neighbour's source covers this sentence only when the neighbour states no figure of its own
                # (« Source : Insee. », « C'est ce que montre une étude de KPMG. »).
                if attribution is None and neighbour is not None and \
                        all(f.kind == "date" for f in find_figures(neighbour, legal=legal)):
                    attribution = find_attribution(neighbour)
            for f in found:
                figures.append({
                    "id": figure_id(row["doc_id"], sentence, f.value, f.start), "value": f.value, "kind": f.kind,
                    "unit": f.unit, "measures": f.measures, "sentence": sentence, "attribution": attribution,
                    "context": paragraph[i - 1] if i > 0 else before,
                    "chunk_id": row["chunk_id"], "doc_id": row["doc_id"], "title": row.get("title") or "",
                    "doc_type": row.get("doc_type") or "", "audience": row.get("audience") or "public",
                    "locator": row.get("locator") or "", "date": row.get("date"), "source": row.get("source") or "",
                })
    return figures


def extract_document(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Figures of a document's chunks; a sentence repeated by overlapping chunks counts once."""
    seen: set[str] = set()
    out = []
    for row in rows:
        for figure in extract_chunk(row):
            if figure["id"] not in seen:
                seen.add(figure["id"])
                out.append(figure)
    return out


def extract_quotations(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attributed quotations of a document's chunks (« … », affirme X, rôle), each with its speaker and role;
    a quotation repeated by overlapping chunks counts once. Legal texts quote nobody."""
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.get("doc_type") in LEGAL_DOC_TYPES:
            continue
        for start, end, speaker in quotations(row["text"]):
            text = row["text"][start + 1:end - 1].strip()
            key = sha256_hex(f"{row['doc_id']}\x00{text}")[:20]
            if key in seen:
                continue
            seen.add(key)
            out.append({"id": key, "text": text, "speaker": speaker.name, "role": speaker.role,
                        "chunk_id": row["chunk_id"], "doc_id": row["doc_id"], "title": row.get("title") or "",
                        "doc_type": row.get("doc_type") or "", "audience": row.get("audience") or "public",
                        "locator": row.get("locator") or "", "date": row.get("date"), "source": row.get("source") or ""})
    return out