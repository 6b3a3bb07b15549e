"""One background thread with one long-lived asyncio loop for every BLE puck (STYLE.md §5).

bleak needs a running loop for the life of a connection, and breaks if `asyncio.run()` is called
per operation; pygame owns the main thread. So all BLE work is submitted here, and results come
back to the main thread through each puck's queue, never by blocking the game loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class BleHub:
    """The BLE thread. `submit()` runs a coroutine on its loop from any thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="ble-hub", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout_s: float | None = None) -> T:
        """Submit and wait (for tools and tests; the game never calls this)."""
        return self.submit(coro).result(timeout=timeout_s)


_shared: BleHub | None = None
_shared_lock = threading.Lock()


def shared_hub() -> BleHub:
    """The process's BLE thread, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = BleHub()
        return _shared
