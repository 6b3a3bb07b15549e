"""A serial puck made of real parts: a pseudo-terminal whose far end a thread writes at the
device's rate. The port is a symlink (like /dev/serial/by-id/…), so unplugging closes the pty and
removes the link, and plugging back creates a new pty behind the same name — as USB does."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import tty
from collections.abc import Iterator
from pathlib import Path

LIVE: list[PtyPuck] = []  # closed by fixtures that cannot hold a reference


class PtyPuck:
    def __init__(
        self, link_path: Path, chunks: Iterator[bytes], rate_hz: float, autostart: bool = True
    ) -> None:
        self.path = link_path
        self._chunks = chunks
        self.period_s = 1.0 / rate_hz
        self.sent = 0  # chunks (samples) written
        self.plugged = threading.Event()
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self.replugged_at_s: float | None = None
        self.plug()
        self._thread = threading.Thread(target=self._write_loop, daemon=True)
        if autostart:
            self._thread.start()
        LIVE.append(self)

    def start_writing(self) -> None:
        """Begin sending (pyserial flushes input on open, so bytes sent earlier are dropped)."""
        if not self._thread.is_alive():
            self._thread.start()

    def plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.path.symlink_to(os.ttyname(slave))
        with self._lock:
            self._master, self._slave = master, slave
        self.replugged_at_s = time.monotonic()
        self.plugged.set()

    def unplug(self) -> None:
        self.plugged.clear()
        with self._lock:
            fds, self._master, self._slave = (self._master, self._slave), None, None
        for fd in fds:
            if fd is not None:
                os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _write_loop(self) -> None:
        next_s = time.monotonic()
        for chunk in self._chunks:
            if self._halt.is_set():
                return
            self.plugged.wait()  # an unplugged device keeps its samples (they are not sent)
            next_s = max(next_s + self.period_s, time.monotonic() - 0.1)
            time.sleep(max(0.0, next_s - time.monotonic()))
            with self._lock:
                if self._master is None:
                    continue
                try:
                    os.write(self._master, chunk)
                    self.sent += 1
                except (BlockingIOError, OSError):
                    pass
        self.done = True

    done = False

    def close(self) -> None:
        self._halt.set()
        self.plugged.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self.unplug()
        if self in LIVE:
            LIVE.remove(self)


def close_all() -> None:
    for puck in list(LIVE):
        puck.close()
