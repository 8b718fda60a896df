"""Key figures extracted at ingest: numbers with their unit, claim, sentence, document and source."""

from assistant.figures.models import Figure, FigureHit
from assistant.figures.store import FigureStore

__all__ = ["Figure", "FigureHit", "FigureStore"]
