"""A patient's history read back from the store, and the numbers people look at.

One read model for every view — the game's history screen, the therapist report and the exports —
so "reps", "days trained" or "best range" mean the same thing everywhere. Only *counted* reps
(those that went toward a set) are counted; extra reps made while resting stay in the database.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from progress.feelings import SORE, Feeling, patient_feelings
from progress.schema import KNOWN_FLAGS, rep_event_json
from progress.store import row_dicts

if TYPE_CHECKING:
    from progress.store import Store

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))  # clinical practice: train daily, until a plan says otherwise


@dataclass(frozen=True)
class StoredRep:
    """One counted rep: `event` has every `RepEvent.to_json()` field, later additions too."""

    session_id: int
    local_date: date
    set_index: int
    event: dict[str, Any]

    @property
    def exercise_id(self) -> str:
        return str(self.event["exercise_id"])

    @property
    def range_deg(self) -> float:
        return float(self.event["range_deg"])


@dataclass(frozen=True)
class StoredSession:
    id: int
    local_date: date
    started_at: str
    ended_at: str | None
    status: str  # in_progress | completed | interrupted
    plan_done: bool
    duration_s: float | None
    device_kind: str | None
    reps: int  # counted reps
    extra_reps: int
    sets_done: int  # full sets
    exercises: tuple[str, ...]
    best_range_deg: float
    game: str | None = None  # from the session's summary (None: not stored, e.g. cut short)
    score: int | None = None
    stopped_by: str | None = None


@dataclass(frozen=True)
class PlanInForce:
    name: str
    valid_from: str
    plan: dict[str, Any]
    weekdays: frozenset[int]  # 0 = Monday


@dataclass(frozen=True)
class DayMark:
    """One day of the week calendar."""

    day: date
    scheduled: bool
    trained: bool
    is_today: bool
    future: bool
    before_first: bool = False  # before the patient's first session: not a missed day


@dataclass(frozen=True)
class Best:
    exercise_id: str
    range_deg: float
    range_day: date
    reps_in_session: int


def scheduled_weekdays(plan: dict[str, Any]) -> frozenset[int]:
    """The plan's `weekly_schedule` (day names such as "mon" or "Monday") as weekday numbers.

    A plan without a schedule, or with one that names no day we know, means every day.
    """
    names = plan.get("weekly_schedule") or []
    days = {WEEKDAYS.index(str(n).lower()[:3]) for n in names if str(n).lower()[:3] in WEEKDAYS}
    return frozenset(days) or EVERY_DAY


@dataclass(frozen=True)
class History:
    """One patient's sessions and counted reps, oldest first, as of `today`."""

    patient: str
    today: date
    sessions: list[StoredSession]
    reps: list[StoredRep]
    plan: PlanInForce | None
    feelings: list[Feeling] = field(default_factory=list)  # every "how does it feel" answer

    def sore_days(self) -> list[date]:
        """The days a "sore" answer was given, oldest first (each day once)."""
        return sorted({f.local_date for f in self.feelings if f.answer == SORE})

    def feeling_of(self, session_id: int) -> str | None:
        """The session's last answer (fine / tired / sore), "sore" if it was ever sore."""
        answers = [f.answer for f in self.feelings if f.session_id == session_id]
        return SORE if SORE in answers else (answers[-1] if answers else None)

    @property
    def weekdays(self) -> frozenset[int]:
        return self.plan.weekdays if self.plan else EVERY_DAY

    @property
    def days_trained(self) -> set[date]:
        return {r.local_date for r in self.reps}

    @property
    def period(self) -> tuple[date, date] | None:
        """First and last day with a session."""
        if not self.sessions:
            return None
        return self.sessions[0].local_date, self.sessions[-1].local_date

    def reps_per_day(self) -> dict[date, int]:
        return dict(sorted(Counter(r.local_date for r in self.reps).items()))

    def reps_per_exercise(self) -> dict[str, int]:
        return dict(Counter(r.exercise_id for r in self.reps).most_common())

    def streak_days(self) -> int:
        """Days trained in a row up to today.

        An unscheduled rest day does not break the streak, nor does today before training.
        """
        trained = self.days_trained
        if not trained:
            return 0
        streak, day, first = 0, self.today, min(trained)
        while day >= first:
            if day in trained:
                streak += 1
            elif day != self.today and day.weekday() in self.weekdays:
                break
            day -= timedelta(days=1)
        return streak

    def week(self) -> list[DayMark]:
        """Monday to Sunday of this week: scheduled or not, trained or not."""
        monday = self.today - timedelta(days=self.today.weekday())
        trained = self.days_trained
        first = self.sessions[0].local_date if self.sessions else self.today
        return [
            DayMark(
                d,
                d.weekday() in self.weekdays,
                d in trained,
                d == self.today,
                d > self.today,
                d < first,
            )
            for d in (monday + timedelta(days=i) for i in range(7))
        ]

    def adherence(self) -> tuple[int, int]:
        """(scheduled days trained, scheduled days) from the first session to today."""
        if not self.sessions:
            return 0, 0
        trained = self.days_trained
        day, scheduled, done = self.sessions[0].local_date, 0, 0
        while day <= self.today:
            if day.weekday() in self.weekdays:
                scheduled += 1
                done += day in trained
            day += timedelta(days=1)
        return done, scheduled

    def personal_bests(self) -> list[Best]:
        by_exercise: dict[str, list[StoredRep]] = defaultdict(list)
        for rep in self.reps:
            by_exercise[rep.exercise_id].append(rep)
        bests = []
        for exercise_id, reps in by_exercise.items():
            top = max(reps, key=lambda r: r.range_deg)
            per_session = Counter(r.session_id for r in reps)
            most = max(per_session.values())
            bests.append(Best(exercise_id, top.range_deg, top.local_date, most))
        return sorted(bests, key=lambda b: -len(by_exercise[b.exercise_id]))

    def most_reps_in_a_day(self) -> int:
        return max(self.reps_per_day().values(), default=0)

    def trend(self, field: str) -> dict[str, list[tuple[date, float]]]:
        """Per exercise, the median of `field` (e.g. "range_deg") in each session, oldest first.

        Reps where the field is missing (None) are left out; sessions with none are skipped.
        """
        values: dict[tuple[str, int], list[float]] = defaultdict(list)
        days: dict[int, date] = {}
        for rep in self.reps:
            value = rep.event.get(field)
            if value is not None:
                values[(rep.exercise_id, rep.session_id)].append(float(value))
                days[rep.session_id] = rep.local_date
        out: dict[str, list[tuple[date, float]]] = defaultdict(list)
        for (exercise_id, session_id), vals in sorted(values.items(), key=lambda kv: kv[0][1]):
            out[exercise_id].append((days[session_id], statistics.median(vals)))
        return dict(out)

    def flag_shares(self) -> dict[str, float]:
        """Share (0–1) of counted reps carrying each known quality flag."""
        if not self.reps:
            return dict.fromkeys(KNOWN_FLAGS, 0.0)
        counts = Counter(f for r in self.reps for f in r.event.get("flags", []))
        return {flag: counts[flag] / len(self.reps) for flag in KNOWN_FLAGS}


