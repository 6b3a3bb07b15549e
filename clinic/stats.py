"""What the dashboard shows, worked out from the synced rows: adherence, alerts, trends, FHIR.

"A day trained" is a calendar day (the patient's own) with at least one counted rep, as in the
game's history (`progress.history`). The success rate uses the game's own rule
(`exercises.progression.is_success`) against the plan in force at the clinic; progression at home
may have moved the targets a little since, so it is a guide, labelled as such on the page.
The FHIR export builds the game's `History` from these rows and reuses the game's mapping
(`progress.fhir.fhir_bundle`), so both exports say the same thing the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from clinic import db
from clinic.plans import latest_plan
from exercises.plan import PlanFileError, TherapyPlan, parse_plan
from exercises.progression import MIN_ATTEMPTS, SUCCESS_HIGH, SUCCESS_LOW, is_success
from progress.fhir import fhir_bundle
from progress.history import History, StoredRep, StoredSession
from progress.outbox import REP_FIELDS

DEFAULT_ALERT_DAYS = 3  # no training for this many days raises an alert
PAIN_DAYS = 14  # a "sore" answer stays flagged this long
SUCCESS_DAYS = 7  # the success rate looks at this many days


@dataclass(frozen=True)
class PatientSummary:
    id: int
    name: str
    days_this_week: int
    days_last_30: int
    last_session: date | None
    pain_reported: date | None
    success_rate: float | None
    paired: bool
    alerts: tuple[str, ...] = field(default_factory=tuple)


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def _plan(engine: Engine, patient_id: int) -> TherapyPlan | None:
    stored = latest_plan(engine, patient_id)
    if stored is None:
        return None
    try:
        return parse_plan(stored.toml)
    except PlanFileError:  # saved by an older version with other rules: no rate, no crash
        return None


def success_rate(engine: Engine, patient_id: int, since: date) -> float | None:
    """Counted reps since `since` that reached the plan's target at a safe pace, out of all."""
    plan = _plan(engine, patient_id)
    if plan is None:
        return None
    r, s = db.reps, db.sessions
    query = (
        select(r.c.block_index, r.c.exercise_id, r.c.range_deg, r.c.duration_s, r.c.flags)
        .join(s, s.c.id == r.c.session_id)
        .where(s.c.patient_id == patient_id, s.c.local_date >= since.isoformat(), r.c.counted)
    )
    hits = attempts = 0
    with engine.connect() as conn:
        for block_index, exercise_id, range_deg, duration_s, flags in conn.execute(query):
            if block_index is None or not 0 <= block_index < len(plan.blocks):
                continue
            block = plan.blocks[block_index]
            if block.exercise != exercise_id:
                continue  # a session of another plan: not judged against this one
            event = {
                "range_deg": range_deg,
                "duration_s": duration_s,
                "flags": [f for f in flags.split(",") if f],
            }
            attempts += 1
            hits += is_success(event, block, block.target_range_deg)
    return hits / attempts if attempts >= MIN_ATTEMPTS else None


def summarise(
    engine: Engine, therapist_id: int, today: date, alert_days: int = DEFAULT_ALERT_DAYS
) -> list[PatientSummary]:
    """One row per patient of this therapist (only theirs), by name."""
    p, s, r, f, i = db.patients, db.sessions, db.reps, db.feelings, db.installs
    since_30 = today - timedelta(days=29)
    monday = today - timedelta(days=today.weekday())
    with engine.connect() as conn:
        people = conn.execute(
            select(p.c.id, p.c.name, p.c.created_at)
            .where(p.c.therapist_id == therapist_id)
            .order_by(p.c.name)
        ).all()
        ids = [row.id for row in people]
        trained = conn.execute(
            select(s.c.patient_id, s.c.local_date)
            .distinct()
            .join(r, r.c.session_id == s.c.id)
            .where(s.c.patient_id.in_(ids), r.c.counted, s.c.local_date >= since_30.isoformat())
        ).all()
        last = dict(
            conn.execute(
                select(s.c.patient_id, func.max(s.c.local_date))
                .where(s.c.patient_id.in_(ids))
                .group_by(s.c.patient_id)
            ).all()
        )
        sore = dict(
            conn.execute(
                select(f.c.patient_id, func.max(f.c.recorded_at))
                .where(f.c.patient_id.in_(ids), f.c.answer == "sore")
                .group_by(f.c.patient_id)
            ).all()
        )
        paired = {
            row[0]
            for row in conn.execute(
                select(i.c.patient_id).where(i.c.patient_id.in_(ids), i.c.revoked_at.is_(None))
            )
        }
    days: dict[int, set[date]] = defaultdict(set)
    for patient_id, local_date in trained:
        days[patient_id].add(date.fromisoformat(local_date))
    rows = []
    for person in people:
        mine = days[person.id]
        last_day = date.fromisoformat(last[person.id]) if person.id in last else None
        pain = _day(sore[person.id]) if person.id in sore else None
        if pain is not None and pain < today - timedelta(days=PAIN_DAYS):
            pain = None
        rate = success_rate(engine, person.id, today - timedelta(days=SUCCESS_DAYS - 1))
        alerts = []
        if pain is not None:
            alerts.append(f"Pain reported on {pain:%d %b}")
        idle_since = last_day or _day(person.created_at)
        if (today - idle_since).days >= alert_days:
            alerts.append(
                f"No training for {(today - idle_since).days} days"
                if last_day
                else "No training yet"
            )
        if rate is not None and not SUCCESS_LOW <= rate <= SUCCESS_HIGH:
            side = "above" if rate > SUCCESS_HIGH else "below"
            alerts.append(f"Success {rate:.0%}, {side} the 80–90 % band")
        rows.append(
            PatientSummary(
                person.id,
                person.name,
                sum(d >= monday for d in mine),
                len(mine),
                last_day,
                pain,
                rate,
                person.id in paired,
                tuple(alerts),
            )
        )
    return rows


