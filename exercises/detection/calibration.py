"""Calibration: where the patient's rest is, which way they move, and how far is comfortable.

Learned from the patient's own movement (principal component of the gravity direction, or of the
gyro's rotation), so a puck strapped on a little crooked still counts, and targets follow the
patient's comfortable range — "not too easy, not too difficult".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from exercises.catalogue import FEATURE_GYRO, FEATURE_TILT

if TYPE_CHECKING:
    from exercises.detection.loops import LoopShape

# A learned feature, never named by an exercise file: one full turn of a circular movement is a
# rep (exercises.detection.loops).
FEATURE_LOOP = "loop"

# The first half second tells which end of the movement is rest: patients start from rest.
_START_WINDOW_S = 0.5
_LOW_PCT, _HIGH_PCT = 5.0, 95.0
_SUBHARMONIC_SHARE = 0.85


@dataclass(frozen=True)
class Calibration:
    """A learned movement model. The feature angle is 0 deg at rest and grows toward `top_deg`.

    tilt: angle of the gravity direction in the plane spanned by `ref_dir` (rest) and `move_dir`.
    gyro: rotation about `move_dir` (a unit axis in puck coordinates), integrated; `ref_dir` is
    the gravity direction at rest.
    loop: full turns of the gyro's rate vector round `loop` (a circular movement); the range is
    how far the puck swings across the loop.
    `top_deg - rest_deg` is the comfortable range (targets are a share of it); `period_s` the rep
    rhythm; `poses` gravity directions seen while calibrating (to notice a re-seated puck).
    """

    feature: str
    ref_dir: tuple[float, float, float]
    move_dir: tuple[float, float, float]
    rest_deg: float
    top_deg: float
    period_s: float | None = None  # the typical time from one rep to the next, when it was clear
    poses: tuple[tuple[float, float, float], ...] = ()
    loop: LoopShape | None = None

    @property
    def range_deg(self) -> float:
        return self.top_deg - self.rest_deg


def dot_rows(rows: np.ndarray, v: np.ndarray) -> np.ndarray:
    """`rows @ v` for (N, 3) rows, written out so each row's result is the same bit for bit
    whatever N is (a matrix product may round differently for one row and for many)."""
    v = np.asarray(v, dtype=np.float64)
    return np.asarray(rows[:, 0] * v[0] + rows[:, 1] * v[1] + rows[:, 2] * v[2])


def unit_rows(v: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (rows of zeros stay zeros)."""
    norms = np.sqrt(v[:, 0:1] ** 2 + v[:, 1:2] ** 2 + v[:, 2:3] ** 2)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def principal_axis(rows: np.ndarray) -> np.ndarray:
    """Unit direction of largest variance of (N, 3) rows."""
    centred = rows - rows.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return np.asarray(vectors[:, -1])


def tilt_angle_deg(
    up: np.ndarray, ref_dir: np.ndarray, move_dir: np.ndarray, centre_deg: float = 0.0
) -> np.ndarray:
    """Angle (deg) of unit gravity directions `up` (N, 3) from `ref_dir`, toward `move_dir`.

    The angle wraps half a turn away from `centre_deg`: put that mid-range, so a movement of up to
    ±180 deg around it (an arm raised overhead) never jumps by a full turn.
    """
    c = np.radians(centre_deg)
    ref_c = np.cos(c) * ref_dir + np.sin(c) * move_dir
    move_c = -np.sin(c) * ref_dir + np.cos(c) * move_dir
    return np.degrees(np.arctan2(dot_rows(up, move_c), dot_rows(up, ref_c))) + centre_deg


def rest_distance_deg(up: np.ndarray, rest_dir: np.ndarray) -> np.ndarray:
    """Angle (deg) between each unit gravity direction `up` (N, 3) and the rest direction.

    The rep feature for tilt: how far the limb is from rest, whichever way it went. It never
    wraps (an arm raised overhead reads up to 180 deg), and a rep that goes out along one path
    and comes back along another is still one bump, not two.
    """
    return np.degrees(np.arccos(np.clip(dot_rows(up, rest_dir), -1.0, 1.0)))