def load_history(store: Store, patient_id: int, today: date) -> History:
    """Read one patient's sessions, counted reps and plan in force from the database."""
    conn = store.conn
    name = conn.execute("SELECT name FROM patients WHERE id = ?", (patient_id,)).fetchone()[0]
    reps = [
        StoredRep(
            row["session_id"],
            date.fromisoformat(row["local_date"]),
            row["set_index"],
            rep_event_json(row),
        )
        for row in row_dicts(
            conn.execute(
                "SELECT r.*, s.local_date, st.set_index FROM reps r "
                "JOIN sessions s ON s.id = r.session_id JOIN sets st ON st.id = r.set_id "
                "WHERE s.patient_id = ? AND r.counted = 1 ORDER BY s.started_at, s.id, r.seq",
                (patient_id,),
            )
        )
    ]
    by_session: dict[int, list[StoredRep]] = defaultdict(list)
    for rep in reps:
        by_session[rep.session_id].append(rep)
    sessions = [
        StoredSession(
            id=row["id"],
            local_date=date.fromisoformat(row["local_date"]),
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            status=row["status"],
            plan_done=bool(row["plan_done"]),
            duration_s=row["duration_s"],
            device_kind=row["kind"],
            reps=len(by_session[row["id"]]),
            extra_reps=row["extra_reps"],
            sets_done=row["sets_done"],
            exercises=tuple(dict.fromkeys(r.exercise_id for r in by_session[row["id"]])),
            best_range_deg=max((r.range_deg for r in by_session[row["id"]]), default=0.0),
            **_from_summary(row["summary_json"]),
        )
        for row in row_dicts(
            conn.execute(
                "SELECT s.*, d.kind, "
                "(SELECT count(*) FROM reps r WHERE r.session_id = s.id AND r.counted = 0) "
                "AS extra_reps, "
                "(SELECT count(*) FROM sets st WHERE st.session_id = s.id AND st.finished = 1) "
                "AS sets_done "
                "FROM sessions s LEFT JOIN devices d ON d.id = s.device_id "
                "WHERE s.patient_id = ? ORDER BY s.started_at, s.id",
                (patient_id,),
            )
        )
    ]
    plan = load_plan(store, patient_id, today)
    return History(name, today, sessions, reps, plan, patient_feelings(store, patient_id))


def _from_summary(text: str | None) -> dict[str, Any]:
    """The game, score and stop reason a finished session's summary recorded."""
    summary = json.loads(text) if text else {}
    score = summary.get("score")
    return {
        "game": summary.get("game") if isinstance(summary.get("game"), str) else None,
        "score": score if isinstance(score, int) else None,
        "stopped_by": summary.get("stopped_by"),
    }


def load_plan(store: Store, patient_id: int, today: date) -> PlanInForce | None:
    """The plan in force today: the latest one started on or before today and not ended."""
    row = store.conn.execute(
        "SELECT name, valid_from, plan_json FROM plans WHERE patient_id = ? AND valid_from <= ? "
        "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC, id DESC LIMIT 1",
        (patient_id, today.isoformat(), today.isoformat()),
    ).fetchone()
    if row is None:
        return None
    plan = json.loads(row[2])
    return PlanInForce(row[0] or "Therapist plan", row[1], plan, scheduled_weekdays(plan))
