"""Grounded answers: typed results with citations, and the verifier every generator goes through."""
