"""One running Chibo per database: an advisory lock file beside it, held while running.

`fcntl.flock` is released by the kernel when the process ends, even by `kill -9`, so a stale
lock file never blocks the next start. Within one process the lock is re-entrant (counted): the
sandbox holds it while it prepares the database and the bot it starts takes it again, and tests
run several bots on one file in turn.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

# Path -> (file descriptor, holders) for the locks this process holds.
_HELD: dict[Path, tuple[int, int]] = {}


class AlreadyRunning(Exception):
    """Another process holds the database's lock."""

    def __init__(self, db_path: Path) -> None:
        super().__init__(f"another Chibo is running on {db_path}")
        self.db_path = db_path


def lock_path(db_path: Path) -> Path:
    """The lock file beside the database."""
    return db_path.with_name(db_path.name + ".lock")


class DataLock:
    """The held lock on one database; `release()` once."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path).resolve()
        self._released = False

    def release(self) -> None:
        """Let go of the lock; the file unlocks when its last holder in this process lets go."""
        if self._released:
            return
        self._released = True
        fd, holders = _HELD[self.path]
        if holders > 1:
            _HELD[self.path] = (fd, holders - 1)
            return
        del _HELD[self.path]
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def acquire(db_path: Path) -> DataLock:
    """Take the lock for `db_path`, or raise `AlreadyRunning` at once (never waits)."""
    path = lock_path(db_path).resolve()
    if path in _HELD:
        fd, holders = _HELD[path]
        _HELD[path] = (fd, holders + 1)
        return DataLock(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise AlreadyRunning(db_path) from exc
    # The holder's pid, for whoever looks; the lock itself is what counts.
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    _HELD[path] = (fd, 1)
    return DataLock(db_path)
