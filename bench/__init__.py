"""Benchmarks (`make bench`): ingest speed, search latency, retrieval quality vs the tutorial pipeline."""
