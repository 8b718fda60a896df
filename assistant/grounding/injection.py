"""Sentences that try to instruct the model (« ignore les instructions précédentes… ») never reach it.

Prompts already fence passages off as data and the verifier drops any sentence its passage does not
support; the sentences of a passage written to steer the model are also cut out before generation, so a
model that would obey them (and cite the passage, since the planted words are in it) never sees them,
while the rest of the passage stays usable and quotable verbatim. The patterns target the imperative
wording of such attacks, which ordinary documents do not use.
"""

from __future__ import annotations

import logging
import re

from assistant.text.sentences import split_sentences
from assistant.models import SearchHit
from assistant.text.normalize import fold_apostrophes

log = logging.getLogger(__name__)

_PATTERNS = (
    r"\b(?:ignore[rz]?|oublie[rz]?|ne tiens? pas compte d)\w*\s+(?:de\s+)?(?:toutes?\s+)?(?:les|tes|vos|ces|des)?\s*"
    r"(?:instructions?|consignes?|regles?|directives?)\b",
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)\s+"
    r"(?:instructions?|prompts?|rules?)\b",
    r"\b(?:tu es|vous etes|you are)\s+(?:desormais|maintenant|now)\b",
    r"\bnouvelles?\s+(?:instructions?|consignes?)\s*:",
    r"\b(?:prompt|message)\s+(?:systeme|system)\b",
    r"<\|?\s*(?:system|im_start|im_end)\s*\|?>",
    r"\b(?:reponds|repondez|answer)\s+(?:uniquement|seulement|only|toujours|always)\b",
)
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(fold_apostrophes(text)))


def without_injections(hits: list[SearchHit]) -> list[SearchHit]:
    """`hits` with the sentences that address instructions to the model cut out (a passage left empty goes)."""
    out = []
    for hit in hits:
        if not looks_like_injection(hit.text):
            out.append(hit)
            continue
        lines = []
        for line in hit.text.split("\n"):
            if looks_like_injection(line):
                line = " ".join(s for s in split_sentences(line) if not looks_like_injection(s))
            lines.append(line)
        text = "\n".join(lines).strip()
        log.warning("instructions to the model cut out of passage %s", hit.chunk_id)
        if text:
            out.append(hit.model_copy(update={"text": text}))
    return out
