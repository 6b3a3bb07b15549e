"""The detector on synthetic accelerometer traces whose true rep count is known by construction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.limb_model import rotate
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.calibration import FEATURE_TILT, Calibration
from exercises.detection.detector import RepDetector
from exercises.detection.learning import tilt_feature
from exercises.events import FLAG_TOO_FAST

RATE_HZ = 50.0


def tilt_trace(
    rep_s: list[float],
    range_deg: float = 50.0,
    pause_s: float = 1.0,
    noise_g: float = 0.01,
    tremor_g: float = 0.0,
    seed: int = 0,
) -> SampleBlock:
    """Reps of raised-cosine tilt about the puck's x axis, each `rep_s[i]` long, pauses between."""
    angles: list[np.ndarray] = [np.zeros(int(2.0 * RATE_HZ))]
    for duration_s in rep_s:
        n = int(duration_s * RATE_HZ)
        angles.append(range_deg * 0.5 * (1 - np.cos(2 * np.pi * np.arange(n) / n)))
        angles.append(np.zeros(int(pause_s * RATE_HZ)))
    angle = np.radians(np.concatenate(angles))
    t_s = 100.0 + np.arange(len(angle)) / RATE_HZ
    up = rotate(np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0]), -angle)
    rng = np.random.default_rng(seed)
    accel = up + rng.normal(0, noise_g, up.shape)
    accel += tremor_g * np.sin(2 * np.pi * 5.0 * t_s)[:, None] * np.array([0.6, 0.5, 0.6])
    return SampleBlock("p1", t_s, accel)


def count(block: SampleBlock, exercise_id: str = "wrist_extension") -> list:
    detector = RepDetector(get_exercise(exercise_id), rate_hz=RATE_HZ)
    return detector.update(block) + detector.finish()


@pytest.mark.parametrize("n_reps", [1, 4, 12])
@pytest.mark.parametrize("exercise_id", ["wrist_extension", "auto"])
def test_counts_what_was_done(n_reps: int, exercise_id: str) -> None:
    events = count(tilt_trace([1.8] * n_reps), exercise_id)
    assert len(events) == n_reps


def test_slow_small_reps_of_a_weak_patient_count() -> None:
    assert len(count(tilt_trace([5.0] * 6, range_deg=20.0, tremor_g=0.01))) == 6


def test_rest_with_tremor_counts_nothing() -> None:
    long_still = tilt_trace([0.0], pause_s=60.0, tremor_g=0.02)
    assert count(long_still) == []
    assert count(long_still, "auto") == []


def test_event_times_and_range_describe_the_rep() -> None:
    events = count(tilt_trace([2.0] * 5, range_deg=50.0))
    for e in events:
        assert e.t_start_s < e.t_peak_s < e.t_end_s
        assert 1.0 < e.duration_s < 2.5
        assert e.range_deg == pytest.approx(50.0, abs=6.0)
        assert e.peak_speed_dps > 30
    # peaks sit mid-rep: 2 s lead-in, then 2 s reps each followed by 1 s of pause
    peaks = np.array([e.t_peak_s for e in events]) - 100.0
    assert np.allclose(peaks, 2.0 + 1.0 + 3.0 * np.arange(5), atol=0.25)


def test_quick_reps_are_flagged_too_fast() -> None:
    events = count(tilt_trace([2.0, 2.0, 2.0, 0.45, 0.45, 2.0]))
    flags = [FLAG_TOO_FAST in e.flags for e in events]
    assert flags == [False, False, False, True, True, False]


def test_progress_follows_the_limb() -> None:
    detector = RepDetector(get_exercise("wrist_extension"), rate_hz=RATE_HZ)
    block = tilt_trace([2.0] * 4)
    detector.update(block)
    assert not detector.learning
    seen = []
    later = tilt_trace([2.0], pause_s=0.0)  # the next rep, on the same clock
    top = SampleBlock(later.puck_id, later.t_s + block.t_s[-1] - 99.98, later.accel_g)
    for i in range(len(top)):
        detector.update(top.slice(i, i + 1))
        seen.append(detector.progress)
    assert min(seen) < 0.1 and max(seen) > 0.9


