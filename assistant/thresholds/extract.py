"""Read the thresholds out of the Code's articles: what is compared, with which amount, for which contracts,
under which other conditions, and what follows — each linked to its article and its sentence.

Written from how the Code states a threshold, not from a list of known values:
- a comparison with an amount: « … inférieure à N euros hors taxes pour les marchés de X ou à M euros hors taxes
  pour les marchés de Y » (the second amount
  keeps the comparison of the first; the words after each amount say which contracts it is for);
- a comparison with a value the article only points to: « égale ou supérieure aux seuils européens figurant dans
  un avis annexé », « à un seuil fixé par voie réglementaire » — recorded without an amount, with where it lives;
- a value set for another article: « Le seuil à compter duquel … est fixé à N euros hors taxes », « Le
  montant … prévu à l'article L. 2111-3 est fixé à … » — which gives the law article's regulatory value;
- enumerations (« 1° … ; 2° … a) … ») keep the lead-in that says what follows from each item.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from assistant.index.lexical import cited_articles
from assistant.text.normalize import sha256_hex
from assistant.text.numbers import AMOUNT_NUMBER_PATTERN, WORD_NUMBERS, parse_amount
from assistant.text.sentences import citable_sentences, unglued
from assistant.thresholds.models import (Application, Bound, CaseWithoutAmount, Comparison, Condition, Exclusion, Threshold,
                                         CONTRACT_TYPES)

ASPECTS_PATH = Path(__file__).with_name("aspects.yaml")
LEGAL_DOC_TYPE = "procurement_law"
_A = "['’]"

# Comparisons as the Code writes them (on text folded to lower case without accents).
_COMPARATORS: tuple[tuple[str, Comparison], ...] = (
    (r"egale?s? ou superieure?s?", "ge"), (r"superieure?s? ou egale?s?", "ge"),
    (r"egale?s? ou inferieure?s?", "le"), (r"inferieure?s? ou egale?s?", "le"),
    (r"inferieure?s?", "lt"), (r"superieure?s?", "gt"),
)
_COMPARATOR = "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_COMPARATORS))
_TAX = r"(?:\s+(?P<tax>hors\s+taxes?|toutes\s+taxes\s+comprises|ht|ttc)\b)?"
_WORDNUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_FIGURE = (rf"(?P<num>{AMOUNT_NUMBER_PATTERN}|{_WORDNUM})\s*(?P<scale>millions?\s+d{_A}\s?|milliards?\s+d{_A}\s?)?"
           rf"euros?{_TAX}")
# A value the article names without giving it: the European thresholds (an annexed notice), the formalised-procedure
# thresholds (the same notice), a threshold or an amount set by the regulatory part.
_NAMED = (r"(?P<named>(?:un|le|les|l'|ces)?\s*(?:seuils?\s+europeens?[^,;:.]*?(?:avis|annexe)[^,;:.]*?code"
          r"|seuils?\s+europeens?(?:\s+applicables?)?|seuils?\s+de\s+(?:la\s+)?procedure\s+formalisee"
          r"|(?:seuil|montant)\s+fixe\s+par\s+voie\s+reglementaire))")
_BOUND = re.compile(rf"(?:{_COMPARATOR})\s+(?:a|au|aux|a\s+l')\s*(?:{_FIGURE}|{_NAMED})")
# « <marchés> passés selon une procédure formalisée », « en <procédure> formalisée »: a rule for the purchases the
# Code has passed in a formalised procedure, those at or above the European thresholds (R2124-1) — the same bound as
# « égale ou supérieure aux seuils européens », written through the procedure. Not « soit selon une procédure
# formalisée » (a list of the procedures) nor « un achat selon une procédure formalisée » (the obligations of one).
_FORMALISED = re.compile(r"(?P<proc>\bpasses?\s+selon\s+(?:une|l'une)\s+des\s+procedures\s+formalisees\b"
                         r"|\bpasses?\s+selon\s+une\s+procedure\s+formalisee\b)"
                         r"|(?:^|(?<=[.;:])\s*|\b(?:offres|candidatures)\s+\w+\s+)"
                         r"(?P<in>(?:en|dans\s+le\s+cadre\s+d')\s*(?:une\s+)?procedure\s+formalisee\b)")
# « … ou à 100 000 euros hors taxes » after a bound: the same comparison for another amount.
_ELIDED = re.compile(rf"^[^;:.]{{0,80}}?\b(?:ou|et)\s+a\s+(?:{_FIGURE})")
# « … et à N % du montant du marché initial pour les marchés de <type> … ou à M % … pour les marchés de <type> »
# after a bound: the same comparison with a share of the initial amount.
_SHARE_ELIDED = re.compile(r"^[^;:.]{0,80}?\b(?:ou|et)\s+a\s+(?P<pct>\d+(?:,\d+)?)\s*%\s+du\s+montant\s+(?:du\s+marche\s+)?initial"
                           r"(?:\s+du\s+marche)?")
_SET_AT = re.compile(rf"\b(?:seuil|montant)\b(?P<what>[^;]{{0,300}}?)\s+est\s+fixe\s+a\s+(?:{_FIGURE})")
_FROM_WHICH = re.compile(r"\b(?:a\s+compter|a\s+partir)\s+duquel\s+(?P<effect>.+?)\s+est\s+fixe\s+a\b")
# An item's mark, not a reference to one (« au b du 2° de l'article … », « le 3° du I »).
_ITEM = re.compile(r"(?:(?<=\s)|^)(?<!du\s)(?<!au\s)(?<!aux\s)(?<!le\s)(?<!et\s)(?<!ou\s)(?P<mark>\d+°|[a-h]\))\s")
_DURATION = re.compile(rf"(?P<what>duree|delai\s+d{_A}execution)[^,;.]{{0,40}}?\b(?:est\s+|soit\s+)?(?:{_COMPARATOR})\s+a\s+"
                       rf"(?P<n>\d+|{_WORDNUM})\s+(?P<unit>mois|ans?|annees?|jours)")
_BUYERS = re.compile(r"\b(?:l'etat|collectivites?\s+territoriales?|etablissements?\s+publics?\s+(?:locaux|local|de\s+l'etat|"
                     r"administratifs?)[^,;]*?|groupements?\s+de\s+collectivites(?:\s+territoriales)?|pouvoirs?\s+adjudicateurs?|"
                     r"entites?\s+adjudicatrices?|acheteurs\s+soumis\s+au\s+livre\s+iv|autorites\s+publiques\s+centrales|"
                     r"services\s+de\s+la\s+defense|ministere\s+de\s+la\s+defense)\b")
_SUBJECT = re.compile(r"(?:la\s+valeur\s+estimee(?:\s+hors\s+taxes?)?(?:\s+de\s+chaque\s+lot(?:\s+concerne)?|\s+du\s+besoin)?"
                      r"(?:\s+hors\s+taxes?)?|la\s+valeur|(?:le|son|un)\s+montant(?:\s+(?:initial|total|cumule|minimum|annuel))?"
                      r"(?:\s+annuel)?(?:\s+(?:d'|du\s+|de\s+la\s+|de\s+ces\s+|des\s+)[a-z' -]{3,40}?)?|les\s+depenses\s+reelles\s+de\s+fonctionnement"
                      r"|les\s+charges\s+de\s+fonctionnement|un\s+besoin\s+d'un\s+montant)(?=\s|$)")
# « conclus en application de l'article <X> »: the rule holds for contracts passed under another article; in that
# article's chapter, « … en application de l'article <X>, ses clauses précisent … » gives that article's terms.
_UNDER_ARTICLE = re.compile(r"en\s+application\s+de\s+l'article\s+(?P<applied>[lrd]\.\s?\d{4}-\d+(?:-\d+)?)")
_MONTHS = {"mois": 1.0, "an": 12.0, "ans": 12.0, "annee": 12.0, "annees": 12.0, "jours": 1 / 30}
# « Le montant cumulé de ces lots n'excède pas N % de la valeur totale estimée de tous les lots »: the lots a rule is for
# may weigh that share of the whole at most.
_PART = re.compile(r"montant\s+cumule\s+de\s+ces\s+lots\s+n['’]excede\s+pas\s+(?P<n>\d+(?:,\d+)?)\s*%\s+de\s+la\s+valeur\s+totale"
                   r"[^;.]*")
# « qui remplissent la condition prévue au b du 2° de l'article R. 2123-1 »: another article's condition, read there.
_CONDITION_ELSEWHERE = re.compile(r"condition\s+prevue\s+au\s+[a-h]\s+du\s+\d+°\s+de\s+l['’]article\s+[lrd]\.\s?\d{4}-\d+(?:-\d+)?")
# « ou pour les lots dont le montant est inférieur à ces montants »: the same amounts, for each lot instead of the need.
_LOTS_UNDER_THESE = re.compile(r"\bpour\s+(?P<subject>les\s+lots\s+dont\s+le\s+montant)\s+est\s+inferieure?s?\s+a\s+ces\s+"
                               r"montants\b")


# « Lorsque le titulaire … est une petite ou moyenne entreprise »: a rule for small firms only.
_SMALL_FIRM_HOLDER = re.compile(r"\blorsque\s+le\s+titulaire\s+(?:du\s+marche\s+)?(?:public\s+)?(?:ou\s+son\s+sous-traitant\s+[^,]*?)?"
                                r"est\s+une\s+petite\s+ou\s+moyenne\s+entreprise")
# « s'agit d'un marché de <type> »: a rule for one kind of contract, in a rule without an amount
# (with an amount, the words after it say which contracts it is for).
_OF_KIND = re.compile(r"\bs'agit\s+d'un\s+marche\s+de\s+(?:travaux|fournitures|services)\b")
# Measured and removed: « dont la procédure donne lieu à la publication d'un avis … » read as a condition the buyer's
# procedure decides (met by a formalised procedure, else asked): situations.yaml lost one aspect on each half,
# situations_multi's counted half one (one contradiction fewer), the development situations two.


# « les acheteurs autres que ceux mentionnés à l'article R. <…> »: a rule for the buyers another article's rule does not
# name (that one written for the State and local authorities, this one for every other buyer).
_OTHER_BUYERS = re.compile(r"\bacheteurs\s+autres\s+que\s+ceux\s+mentionnes\s+a\s+l'article\s+[lrd]\.\s?\d{4}-\d+(?:-\d+)?")


# « Chapitre … : Règles applicables aux procédures formalisées »: a document (a chapter of the Code) for those procedures.
_FORMALISED_CHAPTER = re.compile(r"\bprocedures\s+formalisees\b")


_STATED_VALUE = re.compile(rf"\b(?:\d+|{_WORDNUM})\s+(?:mois|jours|ans|annees)\b|\d\s*%")
# (« y compris lorsqu'ils agissent … » widens a rule: no condition.)
_UNREAD_CONDITION = re.compile(r"(?<!y\scompris\s)\b(?:lorsqu|si\b|sauf\b|en\s+cas\b|dans\s+le\s+cas\b|a\s+condition\b)")


def flat(text: str) -> str:
    """Lower case without accents, one character for one (« œ » stays): spans found in it cut the text itself."""
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text.lower()).replace("’", "'")


def _comparison(match: re.Match) -> Comparison:
    return next(_COMPARATORS[i][1] for i in range(len(_COMPARATORS)) if match.group(f"c{i}"))


def _number(num: str) -> float:
    return float(WORD_NUMBERS[num]) if num in WORD_NUMBERS else parse_amount(num, "€")


def _figure_bound(match: re.Match, comparison: Comparison, written: str) -> Bound:
    amount = _number(match.group("num"))
    if match.group("scale"):
        amount *= 1_000_000_000 if match.group("scale").startswith("milliard") else 1_000_000
    tax = match.group("tax")
    return Bound(comparison=comparison, written=written, amount=amount,
                 tax=None if not tax else ("HT" if tax.startswith(("h", "ht")) else "TTC"))


def _named_where(named: str) -> str:
    if "europeen" in named or "procedure formalisee" in named:
        return "un avis annexé au code (seuils européens)"
    return "un texte réglementaire"


def _contract_types(after: str) -> list[str]:
    """« pour les marchés de fournitures ou de services » right after an amount: the contracts it is for."""
    head = re.match(r"\s*pour\s+(?:les\s+marches\s+de\s+|des\s+|les\s+)?(?P<what>[^,;]*)", after)
    if not head:
        return []
    what = re.split(r"\s+ou\s+a\s+|\s+ou\s+pour\s+|\s+et\s+qui\s+", head.group("what"))[0]
    return [t for t in CONTRACT_TYPES if re.search(rf"\b{t}\b", what)]


def _kind(subject: str, window: str) -> str:
    """What kind of amount is compared: the purchase's, a lot's, a subcontract's, a modification's, the buyer's…"""
    if "lot" in subject or re.search(r"\blots?\b", window[-60:]):
        return "lot"
    if "sous-trait" in window:
        return "sous-traitance"
    if "modification" in subject:
        return "modification"
    if "fonctionnement" in subject or "achats" in subject or "acheteurs" in window[-50:]:
        return "acheteur"
    if "minimum" in subject:
        return "accord-cadre"
    if subject or re.search(r"\b(?:besoin|marche)s?\b", window):
        return "besoin"
    return "autre"


