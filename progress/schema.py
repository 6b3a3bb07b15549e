"""The database's tables, as SQL, and the schema version they make.

The version lives in SQLite's own `PRAGMA user_version`, so a file says what it is without a
table of its own. A fresh file gets `CURRENT_DDL` at `SCHEMA_VERSION`; an older file is carried
forward by `progress.migrations`, one version at a time.

Why the tables look like this:
- `reps` keeps every `RepEvent` field: the known ones as columns (so reports can query them) and
  any field the detector gains later in `extra_json`, so a newer detector never loses data in an
  older schema. `flags_json` keeps every flag; the three known flags are also columns.
- `patients`, `plans` and `settings` have room for what issue #5 brings (affected side, child or
  adult, the therapist's plan file and weekly schedule, the therapist PIN's salted hash).
- `sessions.status` tells a finished session from one that is still running or was cut short by a
  crash (`interrupted`); `pid` lets the next start tell "crashed" from "running in another window".
- Times are local ISO 8601 with their UTC offset; `local_date` is the patient's calendar day, the
  unit of streaks and adherence.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_VERSION = 3

SESSION_STATUSES = ("in_progress", "completed", "interrupted")

# The columns of `reps` that hold `RepEvent.to_json()` fields one to one; anything else goes to
# `extra_json` (flags go to their own columns, see above).
REP_EVENT_COLUMNS = (
    "exercise_id",
    "puck_id",
    "t_start_s",
    "t_peak_s",
    "t_end_s",
    "duration_s",
    "range_deg",
    "range_fraction",
    "peak_speed_dps",
    "smoothness",
)
KNOWN_FLAGS = ("too_fast", "partial", "compensated")

DDL_V2 = """
CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    affected_side TEXT CHECK (affected_side IN ('left', 'right', 'both')),
    neglected_side TEXT CHECK (neglected_side IN ('left', 'right')),
    age_group TEXT CHECK (age_group IN ('child', 'adult')),
    details_json TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    valid_from TEXT NOT NULL,          -- local date the plan takes effect
    valid_to TEXT,                     -- NULL while the plan is in force
    name TEXT,
    plan_toml TEXT,                    -- the therapist's file, as written
    plan_json TEXT NOT NULL            -- the parsed plan (blocks, weekly_schedule, bounds)
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                -- ble | serial | keyboard | replay
    puck_id TEXT NOT NULL,
    model TEXT,
    name TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    UNIQUE (kind, puck_id)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    plan_id INTEGER REFERENCES plans(id),
    device_id INTEGER REFERENCES devices(id),
    origin TEXT NOT NULL CHECK (origin IN ('game', 'headless', 'migrated')),
    started_at TEXT NOT NULL,
    local_date TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (status IN ('in_progress', 'completed', 'interrupted')),
    plan_done INTEGER,                 -- 1 when every planned set was finished
    duration_s REAL,                   -- movement time on the samples' clock
    stopped_by TEXT,
    pid INTEGER,
    summary_json TEXT
);
CREATE INDEX sessions_by_patient ON sessions (patient_id, local_date);

CREATE TABLE sets (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    block_index INTEGER NOT NULL DEFAULT 0,
    set_index INTEGER NOT NULL,        -- 0-based within the block
    exercise_id TEXT NOT NULL,
    reps_planned INTEGER NOT NULL,
    reps_done INTEGER NOT NULL DEFAULT 0,
    rest_s REAL,
    finished INTEGER NOT NULL DEFAULT 0,
    UNIQUE (session_id, block_index, set_index)
);

