"""A patient who speeds up mid-set, or whose learned rep period came out too long, still has every
rep counted: a quick rep after the limb came back to rest is a rep, not the last rep's second
bump (the soak's seed 2 counted 10 of 20 when the refractory trusted the period alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.recording import read_recording
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from soak.hour import EXERCISE, make_recording
from tests.sim_driver import press_reps


def _count(exercise_id: str, blocks: list[SampleBlock], rate_hz: float = 50.0) -> int:
    detector = RepDetector(get_exercise(exercise_id), rate_hz=rate_hz)
    first = blocks[0].puck_id
    n = sum(len(detector.update(b)) for b in blocks if b.puck_id == first)
    return n + len(detector.finish())


@pytest.mark.parametrize("exercise_id", ["wrist_extension", "shoulder_flexion"])
def test_a_set_that_speeds_up_counts_every_rep(exercise_id: str) -> None:
    """Five slow reps (the period is learned from them, ~4.5 s), then six at twice the pace with
    no pause: each fast rep comes sooner than the refractory share of the learned period."""
    exercise = get_exercise(exercise_id)
    slow = press_reps(exercise, 5, hold_s=2.0, release_s=2.5)
    fast = press_reps(exercise, 6, hold_s=1.0, release_s=1.3, lead_in_s=0.0, seed=1)
    after_s = slow[-1].t_s[-1] + 0.02
    fast = [SampleBlock(b.puck_id, b.t_s + after_s, b.accel_g, b.gyro_dps) for b in fast]
    assert _count(exercise_id, slow + fast) == 11


def test_soak_seed_2_counts_every_rep(tmp_path: Path) -> None:
    """The soak's seed-2 set (a random pace from which learning took twice the real rep period)
    through the detector directly: all 20 reps, not every other one."""
    recording = make_recording(tmp_path, 1.2, seed=2)
    block = read_recording(recording.arm).block
    assert recording.reps == 20
    assert _count(EXERCISE, [block], rate_hz=100.0) == 20