def _subject(clause: str, folded: str, start: int, end: int) -> str | None:
    """What the article compares, as written: the last noun phrase of `folded[start:end]` (None when there is none).
    flat() keeps lengths, so the span read in the folded clause is cut from the clause itself."""
    found = list(_SUBJECT.finditer(folded, start, end))
    return clause[found[-1].start():found[-1].end()] if found else None


def _bounds(clause: str) -> list[tuple[int, int, Bound]]:
    """Every side of a threshold the clause states, with its span in the folded clause."""
    folded = flat(clause)
    found: list[tuple[int, int, Bound]] = []
    for match in _BOUND.finditer(folded):
        comparison = _comparison(match)
        written = clause[match.start("num") if match.group("num") else match.start("named"):match.end()].strip()
        if match.group("named"):
            named = match.group("named")
            bound = Bound(comparison=comparison, written=written.strip(), refers_to=_named_where(named))
        else:
            bound = _figure_bound(match, comparison, written)
            bound.contract_types = _contract_types(folded[match.end():])
        found.append((match.start(), match.end(), bound))
        # « … ou à 100 000 euros hors taxes pour les marchés de travaux »: same comparison, another amount.
        rest, offset = folded[match.end():], match.end()
        while (elided := _ELIDED.match(rest)) is not None:
            start, end = offset + elided.start("num"), offset + elided.end()
            bound = _figure_bound(elided, comparison, clause[start:end].strip())
            bound.contract_types = _contract_types(folded[end:])
            found.append((start, end, bound))
            rest, offset = folded[end:], end
        # « … et à 10 % du montant du marché initial pour … »: the same comparison, a share of the initial amount.
        while (share := _SHARE_ELIDED.match(rest)) is not None:
            start, end = offset + share.start("pct"), offset + share.end()
            found.append((start, end, Bound(comparison=comparison, written=clause[start:end].strip(),
                                            share=float(share.group("pct").replace(",", ".")),
                                            contract_types=_contract_types(folded[end:]))))
            rest, offset = folded[end:], end
    for match in _FORMALISED.finditer(folded):
        group = "proc" if match.group("proc") else "in"
        start, end = match.start(group), match.end(group)
        found.append((start, end, Bound(comparison="ge", written=clause[start:end],
                                        refers_to=_named_where("procedure formalisee"))))
    return sorted(found, key=lambda f: f[0])


