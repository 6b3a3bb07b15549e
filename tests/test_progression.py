"""Progression between sessions moves reps and target range toward 80–90 % success, never beyond
the therapist's bounds, and learns from each stored session once."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from devices.source import SourceInfo
from exercises.events import RepEvent
from exercises.plan import parse_plan
from exercises.progression import Targets, next_targets
from exercises.session_plan import SessionProgress
from progress.plans import advance, current_plan, save_plan
from progress.recorder import SessionRecorder
from progress.store import open_store

PLAN = """
[patient]
name = "Ann"
affected_side = "left"
age_group = "adult"

[[blocks]]
exercise = "elbow_flexion"
sets = 1
reps = 5
target_range_deg = 60
min_range_deg = 40
max_range_deg = 70
"""
BLOCK = parse_plan(PLAN).blocks[0]


def test_high_success_grows_reps_from_5_to_10_then_the_range_up_to_its_bound() -> None:
    targets = Targets(5, 60.0)
    seen = []
    for _ in range(12):
        targets, _why = next_targets(BLOCK, targets, 1.0)
        seen.append(targets)
    assert [t.reps for t in seen[:5]] == [6, 7, 8, 9, 10]
    assert all(t.target_range_deg == 60.0 for t in seen[:5])
    assert seen[5].target_range_deg == 66.0 and seen[-1] == Targets(10, 70.0)


def test_low_success_shrinks_the_range_first_then_the_reps() -> None:
    targets, why = next_targets(BLOCK, Targets(7, 60.0), 0.5)
    assert targets == Targets(7, 54.0) and "less far" in why
    for _ in range(10):
        targets, why = next_targets(BLOCK, targets, 0.5)
    assert targets == Targets(5, 40.0) and "lower bounds" in why


def test_the_80_to_90_band_and_too_few_attempts_leave_targets_alone() -> None:
    for rate in (0.8, 0.85, 0.9, None):
        assert next_targets(BLOCK, Targets(6, 50.0), rate)[0] == Targets(6, 50.0)


@given(st.lists(st.one_of(st.none(), st.floats(0.0, 1.0)), max_size=40))
def test_targets_never_leave_the_therapists_bounds(rates: list[float | None]) -> None:
    b = BLOCK.bounds
    targets = Targets(BLOCK.reps, BLOCK.target_range_deg)
    for rate in rates:
        targets, _ = next_targets(BLOCK, targets, rate)
        assert b.min_reps <= targets.reps <= b.max_reps
        assert b.min_range_deg <= targets.target_range_deg <= b.max_range_deg


def rep(t_s: float, range_deg: float, duration_s: float = 1.5) -> RepEvent:
    return RepEvent("elbow_flexion", "sim-1", t_s, t_s + 0.7, t_s + duration_s, range_deg, 1.0, 90)


def store_session(store, stored, ranges: list[float]) -> None:  # type: ignore[no-untyped-def]
    plan = stored.today.blocks[0].set_plan()
    device = SourceInfo("sim-1", "keyboard", "keyboard simulator", 50.0, ())
    recorder = SessionRecorder(store, stored.patient_id, plan, origin="headless", device=device)
    session_id = recorder.begin()
    store.conn.execute("UPDATE sessions SET plan_id = ? WHERE id = ?", (stored.id, session_id))
    progress = SessionProgress(plan)
    for i, range_deg in enumerate(ranges):
        event = rep(10.0 * i, range_deg)
        recorder.on_rep(event, progress.add_rep(event), progress)
    recorder.finish(progress.summary(60.0))


def test_progression_reads_the_stored_sessions_once(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        stored = save_plan(store, parse_plan(PLAN))
        store_session(store, stored, [65.0] * 5)  # 5 of 5 reached the 60° target
        stored = advance(store, current_plan(store, stored.patient_id))  # type: ignore[arg-type]
        assert stored.today.blocks[0].reps == 6 and "one more rep" in stored.notes[0]
        assert advance(store, stored) == stored  # the same session is not learnt from twice
        store_session(store, stored, [65.0, 50.0, 50.0, 50.0, 65.0, 50.0])  # 2 of 6
        stored = advance(store, stored)
        assert stored.today.blocks[0].reps == 6
        assert stored.today.blocks[0].target_range_deg == 54.0
    with open_store(tmp_path) as store:  # kept with the plan in the database
        again = current_plan(store, stored.patient_id)
        assert again is not None and again.targets == stored.targets
        assert again.plan.blocks[0].reps == 5  # the therapist's own numbers are untouched
