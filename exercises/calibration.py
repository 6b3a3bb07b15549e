"""Calibration: where the patient's rest is, which way they move, and how far is comfortable.

Learned from the patient's own movement (principal component of the gravity direction, or of the
gyro's rotation), so a puck strapped on a little crooked still counts, and targets follow the
patient's comfortable range — "not too easy, not too difficult".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEATURE_TILT = "tilt"
FEATURE_GYRO = "gyro"

# The first half second tells which end of the movement is rest: patients start from rest.
_START_WINDOW_S = 0.5
_LOW_PCT, _HIGH_PCT = 5.0, 95.0


@dataclass(frozen=True)
class Calibration:
    """A learned movement model. The feature angle is 0 deg at rest and grows toward `top_deg`.

    tilt: angle of the gravity direction in the plane spanned by `ref_dir` (rest) and `move_dir`.
    gyro: rotation about `move_dir` (a unit axis in puck coordinates), integrated.
    """

    feature: str
    ref_dir: tuple[float, float, float]
    move_dir: tuple[float, float, float]
    rest_deg: float
    top_deg: float

    @property
    def range_deg(self) -> float:
        return self.top_deg - self.rest_deg


def unit_rows(v: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (rows of zeros stay zeros)."""
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def principal_axis(rows: np.ndarray) -> np.ndarray:
    """Unit direction of largest variance of (N, 3) rows."""
    centred = rows - rows.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return np.asarray(vectors[:, -1])


def tilt_angle_deg(up: np.ndarray, ref_dir: np.ndarray, move_dir: np.ndarray) -> np.ndarray:
    """Angle (deg) of unit gravity directions `up` (N, 3) from `ref_dir`, toward `move_dir`."""
    return np.degrees(np.arctan2(up @ move_dir, up @ ref_dir))


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
    return Calibration(FEATURE_TILT, _tuple(ref_rest), _tuple(move_rest), 0.0, top - rest)


def gyro_axis(gyro_dps: np.ndarray) -> np.ndarray:
    """The axis the puck turns about most (unit, puck coordinates)."""
    return principal_axis(gyro_dps)


def learn_gyro(angle_deg: np.ndarray, axis: np.ndarray, rate_hz: float) -> Calibration:
    """Gyro calibration from the integrated rotation about `axis`; flips the axis so top > rest."""
    rest, top = rest_and_top(angle_deg, rate_hz)
    if top < rest:
        axis = -axis
        rest, top = -rest, -top
    return Calibration(FEATURE_GYRO, (0.0, 0.0, 0.0), _tuple(axis), rest, top)


def repetitiveness(x: np.ndarray, rate_hz: float, min_period_s: float, max_period_s: float) -> float:
    """Highest normalised autocorrelation at rep-like lags: near 1 for a clean repeated movement."""
    x = x - x.mean()
    n = len(x)
    lo = int(min_period_s * rate_hz)
    hi = min(int(max_period_s * rate_hz), n // 2)
    if hi <= lo or not np.any(x):
        return 0.0
    spectrum = np.fft.rfft(x, 2 * n)
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    return float(ac[lo:hi].max() / ac[0])


def _tuple(v: np.ndarray) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))
