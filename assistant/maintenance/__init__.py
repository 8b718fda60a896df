"""Index maintenance: write lock, version stamp, backup/restore, reindex (issue 7, durability)."""
