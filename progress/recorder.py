"""Writing a session as it happens: the session row, then each rep in its own transaction.

The headless runner passes `SessionRecorder.on_rep` as its `on_rep` callback; the game uses
`RecordedProgress`, a `SessionProgress` that hands every rep to a recorder, so the scenes that
count reps need no change. Either way a rep is on disk before the next one is counted.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from devices.source import SourceInfo
from exercises.events import RepEvent
from exercises.session_plan import Outcome, SessionProgress, SetPlan
from progress.history import History, load_history
from progress.schema import rep_columns
from progress.store import Store

DEFAULT_PATIENT = "Player"  # until profiles (issue #5) ask for a name


class SessionRecorder:
    """One session of one patient, stored rep by rep. `begin` and `finish` are idempotent."""

    def __init__(
        self,
        store: Store,
        patient_id: int,
        plan: SetPlan,
        *,
        origin: str,
        device: SourceInfo | None = None,
        block_index: int = 0,
        plan_id: int | None = None,
    ) -> None:
        self.store = store
        self.patient_id = patient_id
        self.plan = plan
        self.origin = origin
        self.device = device
        self.block_index = block_index
        self.plan_id = plan_id  # the stored therapist plan followed: progression learns from it
        self.session_id: int | None = None
        self.finished = False
        self._seq = 0

    def begin(self) -> int:
        """Create the session row (status `in_progress`) if it is not there yet; its id."""
        if self.session_id is not None:
            return self.session_id
        device_id = None
        if self.device is not None:
            info = self.device
            device_id = self.store.device_id(info.kind, info.id, info.model)
        now = self.store.now()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (patient_id, plan_id, device_id, origin, started_at, "
                "local_date, pid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self.patient_id,
                    self.plan_id,
                    device_id,
                    self.origin,
                    now.isoformat(timespec="seconds"),
                    now.date().isoformat(),
                    os.getpid(),
                ),
            )
        self.session_id = int(cursor.lastrowid or 0)
        return self.session_id

    def for_block(self, plan: SetPlan, block_index: int) -> SessionRecorder:
        """A recorder for the plan's next block in the *same* stored session (its sets carry the
        block's index and exercise), so a whole plan is one session in the history."""
        follower = SessionRecorder(
            self.store, self.patient_id, plan, origin=self.origin, device=self.device,
            block_index=block_index, plan_id=self.plan_id,
        )  # fmt: skip
        follower.session_id = self.begin()
        follower._seq = self._seq
        return follower

    def on_rep(self, event: RepEvent, outcome: Outcome, progress: SessionProgress) -> None:
        """Store one rep (and its set's tally) in one transaction, right as it is counted."""
        session_id = self.begin()
        self._seq += 1
        row: dict[str, Any] = rep_columns(event.to_json())
        row.update(
            session_id=session_id,
            seq=self._seq,
            counted=int(outcome is not Outcome.EXTRA),
            recorded_at=self.store.stamp(),
            set_id=None,
        )
        finished = outcome in (Outcome.SET_DONE, Outcome.SESSION_DONE)
        with self.store.transaction() as conn:
            if outcome is not Outcome.EXTRA:
                conn.execute(
                    "INSERT INTO sets (session_id, block_index, set_index, exercise_id, "
                    "reps_planned, reps_done, rest_s, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (session_id, block_index, set_index) DO UPDATE SET "
                    "reps_done = excluded.reps_done, finished = excluded.finished",
                    (
                        session_id,
                        self.block_index,
                        progress.set_index,
                        self.plan.exercise_id,
                        self.plan.reps_per_set,
                        progress.reps_in_set,
                        self.plan.rest_s,
                        int(finished),
                    ),
                )
                row["set_id"] = conn.execute(
                    "SELECT id FROM sets WHERE session_id = ? AND block_index = ? "
                    "AND set_index = ?",
                    (session_id, self.block_index, progress.set_index),
                ).fetchone()[0]
            names = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            conn.execute(f"INSERT INTO reps ({names}) VALUES ({marks})", row)

    def finish(self, summary: dict[str, Any]) -> None:
        """Close the session as `completed` with its summary (events left out: they are rows)."""
        session_id = self.begin()
        kept = {k: v for k, v in summary.items() if k != "events"}
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET status = 'completed', ended_at = ?, plan_done = ?, "
                "duration_s = ?, stopped_by = ?, summary_json = ? WHERE id = ?",
                (
                    self.store.stamp(),
                    int(bool(summary.get("completed"))),
                    summary.get("duration_s"),
                    summary.get("stopped_by"),
                    json.dumps(kept),
                    session_id,
                ),
            )
        self.finished = True


@dataclass(eq=False)
class RecordedProgress(SessionProgress):
    """A session tally that stores each rep as it is added (the game's hook into the store)."""

    recorder: SessionRecorder | None = None

    def add_rep(self, event: RepEvent) -> Outcome:
        outcome = super().add_rep(event)
        if self.recorder is not None:
            self.recorder.on_rep(event, outcome, self)
        return outcome

    def finish(self, summary: dict[str, Any]) -> None:
        """The session ended: store its summary (a no-op when nothing is being recorded)."""
        if self.recorder is not None:
            self.recorder.finish(summary)


@dataclass
class PatientRecords:
    """One patient's corner of the store: what the game needs to record and to show history."""

    store: Store
    patient_id: int
    name: str

    @classmethod
    def for_patient(cls, store: Store, name: str, create: bool = True) -> PatientRecords:
        patient_id = store.patient_id(name, create=create)
        stored = store.conn.execute("SELECT name FROM patients WHERE id = ?", (patient_id,))
        return cls(store, patient_id, stored.fetchone()[0])

    def recorder(
        self,
        plan: SetPlan,
        origin: str,
        device: SourceInfo | None = None,
        plan_id: int | None = None,
    ) -> SessionRecorder:
        return SessionRecorder(
            self.store, self.patient_id, plan, origin=origin, device=device, plan_id=plan_id
        )

    def history(self, today: date | None = None) -> History:
        """Everything the history screen shows, read fresh from the database."""
        return load_history(self.store, self.patient_id, today or self.store.now().date())
