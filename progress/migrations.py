"""Carrying an older database forward, one schema version at a time, after a backup.

Version 1 was the prototype store: `patients (id, name, created_at)`, `sessions` with one
exercise and its set plan (`exercise_id, started_at, ended_at, reps_per_set, sets_planned, rest_s,
completed`) and `reps (id, session_id, set_index, recorded_at, event_json)` holding each
`RepEvent.to_json()` whole, with `set_index` NULL for an extra rep. Version 2 (`schema.DDL_V2`)
splits the events into queryable columns, adds sets, plans, devices, settings and a session status.

Every migration runs inside one transaction: a failure leaves the file exactly as it was, and the
backup taken before it is there anyway.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from progress.schema import DDL_V2, DDL_V3, rep_columns, statements

BACKUP_DIR_NAME = "backups"


def backup(db_path: Path, version: int, now: datetime) -> Path:
    """Copy the database (WAL included, via SQLite's backup API) before it is migrated.

    The copy is `backups/<name>-v<version>-<time>.sqlite` beside the database, readable by the
    user only; an existing file is never overwritten.
    """
    folder = db_path.parent / BACKUP_DIR_NAME
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    target = folder / f"{db_path.stem}-v{version}-{stamp}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db_path.stem}-v{version}-{stamp}-{n}.sqlite"
    target.touch(mode=0o600, exist_ok=False)
    source = sqlite3.connect(db_path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def _local_date(iso_time: str) -> str:
    return datetime.fromisoformat(iso_time).date().isoformat()


def migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """v1 → v2: keep every patient, session and rep; build the sets from the reps' set numbers."""
    for table in ("patients", "sessions", "reps"):
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    for statement in statements(DDL_V2):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO patients (id, name, created_at) SELECT id, name, created_at FROM patients_v1"
    )
    plans: dict[int, tuple[str, int, float]] = {}
    sessions = conn.execute(
        "SELECT id, patient_id, exercise_id, started_at, ended_at, reps_per_set, rest_s, "
        "completed FROM sessions_v1 ORDER BY id"
    ).fetchall()
    for sid, patient_id, exercise_id, started_at, ended_at, reps_per_set, rest_s, done in sessions:
        plans[sid] = (exercise_id, reps_per_set, rest_s)
        # v1 had no status: a session that never got its end time was cut short.
        status = "completed" if ended_at else "interrupted"
        conn.execute(
            "INSERT INTO sessions (id, patient_id, origin, started_at, local_date, ended_at, "
            "status, plan_done) VALUES (?, ?, 'migrated', ?, ?, ?, ?, ?)",
            (sid, patient_id, started_at, _local_date(started_at), ended_at, status, done),
        )
    set_ids: dict[tuple[int, int], int] = {}
    seq: dict[int, int] = {}
    reps = conn.execute(
        "SELECT session_id, set_index, recorded_at, event_json FROM reps_v1 ORDER BY id"
    ).fetchall()
    for session_id, set_index, recorded_at, event_json in reps:
        exercise_id, reps_per_set, rest_s = plans[session_id]
        set_id = None
        if set_index is not None:
            key = (session_id, set_index)
            if key not in set_ids:
                set_ids[key] = (
                    conn.execute(
                        "INSERT INTO sets (session_id, set_index, exercise_id, reps_planned, "
                        "rest_s) VALUES (?, ?, ?, ?, ?)",
                        (session_id, set_index, exercise_id, reps_per_set, rest_s),
                    ).lastrowid
                    or 0
                )
            set_id = set_ids[key]
            conn.execute(
                "UPDATE sets SET reps_done = reps_done + 1, "
                "finished = (reps_done + 1 >= reps_planned) WHERE id = ?",
                (set_id,),
            )
        seq[session_id] = seq.get(session_id, 0) + 1
        row = rep_columns(json.loads(event_json))
        row.update(
            session_id=session_id,
            set_id=set_id,
            seq=seq[session_id],
            counted=int(set_index is not None),
            recorded_at=recorded_at,
        )
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        conn.execute(f"INSERT INTO reps ({names}) VALUES ({marks})", row)
    for table in ("reps", "sessions", "patients"):
        conn.execute(f"DROP TABLE {table}_v1")


def migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """v2 → v3: only new tables (feelings; the clinic link and its outbox), nothing rewritten."""
    for statement in statements(DDL_V3):
        conn.execute(statement)


# MIGRATIONS[n] carries a database from version n to n + 1.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: migrate_1_to_2, 2: migrate_2_to_3}
