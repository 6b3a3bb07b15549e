"""A made-up but plausible two-week history, written through the real recorder into a real file.

Used by the history-screen, report and export tests (and to render screenshots): sessions on
most weekdays, range growing over time, a few flagged reps, one session cut short, a plan with a
Monday-to-Friday schedule. Days and times come from an injected clock, never the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from exercises.events import RepEvent
from exercises.session_plan import SessionProgress, SetPlan
from progress.recorder import PatientRecords
from progress.store import Store, open_store

TODAY = date(2025, 3, 14)  # a Friday
TZ = timezone(timedelta(hours=1))
SKIPPED = {date(2025, 3, 5), date(2025, 3, 11)}  # two missed weekdays
WEEKEND_BONUS = {date(2025, 3, 8)}  # trained on a Saturday anyway


class StepClock:
    """A clock that returns `start` and moves on by `step` at each call."""

    def __init__(self, start: datetime, step: timedelta = timedelta(seconds=3)) -> None:
        self.now_dt = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.now_dt
        self.now_dt += self.step
        return now


def rep_event(exercise_id: str, n: int, range_deg: float, flags: tuple[str, ...] = ()) -> RepEvent:
    t0 = 2.5 * n
    return RepEvent(
        exercise_id, "blue", t0, t0 + 0.9, t0 + 1.9, range_deg, range_deg / 60.0, 80.0 + n,
        smoothness=0.5 + (range_deg % 10) / 40, flags=flags,
    )  # fmt: skip


def training_days() -> Iterator[date]:
    day = TODAY - timedelta(days=13)
    while day <= TODAY:
        if (day.weekday() < 5 and day not in SKIPPED) or day in WEEKEND_BONUS:
            yield day
        day += timedelta(days=1)


def run_session(records: PatientRecords, plan: SetPlan, ranges: list[float], finish: bool) -> int:
    """Feed reps through `SessionProgress` and the recorder, as the headless runner does."""
    recorder = records.recorder(plan, origin="game")
    progress = SessionProgress(plan)
    recorder.begin()
    for n, range_deg in enumerate(ranges):
        flags = ("too_fast",) if n % 7 == 3 else ("partial",) if range_deg < 40 else ()
        event = rep_event(plan.exercise_id, n, range_deg, flags)
        recorder.on_rep(event, progress.add_rep(event), progress)
        if progress.resting:
            progress.start_next_set()
    if finish:
        progress.end_early()
        recorder.finish(progress.summary(duration_s=2.5 * len(ranges)))
    assert recorder.session_id is not None
    return recorder.session_id


def write_sample_history(data_dir: Path, patient: str = "Anna") -> Store:
    """Two weeks of sessions for `patient`; returns the open store (its clock at TODAY 18:00)."""
    clock = StepClock(datetime(2025, 3, 1, 9, 0, tzinfo=TZ))
    store = open_store(data_dir, now=clock)
    records = PatientRecords.for_patient(store, patient)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO plans (patient_id, created_at, valid_from, name, plan_json) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                records.patient_id, "2025-03-01T09:00:00+01:00", "2025-03-01",
                "Arm plan (Dr Lee)",
                json.dumps({"weekly_schedule": ["mon", "tue", "wed", "thu", "fri"],
                            "blocks": [{"exercise": "wrist_extension", "sets": 2, "reps": 10},
                                       {"exercise": "elbow_flexion", "sets": 1, "reps": 10}]}),
            ),
        )  # fmt: skip
    for i, day in enumerate(training_days()):
        clock.now_dt = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)
        base = 38 + 1.6 * i
        wrist = [base + (n % 5) * 1.5 for n in range(20 if i % 3 else 14)]
        cut_short = day == TODAY - timedelta(days=4)
        run_session(records, SetPlan("wrist_extension", 10, 2, 30), wrist, finish=not cut_short)
        if i % 2 == 0:
            elbow = [70 + 1.1 * i + (n % 4) for n in range(10)]
            run_session(records, SetPlan("elbow_flexion", 10, 1, 30), elbow, finish=True)
    # The cut-short session's process is gone (pid 0 is never a live session writer).
    with store.transaction() as conn:
        conn.execute("UPDATE sessions SET pid = NULL WHERE status = 'in_progress'")
    store.mark_interrupted()
    clock.now_dt = datetime(TODAY.year, TODAY.month, TODAY.day, 18, 0, tzinfo=TZ)
    return store
