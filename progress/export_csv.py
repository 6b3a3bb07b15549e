"""History as CSV: a header, then one row per counted rep with its session, exercise and quality.

For spreadsheets and statistics tools. Columns are the session's context first, then every
`RepEvent` field; fields the detector gains later appear as extra columns (sorted by name), so
nothing stored is left out of an export.
"""

from __future__ import annotations

import csv
from typing import TextIO

from progress.history import History
from progress.schema import KNOWN_FLAGS, REP_EVENT_COLUMNS

SESSION_COLUMNS = (
    "patient",
    "session_id",
    "session_date",
    "session_started_at",
    "session_status",
    "set_number",  # 1-based, as a person counts
    "rep_in_session",
)


def csv_columns(history: History) -> list[str]:
    known = {*REP_EVENT_COLUMNS, "flags"}
    extra = sorted({k for r in history.reps for k in r.event} - known)
    return [*SESSION_COLUMNS, *REP_EVENT_COLUMNS, *KNOWN_FLAGS, "flags", *extra]


def write_csv(history: History, stream: TextIO) -> int:
    """Write the rows to `stream` (opened with newline=""); returns the number of reps written."""
    sessions = {s.id: s for s in history.sessions}
    columns = csv_columns(history)
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    rep_in_session: dict[int, int] = {}
    for rep in history.reps:
        session = sessions[rep.session_id]
        rep_in_session[rep.session_id] = rep_in_session.get(rep.session_id, 0) + 1
        flags = [str(f) for f in rep.event.get("flags", [])]
        row: dict[str, object] = {
            "patient": history.patient,
            "session_id": session.id,
            "session_date": session.local_date.isoformat(),
            "session_started_at": session.started_at,
            "session_status": session.status,
            "set_number": rep.set_index + 1,
            "rep_in_session": rep_in_session[rep.session_id],
            **{k: v for k, v in rep.event.items() if k != "flags"},
            **{flag: int(flag in flags) for flag in KNOWN_FLAGS},
            "flags": ";".join(flags),
        }
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return len(history.reps)
