"""Several separate purchases described in one question, read one by one.

Buyers put two or three contracts in one message (« <n> <contrats> : le <ordinal> …, le <ordinal> … », « l'un … l'autre … »,
« un <contrat> de <objet> à <montant> et un <contrat> de <objet> à <montant> », « a) … b) … ») and ask what applies to each. Read as one
purchase, their figures mix: the largest amount meets the other's duration. Each purchase is rewritten as a question
of its own: what comes before the purchases (the buyer, the count of contracts announced), its own words, and what follows
them (the question asked of all).

Parts of one purchase are not separate purchases: lots, options, tranches, amendments and contracts of one operation
are summed or compared by the situation's own reading (valuation, small lots, R2194-8), not split here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.text.normalize import fold_apostrophes
from assistant.text.numbers import french_number, parse_amount, spelled_amounts
from assistant.thresholds.situation import _AMOUNT, _DURATION, SEVERAL_CONTRACTS, amounts_in, tax_of, units_counted_together

# Where a purchase's own description starts: words that enumerate (an ordinal after its article, « l'autre », « b) », « 2° », a dash
# opening a line), else a noun phrase naming a contract (« un <contrat> de <objet> »).
_ORDINAL = r"(?:premier|premiere|second|seconde|deuxieme|troisieme|dernier|derniere)"
_ENUMERATION = re.compile(
    rf"\b(?:le|la)\s+{_ORDINAL}\b"
    r"|\bl'(?:un|une|autre)\b|(?<=:\s)(?:un|une)\b(?=\s+(?:pour|de|d'|a|en)\b)"
    r"|(?:^|(?<=[\s:;,]))(?:[a-c]|[1-4])\)(?=\s)|(?:^|(?<=[\s:;,]))[1-4]°(?=\s)"
    r"|\bd'(?:une|autre)\s+part\b|\bd'un\s+cote\b"
    rf"|\b{_ORDINAL}\s+(?:marche|achat|contrat|cas|besoin|dossier|accord-cadre)\b"
    r"|\b(?:marche|achat|contrat|cas|dossier)\s+(?:n°\s*)?[1-4](?=\s*[:,(—-])"
    r"|(?:^|(?<=\n)|(?<=[:;.]\s))\s*[-•*](?=\s)")
# Purchases told in sequence (« d'abord <achat>, ensuite <achat> », « premièrement … deuxièmement … »): the adverbs
# after the first start purchases only once the sequence is opened (alone, « puis » or « ensuite » may go on with the
# same purchase: « <achat>, puis livraison sur <durée> »); each purchase then states its own amount.
_SEQUENCE_OPENED = re.compile(r"\bd'abord\b|\bpremierement\b|\ben\s+premier\s+lieu\b")
_SEQUENCE = re.compile(r"\bd'abord\b|\bpremierement\b|\ben\s+premier\s+lieu\b|\bensuite\b|\bpuis\b|\benfin\b|"
                       r"\bdeuxiemement\b|\btroisiemement\b|\ben\s+second\s+lieu\b")
_NOUN = re.compile(r"\b(?:un|une)\s+(?:autre\s+)?(?:marche|achat|contrat|commande|prestation|accord-cadre)\b")
# « <n> <contrats> : <achat>, et <achat> » — the purchases listed after their count, in one sentence.
_ANNOUNCED = re.compile(r"\b(?:deux|trois|quatre|[2-4])\s+(?:marches|achats|contrats|commandes|accords-cadres|prestations|"
                        r"besoins|sous-traitants)\b[^.:?]{0,60}:")
_DETERMINED = r"(?=(?:des|du|de\s+la|de\s+l'|la|le|les|l'|un|une)\s)"  # a noun phrase follows
_LISTED = re.compile(rf";\s*|,\s*et\s+|,\s*puis\s+|\s+et\s+{_DETERMINED}")
CLOSE = 20  # two words opening one purchase (an ordinal, then « un <contrat> de <objet> ») are one start
# Parts of one purchase, read together by the situation (summed, or compared with the whole).
# (Reconductions are one purchase's own duration: they do not make several purchases one.)
_PARTS_OF_ONE = re.compile(r"\blots?\b|\boptions?\b|\btranches?\b|\bavenants?\b|\bmodifications?\b|" + SEVERAL_CONTRACTS)
# Words saying a question is about several purchases (a count of contracts, an adjective saying they are apart, a
# pronoun taking each of them).
_SEVERAL = re.compile(r"\b(?:deux|trois|quatre|[2-4])\s+(?:marches|achats|contrats|commandes|accords-cadres|besoins|"
                      r"consultations|dossiers|prestations)\b|\bdistinct(?:e|s|es)?\b|\bsepare(?:e|s|es)?\b|"
                      r"\bsans\s+(?:aucun\s+)?(?:lien|rapport)\b|\bindependant(?:e|s|es)?\b|\bchacun(?:e)?\b|"
                      r"\bl'un(?:e)?\s+(?:et|ou)\s+l'autre\b|\bles\s+deux\b|\blesquel(?:le)?s\b|\brespectivement\b")
# Between purchases listed in a sentence: « ; », « , et », « , puis », « et » or a comma before a determiner.
_LISTED_ANY = re.compile(rf"{_LISTED.pattern}|,\s+{_DETERMINED}")
# The end of the sentence a purchase is described in (a decimal comma or point inside an amount is not one).
_SENTENCE_END = re.compile(r"(?<!\d)(?<!\b[A-Z])[.?!;](?=\s|$)|[.?!;](?=\s+[A-ZÀÂÉÈÊÎÔÛÇ])")
_CLAUSE_END = re.compile(r"(?<!\d)(?<!\b[A-Z])[.?!;:](?=\s|$)")
# What joins a purchase to the next (« …, et », « … puis »), left out when it is read alone.
_JOINED = re.compile(r"(?:[\s,;]|\bet\b|\bpuis\b|\bainsi\s+que\b|\bpour\b)+$", re.IGNORECASE)
MAX_PURCHASES = 4


# Facts of one purchase besides its figures: a date, the size of its holder, the kind of contract.
_OWN_FACT = re.compile(r"\b\d{1,2}(?:er)?\s+(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
                       r"decembre)\b|\bpme\b|\bgrand(?:e)?s?\s+(?:groupe|entreprise)s?\b|\btravaux\b|\bfournitures?\b|"
                       r"\bservices?\b|\bprestations?\b")


def _own_figure(text: str) -> bool:
    """A purchase's description carries its own amount or duration."""
    return bool(amounts_in(text)) or bool(_DURATION.search(fold_apostrophes(text)))


