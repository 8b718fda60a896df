"""Article ids of the clause library resolved to their text in the index (Code, CCAG-FCS)."""

from __future__ import annotations

from assistant.grounding.models import LegalBasis, LegalReference
from assistant.index.catalog import Catalog


class UnresolvedArticle(LookupError):
    """An article cited by a clause is not in the index (French message)."""

    def __init__(self, article_ids: list[str]):
        self.article_ids = article_ids
        super().__init__("article(s) introuvable(s) dans l'index : " + ", ".join(article_ids)
                         + " — indexez le Code de la commande publique et le CCAG-FCS (assistant ingest)")


def resolve_articles(catalog: Catalog, references: list[LegalReference]) -> tuple[list[LegalBasis], list[str]]:
    """(resolved bases in the clause's order, ids missing from the index).

    An article split into several chunks is joined back in part order. When two documents hold the
    same article id, the most recent version in force wins (ties: the first document by id).
    """
    ids = list(dict.fromkeys(ref.article for ref in references))
    rows = catalog.chunks_for_articles(ids)
    by_doc: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_doc.setdefault((row["meta"]["article_id"], row["doc_id"]), []).append(row)
    best: dict[str, list[dict]] = {}
    for (article_id, doc_id), parts in sorted(by_doc.items()):
        since = parts[0]["meta"].get("in_force_since") or ""
        current = best.get(article_id)
        if current is None or since > (current[0]["meta"].get("in_force_since") or ""):
            best[article_id] = parts
    resolved, missing = [], []
    roles = {ref.article: ref.role for ref in references}
    for article_id in ids:
        parts = best.get(article_id)
        if not parts:
            missing.append(article_id)
            continue
        parts.sort(key=lambda r: (r["meta"].get("part") or 1, r["ord"]))
        first = parts[0]
        resolved.append(LegalBasis(
            article_id=article_id, role=roles[article_id], text="\n".join(p["text"] for p in parts),
            in_force_since=first["meta"].get("in_force_since"), title=first["title"], source=first["source"],
            locator=first["locator"], chunk_ids=[p["chunk_id"] for p in parts]))
    return resolved, missing
