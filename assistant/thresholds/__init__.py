"""Thresholds of the Code as data: the amounts the articles compare a purchase with, and what follows."""