def _own_facts(text: str) -> bool:
    """A purchase's description carries its own figure or another fact of its own (`_OWN_FACT`)."""
    return _own_figure(text) or bool(_OWN_FACT.search(fold_apostrophes(text)))


def _starts(pattern: re.Pattern, text: str, folded: str, own=_own_figure) -> list[int]:
    """Where the purchases start by `pattern`: starts too close to the one before are one, a start whose words carry
    nothing of their own (`own`) is not a purchase's."""
    starts: list[int] = []
    for m in pattern.finditer(folded):
        if not starts or m.start() - starts[-1] >= CLOSE or own(text[starts[-1]:m.start()]):
            starts.append(m.start())
    return [a for a, b in zip(starts, starts[1:] + [len(text)]) if own(text[a:b])]


def _sentence_end(text: str, start: int) -> int:
    """The end of the sentence the first figure after `start` is in: what follows is asked of every purchase (a
    figure there, « il y a <n> jours », is the question's).

    Measured and removed: ending there at a colon too (the question asked of all after « … : »), as purchases listed
    in one sentence do; with the buyer's words opening that sentence given to every purchase, the counted half of
    situations_multi.yaml lost one point (24 → 23), the buyer's words alone changed nothing."""
    rest = text[start:]
    figures = [m.end() for m in _AMOUNT.finditer(rest)] + [m.end() for m in _DURATION.finditer(fold_apostrophes(rest))]
    close = _SENTENCE_END.search(rest, min(figures, default=0))
    return start + (close.end() if close else len(rest))


