"""Who says a quotation, read from its passage as the press writes it: « … », affirme X, rôle ; « … », selon X ;
X, rôle : « … » ; or « … », ajoute-t-il, X having been named just before. A quotation whose speaker cannot be
named (« précise un communiqué ») is not put in a brief's mouth."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.text.normalize import fold

# Verbs of speech the press puts after a quotation (« … », affirme X) or before it (X ajoute : « … »).
SPEECH_VERBS = (r"(?:précise|affirme|déclare|explique|souligne|estime|rappelle|résume|indique|ajoute|insiste|martèle|"
                r"conclut|assure|observe|note|lance|prévient|poursuit|détaille|plaide|défend|alerte|regrette|confie|"
                r"analyse|commente|interpelle|tranche|dénonce|"
                # the same verbs in the past (« …, a souligné X »)
                r"précisé|affirmé|déclaré|expliqué|souligné|estimé|rappelé|résumé|indiqué|ajouté|insisté|martelé|"
                r"conclu|assuré|observé|noté|lancé|prévenu|poursuivi|détaillé|plaidé|défendu|alerté|regretté|confié|"
                r"analysé|commenté|interpellé|tranché|dénoncé)(?![\wéè])")
# A person's name as the press writes it: capitalised words, a particle allowed (« Tristan de Witte »).
_NAME = (r"[A-ZÉÈ][a-zéèêëïîôûç'’]+(?:-[A-ZÉÈ][a-zéèêëïîôûç'’]+)?"
         r"(?:\s+(?:de\s+|De\s+|d['’])?[A-ZÉÈ][\w'’]+(?:-[A-ZÉÈ][\w'’]+)?){1,3}")
_ROLE = r"(?P<role>\s*,\s*[^.;:«“»”]{3,120})?"
_QUOTED = r"(?:«[^»]{25,}»|“[^”]{25,}”)"
_NAMED = re.compile(r"(?P<name>" + _NAME + r")" + _ROLE)
# A person's name alone (two capitalised words or more, not an organisation or a sentence opener).
PERSON = re.compile(r"(?<![\w’'])(?!(?:Le|La|Les|Un|Une|Des|Ce|Cette|Pour|Dans|Selon|Alliance|Confédération|Union|Salon|"
                    r"Origine|Conservatoire|Réseau|Réseaux|France|Paris|Normandie|Europe|Made|Industrie|Jeux)\b)"
                    + _NAME)
QUOTATION = re.compile(_QUOTED)
LOOKBACK = 400  # characters before a quotation where a pronoun's speaker is looked for
# Capitalised words that open sentences or name organisations, not people.
_NOT_PEOPLE = re.compile(r"^(?:Le|La|Les|Un|Une|Des|Ce|Cette|Pour|Dans|Selon|Alliance|Confédération|Union|"
                         r"Salon|Origine|Conservatoire|Réseau|France|Paris|Normandie|Europe)\b")


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str = ""

    def label(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


def _speaker(match: re.Match) -> Speaker | None:
    name = re.sub(r"^(?:Et|Mais|Or|Puis|Alors|Ainsi|Pour)\s+", "", match.group("name").strip())
    if _NOT_PEOPLE.match(name) or " " not in name:
        return None
    # The role is the apposition's first part (« président de X, rappelle que… » stops at the verb).
    role = ((match.groupdict().get("role")) or "").strip(" ,").split(",")[0].strip()
    return Speaker(name, role)


def _after(passage: str, end: int) -> Speaker | None:
    """« … », affirme X, rôle / « … », selon X: the speaker named right after the closing mark; « … », conclut le
    président de Y: the person the passage named before with that role."""
    match = _AFTER_TAIL.match(passage, end)
    if match:
        return _speaker(match)
    by_role = _ROLE_TAIL.match(passage, end)
    if by_role is None:
        return None
    wanted = _role_key(by_role.group("role"))
    return next((who for who in reversed(people(passage[:end])) if _role_key(who.role) == wanted), None)


def _role_key(role: str) -> str:
    """A role compared however it is written (case, accents, apostrophes, a trailing phrase after a comma)."""
    return " ".join(re.findall(r"\w+", fold(role.split(",")[0]).lower()))


_AFTER_TAIL = re.compile(r"\s*,?\s*(?:(?:a\s+)?" + SPEECH_VERBS + r"|selon)\s+(?P<name>" + _NAME + r")" + _ROLE)
# « …, conclut le président de X »: the speaker given by a role (resolved to a named person).
_ROLE_TAIL = re.compile(r"\s*,?\s*(?:a\s+)?" + SPEECH_VERBS + r"\s+(?:le|la|l['’])\s*(?P<role>(?:vice-)?(?:président|"
                        r"présidente|directeur|directrice|dirigeant|dirigeante|délégué|déléguée|fondateur|fondatrice|"
                        r"ministre|secrétaire|porte-parole|maire|député|députée)\b[^.;:«“»”]{0,100})")
_PRONOUN_TAIL = re.compile(r"\s*,?\s*(?:a\s+)?" + SPEECH_VERBS + r"-t-(?:il|elle)\b")
_BEFORE_TAIL = re.compile(r"(?:(?P<name>" + _NAME + r")" + _ROLE + r"|\b(?:Il|Elle)\s+" + SPEECH_VERBS + r"|"
                          r"\bd['’]" + r"(?:ajouter|expliquer|préciser|souligner|insister|conclure))\s*:\s*$")

# « X l'a dit (circumstance) : “…” », « X a rappelé (circumstance) : “…” »: the speaker, a verb of saying in
# the past, a few words of circumstance, then the colon.
_SAID_BEFORE = re.compile(r"(?P<name>" + _NAME + r")\s+(?:l['’])?(?:a|avait)\s+(?:" + SPEECH_VERBS +
                          r"|dit|répété|écrit|averti|lâché|glissé)[^«“:.;!?]{0,80}:\s*$")


# A quotation as a draft may give it, a few words (a noun and its adjective): the sources' are sentences.
SHORT_QUOTATION = re.compile(r"(?:«[^»]{8,}»|“[^”]{8,}”)")


def quotations(passage: str, short: bool = False) -> list[tuple[int, int, Speaker]]:
    """Each quotation of the passage (start, end) with the named person who says it; unattributed ones left out.
    `short`: quotations of a few words count too (a draft's)."""
    return list(_quotations(passage, short))


@lru_cache(maxsize=512)
def _quotations(passage: str, short: bool = False) -> tuple[tuple[int, int, Speaker], ...]:
    # Cached: every sentence of a passage asks for the same quotations.
    out = []
    for match in (SHORT_QUOTATION if short else QUOTATION).finditer(passage):
        start, end = match.span()
        who = _after(passage, end)
        if who is None:
            before = passage[max(0, start - LOOKBACK):start]
            lead = _BEFORE_TAIL.search(before)
            said = None if lead else _SAID_BEFORE.search(before)
            if lead and lead.group("name") and (direct := _speaker(lead)):
                who = direct
            elif said and (direct := _speaker(said)):
                who = direct
            elif lead or _PRONOUN_TAIL.match(passage, end):
                # « Il ajoute : “…” », « “…”, affirme-t-il », « Et X d'ajouter : “…” »: the last person named before.
                people = [p for m in _NAMED.finditer(before) if (p := _speaker(m))]
                who = people[-1] if people else None
        if who is not None:
            out.append((start, end, who))
    return tuple(out)


def _quotation_of(sentence: str, passage: str) -> tuple[int, int, Speaker] | None:
    """The attributed quotation that `sentence` (a sentence of `passage`) belongs to, if any."""
    at = passage.find(sentence[:60].rstrip())
    if at < 0:
        return None
    stop = at + len(sentence)
    return next((q for q in _quotations(passage) if q[0] < stop and at < q[1]), None)


def speaker_of(sentence: str, passage: str) -> Speaker | None:
    """The named person who says the quotation `sentence` belongs to (a sentence of `passage`), else None."""
    quotation = _quotation_of(sentence, passage)
    return quotation[2] if quotation else None


def whole_quotation(sentence: str, passage: str, sentences: list[str]) -> list[str]:
    """The passage's sentences that the quotation of `sentence` spans, in order (a quotation the splitter cut in
    two is quoted whole, with its attribution)."""
    span = _quotation_of(sentence, passage)
    if span is None:
        return [sentence]
    out = []
    for other in sentences:
        where = passage.find(other[:60].rstrip())
        if where >= 0 and where < span[1] and span[0] < where + len(other):
            out.append(other)
    return out or [sentence]


# What opens a person's role in an apposition (« X, présidente de Y »): other appositions are not roles.
_ROLE_NOUNS = re.compile(r"^(?:(?:ancien|ancienne|actuel|actuelle|nouveau|nouvelle)\s+)?(?:vice-)?(?:président|présidente|"
                         r"directeur|directrice|dirigeant|dirigeante|délégué|déléguée|fondateur|fondatrice|co-fondateur|"
                         r"cofondateur|ministre|membre|secrétaire|porte-parole|responsable|chef|cheffe|gérant|gérante|"
                         r"patron|patronne|élu|élue|maire|député|députée|sénateur|sénatrice|administrateur|"
                         r"administratrice|trésorier|trésorière|coach|expert|experte|chargé|chargée|conseiller|conseillère|ingénieur|"
                         r"ingénieure|coordinateur|coordinatrice|animateur|animatrice|chercheur|chercheuse|économiste)\b",
                         re.I)


def people(text: str) -> list[Speaker]:
    """The people a text names with their role (« André Dupont, président de la fédération »), in order."""
    out = []
    for match in _NAMED.finditer(text):
        who = _speaker(match)
        if who is None or not who.role or not _ROLE_NOUNS.match(who.role):
            continue
        role = re.split(r"\n|©|\s\(", who.role)[0].strip(" ,")  # a caption's credit is not part of the role
        out.append(Speaker(who.name, role))
    return out