"""What the device-fault tests share: a rep signal whose count is known, a faster clock, and the
real game `App` played frame by frame against a real puck Source while a fault plays out.

The puck's clock, the device's sending rate and the game's clock all run `SPEED` times faster
than the wall (the Sources take a `time_func` for exactly this), so a 15-second set takes a few
seconds: the code paths are the production ones, only the clock is scaled.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pygame

from devices.samples import SampleBlock
from devices.source import Source
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from exercises.session_plan import SetPlan
from game.app import App, make_context
from game.sound import Sound
from tests.sim_driver import press_reps

EXERCISE = "wrist_extension"
SIGNAL_RATE_HZ = 50.0  # the keyboard simulator's rate: the rate the pucks send at
HOLD_S, RELEASE_S, LEAD_IN_S = 1.0, 1.6, 1.0
SPEED = 3.0
GAME_SIZE = (640, 360)  # small frames: drawing is real but cheap


class FastClock:
    """Monotonic seconds running `speed` times faster than the wall clock."""

    def __init__(self, speed: float = SPEED) -> None:
        self.speed = speed
        self._t0_s = time.monotonic()

    def __call__(self) -> float:
        return self._t0_s + (time.monotonic() - self._t0_s) * self.speed

    def wall_s(self, signal_s: float) -> float:
        return signal_s / self.speed


@dataclass(frozen=True)
class RepSignal:
    accel_g: np.ndarray
    gyro_dps: np.ndarray
    reps: int

    def rest_before_rep(self, k: int) -> int:
        """Sample index just before press `k` (0-based) starts: the limb is at rest there."""
        return round((LEAD_IN_S + k * (HOLD_S + RELEASE_S) - 0.1) * SIGNAL_RATE_HZ)


@functools.cache
def rep_signal(reps: int) -> RepSignal:
    """`reps` wrist extensions made with the keyboard simulator's limb model, checked offline."""
    exercise = get_exercise(EXERCISE)
    blocks = press_reps(exercise, reps, hold_s=HOLD_S, release_s=RELEASE_S, lead_in_s=LEAD_IN_S)
    block = SampleBlock.concat(blocks)
    assert block.gyro_dps is not None
    counted = RepDetector(exercise, rate_hz=SIGNAL_RATE_HZ).update(block)
    assert len(counted) == reps, "the signal itself must hold exactly `reps` countable reps"
    return RepSignal(block.accel_g.astype(np.float64), block.gyro_dps.astype(np.float64), reps)


PLAYING = "playing"


@dataclass
class GameRun:
    """What the player saw: `phases` is the game's story, one entry per change — "playing", or
    the pause banner's message — and `reps` the count on screen at the end."""

    phases: list[str] = field(default_factory=list)
    reps: int = 0
    frames: int = 0

    def story(self, skip_first: str | None = None) -> list[str]:
        """The phases after the opening "connecting" pause (absent if the puck was quicker)."""
        if skip_first is not None and self.phases and self.phases[0] == skip_first:
            return self.phases[1:]
        return self.phases


def play_game(
    source: Source,
    clock: Callable[[], float],
    done: Callable[[GameRun], bool],
    limit_wall_s: float,
    reps_per_set: int = 50,
) -> GameRun:
    """The real App on its game screen, fed by `source`, until `done(run)` or the time limit.

    The set is longer than the signal so it never ends on its own: the count must come out
    exactly as many reps as were made, no fewer (lost) and no more (doubled after a reconnect).
    """
    pygame.font.init()
    plan = SetPlan(EXERCISE, reps_per_set=reps_per_set, sets=1, rest_s=0)
    ctx = make_context(source, plan, GAME_SIZE, sound=Sound(muted=True))
    app = App(ctx, time_func=clock, first_scene="game")
    surface = pygame.Surface(GAME_SIZE)
    run = GameRun()
    source.start()
    try:
        end_s = time.monotonic() + limit_wall_s
        while time.monotonic() < end_s and not done(run):
            app.frame(surface, [])
            run.frames += 1
            problem = ctx.source_problem()
            if app.paused != (problem is not None):
                continue  # the puck's thread changed its status just now: look next frame
            phase = PLAYING if problem is None else problem.message
            if not run.phases or run.phases[-1] != phase:
                run.phases.append(phase)
            run.reps = ctx.progress.total_reps
            time.sleep(0.01)
    finally:
        source.stop()
    return run