def _listed(text: str, folded: str) -> list[tuple[int, int]]:
    """Purchases listed in the sentences that hold the amounts, cut where a list is (« ; », « , et », « et des … »):
    a piece without an amount or a duration of its own belongs to the purchase before it."""
    figures = amounts_in(text)
    if len(figures) < 2:
        return []
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, figures[0].start())]
    start = before[-1] if before else 0
    # (The last purchase ends with its clause: a colon after it opens the question asked of all.)
    close = _CLAUSE_END.search(text, figures[-1].end())
    end = close.start() if close and close.group(0) == ":" else close.end() if close else len(text)
    bounds: list[tuple[int, int]] = []
    cuts = [start] + [m.end() for m in _LISTED_ANY.finditer(folded, start, end)]
    for a, b in zip(cuts, cuts[1:] + [end]):
        if bounds and not _own_figure(text[a:b]):
            bounds[-1] = (bounds[-1][0], b)
        elif not bounds and not _own_figure(text[a:b]):
            continue  # before the first purchase: still the lead
        else:
            bounds.append((a, b))
    return bounds


# Lots of one whole, each with its own amount (« <un marché> de W € … : <lot> à X € et <lot> à Y € »): a rule of lots
# judges each lot with the whole beside it (R2123-1, R2122-8), so each is read as a purchase of its own, the whole in
# the words before it; added up with the whole, they would count it twice.
_LOT = re.compile(r"\blots?\b")
_LOT_NAMED = re.compile(r"(?:\b(?:le|un|ce|mon|notre|chaque)\s+)?\blots?\b")
# What joins the whole to its lots (« …, dont », « avec »), left out of the words before the lots.
_LEAD_JOINED = re.compile(r"(?:[\s,:;]|\b(?:dont|avec|et|notamment|comprenant|parmi\s+lesquels)\b)+$")
# How a lot's words lead to its amount (« estimé à », « à », « pour », « : »), and the lot's own word before them.
_LOT_LINKED = re.compile(r"^(?:(?:le|un|ce|mon|notre|chaque)\s+)?lots?\b\s*|(?:\s|\b(?:estim\w*|evalu\w*|chiffr\w*|a|à|de|pour|"
                         r"d'un\s+montant\s+de|d'environ)\b|[:,(])+$", re.IGNORECASE)
_DETERMINER = re.compile(r"^(?:le|un|ce|mon|notre|chaque)\s+(?=lots?\b)", re.IGNORECASE)
_LOT_JOINED = re.compile(r"^(?:[\s,;:)]|\bet\b|\bpuis\b|\bmais\b|\bainsi\s+que\b)+", re.IGNORECASE)
LOT_WINDOW = 60  # how far before its amount a lot's own word stands (« le lot <objet>, estimé à N € »)


def _lots_of_a_whole(text: str, folded: str) -> list[tuple[int, re.Match]] | None:
    """Where each lot's description starts, and its amount (which ends it), when the first amount is a whole and the
    later ones are lots of it (fewer or smaller than it: they add up to less), each named as a lot or listed after
    « lots : »; None otherwise."""
    figures, values = _without_restated_total(text)
    if len(figures) < 3 or len(figures) - 1 > MAX_PURCHASES:
        return None
    if sum(values[1:]) >= values[0] or not _LOT.search(folded, figures[0].end(), figures[1].start()):
        return None
    # The list of lots opens after the sentence of the whole, or after the colon announcing the lots.
    opening = [m.end() for m in _SENTENCE_END.finditer(text, figures[0].end(), figures[1].start())]
    opening += [m.end() for m in re.finditer(r":", text[:figures[1].start()]) if m.start() > figures[0].end()]
    # In the whole's own sentence (« … en N lots, dont le lot <objet> à X € »), the first lot starts at its own word.
    start = max(opening, default=None)
    if start is None:
        named = [m.start() for m in _LOT_NAMED.finditer(folded, figures[0].end(), figures[1].start())]
        start = named[-1] if named else figures[0].end()
    listed = not _SENTENCE_END.search(text, figures[1].end(), figures[-1].start())
    if not all(listed or _LOT.search(folded, max(start, m.start() - LOT_WINDOW), m.start()) for m in figures[1:]):
        return None
    ends = [m.end() for m in figures[1:]]
    return [(a, m) for a, m in zip([start] + ends[:-1], figures[1:])]


