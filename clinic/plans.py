"""Patients' plans at the clinic: every version kept, with who saved it and when.

A plan is the same TOML file a therapist would give `python main.py plan check`, checked by the
same code (`exercises.plan.parse_plan`), so the dashboard cannot store a plan the game would
refuse. Versions only grow; the newest is the plan in force and is what goes down at the next sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from clinic import db
from exercises.plan import TherapyPlan, parse_plan

STARTER_PLAN = """# A starting plan: edit it, then save. The RepQuest README explains every field.
[patient]
name = "{name}"
affected_side = "left"        # left | right | both
age_group = "adult"           # adult | child

[session]
minutes = 20
weekly_schedule = "daily"

[[blocks]]
exercise = "wrist_extension"
sets = 3
reps = 5
rest_s = 60
"""


@dataclass(frozen=True)
class PlanVersion:
    version: int
    toml: str
    changed_by: str  # the therapist's display name
    changed_at: str


def latest_plan(engine: Engine, patient_id: int) -> PlanVersion | None:
    history = plan_history(engine, patient_id, limit=1)
    return history[0] if history else None


def plan_history(engine: Engine, patient_id: int, limit: int = 100) -> list[PlanVersion]:
    """The patient's plan versions, newest first."""
    pv, t = db.plan_versions, db.therapists
    query = (
        select(pv.c.version, pv.c.plan_toml, t.c.display_name, pv.c.changed_at)
        .join(t, t.c.id == pv.c.changed_by)
        .where(pv.c.patient_id == patient_id)
        .order_by(pv.c.version.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [PlanVersion(*row) for row in conn.execute(query)]


def save_plan_version(
    engine: Engine, patient_id: int, therapist_id: int, toml_text: str, now: str
) -> tuple[int, TherapyPlan]:
    """Check the plan (raises `PlanFileError` listing every problem) and keep it as the next
    version. Returns the new version number."""
    plan = parse_plan(toml_text, "the plan")
    pv = db.plan_versions
    with engine.begin() as conn:
        last = conn.execute(
            select(func.max(pv.c.version)).where(pv.c.patient_id == patient_id)
        ).scalar()
        version = int(last or 0) + 1
        conn.execute(
            pv.insert().values(
                patient_id=patient_id,
                version=version,
                plan_toml=toml_text,
                changed_by=therapist_id,
                changed_at=now,
            )
        )
    return version, plan
