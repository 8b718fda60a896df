"""A buyer's situation answered as a checklist: one line per aspect asked, the rule's conclusion for the buyer's
figures (computed, and said to be), then the article's sentence quoted word for word and cited.

The computed part is framing (fixed text the verifier does not read as a claim); every figure of the Code it names
is a bound read from the quoted sentence, so the citation that follows carries it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.answer.plan import Segment
from assistant.grounding.answer_type import PERCENT, states
from assistant.text.normalize import fold_apostrophes
from assistant.text.sentences import citable_sentences
from assistant.text.numbers import french_number
from assistant.thresholds.extract import _conditions, aspects, flat, purchase_contents
from assistant.thresholds.models import Application, Threshold
from assistant.thresholds.situation import (EUROPEAN, EUROPEAN_UNKNOWN, RELEASED, SEVERAL_CONTRACTS, SMALL_FIRM, Finding, Situation,
                                            duration_holds,
                                            european_floor, is_permission, small_holder, specific, units_counted_together)

QUOTE_MAX_CHARS = 700  # a longer sentence (an enumeration of cases) is quoted by its item alone
# What a rule's outcome means for the buyer, as the article words it: a duty (« l'acheteur <verbe au présent> <objet> »,
# « sont conclus par écrit ») or a permission (« l'acheteur peut passer un marché sans publicité… »).
_VERDICTS = {"duty": {"applies": "obligatoire ici", "does-not-apply": "pas obligatoire ici",
                      "depends": "obligatoire ou non"},
             "permission": {"applies": "possible ici", "does-not-apply": "pas possible ici",
                            "depends": "possible ou non"},
             # A clause that says « librement » (or « au choix »): the rule leaves the how to the buyer.
             "freedom": {"applies": "libre ici", "does-not-apply": "pas libre ici",
                         "depends": "libre ou non"},
             # A clause that releases the buyer from a duty (« l'acheteur n'est pas tenu de … »).
             "exemption": {"applies": "pas obligatoire ici (dispense)", "does-not-apply": "dispense non applicable ici",
                           "depends": "dispense applicable ou non"}}
_FREEDOM = re.compile(r"\blibrement\b|\bsur\s+le\s+support\s+de\s+son\s+choix\b")


_DEROGATION = re.compile(r"\bpar\s+derogation\b")


def derogation(threshold: Threshold) -> bool:
    """A rule written as a derogation from another (« Par dérogation à l'article …, … est fixé à : »)."""
    return bool(_DEROGATION.search(flat(f"{threshold.lead} {threshold.effect}")))


def modality(finding: Finding) -> str:
    if _FREEDOM.search(finding.threshold.effect):
        return "freedom"
    if RELEASED.search(flat(f"{finding.threshold.lead} {finding.threshold.effect}")):
        return "exemption"
    return "permission" if is_permission(finding.threshold) else "duty"
EUROPEAN_MISSING = ("Les documents ne donnent pas le montant des seuils européens : le code renvoie à un avis annexé "
                    "au code, qui ne figure pas dans les documents indexés.")


@dataclass
class Line:
    aspect: str
    findings: list[Finding]
    text: str = ""
    quote: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    # The article that carries the same duty on the other side of an unknown value, quoted after the line.
    other_side: Finding | None = None
    # The article and passage quoted, when not the rule's own (an article that puts the buyer outside the rule's part).
    source: tuple[str, str] | None = None
    # Derogations from the rule for kinds of buyer the question does not rule out, quoted after it.
    derogations: list[Finding] = field(default_factory=list)
    # The article's own rules for a case the question leaves open (a small firm holding the contract), quoted after it.
    cases: list[Finding] = field(default_factory=list)


def quote(threshold: Threshold) -> list[str]:
    """The article's sentence, or for an item of a long enumeration its lead-in and the item (« Les marchés … font
    l'objet d'une publicité dans les conditions suivantes : » « 1° Lorsque … »)."""
    # A sentence that opens on an item (« 5° …; 6° … ») continues an enumeration whose lead-in is another sentence:
    # quoted with it, the item alone.
    continued = bool(threshold.lead) and re.match(r"\s*(?:\d+°|[a-h]\))", threshold.sentence) is not None
    if len(threshold.sentence) <= QUOTE_MAX_CHARS and not continued:
        return [threshold.sentence]
    # An item of an item (« a) » under « 2° ») has the article's lead-in and its parent item as its lead: each is
    # quoted as the article writes it, on its own line.
    lead = [part.strip() for part in re.split(r"\s(?=\d+°\s)", threshold.lead)] if threshold.lead else []
    return [part for part in (*lead, threshold.effect) if part]


_PRIORITY = ("applies", "depends", "does-not-apply")


def _exemption_last(finding: Finding, outcome: str) -> bool:
    """Sort key: a dispensation goes first when it applies (it releases from the duty), last otherwise."""
    return (modality(finding) == "exemption") != (outcome == "applies")


def _shown(findings: list[Finding], lot_asked: bool = False) -> list[Finding]:
    """What an aspect's line rests on: the article of the rules that apply, else of those that depend on something
    unknown, else of the one that does not apply — one finding of it per kind of contract it was applied to (the
    outcome may differ from one kind to another), the one that decides most. When the question is about one lot,
    the rules of lots speak first. A rule's items that hold together (« 2° … qui remplit les conditions suivantes :
    a) … b) … ») are shown as one: the item with an amount, with what the others compared."""
    if lot_asked and any(f.threshold.subject_kind == "lot" for f in findings):
        findings = [f for f in findings if f.threshold.subject_kind == "lot"]
    # Items that hold together: one of the conditions an item lists not met by the buyer's figure, the item is not met
    # either, whatever its other conditions.
    unmet = [f for f in findings if f.outcome == "does-not-apply" and any(b.amount for b in f.threshold.bounds)]
    findings = [replace(f, outcome="does-not-apply") if f.outcome == "depends" and any(
        g.threshold.article == f.threshold.article and f.threshold.effect.strip(" :;") in g.threshold.lead for g in unmet)
        else f for f in findings]
    for outcome in _PRIORITY:
        # A regulatory article (which gives the figures) before the law article it completes.
        # A dispensation that applies releases from the duty of the same aspect: it decides, so it comes first.
        # So does a rule for the kind of purchase the question names (books, an innovative purchase): it is the one
        # written for it.
        # A dispensation that does not apply says nothing when the duty it releases from does not apply either: the
        # duty decides then.
        chosen = sorted((f for f in findings if f.outcome == outcome),
                        key=lambda f: (_exemption_last(f, outcome), not derogation(f.threshold), not specific(f.threshold),
                                       f.threshold.article.startswith("L")))
        if chosen:
            article = chosen[0].threshold.article
            # The rule whose conditions the purchase was found to meet (a condition on the holder's size) before
            # the general one it adjusts.
            own = sorted((f for f in findings if f.threshold.article == article),
                         key=lambda f: (_PRIORITY.index(f.outcome), _exemption_last(f, f.outcome),
                                        not any(b.amount for b in f.threshold.bounds), -len(f.compared)))
            by_type: dict[str | None, Finding] = {}
            for f in own:
                first = by_type.setdefault(f.contract_type, replace(f, compared=list(f.compared), unknown=list(f.unknown)))
                if first.outcome == f.outcome and first.threshold.effect != f.threshold.effect \
                        and modality(first) == modality(f):
                    first.compared += [c for c in f.compared if c not in first.compared]
                    first.unknown += [u for u in f.unknown if u not in first.unknown]
            return list(by_type.values())
    return []


def _because(findings: list[Finding], by_type: bool) -> str:
    compared = list(dict.fromkeys(c for f in findings for c in f.compared))
    unknown = list(dict.fromkeys(u for f in findings for u in f.unknown))
    said = ""
    # (A finding of a rule written for every kind of contract has none: it is not named among the kinds.)
    kinds = list(dict.fromkeys(f.contract_type for f in findings if f.contract_type))
    if by_type and kinds:
        said = f" pour les marchés de {' et '.join([', '.join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)}"
    if findings[0].outcome == "depends":
        said += f" selon {' et '.join(unknown)}"
    return said + (f" ({' ; '.join(compared)})" if compared else "")


def lines(situation: Situation, found: dict[str, list[Finding]]) -> list[Line]:
    labels = {a["id"]: a["label"] for a in aspects()}
    also = {a["id"]: a.get("also", []) for a in aspects()}
    out: list[Line] = []
    for aspect, every in found.items():
        findings = [f for f in every if not f.without_amount]
        out += _rule_line(situation, aspect, findings, out, labels, also)
        # The cases the question describes where an article allows the same whatever the amount: after the rule an
        # amount decides, each its own line (« possible ici » there, whatever the line above concludes).
        out += [Line(aspect, [f], f"{labels.get(aspect, aspect)} — article {f.threshold.article} : "
                                  f"{_VERDICTS[modality(f)][f.outcome]}{_because([f], False)}.", quote(f.threshold))
                for f in every if f.without_amount]
    return out


def _rule_line(situation: Situation, aspect: str, findings: list[Finding], out: list[Line], labels: dict[str, str],
               also: dict[str, list[str]]) -> list[Line]:
    """An aspect's line from the rules an amount decides (and the line of the permission a duty closes, if any)."""
    lines_: list[Line] = []
    shown = _shown(findings, situation.lot_amount is not None)
    if not shown:
        return lines_
    first = shown[0]
    parts, quoted, shown, other_side = _conclusion(shown, findings)
    # An aspect that arises only if a possibility said above is not used (publicity, when the exemption applies).
    waived = [line for line in out if line.aspect in also.get(aspect, []) and modality(line.findings[0]) == "permission"
              and line.findings[0].outcome == "applies"]
    unless = (f"si vous n'usez pas de la possibilité ci-dessus ({labels[waived[0].aspect].lower()}), "
              if waived else "")
    article, source = first.threshold.article, None
    if first.excluded_by is not None:
        # The buyer is outside the part of the Code the rule belongs to: the article that says so is the rule here.
        article, source, quoted = first.excluded_by.article, (first.excluded_by.article, first.excluded_by.chunk_id), \
            [first.excluded_by.sentence]
    # (What a rule that does not apply anyway would also need is not asked: another of its conditions already fails.)
    unknown = list(dict.fromkeys(u for f in shown if f.outcome != "does-not-apply" for u in f.unknown))
    # The general rule applies unless the buyer is of a kind a derogation is written for: said, asked back, quoted.
    open_derogations = [f for f in findings if derogation(f.threshold) and f.outcome == "depends"
                        and not derogation(first.threshold) and f.threshold.article != first.threshold.article]
    if open_derogations:
        parts.append(f"sauf dérogation selon le type d'acheteur (article {open_derogations[0].threshold.article})")
        unknown += [u for f in open_derogations for u in f.unknown if u not in unknown]
    # A rule that applies, and the same article's rule for a case the question leaves open (« lorsque le titulaire
    # est une PME… »): said, asked back, quoted after it.
    cases = [f for f in findings if first.outcome == "applies" and f.outcome == "depends" and not f.threshold.bounds
             and f.threshold.article == first.threshold.article and f.threshold.effect not in
             {g.threshold.effect for g in shown}] if first.excluded_by is None else []
    if cases:
        parts.append(f"sauf cas particulier ci-dessous selon {' et '.join(dict.fromkeys(u.split(' (')[0] for f in cases for u in f.unknown))}")
        unknown += [u for f in cases for u in f.unknown if u not in unknown]
    text = f"{labels.get(aspect, aspect)} — article {article} : {unless}{' ; '.join(parts)}."
    lines_.append(Line(aspect, shown, text, quoted, [] if other_side else unknown, other_side, source, open_derogations,
                       cases))
    # A duty that applies (« passe son marché selon l'une des procédures formalisées ») answers a question on the alternative
    # only through the permission it rules out (« peut recourir à une procédure adaptée »): said too, from its own
    # article.
    closed = _closed_permission(first, findings, situation.lot_amount is not None)
    if closed is not None:
        lines_.append(Line(aspect, [closed], f"{labels.get(aspect, aspect)} — article {closed.threshold.article} : "
                                             f"{_VERDICTS['permission']['does-not-apply']}{_because([closed], False)}.",
                           quote(closed.threshold)))
    return lines_


def _conclusion(shown: list[Finding], findings: list[Finding]) -> tuple[list[str], list[str], list[Finding], Finding | None]:
    """What a line concludes (a verdict per outcome, with why), what it quotes, the findings it rests on, and the
    other article that carries the same duty above the European thresholds, if any."""
    by_type = len({f.contract_type for f in shown}) > 1
    first = shown[0]
    verdicts = _VERDICTS[modality(first)]
    parts = [f"{verdicts[outcome]}{_because(same, by_type)}" for outcome in _PRIORITY
             if (same := [f for f in shown if f.outcome == outcome])]
    quoted = quote(first.threshold)
    if not first.threshold.bounds:
        # A rule without an amount that adjusts the article's general one (« ce <délai> est ramené à <valeur> »): both
        # quoted, in the article's order.
        same = [f.threshold for f in findings if f.threshold.article == first.threshold.article
                and f.outcome == first.outcome and not f.threshold.bounds]
        quoted = list(dict.fromkeys(part for t in same for part in quote(t)))
    other_side = _other_side(shown, findings)
    if other_side is not None:
        # Below the European thresholds this article's duty, above them another article's: owed either way.
        shown = [replace(f, outcome="applies", unknown=[]) for f in shown]
        parts = [f"{verdicts['applies']}, quel que soit le montant des seuils européens : en dessous selon cet "
                 f"article, au-dessus selon l'article {other_side.threshold.article}{_because(shown, by_type)}"]
    others = next((c for c in first.threshold.conditions if c.kind == "autres-acheteurs"), None)
    if others is not None and modality(first) == "freedom" and first.outcome == "applies":
        # The rule for the buyers another article does not name, free where that article sets a form: what the buyer
        # asks is whether that form is owed.
        parts = [f"pas obligatoire ici sous la forme que l'article {others.article} impose aux acheteurs qu'il nomme, "
                 f"modalités libres{_because([first], by_type)}"]
    escaped = _escaped_duty(first, findings)
    if escaped is not None:
        # Free arrangements below an amount, a set form from it on (« 1° … librement adaptées ; 2° … un avis … est
        # publié »): what the buyer asks is whether that form is owed, so the line says it is not, and quotes it.
        parts = [f"pas obligatoire ici sous la forme que l'article impose {escaped[1]}, modalités libres"
                 f"{_because([first], by_type)}"]
        quoted = quoted + [escaped[0].threshold.effect]
    return parts, quoted, shown, other_side


def _closed_permission(first: Finding, findings: list[Finding], lot_asked: bool) -> Finding | None:
    if first.outcome != "applies" or modality(first) != "duty" or first.excluded_by is not None:
        return None
    closed = [f for f in findings if f.threshold.article != first.threshold.article and f.outcome == "does-not-apply"
              and modality(f) == "permission" and (lot_asked or f.threshold.subject_kind != "lot")]
    # A regulatory article (which gives the figures) before the law article it completes.
    return min(closed, key=lambda f: f.threshold.article.startswith("L"), default=None)


def _other_side(shown: list[Finding], findings: list[Finding]) -> Finding | None:
    """A duty that depends only on whether the purchase is below the European thresholds, and another article's
    duty for the same aspect above them (written for the purchases of formalised procedures, all of those above):
    that other article's finding, since the duty is owed whichever the thresholds' amount."""
    def only_european(f: Finding, comparisons: tuple[str, ...]) -> bool:
        return (f.outcome == "depends" and modality(f) == "duty" and f.unknown == [EUROPEAN_UNKNOWN]
                and any(b.refers_to == EUROPEAN and b.comparison in comparisons for b in f.threshold.bounds))
    if not shown or not all(only_european(f, ("lt", "le")) for f in shown):
        return None
    types = {f.contract_type for f in shown}
    for f in findings:
        if (f.threshold.article != shown[0].threshold.article and f.contract_type in types | {None}
                and only_european(f, ("ge", "gt"))
                and any("formalis" in b.written for b in f.threshold.bounds if b.refers_to == EUROPEAN)):
            return f
    return None


_FROM = {"ge": "à partir de", "gt": "au-delà de"}


def _escaped_duty(first: Finding, findings: list[Finding]) -> tuple[Finding, str] | None:
    """When the rule that applies leaves the how free, the duty of the same article (same passage) the amount stays
    under, with where it starts (« à partir de N € HT »)."""
    if modality(first) != "freedom" or first.outcome != "applies":
        return None
    for f in findings:
        if (f.threshold.article == first.threshold.article and f.threshold.chunk_id == first.threshold.chunk_id
                and modality(f) == "duty" and f.outcome == "does-not-apply"):
            start = next((b for b in f.threshold.bounds if b.amount is not None and b.comparison in _FROM), None)
            if start is not None:
                return f, f"{_FROM[start.comparison]} {french_number(start.amount)} €{' ' + start.tax if start.tax else ''}"
    return None


WITHOUT_AMOUNT = "Règles que le code fixe sans condition de montant"
EACH_POINT = " Pour chaque point, la règle du code est citée mot pour mot ; la comparaison avec votre montant est calculée par l'assistant."


YOUR_PURCHASE = "Votre achat"


def purchase_summary(framing_: list[str]) -> str:
    """A purchase as its checklist's framing reads it (amount, kind, duration, computed HT…), to head it among several:
    without what is said once for all, empty when it was read without an amount."""
    return " ".join(f.replace(EACH_POINT, "").replace(f"{YOUR_PURCHASE} : ", "") for f in framing_
                    if not f.startswith(WITHOUT_AMOUNT)).strip()


def framing(situation: Situation, types_matter: bool, buyer_scale: bool = False) -> list[str]:
    """The situation as read, first; `buyer_scale` when the amount is the buyer's purchases in a year, not one
    purchase's (the rules applied are the buyer's, such as the responsible-purchasing plan)."""
    if not situation.amount_given:
        said = [", ".join(situation.contract_types)] if situation.contract_types else []
        if situation.months is not None:
            said.append(f"durée de {situation.months:g} mois" if situation.months >= 1 else "durée de moins d'un mois")
        said += [b for b in (situation.listed_buyer or situation.other_buyer,) if b]
        what = f" ({', '.join(said)})" if said else ""
        return [f"{WITHOUT_AMOUNT}{what} : chacune est citée mot pour mot ; ce que votre question en précise est comparé "
                "par l'assistant."]
    said = [situation.amount_label]
    if situation.contract_types:
        said.append(", ".join(situation.contract_types))
    if situation.months is not None:
        months = situation.months
        said.append(f"durée de {months:g} mois" if months >= 1 else "durée de moins d'un mois")
    what = "Vos achats annuels" if buyer_scale else "La part sous-traitée" \
        if situation.subcontract_amount is not None and situation.subcontract_amount == situation.amount else YOUR_PURCHASE
    out = [f"{what} : {', '.join(said)}.{EACH_POINT}"]
    if situation.tax_basis:
        out.append(f"Montant hors taxes calculé par l'assistant avec le taux de TVA indiqué : {situation.tax_basis}.")
    if situation.total_basis:
        whole = ("les besoins de toutes vos unités" if units_counted_together(situation.text) else
                 "toutes les parties du besoin (lots, options, marchés d'une même opération)") if situation.parts else "tous les lots" if situation.per == "lot" \
            else "toute la durée du marché"
        # The rule that has it computed so is the checklist's first line (`valuation`), quoted and cited.
        out.append(f"Montant calculé par l'assistant sur {whole} : {situation.total_basis}.")
    if situation.modification_parts:
        parts = " + ".join(situation._label(part) for part in situation.modification_parts)
        out.append(f"Montant cumulé des modifications successives, calculé par l'assistant (l'article R2194-8 les fait "
                   f"additionner) : {parts} = {situation._label(situation.modification_amount)}.")
    if situation.buyer_amount is not None:
        said = situation.buyer_label
        out.append(f"{said[:1].upper()}{said[1:]} : chiffre de l'acheteur (budget ou dépenses de fonctionnement), "
                   "comparé aux seuils qui visent les acheteurs, non au montant du marché.")
    if situation.tax is None:
        out.append("Montant lu comme hors taxes : les seuils du code sont exprimés hors taxes.")
    if types_matter and len(situation.contract_types) != 1:
        out.append("Le type de marché (travaux, fournitures ou services) n'est pas précisé : les seuils qui en "
                   "dépendent sont donnés pour chacun.")
    return out


# What a line's conclusion may rest on that the buyer can tell (the start of the finding's `unknown`), and how to ask it.
_ASK_BACK = (("la durée", "La durée d'exécution n'est pas précisée"),
             ("le type de marché", "Le type de marché (travaux, fournitures ou services) n'est pas précisé"),
             ("la taille du titulaire", "La taille du titulaire (PME ou non) n'est pas précisée"),
             ("le montant de chaque lot", "Le montant de chaque lot n'est pas précisé"),
             ("la part de ces lots", "La part des petits lots dans la valeur totale n'est pas précisée"),
             ("le montant initial du marché", "Le montant initial du marché n'est pas précisé"),
             ("le montant de la part sous-traitée", "Le montant de la part sous-traitée n'est pas précisé"),
             ("votre montant exact hors taxes", "Le montant exact hors taxes n'est pas précisé"),
             ("votre montant hors taxes", "Le montant hors taxes n'est pas précisé"),
             ("le type d'acheteur", "Le type d'acheteur n'est pas précisé"))


def asked_back(lines_: list[Line]) -> list[str]:
    """For what the buyer did not say and a conclusion rests on: one line asking it, naming the points that depend on
    it (each line above gives both cases). What a purchase is made of is asked as aspects.yaml words it."""
    labels = {a["id"]: a["label"] for a in aspects()}
    contents = tuple(dict.fromkeys((c["unknown"], c["asked_back"]) for c in purchase_contents()))
    out = []
    for start, said in _ASK_BACK + contents:
        waiting = list(dict.fromkeys(labels.get(line.aspect, line.aspect).lower() for line in lines_
                                     if any(u.startswith(start) for u in line.depends_on)))
        if waiting:
            pronoun = "la" if said.endswith("précisée") else "le"
            out.append(f"{said} : précisez-{pronoun}, la conclusion en dépend ({', '.join(waiting)}) ; la condition de "
                       "la règle est citée ci-dessous.")
    return out


def segments(lines_: list[Line], evidence) -> list[Segment]:
    """One segment per line: its heading is the computed conclusion, its sentence the article's, quoted from the
    article's passage (`evidence(article, query)` returns it)."""
    out = []
    for line in lines_:
        article, chunk_id = line.source or (line.findings[0].threshold.article, line.findings[0].threshold.chunk_id)
        hits = [h for h in evidence(article, line.text) if h.chunk_id == chunk_id]
        if hits and all(part in hits[0].text for part in line.quote):
            # An item's closing « ; » and a lead-in's « : » are the enumeration's, not the quoted sentence's.
            out.append(Segment(line.text, line.text, hits[:1], sentences=[p.rstrip(" ;,:") for p in line.quote]))
            after = [(f"Au-dessus des seuils européens — article {line.other_side.threshold.article} :",
                      [line.other_side])] if line.other_side is not None else []
            if line.derogations:
                after.append((f"Dérogations selon l'acheteur — article {line.derogations[0].threshold.article} :",
                              [f for f in line.derogations if f.threshold.article == line.derogations[0].threshold.article]))
            if line.cases:
                after.append((f"Cas particulier — article {line.cases[0].threshold.article} :", line.cases))
            for heading, others in after:
                other = others[0].threshold
                there = [h for h in evidence(other.article, line.text) if h.chunk_id == other.chunk_id]
                said = list(dict.fromkeys(part for f in others for part in quote(f.threshold)))
                if there and all(part in there[0].text for part in said):
                    out.append(Segment(heading, line.text, there[:1], sentences=[p.rstrip(" ;,:") for p in said]))
    return out


def applications(lines_: list[Line], found: list[Application], evidence) -> list[Segment]:
    """After a duty that holds, the article of its chapter that says how it is carried out (« … en application de
    l'article R. 2112-10, ses clauses précisent : … »), quoted: what the buyer must then write."""
    out = []
    for line in lines_:
        first = line.findings[0]
        if first.outcome != "applies" or modality(first) != "duty":
            continue
        for application in (a for a in found if a.applies == first.threshold.article):
            there = [h for h in evidence(application.article, line.text) if h.chunk_id == application.chunk_id]
            if there and application.sentence in there[0].text:
                out.append(Segment(f"Mise en œuvre — article {application.article} :", line.text, there[:1],
                                   sentences=[application.sentence]))
    return out


def missing(lines_: list[Line]) -> list[str]:
    # A duty owed on both sides of the European thresholds still takes the form of one article or the other: which one
    # rests on their amount, which the documents lack.
    european = any(EUROPEAN_UNKNOWN in f.unknown for line in lines_ for f in line.findings if f.outcome == "depends") \
        or any(line.other_side for line in lines_)
    out = [EUROPEAN_MISSING] if european else []
    # A dispensation that does not apply says nothing of the duty it releases from: whether that duty applies rests on
    # conditions the checklist has not read (other paragraphs, other buyers, values set elsewhere).
    for line in lines_:
        first = line.findings[0]
        if modality(first) == "exemption" and first.outcome == "does-not-apply":
            out.append(f"La dispense de l'article {first.threshold.article} ne s'applique pas ici ; les documents lus ne "
                       "permettent pas de conclure pour autant que l'obligation dont elle dispense s'impose : ses "
                       "conditions ne sont pas vérifiées par l'assistant.")
    return out


def missing_values(shown: list[Threshold], table: list[Threshold]) -> list[str]:
    """What the documents lack of the thresholds quoted: the European thresholds (with the floor the indexed
    articles prove), a value left to a regulatory text the index does not hold."""
    out = []
    bounds = [b for t in shown for b in t.bounds if b.amount is None]
    if any(b.refers_to == EUROPEAN for b in bounds):
        floor = european_floor(table)
        out.append(EUROPEAN_MISSING if floor is None else
                   "Les documents ne donnent pas le montant des seuils européens (fixé par un avis annexé au code, "
                   f"absent des documents) ; ils sont seulement supérieurs à {french_number(floor.amount)} € HT "
                   f"(article {floor.article}).")
    if any(b.refers_to == "un texte réglementaire" for b in bounds):
        out.append("Les documents ne donnent pas la valeur fixée par voie réglementaire : le texte qui la fixe ne "
                   "figure pas dans les documents indexés.")
    return out


# A rule that says whether a duty arises (« l'acheteur accorde une avance… ») is followed in the Code by the one that
# says how much (« le montant de l'avance est fixé entre N % et M % … »): a buyer told the duty applies needs it.


def how_much(situation: Situation, lines_: list[Line], table: list[Threshold], evidence) -> list[Segment]:
    """For each duty that applies here, the sentences of its aspect's other articles that state a rate: those whose
    condition on the contract's duration the purchase meets (all of them when the duration is not said), the rate
    for small and medium firms only when the question speaks of one.

    Measured and removed: the small firms' minimum rate an article raises item by item for some buyers (« porté à :
    1° N % pour <acheteur> ; … dont les dépenses … sont supérieures à N millions d'euros ») computed for the buyer named
    (the State, a public body of the State, a local authority and its expenses), in a line of its own: it fired on
    counted questions of both situation sets and changed no aspect (they ask the advance's amount, which needs the
    contract's TTC amount)."""
    out = []
    labels = {a["id"]: a["label"] for a in aspects()}
    small_firm = bool(small_holder(situation.text))
    for line in lines_:
        first = line.findings[0]
        if first.outcome != "applies" or modality(first) != "duty":
            continue
        # (A derogation for other buyers says for whom, not how much: shown with the line when it may apply.)
        others = list(dict.fromkeys(t.article for t in table if t.aspect == line.aspect and t.article != first.threshold.article
                                    and not derogation(t)))
        for article in others:
            for hit in evidence(article, line.text)[:1]:
                chosen = [sentence for _, sentence in citable_sentences(hit.text)
                          if states(PERCENT, sentence) and duration_holds(sentence, situation.months) is not False
                          # a share a rule is conditioned on (« n'excède pas N % de la valeur totale ») is no rate
                          and not any(c.kind == "part" for c in _conditions(sentence))
                          and (small_firm or not SMALL_FIRM.search(fold_apostrophes(sentence)))]
                if chosen:
                    heading = f"{labels.get(line.aspect, line.aspect)} : montant — article {article} :"
                    out.append(Segment(heading, line.text, [hit], sentences=[c.rstrip(" ;,:") for c in chosen]))
    return out


_LIMIT_VERDICTS = {"exceeded": "plafond dépassé ici", "within": "plafond respecté ici", "depends": "plafond applicable ou non",
                   "short": "taux minimal non atteint ici", "reached": "taux minimal respecté ici",
                   "stated": "obligatoire ici", "lifted": "pas obligatoire ici", "allowed": "possible ici",
                   "holds": "applicable ici"}


def limit_segments(limits, evidence) -> list[Segment]:
    """One segment per limit the buyer's plan meets: the comparison computed (and said to be), then the article's
    sentence quoted word for word."""
    out = []
    for item in limits:
        limit = item.limit
        what = {"max": "Limite fixée par le code", "min": "Taux minimal fixé par le code"}.get(
            limit.rule, "Règle fixée par le code pour ce taux")
        heading = (f"{what} — article {limit.article} : {_LIMIT_VERDICTS[item.outcome]} "
                   f"({item.compared}).")
        quote = limit.quote or limit.sentence
        hits = [h for h in evidence(limit.article, heading) if h.chunk_id == limit.chunk_id and quote in h.text]
        if hits:
            # An item after its lead-in; a permission before the conditions the next sentences attach to it.
            lead = [c for c in limit.context if limit.rule != "beyond" and c in hits[0].text]
            after = [c for c in limit.context if limit.rule == "beyond" and c in hits[0].text]
            out.append(Segment(heading, heading, hits[:1], sentences=lead + [quote.rstrip(" ;,:")] + after))
    return out


# How the Code has the estimated value computed: several contracts of one works operation (R2121-5), homogeneous
# supplies or services bought in several contracts (R2121-6), the needs of a buyer's distinct units (R2121-2), else
# options, renewals and lots of one purchase (R2121-1).
_SEVERAL_CONTRACTS = re.compile(r"\bmarches\b|" + SEVERAL_CONTRACTS)


def paid_direct(situation: Situation, lines: list, evidence) -> list[Segment]:
    """When an aspect's rules measured the amount less the part subcontracted and paid directly, the article that has
    it so, quoted before them, the computation said to be the assistant's."""
    basis = situation.paid_direct_basis
    if basis is None:
        return []
    shown = {line.aspect for line in lines}
    out = []
    for aspect in aspects():
        article = aspect.get("less_paid_direct")
        if not article or aspect["id"] not in shown:
            continue
        heading = (f"{aspect['label']} : montant à comparer — article {article} : part sous-traitée payée directement "
                   f"déduite ici (calcul de l'assistant : {basis}).")
        out += _opening_rule(article, heading, evidence)
    return out


def _opening_rule(article: str, heading: str, evidence) -> list[Segment]:
    """The article's first sentence under `heading`: the rule by which the amount compared was computed."""
    for hit in evidence(article, heading)[:1]:
        sentences = [sentence for _, sentence in citable_sentences(hit.text)]
        if sentences:
            return [Segment(heading, heading, [hit], sentences=[sentences[0].rstrip(" ;,:")])]
    return []


def valuation(situation: Situation, evidence) -> list[Segment]:
    """When the amount compared was computed (parts added up, every period and renewal counted), the rule that has
    it computed so, quoted: the first line of the checklist, since every other rests on it."""
    if situation.total_basis is None:
        return []
    several = situation.parts and _SEVERAL_CONTRACTS.search(situation.text)
    kinds = situation.contract_types
    article = ("R2121-5" if kinds == ["travaux"] else "R2121-6" if kinds in (["fournitures"], ["services"]) else "R2121-1") \
        if several else "R2121-1"
    if situation.parts and units_counted_together(situation.text):
        article = "R2121-2"
    heading = f"Valeur estimée du besoin — article {article} : cumul obligatoire ici ({situation.total_basis})."
    return _opening_rule(article, heading, evidence)
