"""Numbers as French writes them: 1 234 567 (narrow no-break space), decimal comma, amounts in € HT."""

from __future__ import annotations

from typing import Any


def french_number(value: Any, decimals: int = 0) -> str:
    """French number formatting: 1 234 567 (narrow no-break space), decimal comma; "" for None."""
    if value is None:
        return ""
    return f"{float(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def euros_ht(value: Any) -> str:
    """« 40 000 € HT »; "" for None."""
    return f"{french_number(value)} € HT" if value is not None else ""
