"""Detector throughput: samples per second per core, streaming and offline, against two baselines.

    python -m bench.throughput          (also part of `make bench`)

On the SPAR recordings (the `plain` sets, 50 Hz) and on the same sets resampled to 100 Hz (what
the frame-time benchmark's pucks stream):

- `stream`: our `RepDetector` fed 20 ms blocks (1 sample at 50 Hz, 2 at 100 Hz), as the game feeds
  it once per frame, learning included (it starts uncalibrated, as a patient's first set does);
- `offline`: our detector given each whole recording in one `update()` (the `count` command);
- `naive`: a per-sample pure-Python loop (Butterworth low-pass, tilt from the first sample,
  hysteresis) — the cost of the obvious implementation, not a counter worth its accuracy;
- `find_peaks`: the offline baseline of `bench.baselines`, on whole recordings.

Time is the process's CPU time (`time.process_time`), so other programs on the machine do not
inflate it and the figure is per core. The budget: two pucks at 100 Hz on one core, 1000× faster
than real time, i.e. streaming ≥ 200 000 samples/s. `block_ms` is the slowest single `update()`
(the learning step runs inside one block).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

from bench.baselines import count_find_peaks
from bench.cases import RATE_HZ, cases
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector

BLOCK_S = 0.02  # one 60 fps frame drains ~one 20 ms block per puck
PUCKS = 2
REALTIME_FACTOR = 1000.0
RATES_HZ = (50.0, 100.0)
SETS = 28  # the first two subjects, every exercise and both arms: plenty for a rate


def resampled(block: SampleBlock, rate_hz: float) -> SampleBlock:
    """The same movement sampled at `rate_hz` (linear interpolation)."""
    t_s = np.arange(0.0, float(block.t_s[-1]), 1.0 / rate_hz)

    def interp(rows: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(t_s, block.t_s, rows[:, i]) for i in range(3)], axis=1)

    gyro = None if block.gyro_dps is None else interp(block.gyro_dps)
    return SampleBlock(block.puck_id, t_s, interp(block.accel_g), gyro)


def recordings(limit: int | None = None) -> list[SampleBlock]:
    """The SPAR `plain` sets (at most `limit` of them)."""
    out = []
    for case in cases(("plain",)):
        out.append(case.block)
        if limit is not None and len(out) >= limit:
            break
    return out


def count_naive(block: SampleBlock, rate_hz: float) -> int:
    """Per sample, in pure Python: low-pass each axis, tilt from the first direction, hysteresis
    at 20° out and 8° back."""
    b, a = signal.butter(2, 6.0, fs=rate_hz)
    b0, b1, b2 = (float(v) for v in b)
    a1, a2 = float(a[1]), float(a[2])
    hist = [[0.0, 0.0, 0.0, 0.0] for _ in range(3)]  # x1, x2, y1, y2 per axis
    first: tuple[float, float, float] | None = None
    reps, out = 0, False
    for sample in block.accel_g.tolist():
        filtered = []
        for axis, x in enumerate(sample):
            h = hist[axis]
            if first is None:
                h[:] = [x, x, x, x]  # start settled, as the streaming filter does
            y = b0 * x + b1 * h[0] + b2 * h[1] - a1 * h[2] - a2 * h[3]
            h[1], h[0], h[3], h[2] = h[0], x, h[2], y
            filtered.append(y)
        norm = math.sqrt(sum(v * v for v in filtered)) or 1.0
        up = (filtered[0] / norm, filtered[1] / norm, filtered[2] / norm)
        if first is None:
            first = up
        cos = max(-1.0, min(1.0, up[0] * first[0] + up[1] * first[1] + up[2] * first[2]))
        angle_deg = math.degrees(math.acos(cos))
        if not out and angle_deg > 20.0:
            out = True
        elif out and angle_deg < 8.0:
            reps, out = reps + 1, False
    return reps


def _detector(rate_hz: float) -> RepDetector:
    return RepDetector(get_exercise("auto"), rate_hz=rate_hz)


def stream(blocks: list[SampleBlock], rate_hz: float) -> dict[str, float]:
    """Our detector, one fresh detector per recording, fed 20 ms blocks."""
    step = max(1, round(BLOCK_S * rate_hz))
    chunked = [[b.slice(i, i + step) for i in range(0, len(b), step)] for b in blocks]
    slowest_s, cpu_s = 0.0, 0.0
    for chunks in chunked:
        detector = _detector(rate_hz)
        start = time.process_time()
        for chunk in chunks:
            before = time.perf_counter()
            detector.update(chunk)
            slowest_s = max(slowest_s, time.perf_counter() - before)
        detector.finish()
        cpu_s += time.process_time() - start
    samples = sum(len(b) for b in blocks)
    return {"samples": samples, "cpu_s": cpu_s, "block_ms": round(1000 * slowest_s, 2)}


def whole(blocks: list[SampleBlock], rate_hz: float, counter: Callable[..., Any]) -> dict[str, Any]:
    """A counter given each whole recording at once."""
    start = time.process_time()
    for block in blocks:
        counter(block, rate_hz)
    return {"samples": sum(len(b) for b in blocks), "cpu_s": time.process_time() - start}


def _count_offline(block: SampleBlock, rate_hz: float) -> int:
    detector = _detector(rate_hz)
    return len(detector.update(block)) + len(detector.finish())


def _rated(row: dict[str, Any], rate_hz: float) -> dict[str, Any]:
    per_s = row["samples"] / max(row["cpu_s"], 1e-9)
    return row | {
        "cpu_s": round(row["cpu_s"], 3),
        "samples_per_s": round(per_s),
        "x_realtime_two_pucks": round(per_s / (PUCKS * rate_hz), 1),
    }


def run(limit: int | None = SETS, blocks: list[SampleBlock] | None = None) -> dict[str, Any]:
    """Every method at every rate. `limit` sets how many SPAR sets; `blocks` replaces them."""
    source = blocks if blocks is not None else recordings(limit)
    rates: dict[str, Any] = {}
    for rate_hz in RATES_HZ:
        data = source if rate_hz == RATE_HZ else [resampled(b, rate_hz) for b in source]
        methods = {
            "stream": stream(data, rate_hz),
            "offline": whole(data, rate_hz, _count_offline),
            "naive": whole(data, rate_hz, count_naive),
            "find_peaks": whole(data, rate_hz, count_find_peaks),
        }
        rates[f"{rate_hz:.0f}"] = {k: _rated(v, rate_hz) for k, v in methods.items()}
    top = max(RATES_HZ)
    worst = rates[f"{top:.0f}"]["stream"]["x_realtime_two_pucks"]
    return {
        "recordings": len(source),
        "block_s": BLOCK_S,
        "budget_x_realtime": REALTIME_FACTOR,
        "stream_x_realtime_at_100hz": worst,
        "within_budget": worst >= REALTIME_FACTOR,
        "rates": rates,
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['recordings']} SPAR sets; CPU time of one core; ×real time is for two pucks "
        f"(budget ≥ {result['budget_x_realtime']:.0f}× streaming)",
        "",
        "| rate | method | samples/s per core | × real time, 2 pucks | slowest 20 ms block (ms) |",
        "|---|---|---|---|---|",
    ]
    for rate, methods in result["rates"].items():
        for name, r in methods.items():
            slow = r.get("block_ms", "")
            lines.append(
                f"| {rate} Hz | {name} | {r['samples_per_s']:,} | {r['x_realtime_two_pucks']:,} "
                f"| {slow} |"
            )
    verdict = "within" if result["within_budget"] else "OUT OF"
    lines.append(
        f"\nstreaming at 100 Hz: {result['stream_x_realtime_at_100hz']:,}× real time for two "
        f"pucks ({verdict} budget)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
