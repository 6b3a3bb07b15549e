"""Rep quality on every RepEvent, the compensation guard, re-seat detection and the gyro feature."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

from bench.latency import LIMIT_MS, latencies_ms
from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.limb_model import rotate
from devices.recording import RecordingWriter
from devices.samples import SampleBlock
from exercises.catalogue import CATALOGUE_DIR, ExerciseError, get_exercise, parse_exercise
from exercises.detection.compensation import CompensationGuard
from exercises.detection.detector import RepDetector
from exercises.detection.quality import sparc
from exercises.events import FLAG_COMPENSATED, FLAG_PARTIAL, RepEvent
from exercises.session_plan import Outcome, SessionProgress, SetPlan
from exercises.simulation import limb_motion_for
from tests.test_detector_synthetic import RATE_HZ, count, tilt_trace


def test_sparc_ranks_a_hesitant_rep_below_a_smooth_one() -> None:
    t_s = np.arange(0, 2, 1 / RATE_HZ)
    smooth = np.sin(np.pi * t_s / 2) ** 2
    hesitant = smooth * (1 + 0.6 * np.sin(2 * np.pi * 3 * t_s))
    assert sparc(smooth, RATE_HZ) == pytest.approx(-1.4, abs=0.15)
    assert sparc(hesitant, RATE_HZ) < sparc(smooth, RATE_HZ) - 0.3
    assert sparc(2 * smooth, RATE_HZ) == pytest.approx(sparc(smooth, RATE_HZ))  # size-free
    assert sparc(np.zeros(50), RATE_HZ) is None


def test_every_event_carries_its_quality() -> None:
    events = count(tilt_trace([2.0] * 5, range_deg=50.0))
    assert len(events) == 5
    for e in events:
        assert e.smoothness is not None and -3.0 < e.smoothness < -1.0
        record = e.to_json()
        for key in ("range_deg", "range_fraction", "duration_s", "peak_speed_dps", "smoothness"):
            assert isinstance(record[key], float)
        assert record["flags"] == list(e.flags)


def test_short_reps_after_full_ones_are_partial() -> None:
    block = tilt_trace([2.0] * 4, range_deg=50.0)
    detector = RepDetector(get_exercise("wrist_extension"), rate_hz=RATE_HZ)
    full = detector.update(block)
    short = tilt_trace([2.0] * 2, range_deg=35.0)
    later = SampleBlock("p1", short.t_s + 100.0, short.accel_g)
    events = full + detector.update(later) + detector.finish()
    assert [FLAG_PARTIAL in e.flags for e in events] == [False] * 4 + [True] * 2
    assert events[-1].range_fraction == pytest.approx(35.0 / (0.8 * 50.0), abs=0.1)


Blocks = list[SampleBlock]


def _sim_session(lean_on: set[int], presses: int = 6) -> tuple[Blocks, Blocks]:
    """(arm blocks, trunk blocks) of a two-puck keyboard session; rep i leans if i in lean_on."""
    clock = ManualClock()
    exercise = get_exercise("shoulder_flexion")
    sim = KeyboardSimulator(limb_motion_for(exercise), second_puck=True, time_func=clock)
    sim.start()
    arm: list[SampleBlock] = []
    trunk: list[SampleBlock] = []

    def run_for(duration_s: float) -> None:
        for _ in range(round(duration_s * 20)):
            clock.advance(0.05)
            for block in sim.read():
                (arm if block.puck_id == "sim-1" else trunk).append(block)

    run_for(1.0)
    for i in range(presses):
        sim.set_held(True)
        sim.set_second_held(i in lean_on)
        run_for(1.2)
        sim.set_held(False)
        sim.set_second_held(False)
        run_for(1.6)
    run_for(1.0)
    return arm, trunk


def _guarded(arm: list[SampleBlock], trunk: list[SampleBlock]) -> list[RepEvent]:
    exercise = get_exercise("shoulder_flexion")
    detector = RepDetector(exercise)
    guard = CompensationGuard(exercise.compensation_deg)
    for block in trunk:
        guard.update(block)
    events = [e for b in arm for e in detector.update(b)] + detector.finish()
    return [guard.check(e) for e in events]


def test_leaning_while_reaching_flags_the_rep_compensated() -> None:
    events = _guarded(*_sim_session(lean_on={2, 4}))
    assert [FLAG_COMPENSATED in e.flags for e in events] == [i in {2, 4} for i in range(6)]


def test_a_still_second_puck_flags_nothing() -> None:
    events = _guarded(*_sim_session(lean_on=set()))
    assert len(events) == 6 and not any(FLAG_COMPENSATED in e.flags for e in events)


@pytest.mark.parametrize("count_compensated", [True, False])
def test_the_plan_decides_whether_compensated_reps_count(count_compensated: bool) -> None:
    plan = SetPlan("shoulder_flexion", reps_per_set=5, sets=1, count_compensated=count_compensated)
    progress = SessionProgress(plan)
    rep = RepEvent("shoulder_flexion", "p1", 0.0, 0.5, 1.0, 40.0, 1.0, 80.0)
    leaned = dataclasses.replace(rep, flags=(FLAG_COMPENSATED,))
    assert progress.add_rep(rep) is Outcome.REP
    expected = Outcome.REP if count_compensated else Outcome.EXTRA
    assert progress.add_rep(leaned) is expected
    assert progress.reps_in_set == (2 if count_compensated else 1)


def test_a_reseated_puck_is_noticed_and_relearned() -> None:
    detector = RepDetector(get_exercise("wrist_extension"), rate_hz=RATE_HZ)
    block = tilt_trace([2.0] * 5, range_deg=50.0)
    detector.update(block)
    assert not detector.learning and not detector.reseated
    # Strapped on again, turned 70 deg about the forearm: a pose the calibration never saw.
    n = int(5 * RATE_HZ)
    up = rotate(np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0]), np.full(n, 1.2))
    t_s = block.t_s[-1] + (1 + np.arange(n)) / RATE_HZ
    detector.update(SampleBlock("p1", t_s, up))
    assert detector.reseated
    detector.recalibrate()
    assert detector.learning and not detector.reseated
    reps_before = detector.reps
    again = tilt_trace([2.0] * 5, range_deg=50.0)
    moved = rotate(again.accel_g, np.array([0.0, 1.0, 0.0]), np.full(len(again), 1.2))
    events = detector.update(SampleBlock("p1", again.t_s + t_s[-1], moved)) + detector.finish()
    assert len(events) == 5 and detector.reps == reps_before + 5


def test_swinging_through_the_range_is_not_a_reseat() -> None:
    detector = RepDetector(get_exercise("wrist_extension"), rate_hz=RATE_HZ)
    detector.update(tilt_trace([2.0] * 10, range_deg=60.0, tremor_g=0.01))
    assert not detector.learning and not detector.reseated


def test_gyro_exercise_needs_a_gyro() -> None:
    detector = RepDetector(get_exercise("forearm_rotation"), rate_hz=RATE_HZ)
    with pytest.raises(ValueError, match="gyro"):
        detector.update(tilt_trace([2.0] * 5)) + detector.finish()


def test_an_exercise_file_must_list_the_sensor_its_feature_needs() -> None:
    data = tomllib.loads((CATALOGUE_DIR / "forearm_rotation.toml").read_text(encoding="utf-8"))
    assert parse_exercise(data, "ok.toml").feature == "gyro"
    with pytest.raises(ExerciseError, match="needs sensors"):
        parse_exercise(data | {"sensors": ["accel"]}, "x.toml")


@pytest.mark.parametrize("rep_s", [1.0, 3.0, 8.0])
def test_rep_event_comes_within_50_ms_of_the_return(rep_s: float) -> None:
    lat = latencies_ms(rep_s, 30.0)
    assert len(lat) == 8
    assert max(lat) <= LIMIT_MS


def test_count_json_events_carry_the_quality_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import main

    path = tmp_path / "reps.csv"
    with path.open("w", encoding="utf-8") as stream:
        RecordingWriter(stream, {"puck": "p1", "rate_hz": "50"}).write(tilt_trace([2.0] * 4))
    assert main.main(["count", str(path), "--exercise", "auto", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reps"] == 4
    for event in out["events"]:
        assert {"range_deg", "range_fraction", "duration_s", "peak_speed_dps"} <= set(event)
        assert isinstance(event["smoothness"], float) and isinstance(event["flags"], list)
