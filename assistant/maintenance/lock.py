"""One writer at a time per data dir: ingest, reindex, backup and restore take this lock.

An advisory `flock` on a file of the data dir: released by the kernel when the holder dies (even
by `kill -9`), so a crashed ingest never leaves a stale lock behind. Replicas sharing a catalog in
PostgreSQL (`database_url`) also take a session-level advisory lock there, one writer for them all;
PostgreSQL releases it when the holder's connection drops, so it cannot go stale either.
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


def _busy(where: object) -> LockBusy:
    return LockBusy(f"une autre écriture (indexation, sauvegarde ou restauration) est en cours sur {where} : "
                    "réessayez quand elle sera terminée")


@contextmanager
def write_lock(data_dir: Path, timeout: float | None = None, database_url: str | None = None) -> Iterator[None]:
    """Hold the data dir's write lock, and the shared catalog's when there is one; waits for them (forever, or
    `timeout` seconds then `LockBusy`)."""
    with _local_lock(data_dir, timeout), _shared_lock(database_url, timeout):
        yield


@contextmanager
def _shared_lock(database_url: str | None, timeout: float | None) -> Iterator[None]:
    if not database_url:
        yield
        return
    from assistant.statedb import LOCK_WRITE, connect_session

    conn = connect_session(database_url)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not conn.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_WRITE,)).fetchone()[0]:
            if deadline is not None and time.monotonic() >= deadline:
                raise _busy("le catalogue partagé")
            time.sleep(0.2)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_WRITE,))
    finally:
        conn.close()


@contextmanager
def _local_lock(data_dir: Path, timeout: float | None) -> Iterator[None]:
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
                    raise _busy(data_dir) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())  # for a human wondering who holds it
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
