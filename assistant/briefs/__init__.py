"""Advocacy briefs: notes, press releases, talking points and FAQs built from cited passages and key figures."""