def history(engine: Engine, patient_id: int, name: str, today: date) -> History:
    """The patient's synced data as the game's `History` (counted reps only, oldest first)."""
    s, r, st = db.sessions, db.reps, db.sets
    with engine.connect() as conn:
        sessions = conn.execute(
            select(s).where(s.c.patient_id == patient_id).order_by(s.c.started_at, s.c.id)
        ).all()
        ids = [row.id for row in sessions]
        reps = conn.execute(
            select(r).where(r.c.session_id.in_(ids), r.c.counted).order_by(r.c.session_id, r.c.seq)
        ).all()
        extra: dict[int, int] = dict(
            conn.execute(
                select(r.c.session_id, func.count())
                .where(r.c.session_id.in_(ids), ~r.c.counted)
                .group_by(r.c.session_id)
            ).all()
        )
        full_sets: dict[int, int] = dict(
            conn.execute(
                select(st.c.session_id, func.count())
                .where(st.c.session_id.in_(ids), st.c.finished)
                .group_by(st.c.session_id)
            ).all()
        )
    day_of = {row.id: date.fromisoformat(row.local_date) for row in sessions}
    stored_reps = [
        StoredRep(rep.session_id, day_of[rep.session_id], rep.set_index or 0, _event(rep._mapping))
        for rep in reps
    ]
    by_session: dict[int, list[StoredRep]] = defaultdict(list)
    for rep in stored_reps:
        by_session[rep.session_id].append(rep)
    stored_sessions = [
        StoredSession(
            row.id,
            day_of[row.id],
            row.started_at,
            row.ended_at,
            row.status,
            bool(row.plan_done),
            row.duration_s,
            None,
            len(by_session[row.id]),
            int(extra.get(row.id, 0)),
            int(full_sets.get(row.id, 0)),
            tuple(dict.fromkeys(rep.exercise_id for rep in by_session[row.id])),
            max((rep.range_deg for rep in by_session[row.id]), default=0.0),
        )
        for row in sessions
    ]
    return History(name, today, stored_sessions, stored_reps, None)


def _event(rep: Any) -> dict[str, Any]:
    keys = [f for f in REP_FIELDS if f not in ("seq", "counted", "recorded_at")]
    return {**{k: rep[k] for k in keys}, "flags": [f for f in rep["flags"].split(",") if f]}


def reps_per_day(past: History, days: int = 30) -> list[tuple[date, int]]:
    """Counted reps on each of the last `days` days, zeros included (a gap is information)."""
    counts = Counter(rep.local_date for rep in past.reps)
    first = past.today - timedelta(days=days - 1)
    return [
        (first + timedelta(days=n), counts.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def best_range_per_session(past: History) -> dict[str, list[tuple[date, float]]]:
    """Per exercise, each session's best range, in time order (the range-over-time chart)."""
    best: dict[tuple[int, str], tuple[date, float]] = {}
    for rep in past.reps:
        key = (rep.session_id, rep.exercise_id)
        if key not in best or rep.range_deg > best[key][1]:
            best[key] = (rep.local_date, rep.range_deg)
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for (_, exercise_id), point in sorted(best.items()):
        series[exercise_id].append(point)
    return dict(series)


def fhir_export(engine: Engine, patient_id: int, name: str, now: datetime) -> dict[str, Any]:
    return fhir_bundle(history(engine, patient_id, name, now.date()), now)
