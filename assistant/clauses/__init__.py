"""Tender clause generator for public buyers: a clause library as data, a compliance linter, exports."""