CREATE TABLE reps (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    set_id INTEGER REFERENCES sets(id),  -- NULL for an extra rep (made while resting)
    seq INTEGER NOT NULL,              -- 1, 2, … in the order the reps happened
    counted INTEGER NOT NULL,          -- 1: counted toward a set; 0: an extra rep
    recorded_at TEXT NOT NULL,
    exercise_id TEXT NOT NULL,
    puck_id TEXT NOT NULL,
    t_start_s REAL NOT NULL,
    t_peak_s REAL NOT NULL,
    t_end_s REAL NOT NULL,
    duration_s REAL NOT NULL,
    range_deg REAL NOT NULL,
    range_fraction REAL NOT NULL,
    peak_speed_dps REAL NOT NULL,
    smoothness REAL,
    too_fast INTEGER NOT NULL DEFAULT 0,
    partial INTEGER NOT NULL DEFAULT 0,
    compensated INTEGER NOT NULL DEFAULT 0,
    flags_json TEXT NOT NULL DEFAULT '[]',
    extra_json TEXT NOT NULL DEFAULT '{}',
    UNIQUE (session_id, seq)
);
CREATE INDEX reps_by_session ON reps (session_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Version 3 adds to version 2 (the v2 → v3 migration runs exactly this script).
DDL_V3 = """
CREATE TABLE feelings (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    recorded_at TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('fine', 'tired', 'sore'))
);

-- ---- clinic sync (issue 18): the link to a clinic service and the outbox of what goes up ----
-- One row at most: this install paired to one patient of one clinic. The token is the clinic's
-- secret for this install (the clinic keeps only its hash); the file is readable by the user only.
CREATE TABLE sync_link (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT NOT NULL,
    install_id TEXT NOT NULL,          -- this install's id at the clinic (a uuid made at pairing)
    token TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    clinic_patient TEXT NOT NULL,      -- the patient's name at the clinic, shown to the user
    paired_at TEXT NOT NULL,
    plan_version INTEGER NOT NULL DEFAULT 0,  -- the clinic's last plan version applied here
    last_sync_at TEXT,
    last_error TEXT
);

-- What has to reach the clinic, in the order it happened. Rows are added by the triggers below
-- in the same transaction as the data (so nothing can be written and forgotten) and only for the
-- linked patient; a row is marked sent once the clinic has answered that it holds the item.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    -- the clinic dedupes on item_uuid
    item_uuid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(16)))),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'feeling')),
    ref_id INTEGER NOT NULL,           -- sessions.id or feelings.id
    queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    sent_at TEXT,
    UNIQUE (kind, ref_id)
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

CREATE TRIGGER outbox_session_ended AFTER UPDATE OF status ON sessions
WHEN OLD.status = 'in_progress' AND NEW.status != 'in_progress'
    AND EXISTS (SELECT 1 FROM sync_link WHERE patient_id = NEW.patient_id)
BEGIN INSERT OR IGNORE INTO outbox (kind, ref_id) VALUES ('session', NEW.id); END;

CREATE TRIGGER outbox_feeling AFTER INSERT ON feelings
WHEN EXISTS (SELECT 1 FROM sync_link l JOIN sessions s ON s.patient_id = l.patient_id
             WHERE s.id = NEW.session_id)
BEGIN INSERT OR IGNORE INTO outbox (kind, ref_id) VALUES ('feeling', NEW.id); END
"""

# A fresh file gets every version's tables at once; DDL_V2 stays whole, since the v1 → v2
# migration builds exactly those tables.
CURRENT_DDL = DDL_V2 + DDL_V3


def statements(ddl: str) -> list[str]:
    """Split a DDL script into statements, so they run inside one transaction.

    (`sqlite3.Connection.executescript` would COMMIT first, breaking a migration's atomicity.)
    """
    return [part.strip() for part in ddl.split(";\n") if part.strip()]


def rep_columns(event: dict[str, Any]) -> dict[str, Any]:
    """`RepEvent.to_json()` as `reps` column values: known fields, flag columns, rest as JSON."""
    flags = [str(f) for f in event.get("flags", [])]
    row = {name: event.get(name) for name in REP_EVENT_COLUMNS}
    if row["duration_s"] is None and None not in (event.get("t_start_s"), event.get("t_end_s")):
        row["duration_s"] = event["t_end_s"] - event["t_start_s"]
    row.update({flag: int(flag in flags) for flag in KNOWN_FLAGS})
    row["flags_json"] = json.dumps(flags)
    known = {*REP_EVENT_COLUMNS, "flags"}
    extra = {k: v for k, v in event.items() if k not in known}
    row["extra_json"] = json.dumps(extra, sort_keys=True)
    return row


def rep_event_json(row: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `rep_columns`: the event as `RepEvent.to_json()` gave it, extra fields too."""
    event = {name: row[name] for name in REP_EVENT_COLUMNS}
    event["flags"] = json.loads(row["flags_json"])
    event.update(json.loads(row["extra_json"]))
    return event
