"""How well a rep was done, beyond "it counted": smoothness of its speed profile.

Smoothness is the spectral arc length, SPARC (Balasubramanian, Melendez-Calderon, Roby-Brami and
Burdet, "On the analysis of movement smoothness", J NeuroEng Rehabil 12:112, 2015): the length of
the curve of the speed profile's normalised Fourier magnitude spectrum, up to an adaptive cut-off.
A smooth bell-shaped rep scores about -1.4 to -1.6; hesitant, jerky reps (many speed peaks, as
after a stroke) are more negative. It is dimensionless and does not depend on the rep's size or
duration, so it compares a patient with themselves across sessions.
"""

from __future__ import annotations

import numpy as np

from exercises.detection.rep_counter import CountedRep
from exercises.events import FLAG_PARTIAL, FLAG_TOO_FAST, RepEvent

SPARC_MAX_HZ = 10.0  # movement content of interest lies below this
SPARC_AMPLITUDE_THRESHOLD = 0.05  # the adaptive cut-off: last frequency above this magnitude
_PAD_LEVEL = 4  # zero-padding: 2**(ceil(log2 N) + this) points, for a fine spectrum
_MIN_SAMPLES = 4


def sparc(speed: np.ndarray, rate_hz: float) -> float | None:
    """SPARC of a speed profile (any unit; it is normalised). None when too short or still."""
    speed = np.abs(np.asarray(speed, dtype=np.float64))
    if len(speed) < _MIN_SAMPLES or not np.any(speed > 0):
        return None
    n_fft = int(2 ** (np.ceil(np.log2(len(speed))) + _PAD_LEVEL))
    freq = np.arange(n_fft) * rate_hz / n_fft
    magnitude = np.abs(np.fft.fft(speed, n_fft))
    magnitude = magnitude / magnitude.max()
    keep = freq <= SPARC_MAX_HZ
    freq, magnitude = freq[keep], magnitude[keep]
    above = np.nonzero(magnitude >= SPARC_AMPLITUDE_THRESHOLD)[0]
    last = int(above[-1]) + 1 if len(above) else len(freq)
    freq, magnitude = freq[:last], magnitude[:last]
    if len(freq) < 2:
        return 0.0
    d_freq = np.diff(freq) / (freq[-1] - freq[0])
    d_mag = np.diff(magnitude)
    return float(-np.sum(np.sqrt(d_freq**2 + d_mag**2)))


def angular_speed_dps(t_s: np.ndarray, angle_deg: np.ndarray) -> np.ndarray:
    """|d angle / dt| (deg/s), one value per sample, from samples on the sensor clock."""
    if len(t_s) < 2:
        return np.zeros(len(t_s))
    return np.abs(np.gradient(np.asarray(angle_deg, dtype=np.float64), np.asarray(t_s)))


def describe_rep(
    rep: CountedRep,
    exercise_id: str,
    puck_id: str,
    target_deg: float,
    min_rep_s: float,
    trace_t_s: np.ndarray,
    trace_deg: np.ndarray,
    rate_hz: float,
) -> RepEvent:
    """A counted rep as a `RepEvent` with its quality: range (deg and share of `target_deg`),
    peak speed, smoothness (SPARC of the reach's speed profile) and the `too_fast` / `partial`
    flags. `trace_*` is the recent feature angle, covering the rep."""
    range_deg = rep.peak_deg - rep.rest_deg
    fraction = range_deg / target_deg
    flags = []
    if rep.t_end_s - rep.t_start_s < min_rep_s:
        flags.append(FLAG_TOO_FAST)
    if fraction < 1.0:
        flags.append(FLAG_PARTIAL)
    # The reach, from rest to the peak: a whole discrete movement, as SPARC expects (the way back
    # is cut off by the detector at the end threshold, and a cut-off profile is never smooth).
    inside = (trace_t_s >= rep.t_start_s) & (trace_t_s <= rep.t_peak_s)
    smoothness = sparc(angular_speed_dps(trace_t_s[inside], trace_deg[inside]), rate_hz)
    return RepEvent(
        exercise_id=exercise_id,
        puck_id=puck_id,
        t_start_s=rep.t_start_s,
        t_peak_s=rep.t_peak_s,
        t_end_s=rep.t_end_s,
        range_deg=range_deg,
        range_fraction=fraction,
        peak_speed_dps=rep.peak_speed_dps,
        smoothness=smoothness,
        flags=tuple(flags),
    )
