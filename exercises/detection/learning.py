"""Learning a calibration from the patient's first movements (used by `RepDetector`).

The rep period is when the *whole* movement repeats (gravity direction and rotation together):
one feature alone can repeat twice per rep (a double bump). The feature is the tilt in the plane
the gravity direction sweeps, or — when the exercise says so, or in `auto` when it shows the rep
rhythm more clearly — the rotation the gyroscope measures about its main axis (turns about gravity,
such as forearm pronation/supination with the forearm upright, are invisible to tilt).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from exercises.catalogue import FEATURE_AUTO, FEATURE_GYRO
from exercises.detection.calibration import (
    FEATURE_LOOP,
    Calibration,
    ac_at,
    autocorrelation,
    dominant_period,
    gyro_axis,
    learn_gyro,
    learn_tilt,
    rest_distance_deg,
)
from exercises.detection.filters import LeakyIntegrator, StreamingLowPass
from exercises.detection.loops import LoopPhase, find_loop, loop_size_deg


@dataclass(frozen=True)
class LearnSettings:
    """What learning needs to know: the rate, the rep-period search range and the gyro leak."""

    rate_hz: float
    min_period_s: float
    max_period_s: float
    min_periodicity: float
    gyro_leak_s: float
    lowpass_hz: float = 6.0  # the gyro is low-passed like the accelerometer before loop phase


def learn(
    up: np.ndarray, gyro: np.ndarray | None, feature: str, s: LearnSettings
) -> tuple[Calibration, np.ndarray]:
    """The calibration for `feature` ("tilt", "gyro" or "auto") and the feature angle (deg) of
    the learned samples under it."""
    if feature == FEATURE_GYRO and gyro is None:
        raise ValueError("this exercise uses the gyroscope, but the puck sends no gyro data")
    tilt = learn_tilt(up, s.rate_hz)
    whole = autocorrelation(up)
    use_gyro = gyro is not None and feature in (FEATURE_AUTO, FEATURE_GYRO)
    if use_gyro and gyro is not None:
        whole = 0.5 * (whole + autocorrelation(gyro))
    period_s, score = dominant_period(whole, s.rate_hz, s.min_period_s, s.max_period_s)
    if period_s is None or score < s.min_periodicity:
        period_s = None
    tilt = replace(tilt, period_s=period_s)
    tilt_angle = tilt_feature(tilt, up)
    if not use_gyro:
        return tilt, tilt_angle
    assert gyro is not None
    if feature == FEATURE_AUTO and period_s is not None:
        looped = _learn_loop(tilt, gyro, period_s, s)
        if looped is not None:
            return looped
    axis = gyro_axis(gyro)
    gyro_angle = LeakyIntegrator(s.rate_hz, s.gyro_leak_s)(gyro @ axis)
    spin = learn_gyro(gyro_angle, axis, s.rate_hz)
    spin = replace(spin, period_s=period_s, ref_dir=tilt.ref_dir)
    if feature == FEATURE_GYRO or _clarity(gyro_angle, period_s, s) > _clarity(
        tilt_angle, period_s, s
    ):
        signed = gyro_angle if spin.move_dir == tuple(axis) else -gyro_angle
        return spin, signed
    return tilt, tilt_angle


def _learn_loop(
    tilt: Calibration, gyro: np.ndarray, period_s: float, s: LearnSettings
) -> tuple[Calibration, np.ndarray] | None:
    """A loop calibration when the movement goes round in circles (loops.py), with the
    loop feature of the learned samples; None when it does not."""
    smooth = StreamingLowPass(s.lowpass_hz, s.rate_hz)(gyro)
    shape = find_loop(smooth, period_s, s.rate_hz)
    if shape is None:
        return None
    feature = LoopPhase(shape, s.rate_hz)(smooth)
    size_deg = loop_size_deg(feature[:, 1], period_s)
    calibration = Calibration(
        FEATURE_LOOP, tilt.ref_dir, shape.axis_u, 0.0, size_deg, period_s, loop=shape
    )
    return calibration, feature


def tilt_feature(calibration: Calibration, up: np.ndarray) -> np.ndarray:
    """Tilt (deg) of unit gravity directions from the calibration's rest direction.

    The full 3-D angle from rest, not the angle within the learned plane: a real limb does not
    stay in a plane, and at the top of a large movement (an arm raised overhead) the gravity
    direction passes near the plane's normal, where the in-plane angle swings through half a
    turn in a few samples and one rep reads as two. The angle from rest never wraps and does not
    care which path the limb takes out and back. The plane is still what calibration learns:
    its rest end is the rest direction, and its extent the comfortable range."""
    return rest_distance_deg(up, np.asarray(calibration.ref_dir))


def centre_deg(calibration: Calibration) -> float:
    """Mid-range of a tilt calibration: the tilt angle wraps half a turn away from it."""
    return 0.5 * (calibration.rest_deg + calibration.top_deg)


def _clarity(angle: np.ndarray, period_s: float | None, s: LearnSettings) -> float:
    """How well one feature shows the rep rhythm (its autocorrelation at the rep period)."""
    ac = autocorrelation(angle)
    if period_s is None:
        return dominant_period(ac, s.rate_hz, s.min_period_s, s.max_period_s)[1]
    return ac_at(ac, period_s, s.rate_hz)