def _conditions(text: str) -> list[Condition]:
    folded = flat(text)
    conditions = []
    for match in _DURATION.finditer(folded):
        n = match.group("n")
        unit = match.group("unit")
        months = (float(WORD_NUMBERS.get(n, 0)) if not n.isdigit() else float(n)) * _MONTHS.get(unit, 1.0)
        conditions.append(Condition(kind="duree", text=text[match.start():match.end()], comparison=_comparison(match),
                                    months=months or None))
    for match in _UNDER_ARTICLE.finditer(folded):
        conditions.append(Condition(kind="article", text=text[match.start():match.end()],
                                    article=cited_articles(text[match.start():match.end()])[0]))
    for match in _BUYERS.finditer(folded):
        conditions.append(Condition(kind="acheteur", text=text[match.start():match.end()]))
    for match in _PART.finditer(folded):
        conditions.append(Condition(kind="part", text=text[match.start():match.end()].strip(), comparison="le",
                                    share=float(match.group("n").replace(",", "."))))
    for match in _SMALL_FIRM_HOLDER.finditer(folded):
        conditions.append(Condition(kind="titulaire", text=text[match.start():match.end()]))
    for match in _OF_KIND.finditer(folded):
        conditions.append(Condition(kind="type", text=text[match.start():match.end()],
                                    contract_types=[t for t in CONTRACT_TYPES if t in match.group(0)]))
    for kind in buyer_kinds():
        for match in kind["_article"].finditer(folded):
            if not re.search(r"\bautres?\s+que\s+(?:les\s+|l')?$", folded[max(0, match.start() - 20):match.start()]):
                conditions.append(Condition(kind="acheteur-vise", text=text[match.start():match.end()],
                                            buyer_kind=kind["id"]))
                break
    for content in purchase_contents():
        for match in content["_article"].finditer(folded):
            conditions.append(Condition(kind="contenu", text=text[match.start():match.end()], content=content["id"]))
    for match in _OTHER_BUYERS.finditer(folded):
        conditions.append(Condition(kind="autres-acheteurs", text=text[match.start():match.end()],
                                    article=cited_articles(text[match.start():match.end()])[0]))
    for match in _CONDITION_ELSEWHERE.finditer(folded):
        conditions.append(Condition(kind="renvoi", text=text[match.start():match.end()],
                                    article=cited_articles(text[match.start():match.end()])[0]))
    return conditions