def tilt_plane(up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The plane the gravity direction sweeps: its mean direction and the movement direction."""
    ref = up.mean(axis=0)
    ref /= np.linalg.norm(ref)
    move = principal_axis(up)
    move = move - (move @ ref) * ref
    norm = np.linalg.norm(move)
    if norm < 1e-9:  # no movement at all: any perpendicular will do
        move = np.cross(ref, [1.0, 0.0, 0.0])
        if np.linalg.norm(move) < 1e-6:
            move = np.cross(ref, [0.0, 1.0, 0.0])
        norm = np.linalg.norm(move)
    return ref, move / norm


def rest_and_top(angle_deg: np.ndarray, rate_hz: float) -> tuple[float, float]:
    """The rest level and the top of the range: the percentile nearer the start is rest."""
    low, high = np.percentile(angle_deg, [_LOW_PCT, _HIGH_PCT])
    start = float(np.mean(angle_deg[: max(1, int(_START_WINDOW_S * rate_hz))]))
    if abs(start - high) < abs(start - low):
        return float(high), float(low)
    return float(low), float(high)


def learn_tilt(up: np.ndarray, rate_hz: float) -> Calibration:
    """Tilt calibration from unit gravity directions, re-based so rest is 0 deg and top positive."""
    ref, move = tilt_plane(up)
    rest, top = rest_and_top(tilt_angle_deg(up, ref, move), rate_hz)
    if top < rest:
        move = -move
        rest, top = -rest, -top
    # Turn the reference to the rest direction so the angle reads 0 deg at rest.
    a = np.radians(rest)
    ref_rest = np.cos(a) * ref + np.sin(a) * move
    move_rest = -np.sin(a) * ref + np.cos(a) * move
    return Calibration(FEATURE_TILT, vector3(ref_rest), vector3(move_rest), 0.0, top - rest)


def gyro_axis(gyro_dps: np.ndarray) -> np.ndarray:
    """The axis the puck turns about most (unit, puck coordinates)."""
    return principal_axis(gyro_dps)


def learn_gyro(angle_deg: np.ndarray, axis: np.ndarray, rate_hz: float) -> Calibration:
    """Gyro calibration from the integrated rotation about `axis`; flips the axis so top > rest."""
    rest, top = rest_and_top(angle_deg, rate_hz)
    if top < rest:
        axis = -axis
        rest, top = -rest, -top
    return Calibration(FEATURE_GYRO, (0.0, 0.0, 0.0), vector3(axis), rest, top)


def autocorrelation(x: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation (1 at lag 0) of a signal (N,) or of a vector signal (N, C)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    x = x - x.mean(axis=0)
    n = len(x)
    spectrum = np.fft.rfft(x, 2 * n, axis=0)
    ac = np.fft.irfft(spectrum * np.conj(spectrum), axis=0)[:n].sum(axis=1)
    return np.asarray(ac / ac[0]) if ac[0] > 0 else np.zeros(n)


def dominant_period(
    ac: np.ndarray, rate_hz: float, min_period_s: float, max_period_s: float
) -> tuple[float | None, float]:
    """The rep period (s) from an autocorrelation, and how repetitive the signal is: the highest
    autocorrelation at rep-like lags (near 1 for a clean repeated movement). Needs two periods."""
    n = len(ac)
    lo = max(int(min_period_s * rate_hz), 1)
    hi = min(int(max_period_s * rate_hz), n // 2)
    if hi <= lo:
        return None, 0.0
    # Only local maxima: at short lags a slow smooth signal is trivially like itself.
    k = np.arange(max(lo, 1), min(hi, n - 1))
    peaks = k[(ac[k] > ac[k - 1]) & (ac[k] >= ac[k + 1])]
    if len(peaks) == 0:
        return None, 0.0
    # The first peak nearly as high as the best: a rhythm that repeats at T also does at 2T.
    best = float(ac[peaks].max())
    lag = int(peaks[np.argmax(ac[peaks] >= _SUBHARMONIC_SHARE * best)])
    return lag / rate_hz, float(ac[lag])


def repetitiveness(
    x: np.ndarray, rate_hz: float, min_period_s: float, max_period_s: float
) -> float:
    """Highest normalised autocorrelation at rep-like lags: near 1 for a clean repeated movement."""
    return dominant_period(autocorrelation(x), rate_hz, min_period_s, max_period_s)[1]


def ac_at(ac: np.ndarray, period_s: float, rate_hz: float, tolerance: float = 0.1) -> float:
    """Highest autocorrelation within `tolerance` (a share) of the lag `period_s`."""
    lag = period_s * rate_hz
    lo = max(int(np.floor(lag * (1 - tolerance))), 1)
    hi = min(int(np.ceil(lag * (1 + tolerance))) + 1, len(ac))
    return float(ac[lo:hi].max()) if hi > lo else 0.0


def vector3(v: np.ndarray) -> tuple[float, float, float]:
    """A 3-vector as a tuple of floats (frozen calibrations hold tuples, not arrays)."""
    return (float(v[0]), float(v[1]), float(v[2]))