@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=60))
def test_chunking_never_changes_the_reps(cuts: list[int]) -> None:
    block = tilt_trace([1.5, 2.5, 1.0, 3.0, 2.0], seed=3)
    whole = count(block, "auto")
    detector = RepDetector(get_exercise("auto"), rate_hz=RATE_HZ)
    chunked = []
    start = 0
    for cut in cuts * 50:
        if start >= len(block):
            break
        chunked += detector.update(block.slice(start, start + cut))
        start += cut
    if start < len(block):
        chunked += detector.update(block.slice(start, len(block)))
    chunked += detector.finish()
    assert_same_events(chunked, whole)
    assert len(whole) == 5


def test_sample_by_sample_equals_whole() -> None:
    block = tilt_trace([2.0] * 3, seed=5)
    detector = RepDetector(get_exercise("wrist_extension"), rate_hz=RATE_HZ)
    one_by_one = []
    for i in range(len(block)):
        one_by_one += detector.update(block.slice(i, i + 1))
    one_by_one += detector.finish()
    assert_same_events(one_by_one, count(block))


def assert_same_events(a: list, b: list) -> None:
    """Identical reps; floats may differ in the last bits (filters summed in another order)."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.flags == y.flags and x.puck_id == y.puck_id
        assert x.t_start_s == y.t_start_s and x.t_peak_s == y.t_peak_s and x.t_end_s == y.t_end_s
        for name in ("range_deg", "range_fraction", "peak_speed_dps", "smoothness"):
            assert getattr(x, name) == pytest.approx(getattr(y, name), rel=1e-9)


def test_a_rep_with_a_second_bump_counts_once() -> None:
    """A band row that bounces: out, most of the way back, a second smaller push, then rest. The
    second bump comes well within the rep period, with no rest before it."""
    n = int(1.2 * RATE_HZ)
    main = 50.0 * 0.5 * (1 - np.cos(2 * np.pi * np.arange(n) / n))
    m = int(0.6 * RATE_HZ)
    bounce = 38.0 * 0.5 * (1 - np.cos(2 * np.pi * np.arange(m) / m))
    rep = np.concatenate([main, bounce, np.zeros(int(0.4 * RATE_HZ))])
    angle = np.radians(np.concatenate([np.zeros(int(RATE_HZ)), *[rep] * 10]))
    up = rotate(np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0]), -angle)
    rng = np.random.default_rng(1)
    block = SampleBlock("p1", np.arange(len(up)) / RATE_HZ, up + rng.normal(0, 0.005, up.shape))
    assert len(count(block)) == 10


def test_tilt_from_rest_does_not_jump_overhead() -> None:
    """An arm raised overhead slightly off the movement plane: the gravity direction passes near
    the plane's normal, where an in-plane angle swings half a turn between two samples. The tilt
    feature (the 3-D angle from rest) moves no more than the limb does."""
    calibration = Calibration(FEATURE_TILT, (0.0, 0.0, 1.0), (1.0, 0.0, 0.0), 0.0, 170.0)
    angle = np.radians(np.linspace(0.0, 175.0, 351))  # 0.5 deg steps
    off_plane = np.array([1.0, 0.0, 0.0]) * 0.02 + np.array([0.0, 1.0, 0.0])  # nearly the normal
    off_plane /= np.linalg.norm(off_plane)
    up = np.cos(angle)[:, None] * np.array([0.0, 0.0, 1.0]) + np.sin(angle)[:, None] * off_plane
    feature = tilt_feature(calibration, up)
    assert np.max(np.abs(np.diff(feature))) < 0.6
    assert feature[-1] == pytest.approx(175.0, abs=0.1)
