"""End-to-end latency: a sample handed over by a device thread → the rep visible in a drawn frame.

    python -m bench.end_to_end          (also part of `make bench`)

Real parts, real time: a puck whose I/O thread hands one sample at a time to the real
`PuckSource._deliver` (the stamping and the thread-safe queue every serial and BLE puck uses) at
100 Hz, and the real `App` drawing a game at 1280×720 on the SDL dummy driver, paced at 60 fps as
`game.app.run` paces it. The movement is known (raised-cosine lifts, as in `bench.latency`), so for
every rep we know the *crossing* sample (the limb back past the detector's end threshold: the
movement is over) and the *trigger* sample (the one on which the detector emitted the event).

Per rep: `detector_ms` (crossing → trigger, signal time: the detector's own latency), `wait_ms`
(trigger handed over → the start of the frame that drained it), `frame_ms` (that frame's work, up
to `display.flip()`), and `e2e_ms` = crossing handed over → the rep drawn. The budget is one frame
plus the detector: the rep must be drawn by the first frame that starts after its trigger sample
arrived, so `wait_ms` ≤ one frame period (plus 2 ms for the sleep's granularity).

Before the live reps, the puck hands over a backlog of earlier reps in one reading (a puck's
buffer after connecting), from which the detector learns the movement; that frame is not timed.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.summary import load_1min, load_note
from devices.limb_model import rotate
from devices.pucks.puck_source import PuckSource
from devices.pucks.reading import Reading
from devices.source import SourceInfo
from exercises.detection.rep_counter import CounterSettings
from exercises.session_plan import SetPlan

RATE_HZ = 100.0
FPS = 60
FRAME_MS = 1000.0 / FPS
SLOP_MS = 2.0  # `pygame.time.Clock.tick` sleeps in whole milliseconds
REP_S, PAUSE_S, RANGE_DEG = 1.6, 0.8, 45.0
LEARN_REPS = 5
LIVE_REPS = 10
SIZE = (1280, 720)
GAME = "rep_rush"


def lifts(reps: int) -> np.ndarray:
    """The true tilt (deg) of `reps` lifts, each followed by a pause, after 1 s of rest."""
    rep = (
        RANGE_DEG
        * 0.5
        * (1 - np.cos(2 * np.pi * np.arange(int(REP_S * RATE_HZ)) / (REP_S * RATE_HZ)))
    )
    parts = [np.zeros(int(RATE_HZ))] + [
        np.concatenate([rep, np.zeros(int(PAUSE_S * RATE_HZ))])
    ] * reps
    return np.concatenate(parts)  # fmt: skip


def accel_for(angle_deg: np.ndarray) -> np.ndarray:
    return rotate(np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0]), -np.radians(angle_deg))


class ThreadPuck(PuckSource):
    """A puck whose I/O thread hands over a backlog, then one sample every 1/RATE_HZ s, recording
    when each live sample was handed over (`perf_counter`)."""

    def __init__(self, backlog_deg: np.ndarray, live_deg: np.ndarray) -> None:
        channels = ("ax_g", "ay_g", "az_g")
        super().__init__(
            SourceInfo("bench-puck", "serial", "thread puck", RATE_HZ, channels), "puck"
        )
        self._backlog = accel_for(backlog_deg)
        self._live = accel_for(live_deg)
        self.handed_s: list[float] = []
        self.done = threading.Event()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._io, daemon=True)

    def _start_io(self) -> None:
        self._thread.start()

    def _stop_io(self) -> None:
        self._halt.set()
        self._thread.join(timeout=2.0)

    def _io(self) -> None:
        self._link_up()
        self._deliver([Reading(self._backlog)])
        next_s = time.perf_counter()
        for i in range(len(self._live)):
            next_s += 1.0 / RATE_HZ
            time.sleep(max(0.0, next_s - time.perf_counter()))
            if self._halt.is_set():
                return
            self.handed_s.append(time.perf_counter())
            self._deliver([Reading(self._live[i : i + 1])])
        self.done.set()


def measure(live_reps: int = LIVE_REPS) -> list[dict[str, float]]:
    """Play the live reps in real time; one row per rep the game showed."""
    import pygame

    from game.app import App, make_context

    backlog_deg, live_deg = lifts(LEARN_REPS), lifts(live_reps)
    puck = ThreadPuck(backlog_deg, live_deg)
    screen = pygame.display.set_mode(SIZE)
    ctx = make_context(puck, SetPlan("wrist_extension", reps_per_set=99, sets=1, rest_s=5), SIZE)
    ctx.set_game(GAME)
    ctx.navigator = None  # the puck only plays here, it is not a remote
    shown: list[tuple[int, float, float, float, float]] = []  # trigger, range, start, drain, end
    processed = [0]  # live samples the detector has seen
    backlog = len(backlog_deg)
    frame_start = [0.0]
    detector_update = ctx.detector.update

    def timed_update(block: Any) -> Any:
        events = detector_update(block)
        processed[0] += len(block)
        for event in events:
            trigger = processed[0] - backlog - 1
            if trigger >= 0:
                shown.append((trigger, event.range_deg, frame_start[0], time.perf_counter(), 0.0))
        return events

    ctx.detector.update = timed_update  # type: ignore[method-assign]
    app = App(ctx, first_scene="game")
    clock = pygame.time.Clock()
    puck.start()
    try:
        while not puck.done.is_set() or processed[0] < backlog + len(live_deg):
            before = len(shown)
            frame_start[0] = time.perf_counter()
            app.frame(screen, [])
            pygame.display.flip()
            end_s = time.perf_counter()
            shown[before:] = [(*row[:4], end_s) for row in shown[before:]]
            clock.tick(FPS)
    finally:
        puck.stop()
    return [_row(live_deg, puck.handed_s, *row) for row in shown]


def _row(
    angle: np.ndarray, handed_s: list[float], trigger: int, range_deg: float,
    start_s: float, _drain_s: float, end_s: float,
) -> dict[str, float]:  # fmt: skip
    """One rep's latencies; the crossing as `bench.latency` finds it."""
    below = angle < CounterSettings().back_fraction * range_deg
    lo = max(0, trigger - int((REP_S + PAUSE_S) * RATE_HZ))
    peak = lo + int(np.argmax(angle[lo : trigger + 1]))
    cross = peak + int(np.argmax(below[peak:]))
    ms: Callable[[float], float] = lambda s: round(1000.0 * s, 2)  # noqa: E731
    return {
        "detector_ms": ms((trigger - cross) / RATE_HZ),
        "wait_ms": ms(start_s - handed_s[trigger]),
        "frame_ms": ms(end_s - start_s),
        "e2e_ms": ms(end_s - handed_s[cross]),
    }


