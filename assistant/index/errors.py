"""Errors of the index that callers show (French messages)."""

from __future__ import annotations


class IndexMissing(RuntimeError):
    """No index in the data dir yet (French message)."""
