"""The soak (`make soak`): an hour of two pucks at 100 Hz through the whole headless pipeline.

    python -m soak.run [--minutes 60] [--seed 0]

Two recordings (soak/hour.py: the arm doing labelled sets, the trunk still) are replayed as
live Sources on one clock that runs as fast as the machine can go; the arm's blocks go through
the rep detector, the trunk's through the compensation guard, every rep through the session
tally and into a real SQLite store, one transaction per rep — as `session --headless` does.
Checked: memory stays flat (tracemalloc and RSS sampled each simulated minute, growth per hour
fitted after a warm-up), timestamps do not drift (each puck's samples against the file's time
line, the two pucks against each other and against the clock), and the reps counted and stored
equal the recording's label. Prints a report; exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

from devices.clock import ManualClock
from devices.replay import ReplaySource
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.compensation import CompensationGuard
from exercises.detection.detector import RepDetector
from exercises.events import RepEvent
from exercises.session_plan import Outcome, SessionProgress, SetPlan
from progress.recorder import PatientRecords
from progress.store import open_store
from soak.hour import EXERCISE, REPS_PER_SET, REST_S, SoakRecording, make_recording

POLL_S = 1 / 60  # the game reads its Source once a frame
SAMPLE_EVERY_S = 60.0
WARM_UP_S = 300.0  # caches, the detector's learning and SQLite's pages settle first
LIMITS = {"traced_mb_per_h": 4.0, "rss_mb_per_h": 24.0, "max_drift_s": 0.02}


class Timeline:
    """One puck's delivered time line, compared with the file's own."""

    def __init__(self, file_t_s: np.ndarray) -> None:
        self.file_t_s = file_t_s - file_t_s[0]
        self.delivered = 0
        self.offset_s: float | None = None
        self.max_error_s = 0.0
        self.backwards = 0
        self.last_t_s = -np.inf

    def see(self, block: SampleBlock) -> None:
        t = block.t_s
        if self.offset_s is None:
            self.offset_s = float(t[0])
        expected = self.file_t_s[self.delivered : self.delivered + len(t)] + self.offset_s
        self.max_error_s = max(self.max_error_s, float(np.max(np.abs(t - expected))))
        self.backwards += int(np.sum(np.diff(np.concatenate([[self.last_t_s], t])) <= 0))
        self.last_t_s = float(t[-1])
        self.delivered += len(t)


def memory_sample() -> tuple[float, float]:
    """(traced Python heap, resident set size), in MB."""
    traced = tracemalloc.get_traced_memory()[0] / 1e6
    with open("/proc/self/statm") as statm:
        rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    return traced, rss


def growth_mb_per_h(samples: list[tuple[float, float, float]], column: int) -> float | None:
    """Slope of a least-squares line through the samples after the warm-up, per hour; None
    when the run is too short to judge (a smoke run ends before the warm-up does)."""
    kept = [s for s in samples if s[0] >= WARM_UP_S]
    if len(kept) < 3:
        return None
    t, v = np.array([s[0] for s in kept]), np.array([s[column] for s in kept])
    return round(float(np.polyfit(t, v, 1)[0] * 3600.0), 2)


def run(recording: SoakRecording, data_dir: Path) -> dict[str, Any]:
    clock = ManualClock(start_s=0.0)
    arm = ReplaySource(recording.arm, time_func=clock)
    trunk = ReplaySource(recording.trunk, time_func=clock)
    exercise = get_exercise(EXERCISE)
    rate_hz = arm.info.rate_hz
    # A plan caps at 20 sets; reps after the plan is done are stored as extra reps.
    plan = SetPlan(exercise.id, REPS_PER_SET, min(recording.sets, 20), REST_S / 2)
    lines = {
        "arm": Timeline(arm.recording.block.t_s),
        "trunk": Timeline(trunk.recording.block.t_s),
    }
    tracemalloc.start()
    wall_start_s = time.perf_counter()
    store = open_store(data_dir)
    recorder = PatientRecords.for_patient(store, "Soak").recorder(
        plan, origin="headless", device=arm.info
    )
    progress = SessionProgress(plan)
    detector = RepDetector(exercise, rate_hz=rate_hz)
    guard = CompensationGuard(exercise.compensation_deg, rate_hz)
    rest_until_s: float | None = None
    memory: list[tuple[float, float, float]] = []
    max_lag_s = 0.0

    def count(events: list[RepEvent]) -> None:
        nonlocal rest_until_s
        for event in events:
            event = guard.check(event)
            outcome = progress.add_rep(event)
            recorder.on_rep(event, outcome, progress)
            if outcome is Outcome.SET_DONE:
                rest_until_s = event.t_end_s + plan.rest_s

    arm.start()
    trunk.start()
    while not (arm.finished and trunk.finished):
        clock.advance(POLL_S)
        for block in trunk.read():
            lines["trunk"].see(block)
            guard.update(block)
        for block in arm.read():
            lines["arm"].see(block)
            if rest_until_s is not None and block.t_s[-1] >= rest_until_s:
                progress.start_next_set()
                rest_until_s = None
            count(detector.update(block))
        max_lag_s = max(max_lag_s, clock() - max(lines["arm"].last_t_s, 0.0))
        if clock() >= len(memory) * SAMPLE_EVERY_S:
            memory.append((clock(), *memory_sample()))
    count(detector.finish())
    progress.end_early()
    summary = progress.summary(clock())
    recorder.finish(summary)
    stored = store.conn.execute("SELECT count(*) FROM reps").fetchone()[0]
    integrity = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    store.close()
    wall_s = time.perf_counter() - wall_start_s
    tracemalloc.stop()
    arm_line, trunk_line = lines["arm"], lines["trunk"]
    return {
        "signal_minutes": round(recording.seconds / 60, 1),
        "wall_s": round(wall_s, 1),
        "speed_x": round(recording.seconds / wall_s, 1),
        "pucks": 2,
        "rate_hz": rate_hz,
        "samples": {"arm": arm_line.delivered, "trunk": trunk_line.delivered},
        "label_reps": recording.reps,
        "counted_reps": progress.total_reps,
        "extra_reps": len(progress.extra_events),
        "stored_reps": stored,
        "integrity": integrity,
        "max_time_error_s": max(arm_line.max_error_s, trunk_line.max_error_s),
        "pucks_apart_at_end_s": abs(arm_line.last_t_s - trunk_line.last_t_s),
        "max_lag_behind_clock_s": round(max_lag_s, 4),
        "samples_out_of_order": arm_line.backwards + trunk_line.backwards,
        "traced_mb": [round(m[1], 2) for m in memory],
        "rss_mb": [round(m[2], 1) for m in memory],
        "traced_mb_per_h": growth_mb_per_h(memory, 1),
        "rss_mb_per_h": growth_mb_per_h(memory, 2),
        "file_samples": {"arm": len(arm_line.file_t_s), "trunk": len(trunk_line.file_t_s)},
    }


def problems(r: dict[str, Any]) -> list[str]:
    """Every check the report fails, in words."""
    out = []
    detected = r["counted_reps"] + r["extra_reps"]
    if detected != r["label_reps"] or r["stored_reps"] != r["label_reps"]:
        out.append(f"reps: label {r['label_reps']}, detected {detected}, stored {r['stored_reps']}")
    if r["samples"] != r["file_samples"] or r["samples_out_of_order"]:
        out.append(f"samples: delivered {r['samples']} of {r['file_samples']}, out of order")
    drift = max(r["max_time_error_s"], r["pucks_apart_at_end_s"], r["max_lag_behind_clock_s"])
    if drift > LIMITS["max_drift_s"] + 1.0 / r["rate_hz"] + POLL_S:
        out.append(f"timestamps drift by {drift:.3f} s")
    for key in ("traced_mb_per_h", "rss_mb_per_h"):
        if r[key] is not None and r[key] > LIMITS[key]:
            out.append(f"memory grows {r[key]} MB per hour ({key}, limit {LIMITS[key]})")
    if r["integrity"] != "ok":
        out.append(f"database integrity: {r['integrity']}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="signal time to soak")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="repquest-soak-") as folder:
        made_s = time.perf_counter()
        recording = make_recording(Path(folder), args.minutes, args.seed)
        print(f"soak: made {args.minutes:g} min recording in {time.perf_counter() - made_s:.0f} s")
        report = run(recording, Path(folder) / "data")
    failed = problems(report)
    print(json.dumps(report, indent=1))
    print("soak: OK" if not failed else "soak: FAILED — " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