def _without_restated_total(text: str) -> tuple[list[re.Match], list[float]]:
    """The amounts of the text and their values, less a last one that restates the total of the lots before it
    (« ensemble ils font N € »): not another lot."""
    figures = amounts_in(text)
    values = [parse_amount(m.group("num"), m.group("unit")) for m in figures]
    if len(figures) >= 4 and abs(values[-1] - sum(values[1:-1])) <= 0.01 * values[-1]:
        return figures[:-1], values[:-1]
    return figures, values


def _lots_without_a_whole(text: str, folded: str) -> list[tuple[int, re.Match]] | None:
    """Where each lot's description starts, and its amount, when every amount is a lot's (« lot 1 à X €, lot 2 à Y € »,
    « le lot <objet> (X €) et le lot <objet> (Y €) ») and no whole is given: the whole is their sum (R2121-1)."""
    figures = amounts_in(text)
    if not 2 <= len(figures) <= MAX_PURCHASES:
        return None
    ends = [0] + [m.end() for m in figures[:-1]]
    # Each amount has its own lot's word between the amount before it and itself.
    if not all(_LOT.search(folded, max(end, m.start() - LOT_WINDOW), m.start()) for end, m in zip(ends, figures)):
        return None
    if len({tax_of(m) for m in figures}) > 1:
        return None
    first = [m.start() for m in _LOT_NAMED.finditer(folded, max(0, figures[0].start() - LOT_WINDOW), figures[0].start())]
    return [(a, m) for a, m in zip([first[-1]] + [m.end() for m in figures[:-1]], figures)]


class Purchase(NamedTuple):
    """One purchase of a question describing several: the question it is read as, and its own words."""

    question: str
    words: str
    lot: bool = False  # a lot of a whole the question gives (read with the whole beside it)
    # The whole added up by the assistant when the question gives only its lots (« X € HT + Y € HT = Z € HT »).
    whole_basis: str = ""
    # The share of the whole the lots named make together, when the question gives their total (« T € / W € = N % »).
    share_basis: str = ""


def purchases(question: str) -> list[Purchase] | None:
    """One question per purchase when the question describes several separate ones, each with its own figures;
    None otherwise (one purchase, or parts of one)."""
    text = spelled_amounts(question).replace("œ", "oe").replace("Œ", "Oe")  # fold keeps lengths from here on
    folded = fold_apostrophes(text)
    if _PARTS_OF_ONE.search(folded):
        return _lots(text, folded)
    if units_counted_together(text):
        return None  # one need of several units, summed by the situation (R2121-2)
    bounds: list[tuple[int, int]] = []
    # Enumerated, a purchase may be told apart by other facts than figures (its holder, its dates, its kind).
    kept = _starts(_ENUMERATION, text, folded, _own_facts)
    if len(kept) < 2 and _SEQUENCE_OPENED.search(folded):
        kept = _starts(_SEQUENCE, text, folded, lambda part: bool(amounts_in(part)))  # each with its own amount
    if len(kept) < 2 and (announced := _ANNOUNCED.search(folded)):
        end = _sentence_end(text, announced.end())
        cuts = [announced.end()] + [m.end() for m in _LISTED.finditer(folded, announced.end(), end)]
        bounds = [(a, b) for a, b in zip(cuts, cuts[1:] + [end]) if _own_facts(text[a:b])]
    if len(kept) < 2 and len(bounds) < 2 and _SEVERAL.search(folded):
        bounds = _listed(text, folded)
    if len(kept) < 2 and len(bounds) < 2:
        kept = _starts(_NOUN, text, folded)
    if len(bounds) < 2 and len(kept) >= 2:
        bounds = list(zip(kept, kept[1:] + [_sentence_end(text, kept[-1])]))
    if not 2 <= len(bounds) <= MAX_PURCHASES:
        return None
    lead, tail = text[:bounds[0][0]], text[bounds[-1][1]:]
    out = []
    for a, b in bounds:
        part = _JOINED.sub("", text[a:b])
        if tail.strip() and not re.search(r"[.?!;:]$", part) and not tail.lstrip().startswith(":"):
            part += "."
        asked = f"{lead}{'' if lead[-1:].isspace() else ' '}{part}{tail}".strip()
        out.append(Purchase(asked if "?" in asked else asked.rstrip(" .") + " ?", part.strip(" .;,:-•*")))
    return out


