"""Is the RepQuest process that started a session still running? An OS file lock answers, on
Linux, macOS and Windows alike.

Every process that opens the store takes an exclusive lock on `running/<pid>.lock` in the data
folder and keeps it until it exits. The operating system releases the lock when the process ends,
however it ends (a crash, `kill -9`, Task Manager; after a power cut there is no lock at all), so
another process tells "still running in another window" from "crashed" by trying to take that
lock without waiting. This replaces probing the pid with `os.kill(pid, 0)`, which on Windows does
not probe: it *terminates* the process (any signal but CTRL_C/CTRL_BREAK calls TerminateProcess).

`fcntl.flock` on Linux and macOS (a lock per open file, released when the fd closes or the
process dies); `msvcrt.locking` on Windows (a byte-range lock on the file's first byte, released
when the handle closes or the process dies). The lock file holds nothing; a crashed run's file is
removed by the first process that finds its lock free.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from pathlib import Path

LOCK_DIR_NAME = "running"

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        """Take the lock without waiting; False if another process holds it."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        """Take the lock without waiting; False if another process holds it."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError when held; anything else: assume held, never guess dead
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


_held: dict[Path, tuple[int, int]] = {}  # lock file → (open fd, stores open on it)


def lock_path(data_dir: Path, pid: int) -> Path:
    return data_dir / LOCK_DIR_NAME / f"{pid}.lock"


def hold_running_lock(data_dir: Path) -> None:
    """Mark this process as running for the store in `data_dir`, once per open store.

    Held while at least one store is open: closing the last one marks this process's sessions
    as ended anyway (`Store.close`), so nothing in progress is left to vouch for.
    """
    path = lock_path(data_dir, os.getpid()).resolve()
    if path in _held:
        fd, count = _held[path]
        _held[path] = (fd, count + 1)
        return
    path.parent.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # not inherited by child processes
    if not _try_lock(fd):  # only a process with our pid in another pid namespace could hold it
        os.close(fd)
        return
    _held[path] = (fd, 1)


def release_running_lock(data_dir: Path) -> None:
    """One store on `data_dir` closed; the last one releases the lock and removes its file."""
    path = lock_path(data_dir, os.getpid()).resolve()
    if path not in _held:
        return
    fd, count = _held[path]
    if count > 1:
        _held[path] = (fd, count - 1)
        return
    del _held[path]
    _close_and_remove(path, fd)


def _close_and_remove(path: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)  # releases the lock (on Windows the file must be closed before unlink)
    with contextlib.suppress(OSError):
        path.unlink()


def is_running(data_dir: Path, pid: int) -> bool:
    """Whether process `pid` (a RepQuest that opened the store in `data_dir`) is still running.

    True when unsure (a lock file that cannot be opened), so a live session is never marked as
    cut short; a process that never took the lock (no file) counts as not running.
    """
    if pid == os.getpid():
        return True
    path = lock_path(data_dir, pid)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):  # gone already, or just taken again: leave it
        path.unlink()
    return False


@atexit.register
def _release_all() -> None:
    """On a normal exit with stores still open, release their locks too (a crash frees them)."""
    for path, (fd, _count) in list(_held.items()):
        _close_and_remove(path, fd)
    _held.clear()
