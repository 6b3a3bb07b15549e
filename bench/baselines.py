"""Two published-style counters to compare ours with, run on exactly the same cases.

Both get advantages ours does not have: they see the whole recording at once (offline principal
component, and thresholds from the whole set's range), so they are an upper bound for what they
would do live.

- `count_find_peaks`: `scipy.signal.find_peaks` on the low-passed first principal component of the
  accelerometer, with a prominence of a third of the signal's 5–95 % range and peaks at least
  `min_rep_s` apart (the usual offline recipe).
- `count_replay`: a RePlay-style counter (the open-source FitMi app): a 10-sample running median of
  the same component, and a hysteresis — a rep is counted when the signal reaches the "hit"
  threshold after having gone back past the "return" threshold. Thresholds are 60 % and 30 % of the
  5–95 % range above the rest end (the end the set starts nearer to), RePlay's calibrate-then-play
  scheme with the whole set as its calibration.

Both ignore swings smaller than `MIN_SPAN_G` (about 6 deg of tilt), as ours ignores swings under
8 deg, so still rest is not counted as tiny reps just because thresholds scale with the signal.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage, signal

from devices.samples import SampleBlock

LOWPASS_HZ = 3.0
MIN_REP_S = 0.4
PROMINENCE_SHARE = 1 / 3
MEDIAN_SAMPLES = 10
HIT_SHARE, RETURN_SHARE = 0.6, 0.3
MIN_SPAN_G = 0.1


def first_component(block: SampleBlock, rate_hz: float, lowpass_hz: float | None) -> np.ndarray:
    """The accelerometer projected on its direction of largest variance (optionally low-passed)."""
    accel = np.asarray(block.accel_g, dtype=np.float64)
    if lowpass_hz is not None:
        sos = signal.butter(2, lowpass_hz, fs=rate_hz, output="sos")
        accel = signal.sosfilt(sos, accel, axis=0)
    centred = accel - accel.mean(axis=0)
    axis = np.linalg.eigh(centred.T @ centred)[1][:, -1]
    return np.asarray(centred @ axis)


def count_find_peaks(block: SampleBlock, rate_hz: float) -> int:
    x = first_component(block, rate_hz, LOWPASS_HZ)
    low, high = np.percentile(x, [5, 95])
    prominence = PROMINENCE_SHARE * max(high - low, MIN_SPAN_G)
    distance = max(1, int(MIN_REP_S * rate_hz))
    peaks, _ = signal.find_peaks(x, prominence=prominence, distance=distance)
    return len(peaks)


def count_replay(block: SampleBlock, rate_hz: float) -> int:
    x = ndimage.median_filter(first_component(block, rate_hz, None), MEDIAN_SAMPLES, mode="nearest")
    low, high = np.percentile(x, [5, 95])
    start = float(np.mean(x[: max(1, int(0.5 * rate_hz))]))
    if abs(start - high) < abs(start - low):  # rest is the high end: count downward swings
        x, low, high = -x, -high, -low
    span = max(high - low, MIN_SPAN_G)
    hit, back = low + HIT_SHARE * span, low + RETURN_SHARE * span
    reps, armed = 0, True
    for value in x.tolist():
        if armed and value >= hit:
            reps, armed = reps + 1, False
        elif not armed and value <= back:
            armed = True
    return reps
