"""Exports of the assistant's outputs (Word documents with real footnotes)."""
