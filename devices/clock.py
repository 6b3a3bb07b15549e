"""A clock moved by hand, for driving clock-paced Sources (and the game) without waiting.

Every Source takes a `time_func`; production passes `time.monotonic`, tests and the scripted
player pass a `ManualClock`, so a minute of play runs in milliseconds with the same code path.
"""

from __future__ import annotations


class ManualClock:
    """A monotonic clock in seconds that only moves when `advance()` is called."""

    def __init__(self, start_s: float = 1000.0) -> None:
        self.now_s = start_s

    def __call__(self) -> float:
        return self.now_s

    def advance(self, dt_s: float) -> None:
        if dt_s < 0:
            raise ValueError(f"a monotonic clock cannot go back ({dt_s} s)")
        self.now_s += dt_s
