"""Roles of the callers and the document audiences each one may read.

Retrieval filters by these audiences before ranking, so a chunk above the caller's rights is never a
candidate for an answer, a citation, a figure, a search result or a document view.
"""

from __future__ import annotations

from assistant.models import AUDIENCES

ROLES = ("public", "member", "buyer", "staff", "admin")

# Public buyers are partners of the Alliance: they read what members read, never staff notes.
ROLE_AUDIENCES: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "member": ("public", "members"),
    "buyer": ("public", "members"),
    "staff": AUDIENCES,
    "admin": AUDIENCES,
}

ROLE_LABELS = {"public": "public", "member": "adhérent", "buyer": "acheteur public", "staff": "équipe de l'Alliance",
               "admin": "administrateur"}


def audiences_for(role: str) -> tuple[str, ...]:
    """Audiences readable by `role`; an unknown role reads only public documents."""
    return ROLE_AUDIENCES.get(role, ("public",))
