"""The keyboard simulator is a real Source whose signal goes through the real detector."""

from __future__ import annotations

import numpy as np
import pytest

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.limb_model import IMPAIRED
from devices.source import SourceState
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from tests.sim_driver import press_reps

# The first exercises, at two paces and for an impaired mover; tests/test_exercise_library.py
# counts every exercise in the catalogue (once each, to keep the suite quick).
PLAN_EXERCISES = ["elbow_flexion", "forearm_rotation", "shoulder_flexion", "wrist_extension"]


def count(exercise_id: str, blocks: list) -> int:
    """Reps counted the way the game counts: the first puck's stream, or every puck's for
    exercises whose feature spans two pucks (alternate taps)."""
    exercise = get_exercise(exercise_id)
    detector = RepDetector(exercise)
    first = blocks[0].puck_id if blocks else ""
    mine = [b for b in blocks if exercise.counts_all_pucks or b.puck_id == first]
    n = sum(len(detector.update(b)) for b in mine)
    return n + len(detector.finish())


@pytest.mark.parametrize("exercise_id", PLAN_EXERCISES)
@pytest.mark.parametrize("presses", [3, 10])
def test_n_presses_give_n_reps(exercise_id: str, presses: int) -> None:
    assert count(exercise_id, press_reps(get_exercise(exercise_id), presses)) == presses


@pytest.mark.parametrize("exercise_id", PLAN_EXERCISES)
def test_impaired_mover_still_counts(exercise_id: str) -> None:
    blocks = press_reps(get_exercise(exercise_id), 8, hold_s=2.2, release_s=2.5, profile=IMPAIRED)
    assert count(exercise_id, blocks) == 8


def test_no_presses_no_reps() -> None:
    exercise = get_exercise("wrist_extension")
    assert count(exercise.id, press_reps(exercise, 0, lead_in_s=30.0)) == 0


def test_samples_are_paced_by_the_clock_not_by_reads(clock: ManualClock) -> None:
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    few_reads = []
    for _ in range(4):
        clock.advance(0.5)
        few_reads += sim.read()
    t = np.concatenate([b.t_s for b in few_reads])
    assert len(t) == 101  # 2 s at 50 Hz, counting the sample at the start
    assert np.allclose(np.diff(t), 0.02)


def test_signal_looks_like_an_accelerometer(clock: ManualClock) -> None:
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    clock.advance(10.0)
    accel = np.concatenate([b.accel_g for b in sim.read()])
    assert np.allclose(np.linalg.norm(accel, axis=1).mean(), 1.0, atol=0.01)  # gravity
    noise = accel.std(axis=0)
    assert np.all(noise > 0.005) and np.all(noise < 0.03)  # ~0.01 g sensor noise at rest


def test_holding_turns_the_puck_through_the_range(clock: ManualClock) -> None:
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    clock.advance(0.5)
    rest = np.concatenate([b.accel_g for b in sim.read()]).mean(axis=0)
    sim.set_held(True)
    clock.advance(1.5)
    sim.read()
    clock.advance(0.5)
    top = np.concatenate([b.accel_g for b in sim.read()]).mean(axis=0)
    angle_deg = np.degrees(np.arccos(rest @ top / np.linalg.norm(rest) / np.linalg.norm(top)))
    assert angle_deg == pytest.approx(60.0, abs=5.0)  # LimbMotion's default range
    assert sim.position == pytest.approx(1.0, abs=0.05)


def test_second_puck_and_stop(clock: ManualClock) -> None:
    sim = KeyboardSimulator(second_puck=True, time_func=clock)
    assert sim.status.state is SourceState.CONNECTING
    with sim:
        clock.advance(1.0)
        blocks = sim.read()
        assert {b.puck_id for b in blocks} == {"sim-1", "sim-2"}
        assert sim.status.state is SourceState.STREAMING
    assert sim.status.state is SourceState.STOPPED
    sim.stop()  # idempotent
    assert sim.read() == []
