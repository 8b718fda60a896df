"""Small text helpers shared by every stage (accent folding, slugs, hashes, word counts)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip accents: « Définition » -> « definition »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def fold_apostrophes(text: str) -> str:
    """fold(), with the typographic apostrophe ’ written ': the form hand-written patterns are matched against."""
    return fold(text).replace("’", "'")


def of(phrase: str) -> str:
    """« de » before a French noun phrase, contracted: « le droit » -> « du droit », « les pays » -> « des pays »."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if phrase.startswith(article):
            return contracted + phrase[len(article):]
    return f"d'{phrase}" if phrase[:1].lower() in "aeiouyhéèêàâîôû" else f"de {phrase}"


def slugify(text: str, max_len: int = 80, fallback: str = "document") -> str:
    """ASCII words joined by dashes (ids, download file names): « Écrit à l'Été » -> « ecrit-a-l-ete »."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_len].strip("-") or fallback


def sha256_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def shorten(text: str, limit: int = 120) -> str:
    """Cut on a word boundary and mark the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


# Word files are XML: control characters and lone surrogates cannot be written in them (lxml raises).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document (a .docx) cannot hold."""
    return _NOT_XML.sub("", text)
