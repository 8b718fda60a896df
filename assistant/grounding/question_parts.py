"""The parts of a question that asks several things at once.

People ask two things in one breath (« <question> et <interrogatif> <nom> ? », « <question> ? <question> ? »).
An answer may speak fully of the first and say nothing of the second; each part is checked on its own. A part is an
ask only when it is put as one (an interrogative word, an inversion, a question mark): the situation said before a
colon or a comma (« <situation> : <question> ? ») is context, not a part.
"""

from __future__ import annotations

import re

from assistant.text.normalize import fold_apostrophes

# Words that open an ask, as a part joined by « et » or a comma starts (folded, apostrophes straight). After a comma,
# « qui » and « ou » more often open a relative clause or an alternative than an ask: only after « et ».
_PREPOSITION = r"(?:(?:a|de|dans|pour|avec|sur|sous|par|en|selon|jusqu'a|depuis|aupres\s+de)\s+)?"
_OPENS = _PREPOSITION + r"(?:quel(?:le)?s?|lesquel(?:le)?s|comment|combien|pourquoi|quand|est-ce)\b"
# An inversion (« <verbe>-t-il », « <verbe>-on », « <verbe>-je »): a yes-or-no ask.
_INVERSION = r"\w-(?:t-)?(?:il|elle|on|ils|elles|je|nous|vous)\b"
# Or « et » opening a clause whose subject comes first and whose interrogative word comes later (« <question>, et
# <pronom> <verbe> <interrogatif> <nom> ? »): after a comma, any such clause; without one, a clause opening on a
# subject pronoun.
_LATER = r"[^,]*?(?:\b(?:combien|quel(?:le)?s?|quand|comment|pourquoi|ou)\b|" + _INVERSION + r")"
_JOINED = re.compile(r"\s*,\s*(?:et\s+|puis\s+|mais\s+)?(?=" + _OPENS + r")|\s+(?:et|puis|mais)\s+(?="
                     + _OPENS + r"|(?:ou|qui|que|qu')\b|[\w']+" + _INVERSION + r")|\s*,\s*(?:et|mais)\s+(?=" + _LATER
                     + r")|\s+et\s+(?=(?:il|elle|ils|elles|on|je|nous|vous|c'est|ca)\b" + _LATER + r")")
_ASKS = re.compile(r"\b" + _OPENS + r"|" + _INVERSION + r"|\bquoi\b|^\s*(?:ou|qui|que|qu')\b")
_ASIDE = re.compile(r"\([^)]*\)")
_OPEN_ASK = re.compile(r"\b" + _OPENS + r"|\bquoi\b|^\s*(?:(?:et|puis|mais)\s+)?(?:ou|qui|que|qu')\b")


def open_ask(part: str) -> bool:
    """Whether a part asks with an interrogative word (which, how, how much, where…), not for a yes or a no: a
    yes-or-no ask is answered by a rule in words of its own (the question's verb is seldom the law's)."""
    return bool(_OPEN_ASK.search(fold_apostrophes(part)))


def _folded(text: str) -> tuple[str, list[int]]:
    """The text folded (accents, case, apostrophes), and for each folded character the place of the one it comes
    from: folding may lengthen a word (« œuvre » -> « oeuvre »), and the parts are cut from the text as written."""
    pieces = [fold_apostrophes(c) for c in text]
    return "".join(pieces), [i for i, piece in enumerate(pieces) for _ in piece] + [len(text)]


def _asks(piece: str) -> list[str]:
    """The parts of one clause joined by « et » or a comma that are put as asks; the rest is context."""
    folded, origin = _folded(piece)
    bounds = [0] + [origin[m.start()] for m in _JOINED.finditer(folded)] + [len(piece)]
    parts = [piece[a:b].strip(" ,;") for a, b in zip(bounds, bounds[1:])]
    return [p for p in parts if p and (len(parts) == 1 or _ASKS.search(fold_apostrophes(p)))]


def question_parts(question: str) -> list[str]:
    """The asks of a question, in the user's words; one part when it asks one thing.

    Before a colon comes the situation (« Pour <un achat> : <question> ? ») unless it is put as an ask, in which case
    what follows the colon details it (examples, options: « <question> : <option>, <option> ? ») and is not a part."""
    parts: list[str] = []
    for sentence in re.split(r"\?+", _ASIDE.sub(" ", question)):
        if not sentence.strip():
            continue
        head, colon, tail = sentence.partition(":")
        clause = head if not colon or _ASKS.search(fold_apostrophes(head)) or not tail.strip() else tail
        parts += _asks(clause)
    return parts or [question.strip()]
