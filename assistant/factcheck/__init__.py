"""Fact-checking a draft against the sources: every figure, quotation and attribution."""
