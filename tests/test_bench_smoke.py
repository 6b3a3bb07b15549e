"""The benchmarks run and report (never their figures: benchmarks are not tests).

`bench.run --smoke` runs the seconds-long version of every benchmark of `bench.run.SMOKE` in a real
subprocess; the JSON and the printed summary must be well formed. The pure helpers the figures
rest on (the naive counter, the memory slope, the startup probe) are checked on known answers.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bench.end_to_end import RATE_HZ, accel_for, lifts
from bench.memory import floor, slope_per_h
from bench.run import SMOKE
from bench.throughput import count_naive, resampled
from devices.samples import SampleBlock
from tests.conftest import REPO_ROOT, require_spar


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_smoke_run_writes_every_benchmark(tmp_path: Path) -> None:
    require_spar()
    out = tmp_path / "results.json"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(SMOKE) <= set(results)
    assert results["machine"]["nproc"] >= 1 and results["machine"]["pygame_ce"]
    assert set(results["load_1min"]) == set(SMOKE)

    rates = results["throughput"]["rates"]
    assert set(rates) == {"50", "100"}
    for methods in rates.values():
        assert set(methods) == {"stream", "offline", "naive", "find_peaks"}
        assert all(_number(m["samples_per_s"]) and m["samples_per_s"] > 0 for m in methods.values())

    frames = results["frame_time"]["games"]
    assert set(frames) == {"garden/adult", "garden/child"}
    for r in frames.values():
        assert r["frames"] in (60, 61) and 0 < r["p50_ms"] <= r["p99_ms"] <= r["max_ms"]

    e2e = results["end_to_end"]
    assert e2e["reps"] == 1, "the one live rep must reach the screen"
    row = e2e["rows"][0]
    assert all(_number(row[k]) for k in ("detector_ms", "wait_ms", "frame_ms", "e2e_ms"))
    assert row["e2e_ms"] >= row["detector_ms"]  # the movement ended before the event

    assert results["startup"]["first_scene"] == "MenuScene"
    assert results["startup"]["median_ms"] > results["startup"]["python_ms"] > 0

    memory = results["memory"]
    assert memory["stopped_by"] == "time limit" and memory["session_min"] >= 1.9
    assert memory["reps"] > 0 and _number(memory["growth_mb_per_h"])
    assert memory["rss_start_mb"] > 0 and len(memory["samples"]) >= 3

    assert "| figure | value | budget | met |" in done.stdout
    assert f"wrote {out}" in done.stdout


def test_smoke_never_overwrites_the_real_results(tmp_path: Path) -> None:
    """--out is where the smoke run writes; with a bad benchmark name nothing is written."""
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--only", "nonsense", "--out", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 and "nonsense" in done.stderr
    assert not out.exists()


def test_naive_counter_counts_clean_lifts() -> None:
    angle = lifts(6)
    block = SampleBlock("p", np.arange(len(angle)) / RATE_HZ, accel_for(angle))
    assert count_naive(block, RATE_HZ) == 6
    assert count_naive(resampled(block, 50.0), 50.0) == 6


def test_memory_slope_ignores_the_warm_up() -> None:
    t_s = [0.0, 600.0, 1200.0, 1800.0, 2400.0, 3000.0, 3600.0]
    mb = [100.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0]  # +50 MB warm-up, then +6 MB/h
    assert slope_per_h(t_s, mb, from_s=600.0) == pytest.approx(6.0)
    assert slope_per_h(t_s, mb, from_s=3600.0) is None  # one point is no slope


def test_memory_floor_ignores_the_sawtooth() -> None:
    t_s = [float(t) for t in range(0, 3600, 60)]
    saw = [130.0 + (i % 3) * 7.0 for i in range(len(t_s))]  # up 14 MB and back, every 3 min
    assert slope_per_h(*floor(t_s, saw, 300.0), from_s=0.0) == pytest.approx(0.0, abs=1e-9)
    leak = [v + t / 3600.0 * 8.0 for v, t in zip(saw, t_s, strict=True)]  # +8 MB/h under it
    assert slope_per_h(*floor(t_s, leak, 300.0), from_s=0.0) == pytest.approx(8.0, rel=0.1)
