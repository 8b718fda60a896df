"""Alliance Assistant: French retrieval and drafting assistant for the Alliance du Fabriqué en France."""

__version__ = "0.1.0"
