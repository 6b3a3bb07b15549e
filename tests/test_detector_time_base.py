"""One time base: the detector counts from the samples' own timestamps, at any rate from 5 to
200 Hz, with jitter, gaps, batched notifications and a declared rate that is wrong; and it counts
nothing where no rep was made (bench.variations: rest with tremor, posture shift, puck picked up).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.accuracy import count_live
from bench.baselines import count_find_peaks
from bench.corpora import PHYSIO_DIR, labelled_sets
from bench.variations import (
    NO_REP_VARIATIONS,
    VARIATIONS,
    jittered,
    posture_shift,
    resampled,
    rest_with_tremor,
)
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from exercises.detection.resample import RATE_HZ, UniformResampler
from tests.test_detector_spar import load, needs_spar


def _events(blocks: list[SampleBlock], declared_rate_hz: float = 50.0) -> list:
    detector = RepDetector(get_exercise("auto"), rate_hz=declared_rate_hz)
    out: list = []
    for block in blocks:
        out += detector.update(block)
    return out


def _batches(block: SampleBlock, seed: int, most: int = 8) -> list[SampleBlock]:
    """The block as BLE notifications would bring it: 1 to `most` samples at a time."""
    rng = np.random.default_rng(seed)
    out, start = [], 0
    while start < len(block):
        stop = start + int(rng.integers(1, most + 1))
        out.append(block.slice(start, stop))
        start = stop
    return out


def test_resampler_puts_any_rate_on_one_grid() -> None:
    t_s = 3.0 + np.cumsum(np.random.default_rng(1).uniform(0.07, 0.13, 200))  # ~10 Hz, jittered
    accel = np.column_stack([np.sin(t_s), np.cos(t_s), np.ones_like(t_s)])
    out = UniformResampler()(SampleBlock("p", t_s, accel))
    assert out is not None
    assert np.allclose(np.diff(out.t_s), 1.0 / RATE_HZ)
    assert out.t_s[0] == t_s[0] and out.t_s[-1] <= t_s[-1]
    assert np.abs(out.accel_g[:, 0] - np.sin(out.t_s)).max() < 0.01  # linear between samples


def test_resampler_drops_samples_that_go_back_in_time_and_counts_them() -> None:
    resample = UniformResampler()
    t_s = np.array([0.0, 0.02, 0.04, 0.03, 0.04, 0.06])
    out = resample(SampleBlock("p", t_s, np.tile([0.0, 0.0, 1.0], (6, 1))))
    assert out is not None and resample.dropped_samples == 2
    assert np.all(np.diff(out.t_s) > 0)


def test_resampler_leaves_a_long_gap_visible() -> None:
    resample = UniformResampler()
    t_s = np.concatenate([np.arange(50) / 50.0, 3.0 + np.arange(50) / 50.0])
    out = resample(SampleBlock("p", t_s, np.tile([0.0, 0.0, 1.0], (100, 1))))
    assert out is not None and resample.gaps == 1
    assert np.diff(out.t_s).max() > 1.0  # no samples made up inside the 2 s silence


@settings(max_examples=20, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_resampler_output_does_not_depend_on_chunking(cuts: list[int]) -> None:
    rng = np.random.default_rng(2)
    t_s = np.cumsum(rng.uniform(0.003, 0.2, 400))
    block = SampleBlock("p", t_s, rng.normal(size=(400, 3)), rng.normal(size=(400, 3)))
    whole = UniformResampler()(block)
    resample, parts, start = UniformResampler(), [], 0
    for cut in cuts * 400:
        if start >= len(block):
            break
        part = resample(block.slice(start, start + cut))
        if part is not None:
            parts.append(part)
        start += cut
    assert whole is not None
    chunked = SampleBlock.concat(parts)
    assert np.array_equal(chunked.t_s, whole.t_s)
    assert np.array_equal(chunked.accel_g, whole.accel_g)
    assert np.array_equal(chunked.gyro_dps, whole.gyro_dps)  # type: ignore[arg-type]


@needs_spar
@pytest.mark.parametrize("name", ["S1_ABD_L", "S3_ER_R", "S2_PEN_R"])
def test_counts_agree_from_5_to_200_hz(name: str) -> None:
    """The same set sampled at 5–200 Hz: never an error, and 10 and 100 Hz within ±1."""
    block = load(name)
    counts = {}
    for rate in (5.0, 10.0, 25.0, 100.0, 200.0):
        counts[rate] = len(_events([resampled(block, 50.0, rate)], declared_rate_hz=rate))
    assert abs(counts[10.0] - counts[100.0]) <= 1, counts
    assert abs(counts[100.0] - 20) <= 1, counts


@needs_spar
def test_jitter_batches_and_a_wrong_declared_rate_change_nothing() -> None:
    """Stamps wobbling ±30 %, two lost stretches, notifications of 1–8 samples, and a header
    that says 100 Hz for a 50 Hz stream: the same reps as the same samples fed whole."""
    block = jittered(load("S2_FEL_R"), 50.0, seed=4)
    whole = _events([block], declared_rate_hz=50.0)
    assert abs(len(whole) - 20) <= 1
    assert _events(_batches(block, seed=5), declared_rate_hz=100.0) == whole


@needs_spar
@pytest.mark.parametrize("seed", range(4))
def test_rest_and_posture_shifts_count_nothing(seed: int) -> None:
    up = load("S4_ABD_R").accel_g[0]
    for make in (rest_with_tremor, posture_shift):
        for rate in (10.0, 50.0, 100.0):
            assert _events([make(up, rate, seed)], declared_rate_hz=rate) == [], make.__name__


def test_no_rep_variations_are_the_ones_with_truth_zero() -> None:
    block = SampleBlock("p", np.arange(100) / 50.0, np.tile([0.0, 0.0, 1.0], (100, 1)))
    for name, make in VARIATIONS.items():
        _, truth = make(block, 50.0, 0, 7) if name in NO_REP_VARIATIONS else (0, 7)
        assert (truth == 0) == (name in NO_REP_VARIATIONS)


@pytest.mark.skipif(not PHYSIO_DIR.is_dir(), reason="the Physio corpus is not at ../shared")
def test_physio_sets_count_at_least_as_well_as_find_peaks() -> None:
    """Another corpus, other people and sensors at 25 Hz, a third of the reps too fast and a
    third too small: live, within ±1 at least as often as the offline peer (measured 0.69 beside
    0.63 when this was written; the arm and trunk sets alone are 0.83 beside 0.92, a shortfall
    `make bench` lists)."""
    picked = list(labelled_sets(("physio",)))
    assert len(picked) == 32
    ours = [abs(count_live(s.block, s.rate_hz) - s.truth) <= 1 for s in picked]
    peer = [abs(count_find_peaks(s.block, s.rate_hz) - s.truth) <= 1 for s in picked]
    assert np.mean(ours) >= np.mean(peer), (ours, peer)
    assert np.mean(ours) >= 0.65
