"""Shared test setup: no display and no audio device here, so SDL gets its dummy drivers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devices.clock import ManualClock

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SPAR_DIR = REPO_ROOT.parent / "shared" / "data" / "spar"


SPAR_MISSING = f"the SPAR recordings are not at {SPAR_DIR} (../shared beside the repo)"


def require_spar() -> None:
    """Skip on a developer machine without ../shared; in CI (CI=true) the data must be there."""
    if not SPAR_DIR.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(SPAR_MISSING)
        pytest.skip(SPAR_MISSING)


@pytest.fixture
def spar_dir() -> Path:
    require_spar()
    return SPAR_DIR


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()
