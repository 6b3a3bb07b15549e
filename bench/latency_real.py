"""Rep-event latency on real recordings (SPAR and Physio tilt sets), not only synthetic reps.

A real recording has no true angle, so one is made offline: the same calibration the live
detector learned, applied to the accelerometer low-passed *without delay* (zero-phase, forward and
back, at the same cut-off) and resampled on the detector's grid. For each rep the live detector
reports (fed one sample at a time, as a puck arrives), the true crossing is the first grid point
after the rep's peak where that delay-free angle is back below the end threshold, `back_fraction`
of the rep's rise above its trough; the latency is the event's time minus that crossing. What it
measures is the pipeline's delay (low-pass, hysteresis), on real movement with real noise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import signal

from bench.corpora import CORPORA, labelled_sets
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.calibration import FEATURE_TILT, unit_rows
from exercises.detection.detector import DetectorSettings, RepDetector
from exercises.detection.learning import tilt_feature
from exercises.detection.rep_counter import CounterSettings
from exercises.detection.resample import UniformResampler

LIMIT_MS = 50.0
SETS_PER_CORPUS = 20


def latencies_ms(block: SampleBlock, rate_hz: float) -> list[float]:
    detector = RepDetector(get_exercise("auto"), rate_hz=rate_hz)
    events = []
    for i in range(len(block)):
        events += detector.update(block.slice(i, i + 1))
    calibration = detector.calibration
    if calibration is None or calibration.feature != FEATURE_TILT or not events:
        return []
    grid = UniformResampler(detector.rate_hz)(block)
    assert grid is not None
    sos = signal.butter(2, DetectorSettings().lowpass_hz, fs=detector.rate_hz, output="sos")
    angle = tilt_feature(calibration, unit_rows(signal.sosfiltfilt(sos, grid.accel_g, axis=0)))
    back = CounterSettings().back_fraction
    out = []
    for event in events:
        start, peak = np.searchsorted(grid.t_s, [event.t_start_s, event.t_peak_s])
        top_i = start + int(np.argmax(angle[start : peak + 1]))
        # The rep's trough: the lowest point in the second before it left rest, up to its top.
        trough = float(np.min(angle[max(0, start - int(detector.rate_hz)) : top_i + 1]))
        threshold = trough + back * (float(angle[top_i]) - trough)
        after = np.flatnonzero(angle[top_i:] < threshold)
        if len(after):
            out.append(1000.0 * (event.t_end_s - float(grid.t_s[top_i + after[0]])))
    return out


def run(sets_per_corpus: int = SETS_PER_CORPUS) -> dict[str, Any]:
    per_corpus = {}
    for corpus in CORPORA:
        lat: list[float] = []
        for i, s in enumerate(labelled_sets((corpus,))):
            if i >= sets_per_corpus:
                break
            lat += latencies_ms(s.block, s.rate_hz)
        arr = np.array(lat)
        per_corpus[corpus] = {
            "events": len(arr),
            "median_ms": round(float(np.median(arr)), 1) if len(arr) else None,
            "p95_ms": round(float(np.percentile(arr, 95)), 1) if len(arr) else None,
            "within_limit_share": round(float(np.mean(arr <= LIMIT_MS)), 3) if len(arr) else None,
        }
    return {"limit_ms": LIMIT_MS, "per_corpus": per_corpus}


def table(result: dict[str, Any]) -> str:
    lines = [
        "| corpus | tilt reps | median (ms) | p95 (ms) | share ≤ 50 ms |",
        "|---|---|---|---|---|",
    ]
    for corpus, r in result["per_corpus"].items():
        lines.append(
            f"| {corpus} | {r['events']} | {r['median_ms']} | {r['p95_ms']} | "
            f"{r['within_limit_share']} |"
        )
    return "\n".join(lines)