@lru_cache(maxsize=1)
def aspects() -> list[dict[str, Any]]:
    """The aspects of a purchase a threshold decides (data: aspects.yaml), with compiled patterns."""
    data = yaml.safe_load(ASPECTS_PATH.read_text(encoding="utf-8"))["aspects"]
    for aspect in data:
        aspect["_patterns"] = [re.compile(p) for p in aspect["patterns"]]
        aspect["_asked"] = [re.compile(p) for p in aspect["asked"]]
    return data


def _named_both_ways(key: str) -> list[dict[str, Any]]:
    """Entries of aspects.yaml named by an article's words (`article`) and a question's (`question`), compiled."""
    data = yaml.safe_load(ASPECTS_PATH.read_text(encoding="utf-8"))[key]
    for entry in data:
        entry["_article"], entry["_question"] = re.compile(entry["article"]), re.compile(entry["question"])
        entry["_not_question"] = re.compile(entry["not_question"]) if entry.get("not_question") else None
    return data


@lru_cache(maxsize=1)
def purchase_contents() -> list[dict[str, Any]]:
    """What a purchase may be made of, as a rule's condition (data: aspects.yaml)."""
    return _named_both_ways("purchase_contents")


@lru_cache(maxsize=1)
def buyer_families() -> list[dict[str, Any]]:
    """The State's and the local authorities' families of buyers, which rules are written for apart (aspects.yaml)."""
    return _named_both_ways("buyer_families")


@lru_cache(maxsize=1)
def buyer_kinds() -> list[dict[str, Any]]:
    """The kinds of buyer an article may write a rule for (data: aspects.yaml)."""
    return _named_both_ways("buyer_kinds")


