"""One writer at a time per data dir: ingest, reindex, backup and restore take this lock.

An advisory `flock` on a file of the data dir: released by the kernel when the holder dies (even
by `kill -9`), so a crashed ingest never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "write.lock"


class LockBusy(RuntimeError):
    """Another writer holds the data dir (French message)."""


@contextmanager
def write_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the data dir's write lock; waits for it (forever, or `timeout` seconds then `LockBusy`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if deadline is not None else 0))
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(f"une autre écriture (indexation, sauvegarde ou restauration) est en cours "
                                   f"sur {data_dir} : réessayez quand elle sera terminée") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())  # for a human wondering who holds it
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
