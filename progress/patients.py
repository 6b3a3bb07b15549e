"""Patient profiles: several patients per machine, each with their own sessions, never mixed.

A profile is a row of `patients`: the name (unique, case-insensitive), the affected side, child or
adult, and — if the therapist sets it — a neglected side, which moves the counter, prompts and menu
focus toward the side the patient sees (UX.md 5).
"""

from __future__ import annotations

from dataclasses import dataclass

from exercises.plan import AGE_GROUPS, NEGLECTED_SIDES, SIDES
from progress.store import Store, StoreError, clean_name, row_dicts


@dataclass(frozen=True)
class Patient:
    id: int
    name: str
    affected_side: str | None
    age_group: str | None
    neglected_side: str | None = None

    @property
    def child(self) -> bool:
        return self.age_group == "child"


def _check(affected_side: str | None, age_group: str | None, neglected_side: str | None) -> None:
    for field, value, allowed in (
        ("affected side", affected_side, SIDES),
        ("age group", age_group, AGE_GROUPS),
        ("neglected side", neglected_side, NEGLECTED_SIDES),
    ):
        if value is not None and value not in allowed:
            raise StoreError(f"{field} {value!r} is not allowed: use one of {', '.join(allowed)}")


def list_patients(store: Store) -> list[Patient]:
    rows = row_dicts(
        store.conn.execute(
            "SELECT id, name, affected_side, age_group, neglected_side FROM patients ORDER BY name"
        )
    )
    return [Patient(**row) for row in rows]


def get_patient(store: Store, patient_id: int) -> Patient:
    for patient in list_patients(store):
        if patient.id == patient_id:
            return patient
    raise StoreError(f"no patient with id {patient_id}")


def save_patient(
    store: Store,
    name: str,
    affected_side: str | None,
    age_group: str | None,
    neglected_side: str | None = None,
    patient_id: int | None = None,
) -> Patient:
    """Create a patient (no `patient_id`) or change one; a name another patient has is refused."""
    cleaned = clean_name(name)
    _check(affected_side, age_group, neglected_side)
    clash = store.conn.execute("SELECT id FROM patients WHERE name = ?", (cleaned,)).fetchone()
    if clash is not None and clash[0] != patient_id:
        raise StoreError(f"there is already a patient called {cleaned!r}: choose another name")
    values = (cleaned, affected_side, age_group, neglected_side)
    with store.transaction() as conn:
        if patient_id is None:
            cursor = conn.execute(
                "INSERT INTO patients (name, affected_side, age_group, neglected_side, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (*values, store.stamp()),
            )
            patient_id = int(cursor.lastrowid or 0)
        else:
            conn.execute(
                "UPDATE patients SET name = ?, affected_side = ?, age_group = ?, "
                "neglected_side = ? WHERE id = ?",
                (*values, patient_id),
            )
    return get_patient(store, patient_id)
