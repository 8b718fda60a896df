"""In-process rate limiting: one token bucket per key (an account, an IP address, a login attempt).

Each server process keeps its own buckets: with `--workers N` a client may make up to N times the
limit. We accept that rather than write to SQLite on every request, which would serialise the hot
path of every worker on one file lock; the limits are there against runaway scripts and password
guessing, not for billing.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


class RateLimited(Exception):
    """Too many requests for a key; `retry_after` is in whole seconds."""

    def __init__(self, retry_after: int):
        super().__init__(rate_limit_message(retry_after))
        self.retry_after = retry_after


def rate_limit_message(retry_after: int) -> str:
    unit = "seconde" if retry_after <= 1 else "secondes"
    return f"Trop de requêtes : réessayez dans {retry_after} {unit}."


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets: `per_minute` requests in a burst, refilled at `per_minute / 60` per second."""

    MAX_KEYS = 100_000  # beyond this, full (idle) buckets are dropped

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def hit(self, key: str, per_minute: int) -> None:
        """Count one request for `key`; raises RateLimited when its bucket is empty (0 disables the limit)."""
        if per_minute <= 0:
            return
        rate = per_minute / 60.0
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.MAX_KEYS:
                    self._prune(now)
                bucket = self._buckets[key] = _Bucket(tokens=float(per_minute), updated=now)
            bucket.tokens = min(float(per_minute), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens < 1.0:
                raise RateLimited(max(1, math.ceil((1.0 - bucket.tokens) / rate)))
            bucket.tokens -= 1.0

    def _prune(self, now: float) -> None:
        # A bucket idle for a minute is full again and carries no information: forget it.
        idle = [k for k, b in self._buckets.items() if now - b.updated >= 60]
        for key in idle or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]