def aspect_of(*texts: str) -> dict[str, Any] | None:
    """The aspect the first of `texts` that names one decides (a clause, then its lead-in, then the article)."""
    for text in texts:
        # The name of a threshold the article points to is not what follows from it.
        folded = _FORMALISED.sub(" ", re.sub(_NAMED, " ", flat(text)))
        for aspect in aspects():
            if any(p.search(folded) for p in aspect["_patterns"]):
                return aspect
    return None


def _clauses(sentence: str, carried: str = "") -> list[tuple[str, str]]:
    """An enumerated sentence as (clause, what leads to it): « L'acheteur peut … : 1° … ; 2° … a) … ». A sentence
    that starts with an item continues the enumeration of an earlier one: `carried` is that one's lead-in."""
    marks = list(_ITEM.finditer(sentence))
    if not marks:
        return [(sentence, "")]
    lead = sentence[:marks[0].start()].strip() or carried
    out, parent = [], lead
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sentence)
        clause = sentence[mark.start():end].strip()
        if mark.group("mark").endswith("°"):
            parent = f"{lead} {clause}"
            out.append((clause, lead))
        else:
            out.append((clause, parent))
    if lead and _BOUND.search(flat(lead)):
        out.insert(0, (lead, ""))
    return out


def threshold_id(article: str, sentence: str, n: int) -> str:
    return f"{article}-{sha256_hex(sentence)[:6]}-{n}"


def law_article(row: dict[str, Any], typed: bool = True) -> str | None:
    """The Code article a catalog row is (« R2122-8 »), or None; `typed`: its document must be the law's."""
    article = row.get("article_id") or row.get("locator") or ""
    if (typed and row.get("doc_type") != LEGAL_DOC_TYPE) or not re.fullmatch(r"[LRD]\d{4}-\d+(?:-\d+)?", article):
        return None
    return article