def _lots(text: str, folded: str) -> list[Purchase] | None:
    """One question per lot of a whole (`_lots_of_a_whole`): the words before the lots (the whole), the lot named as
    one, and what follows the lots (the question asked of each)."""
    bounds = _lots_of_a_whole(text, folded)
    basis = ""
    if bounds is None:
        bounds = _lots_without_a_whole(text, folded)
        if bounds is None:
            return None
        values = [parse_amount(m.group("num"), m.group("unit")) for _, m in bounds]
        tax = f" {tax_of(bounds[0][1])}" if tax_of(bounds[0][1]) else ""
        basis = f"{' + '.join(f'{french_number(v)} €{tax}' for v in values)} = {french_number(sum(values))} €{tax}"
    lead, tail = _LEAD_JOINED.sub("", text[:bounds[0][0]]), text[bounds[-1][1].end():]
    lead_end = "" if re.search(r"[.?!;]$", lead) else "."
    share = ""
    figures = amounts_in(text)
    if not basis and len(figures) > len(bounds) + 1:
        # The lots named, together (their total restated by the buyer): the share of the whole the rule of small lots
        # measures (« montant cumulé de ces lots »), computed and said to be.
        whole = parse_amount(figures[0].group("num"), figures[0].group("unit"))
        total = parse_amount(figures[-1].group("num"), figures[-1].group("unit"))
        percent = 100 * total / whole
        tax = f" {tax_of(figures[0])}" if tax_of(figures[0]) else ""
        share = f"{french_number(total)} €{tax} / {french_number(whole)} €{tax} = {french_number(percent, 1)} %"
        tail = f"{tail} Ces lots font {french_number(percent, 1)} % du total."
    if basis:
        # The whole, as the buyer would have written it, for each lot to be read beside it.
        lead = f"{lead}{lead_end} Marché entier : {basis.rsplit('= ', 1)[1]}"
        lead_end = "."
    out = []
    for a, amount in bounds:
        words = _DETERMINER.sub("", _LOT_JOINED.sub("", text[a:amount.end()]).strip())
        if words.count("(") > words.count(")"):
            words += ")"  # « le lot <objet> (N € »: its amount in brackets
        folded_words = fold_apostrophes(words)
        named = words[:1].lower() + words[1:] if _LOT.match(folded_words) else \
            words if _LOT.search(folded_words) else f"lot {words}"
        # Read as « le lot de <montant> (<ce qu'il est>) », however the buyer linked the lot to its amount.
        what = _LOT_LINKED.sub("", _LOT_JOINED.sub("", text[a:amount.start()])).strip(" ,:;()")
        asked = f"{lead}{lead_end} Le lot de {amount.group(0).strip()}{f' ({what})' if what else ''}{tail}".strip()
        out.append(Purchase(asked if "?" in asked else asked.rstrip(" .") + " ?", named, lot=True, whole_basis=basis,
                            share_basis=share))
    return out
