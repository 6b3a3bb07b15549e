"""Circular movements: one full turn of the limb is one rep (exercises.detection.loops).

The synthetic puck goes round a cone (a pendulum circle): its orientation is a small rotation
whose axis turns steadily, so the gravity direction draws a circle and the gyro's rate vector goes
round once per turn. Readings are made physically from that orientation (scipy's Rotation), with
sensor noise, and go through the whole detector in `auto`, as a replayed recording would.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.calibration import FEATURE_LOOP
from exercises.detection.detector import RepDetector
from exercises.detection.filters import StreamingLowPass
from exercises.detection.loops import find_loop
from exercises.events import FLAG_PARTIAL, RepEvent

RATE_HZ = 50.0


def puck_readings(rotvec_rad: np.ndarray, seed: int = 0) -> SampleBlock:
    """Accelerometer (gravity only, in the puck's frame) and gyro for an orientation path."""
    rng = np.random.default_rng(seed)
    n = len(rotvec_rad)
    orientation = Rotation.from_rotvec(rotvec_rad)
    accel = orientation.inv().apply([0.0, 0.0, 1.0]) + rng.normal(0, 0.01, (n, 3))
    # Body-frame angular rate from consecutive orientations.
    step = (orientation[:-1].inv() * orientation[1:]).as_rotvec() * RATE_HZ
    gyro = np.degrees(np.vstack([step, step[-1:]])) + rng.normal(0, 0.5, (n, 3))
    return SampleBlock("p1", np.arange(n) / RATE_HZ, accel, gyro)


def circles(
    turns: float,
    turn_s: float = 1.2,
    cone_deg: float = 15.0,
    way: float = 1.0,
    later_cone_deg: float | None = None,
    later_from_turn: float = 0.0,
) -> np.ndarray:
    """Rotation vectors (N, 3) for `turns` circles round a cone of half-angle `cone_deg`, easing
    in from rest over the first quarter turn (a patient starts from still), and easing to
    `later_cone_deg` over half a turn from turn `later_from_turn` on (smaller circles)."""
    n = round(turns * turn_s * RATE_HZ)
    turn = np.arange(n) / (turn_s * RATE_HZ)
    phase = way * 2 * np.pi * turn
    ease = np.clip(turn / 0.25, 0.0, 1.0)
    cone = np.full(n, cone_deg)
    if later_cone_deg is not None:
        blend = np.clip((turn - later_from_turn) / 0.5, 0.0, 1.0)
        cone = cone_deg + (later_cone_deg - cone_deg) * blend
    size = np.radians(cone) * ease
    return np.column_stack([size * np.sin(phase), -size * np.cos(phase), np.zeros(n)])


def still(seconds: float) -> np.ndarray:
    return np.zeros((int(seconds * RATE_HZ), 3))


def count(block: SampleBlock, chunk: int | None = None) -> tuple[list[RepEvent], RepDetector]:
    detector = RepDetector(get_exercise("auto"), rate_hz=RATE_HZ)
    events: list[RepEvent] = []
    step = chunk or len(block)
    for i in range(0, len(block), step):
        events += detector.update(block.slice(i, i + step))
    return events + detector.finish(), detector


@pytest.mark.parametrize("way", [1.0, -1.0], ids=["anticlockwise", "clockwise"])
def test_each_full_circle_is_one_rep(way: float) -> None:
    events, detector = count(puck_readings(np.vstack([still(2), circles(15, way=way)])))
    assert detector.calibration is not None and detector.calibration.feature == FEATURE_LOOP
    assert len(events) == 15
    # A rep takes a turn, and the reps follow each other a turn apart.
    gaps = np.diff([e.t_end_s for e in events])
    assert np.allclose(gaps, 1.2, atol=0.1), gaps


def test_a_rep_reports_how_far_the_puck_swings_across_the_circle() -> None:
    """Round a cone of half-angle 15 deg the puck swings 30 deg from one side to the other; the
    smaller circles at the end reach about half of that. The first of them are flagged partial;
    then the target follows the patient's new range, as it does for out-and-back reps."""
    path = np.vstack([still(2), circles(18, later_cone_deg=7.0, later_from_turn=12.0)])
    events, _ = count(puck_readings(path))
    assert len(events) == 18
    big = [e.range_deg for e in events[1:11]]
    assert np.allclose(big, 30.0, rtol=0.15), big
    assert all(FLAG_PARTIAL in e.flags for e in events[12:14])
    small = [e.range_deg for e in events[13:]]
    assert np.allclose(small, 14.0, rtol=0.15), small
    assert all(FLAG_PARTIAL not in e.flags for e in events[1:11])
    assert all(e.peak_speed_dps > 0 for e in events)


def test_a_pause_between_circles_keeps_the_count() -> None:
    path = np.vstack([still(2), circles(8), still(10), circles(8)])
    events, _ = count(puck_readings(path, seed=3))
    assert len(events) == 16


def test_circular_tremor_after_the_set_counts_nothing() -> None:
    """A 5 Hz tremor that goes round in a little circle, as big in rate as the exercise itself:
    every turn it makes is far quicker than a rep can be, so none counts."""
    set_and_tremor = np.vstack([still(2), circles(10)])
    block = puck_readings(set_and_tremor)
    n = int(20 * RATE_HZ)
    t = np.arange(n) / RATE_HZ
    tremor_rad = np.radians(1.5) * np.column_stack(
        [np.sin(2 * np.pi * 5 * t), -np.cos(2 * np.pi * 5 * t), np.zeros(n)]
    )
    tremor = puck_readings(tremor_rad + set_and_tremor[-1], seed=1)
    assert np.percentile(np.linalg.norm(tremor.gyro_dps, axis=1), 50) > 40  # circles ~75 deg/s
    joined = SampleBlock(
        "p1",
        np.arange(len(block) + n) / RATE_HZ,
        np.vstack([block.accel_g, tremor.accel_g]),
        np.vstack([block.gyro_dps, tremor.gyro_dps]),
    )
    events, detector = count(joined)
    assert detector.calibration is not None and detector.calibration.feature == FEATURE_LOOP
    assert len(events) == 10


def test_fed_sample_by_sample_gives_the_same_reps() -> None:
    block = puck_readings(np.vstack([still(2), circles(9), still(3), circles(3)]))
    whole, _ = count(block)
    assert len(whole) == 12
    assert count(block, chunk=1)[0] == whole
    assert count(block, chunk=37)[0] == whole


def _smoothed_gyro(rotvec_rad: np.ndarray) -> np.ndarray:
    gyro = puck_readings(rotvec_rad).gyro_dps
    assert gyro is not None
    return StreamingLowPass(6.0, RATE_HZ)(gyro)


def test_out_and_back_and_figure_of_eight_are_not_loops() -> None:
    """A swing to and fro (even with a second axis moving along) and a figure of eight both
    repeat every period, but their rate vector does not go round one way: no loop."""
    n = int(12 * 1.2 * RATE_HZ)
    phase = 2 * np.pi * np.arange(n) / (1.2 * RATE_HZ)
    swing = np.radians(30) * np.column_stack(
        [np.sin(phase), 0.6 * np.sin(phase + 0.3), np.zeros(n)]
    )
    eight = np.radians(20) * np.column_stack([np.sin(phase), np.sin(2 * phase), np.zeros(n)])
    assert find_loop(_smoothed_gyro(swing), 1.2, RATE_HZ) is None
    assert find_loop(_smoothed_gyro(eight), 1.2, RATE_HZ) is None
    # ...while the same period's circle is one, and a wrong period (twice the turn) is not.
    ring = circles(12)
    assert find_loop(_smoothed_gyro(ring), 1.2, RATE_HZ) is not None
    assert find_loop(_smoothed_gyro(ring), 2.4, RATE_HZ) is None
    # Counted in auto, the swing is out-and-back reps on tilt, one per period.
    events, detector = count(puck_readings(np.vstack([still(2), swing])))
    assert detector.calibration is not None and detector.calibration.feature != FEATURE_LOOP
    assert abs(len(events) - 12) <= 1
