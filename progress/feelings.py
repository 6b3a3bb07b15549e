"""How the patient said they feel (fine / tired / sore), stored with the session it was asked in.

Pain is its own record, not a reason for stopping: a patient who says "sore" may stop, or may have
said it at the end of a finished session, and either way the therapist must see it. The report
flags it at the top, therapist mode shows it, and progression never makes the next session harder
(`progress.plans`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from progress.store import Store, StoreError

FINE, TIRED, SORE = "fine", "tired", "sore"
ANSWERS = (FINE, TIRED, SORE)


@dataclass(frozen=True)
class Feeling:
    session_id: int
    local_date: date
    recorded_at: str
    answer: str  # fine | tired | sore


def record_feeling(store: Store, session_id: int, answer: str) -> None:
    """Store one answer for `session_id` (it may have several: one per rest, one at the end)."""
    if answer not in ANSWERS:
        raise StoreError(f"feeling {answer!r} is not one of {', '.join(ANSWERS)}")
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feelings (session_id, recorded_at, answer) VALUES (?, ?, ?)",
            (session_id, store.stamp(), answer),
        )


def patient_feelings(store: Store, patient_id: int) -> list[Feeling]:
    """Every answer of one patient, oldest first."""
    rows = store.conn.execute(
        "SELECT f.session_id, s.local_date, f.recorded_at, f.answer FROM feelings f "
        "JOIN sessions s ON s.id = f.session_id WHERE s.patient_id = ? "
        "ORDER BY f.recorded_at, f.id",
        (patient_id,),
    ).fetchall()
    return [Feeling(r[0], date.fromisoformat(r[1]), r[2], r[3]) for r in rows]


def sore_sessions(store: Store, session_ids: list[int]) -> set[int]:
    """Which of these sessions had a "sore" answer."""
    if not session_ids:
        return set()
    marks = ", ".join("?" for _ in session_ids)
    rows = store.conn.execute(
        "SELECT DISTINCT session_id FROM feelings WHERE answer = 'sore' "
        f"AND session_id IN ({marks})",
        session_ids,
    )
    return {int(r[0]) for r in rows}