def run(live_reps: int = LIVE_REPS) -> dict[str, Any]:
    import pygame

    load = load_1min()
    pygame.init()
    try:
        reps = measure(live_reps)
    finally:
        pygame.quit()
    summary: dict[str, Any] = {}
    for key in ("detector_ms", "wait_ms", "frame_ms", "e2e_ms"):
        values = [r[key] for r in reps]
        summary[key] = {
            "median": round(statistics.median(values), 2) if values else None,
            "max": round(max(values), 2) if values else None,
        }
    on_time = all(r["wait_ms"] <= FRAME_MS + SLOP_MS for r in reps)
    return {"puck_hz": RATE_HZ, "fps": FPS, "game": GAME, "reps": len(reps),
            "live_reps": live_reps, "frame_period_ms": round(FRAME_MS, 1),
            "within_budget": bool(reps) and on_time, "load_1min": [load, load_1min()],
            "summary": summary, "rows": reps}  # fmt: skip


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['reps']} of {result['live_reps']} reps shown; puck thread at "
        f"{result['puck_hz']:.0f} Hz → queue → {result['game']} at {result['fps']} fps",
        "",
        "| stage | median ms | max ms |",
        "|---|---|---|",
    ]
    names = {
        "detector_ms": "detector: movement over → event (signal time)",
        "wait_ms": "queue: trigger sample handed over → next frame starts",
        "frame_ms": "frame: drain, detect, update, draw, flip",
        "e2e_ms": "end to end: movement over → rep drawn",
    }
    for key, name in names.items():
        s = result["summary"][key]
        lines.append(f"| {name} | {s['median']} | {s['max']} |")
    verdict = "within" if result["within_budget"] else "OUT OF"
    lines.append(
        f"\nevery rep drawn by the next frame (wait ≤ {result['frame_period_ms']} ms + "
        f"{SLOP_MS:.0f} ms): {verdict} budget; "
        f"{load_note(result['load_1min'])}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
