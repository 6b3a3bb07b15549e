"""Reading a live Source the way the game does, for tests of real transports (pty, bumble)."""

from __future__ import annotations

import time
from collections.abc import Callable

from devices.samples import SampleBlock
from devices.source import Source


def drain_until(
    source: Source, done: Callable[[list[SampleBlock]], bool], deadline_s: float
) -> list[SampleBlock]:
    """Read like the game does until `done(blocks)`, giving up after `deadline_s` seconds."""
    blocks: list[SampleBlock] = []
    end_s = time.monotonic() + deadline_s
    while time.monotonic() < end_s and not done(blocks):
        blocks += source.read()
        time.sleep(0.02)
    return blocks


def n_samples(blocks: list[SampleBlock]) -> int:
    return sum(len(b) for b in blocks)
