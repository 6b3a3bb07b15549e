"""Who is playing, and what they play: one path from the stored plan to the game window.

Whichever way a patient arrives — the only patient at start-up, chosen on the profiles screen,
just created on the first run, or back at the menu after a session — the window asks
`progress.plans.plan_in_force`, the same question `session --plan` and therapist mode ask, so
the sets, reps, game and targets on screen are the ones the therapist saved, moved by progression.
Sessions played this way carry the plan's id, so progression learns from them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.theme import Theme
from progress.feelings import record_feeling
from progress.patients import Patient
from progress.plans import StoredPlan, plan_in_force
from progress.recorder import PatientRecords
from progress.store import Store

if TYPE_CHECKING:
    from game.context import SessionContext


def use_patient(ctx: SessionContext, store: Store, patient: Patient) -> None:
    """Play as `patient` from now on: their records, their look, and their plan in force."""
    ctx.records = PatientRecords(store, patient.id, patient.name)
    kind = "child" if patient.child else "adult"
    ctx.theme = Theme(kind, ctx.theme.size, patient.neglected_side)
    follow_plan_in_force(ctx)


def follow_plan_in_force(ctx: SessionContext) -> StoredPlan | None:
    """Point the session at the patient's plan in force (every block, from the first); with no
    plan (or no patient) the menu's one exercise is played. Returns the plan followed."""
    records = ctx.records
    stored = None if records is None else plan_in_force(records.store, records.patient_id)
    ctx.use_plan(None if stored is None else stored.today, None if stored is None else stored.id)
    return stored


def feel(ctx: SessionContext, answer: str) -> None:
    """Keep the patient's "how does it feel" answer with the session in play (when recorded)."""
    recorder = ctx.progress.recorder
    if recorder is not None:
        record_feeling(recorder.store, recorder.begin(), answer)
