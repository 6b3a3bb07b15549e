"""Any game without a window: the real scenes on an off-screen surface, driven by a Source.

The App runs on a *game clock* that follows the signal's time: with a replay at speed S the clock
runs S times faster than the wall (so a rest of 60 s takes 60/S s, as the replay's samples do),
and tests pass a `ManualClock` advanced one step per frame, which plays as fast as the CPU allows.
A scripted patient stands in for the person: when a rest is over it starts the next set (the
first, "fine" choice of the fatigue check). Nothing else is pressed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pygame

from devices.clock import ManualClock
from devices.device_string import DeviceError, _split_speed, open_source
from devices.recording import RecordingError
from devices.replay import ReplaySource
from devices.source import Source
from exercises.session_plan import SetPlan
from exercises.session_runner import headless_wall_limit_s
from game.app import STEP_S, App, make_context
from game.autoplay import key_event
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.sound import Sound
from progress.recorder import PatientRecords

SOURCE_ENDED = "source ended"
TIME_LIMIT = "time limit"


class ScaledClock:
    """Wall-clock time running `speed` times faster, from the moment it is made."""

    def __init__(self, speed: float = 1.0, wall: Callable[[], float] = time.monotonic) -> None:
        self.speed = speed
        self._wall = wall
        self._start_s = wall()

    def __call__(self) -> float:
        return self._start_s + (self._wall() - self._start_s) * self.speed


def use_dummy_drivers() -> None:
    """No window and no speakers needed (SDL's dummy video and audio drivers)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def play_headless(
    source: Source,
    plan: SetPlan,
    game_id: str,
    *,
    clock: Callable[[], float],
    theme_kind: str = "adult",
    size: tuple[int, int] = (1280, 720),
    records: PatientRecords | None = None,
    max_game_s: float | None = None,
    on_frame: Callable[[App, pygame.Surface], None] | None = None,
) -> dict[str, Any]:
    """Play one session of `game_id` on `source` until the results screen; its summary.

    `clock` is the game clock: a `ManualClock` is advanced here one step per frame (fast), any
    other clock is waited for (real time, or `ScaledClock` for a replay at speed). pygame must be
    initialised. `max_game_s` ends the session after that much game time (`stopped_by`:
    "time limit").
    """
    manual = clock if isinstance(clock, ManualClock) else None
    source.start()
    try:
        ctx = make_context(source, plan, size, theme_kind, Sound(), records)
        ctx.set_game(game_id)
        ctx.navigator = None  # the scripted patient presses keys; the puck only plays
        app = App(ctx, time_func=clock, first_scene="game")
        surface = pygame.Surface(size)
        start_s = clock()
        events: list[pygame.event.Event] = []
        while not isinstance(app.scene, ResultsScene):
            if manual is not None:
                manual.advance(STEP_S)
            else:
                time.sleep(STEP_S / getattr(clock, "speed", 1.0))
            app.frame(surface, events)
            if on_frame is not None:
                on_frame(app, surface)
            events = _patient(app)
            stop = _stop_reason(app, source, clock() - start_s, max_game_s)
            if stop is not None and not isinstance(app.scene, ResultsScene):
                ctx.finish_session(stop)
                ctx.scenes.go("results")
        app.frame(surface, [])  # the end screen, drawn
        if on_frame is not None:
            on_frame(app, surface)
        summary = dict(ctx.last_summary or {})
    finally:
        source.stop()
    rewards = ctx.rewards
    summary.update(
        end_screen="results",
        praise=app.scene.praise() if isinstance(app.scene, ResultsScene) else "",
        level=rewards.level,
        total_reps=rewards.total_reps,
        celebrations=[c.kind for c in rewards.celebrated],
        frames=app.frames,
        device=source.info.kind,
    )
    return summary


def _patient(app: App) -> list[pygame.event.Event]:
    """What the scripted patient presses next frame: SPACE when a rest is over, else nothing."""
    scene = app.scene
    if isinstance(scene, RestScene) and scene.remaining_s <= 0:
        return [key_event(pygame.K_SPACE, True), key_event(pygame.K_SPACE, False)]
    return []


def _stop_reason(app: App, source: Source, game_s: float, max_game_s: float | None) -> str | None:
    if source.finished and (app.scene.uses_motion or app.scene.feeds_detector):
        return SOURCE_ENDED
    if max_game_s is not None and game_s >= max_game_s:
        return TIME_LIMIT
    return None


def headless_session(
    device: str,
    plan: SetPlan,
    game_id: str,
    records: PatientRecords | None = None,
    max_seconds: float | None = None,
) -> dict[str, Any]:
    """`session --headless --game`: a replay plays as fast as the CPU allows (its own time base,
    any @speed is moot), a keyboard or puck in real time. A keyboard session stops after 10 s
    unless told otherwise: nobody presses keys in a headless run."""
    use_dummy_drivers()
    clock: Callable[[], float]
    if device.startswith("replay:"):
        path, _speed = _split_speed(device.removeprefix("replay:"))
        clock = ManualClock()
        try:
            source: Source = ReplaySource(path, time_func=clock)
        except RecordingError as exc:
            raise DeviceError(str(exc)) from exc
    else:
        source = open_source(device)
        clock = time.monotonic
        max_seconds = headless_wall_limit_s(max_seconds, source)
    pygame.init()
    try:
        return play_headless(
            source, plan, game_id, clock=clock, records=records, max_game_s=max_seconds
        )
    finally:
        pygame.quit()
