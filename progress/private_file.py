"""Writing a file only its owner can read: reports and exports hold health data.

The data folder is private (0700) and so is the database (0600); an export taken out of it must
not be less private. `os.open` with mode 0o600 creates the file that way on every platform (on
Windows the mode only decides read-only, which 0o600 is not, so the call is portable). A file
that already existed keeps the mode it had, so on POSIX it is narrowed with `os.fchmod` on the
open descriptor (no window in which another user could open it by name).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

PRIVATE_MODE = 0o600


@contextmanager
def open_private(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """`path` opened for writing text (UTF-8), readable and writable by the owner only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_MODE)
    try:
        if hasattr(os, "fchmod"):  # POSIX: an existing file keeps its old mode otherwise
            os.fchmod(fd, PRIVATE_MODE)
        stream = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
    except BaseException:
        os.close(fd)
        raise
    with stream:
        yield stream


def write_private_text(path: Path, text: str) -> None:
    """Write `text` to `path` (created or replaced), readable by the owner only."""
    with open_private(path) as stream:
        stream.write(text)