def extract_article(row: dict[str, Any]) -> list[Threshold]:
    """The thresholds one article states (row: a catalog chunk of a law document, `locator` = article id)."""
    article = law_article(row, typed=False)
    if article is None:
        return []
    text = row["text"]
    sentences = [piece for _, s in citable_sentences(text) for piece in unglued(s)]
    found: list[Threshold] = []
    carried = ""
    items: dict[str, list[str]] = {}  # the items of each enumeration, by its lead-in
    for sentence in sentences:
        clauses = _clauses(sentence, carried)
        for clause, lead in clauses:
            if lead:
                items.setdefault(lead, []).append(clause)
        carried = clauses[-1][1] if len(clauses) > 1 or clauses[0][1] else ""
        for clause, lead in clauses:
            folded = flat(clause)
            bounds = _bounds(clause)
            from_lead = bool(lead) and not bounds and _FORMALISED.search(flat(lead)) is not None
            if from_lead:
                # « Pour les marchés passés selon une des procédures formalisées <…> : 1° … ; 2° … »: each item is for them.
                bounds = [(0, 0, bound) for *_, bound in _bounds(lead) if bound.refers_to and bound.comparison == "ge"]
            set_at = _SET_AT.search(folded)
            if set_at and not bounds:
                # « Le seuil à compter duquel … est fixé à … »: the rule starts at that value; « Le montant … prévu à
                # l'article L. 2111-3 est fixé à … »: the value of another article's threshold (`resolve` gives it that
                # article's comparison and subject).
                effect = _FROM_WHICH.search(folded)
                if "seuil" not in folded and not effect and not cited_articles(clause):
                    continue  # « Le montant de l'indemnité … est fixé à 40 euros »: an amount, not a threshold
                start = set_at.start("num")
                bound = _figure_bound(set_at, "ge", clause[start:set_at.end()].strip())
                what = effect.group("effect") if effect else set_at.group("what")
                subject = _subject(clause, folded, set_at.start("what"), set_at.end("what"))
                groups = [(subject or "le montant", _kind("", what), [bound])]
            elif not bounds:
                # A rule of an aspect the Code decides by other conditions than an amount (a duration, a kind of
                # contract, a small firm holding it), or by none: kept with the conditions it states.
                aspect = aspect_of(clause, lead, text[:text.find(sentence)])
                others = [c for c in _conditions(f"{lead} {clause}") if c.kind == "autres-acheteurs"]
                # The rule for the buyers another article's amounts do not measure is read whatever its aspect: without
                # it, a question naming such a buyer would get no rule at all.
                if aspect is None or not (aspect.get("conditional") or others):
                    continue
                read = [c for c in _conditions(f"{lead} {clause}")
                        if c.kind in ("duree", "titulaire", "type", "acheteur-vise", "autres-acheteurs", "contenu")]
                # Without a condition read, only a rule that states none and sets a value (« fixée au maximum à trois
                # mois »): an item of « dans l'un des cas suivants » or a « lorsque » left unread would apply everywhere,
                # and a sentence that only names the aspect decides nothing.
                if not read and (lead or _UNREAD_CONDITION.search(folded) or not _STATED_VALUE.search(folded)):
                    continue
                # What decides is the condition (« <durée> <comparaison> à N <unité> »), or the rule itself. A chapter
                # written for the formalised procedures (its title says so) holds rules for their contracts only.
                chapter = _FORMALISED_CHAPTER.search(flat(row.get("title") or ""))
                groups = [(read[0].text if read else clause, "besoin",
                           [Bound(comparison="ge", written=f"{row.get('title')}".split(" : ")[-1].lower(),
                                  refers_to=_named_where("procedure formalisee"))] if chapter else [])]
            else:
                # Bounds on the same subject make one threshold (« égale ou supérieure à 90 000 euros et inférieure aux
                # seuils… »); a new subject starts another (« …du besoin est supérieure aux seuils…, la valeur de
                # certains lots est inférieure à… »).
                groups, previous_end = [], 0
                for start, end, bound in bounds:
                    subject = _subject(clause, folded, previous_end, start)
                    if subject is None and groups:
                        groups[-1][2].append(bound)
                    else:
                        # A rule for the contracts of a formalised procedure compares them by that procedure.
                        named = bound.written if _FORMALISED.search(flat(bound.written)) else "le montant"
                        groups.append((subject or named, _kind(flat(subject or ""), flat(lead) if from_lead
                                                               else folded[:start]), [bound]))
                    previous_end = end
            # A sentence that goes on from the previous one (« Ces dispositions sont également applicables… ») decides
            # what the article decided before it; an item of an enumeration, only what its own lead-in says.
            aspect = aspect_of(clause, lead, text[:text.find(sentence)])
            conditions = _conditions(f"{lead} {clause}")
            # A lot's threshold listed beside the condition on the lots' share (« a) … b) … »): both hold together.
            parts = [c for c in _conditions(sentence) if c.kind == "part"]
            lots_under = _LOTS_UNDER_THESE.search(folded)
            if lots_under and groups:
                # The same amounts again, for each lot, under the conditions written after them.
                later = _conditions(clause[lots_under.start():])
                lots_subject = clause[lots_under.start("subject"):lots_under.end("subject")]
                groups.append((lots_subject, "lot", [b.model_copy(update={"comparison": "lt"}) for b in groups[-1][2]]))
            for subject, kind, group in groups:
                if lots_under and subject == lots_subject:
                    own = later
                else:
                    own = [c for c in conditions if not (lots_under and c.kind == "renvoi")]
                    own += [c for c in parts if kind == "lot" and c not in own]
                found.append(Threshold(
                    id=threshold_id(article, sentence, len(found)), article=article,
                    aspect=aspect["id"] if aspect else None, aspect_label=aspect["label"] if aspect else None,
                    subject=subject, subject_kind=kind, bounds=group, conditions=own,
                    effect=clause, sentence=sentence, lead=lead, chunk_id=row["chunk_id"],
                    source=row.get("source") or "", doc_title=row.get("title") or "",
                    audience=row.get("audience") or "public",
                ))
    # An item with an amount is one case of its enumeration: the items that set none are the other cases, where the rule
    # holds whatever the amount (« n'est pas tenu de … : 1° <cas> ; … 6° <cas> inférieur à N euros »).
    decided = {t.effect for t in found}
    return [t.model_copy(update={"alternatives": [c for c in items.get(t.lead, []) if c not in decided]})
            if t.lead and any(b.amount is not None for b in t.bounds) else t for t in found]


def resolve(thresholds: list[Threshold]) -> list[Threshold]:
    """Give a law article's « seuil fixé par voie réglementaire » the values its regulatory article sets: the
    regulatory article cites it (« Le seuil prévu à l'article L. 2193-10 … est fixé à 600 euros ») or, as the
    Code is written, decides the same aspect in the same chapter (L2112-1 -> R2112-1). A regulatory article that only
    sets the value (« … est fixé à … ») takes the law article's comparison, subject and aspect."""
    figures = [t for t in thresholds if t.article[0] in "RD" and all(b.amount is not None for b in t.bounds)]
    adopted: set[str] = set()
    for law in thresholds:
        resolved: list[Bound] = []
        for bound in law.bounds:
            if bound.amount is not None or bound.refers_to != "un texte réglementaire":
                resolved.append(bound)
                continue
            chapter = law.article[1:5]
            match = next((t for t in figures if law.article in cited_articles(t.sentence)), None) or next(
                (t for t in figures if t.article[1:5] == chapter and t.aspect and t.aspect == law.aspect), None)
            if match is None:
                resolved.append(bound)
                continue
            if match.id not in adopted and not _BOUND.search(flat(match.effect)):
                # It only sets the value: the law's first statement says how it applies (its later ones, the other side).
                adopted.add(match.id)
                match.subject, match.subject_kind = law.subject, law.subject_kind
                match.aspect, match.aspect_label = match.aspect or law.aspect, match.aspect_label or law.aspect_label
                for given in match.bounds:
                    given.comparison = bound.comparison
            law.aspect, law.aspect_label = law.aspect or match.aspect, law.aspect_label or match.aspect_label
            for given in match.bounds:
                resolved.append(bound.model_copy(update={
                    "amount": given.amount, "tax": given.tax, "contract_types": given.contract_types,
                    "refers_to": f"article {match.article}",
                    "written": f"{bound.written} ({given.written}, article {match.article})"}))
        law.bounds = resolved
    # « la condition prévue au b du 2° de l'article R. 2123-1 »: the share of the lots that article sets.
    for threshold in thresholds:
        for i, condition in enumerate(threshold.conditions):
            if condition.kind == "renvoi":
                there = next((c for t in thresholds if t.article == condition.article for c in t.conditions
                              if c.kind == "part"), None)
                if there is not None:
                    threshold.conditions[i] = there
    return thresholds


