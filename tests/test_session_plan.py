"""Sets, reps and rests, and the headless runner that follows them on a real Source."""

from __future__ import annotations

import pytest

from devices.clock import ManualClock
from devices.replay import ReplaySource
from exercises.catalogue import get_exercise
from exercises.events import RepEvent
from exercises.session_plan import Outcome, PlanError, SessionProgress, SetPlan
from exercises.session_runner import HeadlessSession


def rep(t_s: float) -> RepEvent:
    return RepEvent("wrist_extension", "p", t_s, t_s + 0.5, t_s + 1.0, 40.0, 1.1, 90.0)


def test_reps_fill_sets_then_rest_then_the_next_set() -> None:
    progress = SessionProgress(SetPlan("wrist_extension", reps_per_set=2, sets=2, rest_s=30))
    assert progress.add_rep(rep(0)) is Outcome.REP
    assert progress.add_rep(rep(2)) is Outcome.SET_DONE
    assert progress.resting
    assert progress.add_rep(rep(4)) is Outcome.EXTRA  # moving while resting: kept, not counted
    progress.start_next_set()
    assert (progress.set_index, progress.reps_in_set) == (1, 0)
    assert progress.add_rep(rep(6)) is Outcome.REP
    assert progress.add_rep(rep(8)) is Outcome.SESSION_DONE
    assert progress.done
    summary = progress.summary(12.0)
    assert summary["reps"] == 4 and summary["sets"] == 2 and summary["extra_reps"] == 1
    assert summary["reps_per_set"] == [2, 2] and summary["completed"] is True


def test_stopping_early_keeps_the_partial_set() -> None:
    progress = SessionProgress(SetPlan("wrist_extension", reps_per_set=10, sets=3))
    for i in range(4):
        progress.add_rep(rep(i))
    progress.end_early()
    summary = progress.summary(5.0)
    assert summary["reps_per_set"] == [4]
    assert summary["sets"] == 0 and summary["reps"] == 4
    assert not progress.done and summary["completed"] is False


def test_stopping_in_the_last_set_does_not_complete_the_session() -> None:
    progress = SessionProgress(SetPlan("wrist_extension", reps_per_set=2, sets=2, rest_s=0))
    for i in range(2):
        progress.add_rep(rep(i))
    progress.start_next_set()
    progress.add_rep(rep(5))
    progress.end_early()
    summary = progress.summary(8.0)
    assert summary["sets"] == 1 and summary["reps_per_set"] == [2, 1]
    assert summary["completed"] is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"reps_per_set": 0}, "reps per set"), ({"sets": 21}, "sets"), ({"rest_s": -1}, "rest")],
)
def test_impossible_plans_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        SetPlan("wrist_extension", **kwargs)


def test_headless_session_on_a_replay_rests_in_signal_time(spar_dir, tmp_path) -> None:
    clock = ManualClock()
    source = ReplaySource(spar_dir / "S1_FEL_L.csv", speed=50.0, time_func=clock)
    plan = SetPlan("auto", reps_per_set=5, sets=3, rest_s=5.0)
    outcomes: list[Outcome] = []
    session = HeadlessSession(
        source,
        get_exercise("auto"),
        plan,
        time_func=clock,
        sleep=clock.advance,
        on_rep=lambda event, outcome, progress: outcomes.append(outcome),
    )
    summary = session.run()
    assert summary["completed"] is True
    assert summary["reps_per_set"] == [5, 5, 5]
    # Each 5 s rest in the middle of a 20-rep set swallows at least one rep as "extra".
    assert summary["extra_reps"] >= 2
    assert outcomes.count(Outcome.SET_DONE) == 2 and outcomes[-1] is Outcome.SESSION_DONE
    starts = [e["t_start_s"] for e in summary["events"]]
    assert starts == sorted(starts)
