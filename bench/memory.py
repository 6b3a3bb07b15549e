"""Memory across a 60-minute session: a looped SPAR recording replayed headless, as fast as the CPU
allows, through the real game scenes and a real SQLite store.

    python -m bench.memory              (also part of `make bench`)

`game.headless.play_headless` plays the session (sets, rests, the scripted patient pressing on
after each rest). Its clock is a `ManualClock` that moves `STRIDE` fixed steps per frame: every
scene update and every sample runs as in play, but one frame in `STRIDE` is drawn, so an hour takes
minutes. The session's time cap is lifted to the hour (the default stops play at 30 minutes).

The process's resident memory (RSS, from /proc/self/statm) and the number of Python objects are
sampled every `SAMPLE_S` of game time. RSS saws up and down by ~10 MB as surfaces are made and
freed (the allocator gives memory back when it pleases), so growth is measured on its floor: the
lowest RSS of each `WINDOW_S`, fitted by least squares over game time after the first `WARMUP_S`
(caches, fonts and the detector's buffers fill once at the start). A leak raises the floor; a
sawtooth does not. Budget: < 5 MB per hour. The slope of every sample is reported too.
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np
import pygame

from bench.cases import spar_files
from bench.summary import load_1min, load_note
from devices.clock import ManualClock
from devices.replay import ReplaySource
from exercises.session_plan import SetPlan
from game.app import App
from game.headless import play_headless
from progress.recorder import PatientRecords
from progress.store import open_store

SESSION_S = 3600.0
STRIDE = 6  # fixed steps per drawn frame: 10 frames per second of game time
SAMPLE_S = 10.0
WINDOW_S = 300.0
WARMUP_S = 600.0
BUDGET_MB_PER_H = 5.0
GAME = "garden"  # it keeps the most on screen: every flower of the session


class StrideClock(ManualClock):
    """A `ManualClock` that moves `stride` times as far as it is asked to."""

    def __init__(self, stride: int) -> None:
        super().__init__()
        self.stride = stride

    def advance(self, dt_s: float) -> None:
        super().advance(dt_s * self.stride)


def rss_mb() -> float:
    """Resident memory of this process (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def floor(
    t_s: list[float], values: list[float], window_s: float
) -> tuple[list[float], list[float]]:
    """The lowest value of each `window_s` (at the window's start time)."""
    lows: dict[int, float] = {}
    for t, v in zip(t_s, values, strict=True):
        k = int(t // window_s)
        lows[k] = min(lows.get(k, v), v)
    return [k * window_s for k in lows], list(lows.values())


def slope_per_h(t_s: list[float], values: list[float], from_s: float) -> float | None:
    """Least-squares slope of `values` per hour of `t_s`, from `from_s` on."""
    t = np.asarray(t_s)
    keep = t >= from_s
    if keep.sum() < 2:
        return None
    return float(np.polyfit(t[keep] / 3600.0, np.asarray(values)[keep], 1)[0])


def run(
    session_s: float = SESSION_S, warmup_s: float = WARMUP_S, window_s: float = WINDOW_S
) -> dict[str, Any]:
    load = load_1min()
    recording = spar_files()[0]
    samples: list[tuple[float, float, int]] = []  # game s, RSS MB, Python objects
    start_s: list[float] = []
    last_s = [0.0]

    def on_frame(app: App, _surface: pygame.Surface) -> None:
        ctx = app.ctx
        if not start_s:
            start_s.append(ctx.time_s)
            ctx.time_cap_s = session_s + 60.0  # the session ends at `session_s`, not at the cap
        game_s = last_s[0] = ctx.time_s - start_s[0]
        if not samples or game_s - samples[-1][0] >= SAMPLE_S:
            samples.append((game_s, rss_mb(), len(gc.get_objects())))

    clock = StrideClock(STRIDE)
    source = ReplaySource(recording, loop=True, time_func=clock)
    plan = SetPlan("wrist_extension", reps_per_set=60, sets=20, rest_s=60)  # > an hour
    pygame.init()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        try:
            records = PatientRecords.for_patient(store, "Bench")
            summary = play_headless(source, plan, GAME, clock=clock, records=records,
                                    max_game_s=session_s, on_frame=on_frame)  # fmt: skip
        finally:
            store.close()
            pygame.quit()
    samples.append((last_s[0], rss_mb(), len(gc.get_objects())))  # the end of the session
    t_s, mb, objects = (list(x) for x in zip(*samples, strict=True))
    growth = slope_per_h(*floor(t_s, mb, window_s), warmup_s)
    raw = slope_per_h(t_s, mb, warmup_s)
    per_h = slope_per_h(t_s, [float(n) for n in objects], warmup_s)
    return {
        "game": GAME,
        "recording": recording.name,
        "session_min": round(t_s[-1] / 60.0, 1),
        "frames": summary["frames"],
        "reps": summary["total_reps"],
        "stopped_by": summary.get("stopped_by"),
        "rss_start_mb": round(mb[0], 1),
        "rss_end_mb": round(mb[-1], 1),
        "rss_max_mb": round(max(mb), 1),
        "growth_mb_per_h": None if growth is None else round(growth, 2),
        "raw_slope_mb_per_h": None if raw is None else round(raw, 2),
        "objects_per_h": None if per_h is None else round(per_h),
        "objects_start": objects[0],
        "objects_end": objects[-1],
        "budget_mb_per_h": BUDGET_MB_PER_H,
        "within_budget": growth is not None and growth < BUDGET_MB_PER_H,
        "load_1min": [load, load_1min()],
        "samples": [[round(t), round(m, 2), n] for t, m, n in samples[:: round(60 / SAMPLE_S)]],
    }


def table(result: dict[str, Any]) -> str:
    growth = result["growth_mb_per_h"]
    verdict = "within" if result["within_budget"] else "OUT OF"
    return "\n".join(
        [
            f"{result['session_min']} min of {result['game']} on a looped {result['recording']}, "
            f"{result['reps']} reps, {result['frames']} frames drawn (one per {STRIDE} steps), "
            f"ended by: {result['stopped_by']}",
            "",
            "| RSS start MB | RSS end MB | RSS max MB | growth of the floor MB/h | slope of all "
            "samples MB/h | Python objects start → end (per h) |",
            "|---|---|---|---|---|---|",
            f"| {result['rss_start_mb']} | {result['rss_end_mb']} | {result['rss_max_mb']} | "
            f"{growth} | {result['raw_slope_mb_per_h']} | {result['objects_start']:,} → "
            f"{result['objects_end']:,} ({result['objects_per_h']}) |",
            "",
            f"growth {growth} MB/h: {verdict} the {result['budget_mb_per_h']:.0f} MB/h budget; "
            + load_note(result["load_1min"]),
        ]
    )


if __name__ == "__main__":
    print(table(run()))