def extract_rows(rows: Iterable[dict[str, Any]]) -> list[Threshold]:
    """Every threshold of the law chunks among `rows` (catalog rows with their document's type), resolved."""
    found: list[Threshold] = []
    for row in rows:
        if row.get("doc_type") == LEGAL_DOC_TYPE:
            found.extend(extract_article(row))
    return resolve(found)


# « Les acheteurs mentionnés à l'article <R…> ne sont pas soumis aux dispositions du présent <chapitre|titre>, à
# l'exception de celles des articles <…> »: the article numbers the part (its chapter: the number before the dash; its
# title: the first three digits), so the part excluded is read from the article's own number.
_EXCLUDED = re.compile(r"acheteurs\s+mentionnes\s+a\s+l'article\s+(?P<who>[lr]\.\s?\d{4}-\d+)\s+ne\s+sont\s+pas\s+soumis\s+aux\s+"
                       r"dispositions\s+du\s+present\s+(?P<part>chapitre|titre)(?P<kept>,\s+a\s+l'exception\s+de\s+celles\s+des?\s+"
                       r"articles?\s+[^;]*)?")


def extract_exclusions(rows: Iterable[dict[str, Any]]) -> list[Exclusion]:
    """The parts of the Code an article puts some buyers outside of."""
    found = []
    for row in rows:
        article = law_article(row)
        if article is None:
            continue
        for sentence in (s for _, s in citable_sentences(row["text"])):
            match = _EXCLUDED.search(flat(sentence))
            if match is None:
                continue
            number = article.split("-")[0]
            found.append(Exclusion(article=article, sentence=sentence, chunk_id=row["chunk_id"],
                                   buyers_article=cited_articles(sentence[match.start("who"):match.end("who")])[0],
                                   prefix=number if match.group("part") == "chapitre" else number[:4],
                                   kept=cited_articles(sentence[match.start("kept"):match.end("kept")])
                                   if match.group("kept") else []))
    return found


def extract_applications(rows: Iterable[dict[str, Any]]) -> list[Application]:
    """The articles that say how another article of their chapter is carried out. (An article of another chapter that
    refers to one, the payment delay of an advance, is a rule of its own subject, not the terms of that one.)"""
    found = []
    for row in rows:
        article = law_article(row)
        if article is None:
            continue
        for sentence in (piece for _, s in citable_sentences(row["text"]) for piece in unglued(s)):
            match = _UNDER_ARTICLE.search(flat(sentence))
            if match is None:
                continue
            applied = cited_articles(sentence[match.start("applied"):match.end("applied")])[0]
            if applied != article and applied.split("-")[0] == article.split("-")[0]:
                found.append(Application(article=article, applies=applied, sentence=sentence, chunk_id=row["chunk_id"]))
    return found


# Where an item names another article (« mentionnés à l'article L. 411-2 du code de … »): not what the case is.
_REFERENCE = re.compile(r"\b(?:mentionne|defini|prevu|vise)\w*\s+a\s+l'article\s+[^,;]*")
# What a case says is not so (« sans objectif de rentabilité », « qu'il ne pouvait pas prévoir »), up to the next
# punctuation: a question writing those words does not describe the case.
_NEGATED_SPAN = re.compile(r"(?:\b(?:ne|sans|aucune?)\b|\bn')[^,;:.]*")
# The contracts an article keeps a case for (« un marché de travaux ou de services sans publicité … »).
_CASE_TYPES = re.compile(r"\bmarche\s+(?:public\s+)?de\s+(travaux|fournitures|services)(?:\s+ou\s+de\s+(travaux|fournitures|services))?")
# A word tells a case apart when few passages write it (« urgence », « impérieuse », « artistique »; not « procédure »,
# « délais » or « acquisition », which any purchase may write).
CASE_RARITY = 0.03
CASE_WORDS_MIN = 2  # distinct words of a case the question must write for its purchase to be that case
# Nor a word of the other documents' everyday vocabulary, which questions write for other reasons (« fabriqué »,
# « développement », « performance » in a tenth of the press's passages or more).
PRESS_COMMON = 0.10
PRESS_SAMPLE = 5000  # passages read to tell the other documents' everyday words (a share needs no more)


def _counts(texts: Iterable[str], words: Callable[[str], set[str]] | None = None) -> dict[str, int]:
    seen: dict[str, int] = {}
    for text in texts:
        for word in (words or case_words)(text):
            seen[word] = seen.get(word, 0) + 1
    return seen


