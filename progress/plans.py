"""A patient's therapist plans in the store, and the progression that moves their targets.

Each plan is a row of `plans`: the therapist's TOML as written (`plan_toml`) and the parsed plan
(`plan_json`). Saving a plan ends the one in force (`valid_to` = yesterday) and the new one takes
effect today. The progression state — each block's current reps and target range, and the last
session it has learnt from — lives inside `plan_json` under `"progression"`, so it stays with the
plan it belongs to and a new plan starts afresh from the therapist's numbers.

Only valid plans get here: `TherapyPlan`s are made by `exercises.plan.parse_plan`, which refuses
a file with any problem before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from exercises.plan import TherapyPlan, parse_plan, plan_from_json
from exercises.plan_toml import plan_to_toml
from exercises.progression import Targets, next_targets, success_rate
from progress.feelings import sore_sessions
from progress.patients import save_patient
from progress.store import Store, StoreError, row_dicts


@dataclass(frozen=True)
class StoredPlan:
    id: int
    patient_id: int
    plan: TherapyPlan  # as the therapist wrote it
    toml: str
    targets: tuple[Targets, ...]  # where progression has moved each block
    applied_through: int = 0  # the last session progression learnt from
    notes: tuple[str, ...] = field(default_factory=tuple)  # why, per block, last time

    @property
    def today(self) -> TherapyPlan:
        """The plan to follow now: the therapist's blocks with progression's reps and targets."""
        return self.plan.with_targets([(t.reps, t.target_range_deg) for t in self.targets])


def save_plan(store: Store, plan: TherapyPlan, toml_text: str | None = None) -> StoredPlan:
    """Store `plan` for its patient (created if new; sides and age group updated) from today."""
    p = plan.patient
    row = store.conn.execute("SELECT id FROM patients WHERE name = ?", (p.name,)).fetchone()
    patient = save_patient(
        store, p.name, p.affected_side, p.age_group, p.neglected_side, row[0] if row else None
    )
    today = store.now().date()
    text = toml_text if toml_text is not None else plan_to_toml(plan)
    targets = tuple(Targets(b.reps, b.target_range_deg) for b in plan.blocks)
    data = {**plan.to_json(), "progression": _state(targets, 0, ())}
    with store.transaction() as conn:
        conn.execute(
            "UPDATE plans SET valid_to = ? WHERE patient_id = ? AND valid_to IS NULL",
            ((today - timedelta(days=1)).isoformat(), patient.id),
        )
        cursor = conn.execute(
            "INSERT INTO plans (patient_id, created_at, valid_from, name, plan_toml, plan_json) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (patient.id, store.stamp(), today.isoformat(), "Therapist plan", text,
             json.dumps(data)),
        )  # fmt: skip
    return StoredPlan(int(cursor.lastrowid or 0), patient.id, plan, text, targets)


def _harder(new: Targets, old: Targets) -> bool:
    return new.reps > old.reps or new.target_range_deg > old.target_range_deg


def import_plan_file(store: Store, path: Path) -> StoredPlan:
    """Check a plan file and, only if it is valid, store it for the patient it names."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    return save_plan(store, parse_plan(text, str(path)), text)


def current_plan(store: Store, patient_id: int) -> StoredPlan | None:
    """The plan in force today for this patient, with its progression state; None if none."""
    today = store.now().date().isoformat()
    rows = row_dicts(
        store.conn.execute(
            "SELECT id, plan_toml, plan_json FROM plans WHERE patient_id = ? AND valid_from <= ? "
            "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC, id DESC LIMIT 1",
            (patient_id, today, today),
        )
    )
    if not rows:
        return None
    data = json.loads(rows[0]["plan_json"])
    state = data.get("progression", {})
    plan = plan_from_json(data)
    targets = tuple(Targets(**t) for t in state.get("targets", [])) or tuple(
        Targets(b.reps, b.target_range_deg) for b in plan.blocks
    )
    return StoredPlan(
        rows[0]["id"], patient_id, plan, rows[0]["plan_toml"] or plan_to_toml(plan), targets,
        int(state.get("applied_through", 0)), tuple(state.get("notes", ())),
    )  # fmt: skip


def plan_in_force(store: Store, patient_id: int) -> StoredPlan | None:
    """The one answer to "what does this patient do today": the stored plan, moved by every
    session played under it so far. The window, `session --plan` and therapist mode all ask this,
    so what the therapist sees is what the patient plays and what progression learns from."""
    stored = current_plan(store, patient_id)
    return None if stored is None else advance(store, stored)


def _state(targets: tuple[Targets, ...], through: int, notes: tuple[str, ...]) -> dict[str, Any]:
    return {
        "targets": [{"reps": t.reps, "target_range_deg": t.target_range_deg} for t in targets],
        "applied_through": through,
        "notes": list(notes),
    }


def advance(store: Store, stored: StoredPlan) -> StoredPlan:
    """Learn from every session of this plan since the last time, one session at a time, and
    keep the moved targets. Idempotent: a session is learnt from once."""
    sessions = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM sessions WHERE plan_id = ? AND id > ? AND status != 'in_progress' "
            "ORDER BY id",
            (stored.id, stored.applied_through),
        )
    ]
    if not sessions:
        return stored
    n = len(stored.plan.blocks)
    targets, notes = list(stored.targets), (list(stored.notes) + [""] * n)[:n]
    sore = sore_sessions(store, sessions)
    for session_id in sessions:
        for i, block in enumerate(stored.plan.blocks):
            events = [
                {"range_deg": r[0], "duration_s": r[1], "flags": json.loads(r[2])}
                for r in store.conn.execute(
                    "SELECT r.range_deg, r.duration_s, r.flags_json FROM reps r JOIN sets s "
                    "ON s.id = r.set_id WHERE r.session_id = ? AND s.block_index = ? "
                    "AND r.counted = 1",
                    (session_id, i),
                )
            ]
            rate = success_rate(events, block, targets[i])
            moved, why = next_targets(block, targets[i], rate)
            if session_id in sore and _harder(moved, targets[i]):
                moved, why = targets[i], "sore reported: not made harder"
            targets[i] = moved
            shown = "–" if rate is None else f"{rate:.0%}"
            notes[i] = f"{block.exercise}: success {shown}, {why}"
    state = _state(tuple(targets), sessions[-1], tuple(notes))
    data = {**stored.plan.to_json(), "progression": state}
    with store.transaction() as conn:
        conn.execute("UPDATE plans SET plan_json = ? WHERE id = ?", (json.dumps(data), stored.id))
    return StoredPlan(
        stored.id, stored.patient_id, stored.plan, stored.toml, tuple(targets), sessions[-1],
        tuple(notes),
    )  # fmt: skip
