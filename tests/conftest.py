"""Shared test setup: no display and no audio device here, so SDL gets its dummy drivers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SPAR_DIR = REPO_ROOT.parent / "shared" / "data" / "spar"


@pytest.fixture
def spar_dir() -> Path:
    if not SPAR_DIR.is_dir():
        pytest.skip(f"the SPAR recordings are not at {SPAR_DIR} (../shared beside the repo)")
    return SPAR_DIR


class FakeClock:
    """A monotonic clock the test moves by hand, for Sources paced by the clock."""

    def __init__(self, start_s: float = 1000.0) -> None:
        self.now_s = start_s

    def __call__(self) -> float:
        return self.now_s

    def advance(self, dt_s: float) -> None:
        self.now_s += dt_s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