def _rare_words(rows: list[dict[str, Any]], share: float) -> set[str]:
    return {w for w, n in _counts(r["text"] for r in rows).items() if n <= share * len(rows)}


def _common_words(rows: list[dict[str, Any]], share: float) -> set[str]:
    sample = rows[:: max(1, len(rows) // PRESS_SAMPLE)]
    plain = _counts((r["text"] for r in sample), lambda text: {w[:6] for w in re.findall(r"[a-z]{6,}", flat(text))})
    return {w for w, n in plain.items() if n > share * len(sample)}


# A case another text sets in the Code (« dans les cas fixés par décret ») is read there, not in the sentence pointing to it.
_CASES_ELSEWHERE = re.compile(r"\bfixes?\s+par\s+decret\b|\bpar\s+voie\s+reglementaire\b")
# A sentence capping what other articles allow (« Le montant de la modification prévue aux articles <…> ne peut être
# supérieur à 50 % »): their cases hold only up to that amount.
_CAPS = re.compile(r"\bne\s+peu(?:t|vent)\s+(?:etre\s+superieure?s?|exceder)\b")


_GRANT = re.compile(r"(?:(?<!\bne\s)(?<!\bn')\bpeu(?:t|vent)\s+decider\s+de\s+ne\s+pas|(?<!\bne\s)(?<!\bn')\bpeu(?:t|vent)|"
                    r"\bn.(?:est|sont)\s+pas\s+tenue?s?\s+d(?:e\s+|')?)\s*(?P<verb>\w+)")


def _granted(text: str) -> set[str]:
    """The verbs a rule allows or releases from (« peut passer » -> passer, « n'est pas tenu d'organiser » ->
    organiser)."""
    return {m.group("verb") for m in _GRANT.finditer(flat(text))}


def case_words(text: str) -> set[str]:
    """The words of a text (six letters or more, cut to six), read as a case is matched: folded, without the
    consequence's own words (the aspect's patterns), what it names by reference or what it negates."""
    kept = flat(text).replace("œ", "oe")
    for aspect in aspects():
        for pattern in aspect["_patterns"]:
            kept = pattern.sub(" ", kept)
    kept = _NEGATED_SPAN.sub(" ", _REFERENCE.sub(" ", kept))
    return {w[:6] for w in re.findall(r"[a-z]{6,}", kept)}


def extract_cases(rows: Iterable[dict[str, Any]], thresholds: list[Threshold]) -> list[CaseWithoutAmount]:
    """The cases where an article allows or releases whatever the amount what another allows or releases below one
    (R2122-3's unique work of art beside R2122-8's amounts): in the articles that set no threshold (the items without
    an amount of those that do are their `alternatives`), nor have their cases capped by another. One per item of an
    enumeration, else the sentence; each with the words that tell it apart from the rest of the Code."""
    decided_by_amount = {t.article for t in thresholds}
    # What each aspect's rules with an amount allow or release from (« peut passer », « n'est pas tenu d'organiser »):
    # a case of the same aspect granting something else (« le titulaire peut refuser l'avance ») is another rule.
    granted = {(t.aspect, g) for t in thresholds if t.aspect and any(b.amount is not None for b in t.bounds)
               for g in _granted(t.lead or t.effect)}
    law, others = [], []
    for row in rows:
        (law if law_article(row) else others).append(row)
    rare = _rare_words(law, CASE_RARITY) - _common_words(others, PRESS_COMMON)
    capped = {a for row in law for _, s in citable_sentences(row["text"]) if _CAPS.search(flat(s)) for a in cited_articles(s)}
    found: list[CaseWithoutAmount] = []
    for row in law:
        article = law_article(row)
        if article in decided_by_amount or article in capped:
            continue
        carried = ""
        for sentence in (piece for _, s in citable_sentences(row["text"]) for piece in unglued(s)):
            clauses = _clauses(sentence, carried)
            carried = clauses[-1][1] if len(clauses) > 1 or clauses[0][1] else ""
            for clause, lead in clauses:
                ruling = flat(lead or clause)
                aspect = aspect_of(lead or clause)
                if aspect is None or not any((aspect["id"], g) in granted for g in _granted(lead or clause)) \
                        or _CASES_ELSEWHERE.search(ruling) or _bounds(clause) or (lead and _bounds(lead)):
                    continue
                words = sorted(case_words(clause) & rare)
                if len(words) < CASE_WORDS_MIN:
                    continue
                kinds = _CASE_TYPES.search(ruling)
                found.append(CaseWithoutAmount(
                    id=threshold_id(article, sentence, len(found)), article=article, aspect=aspect["id"],
                    aspect_label=aspect["label"], case=clause.strip(), lead=lead, sentence=sentence, words=words,
                    contract_types=[k for k in kinds.groups() if k] if kinds else [], chunk_id=row["chunk_id"],
                    audience=row.get("audience") or "public"))
    return found
