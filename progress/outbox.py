"""The local half of clinic sync: the link to the clinic, the outbox, and plans that come down.

The outbox (schema v3) is filled by SQLite triggers in the same transaction that ends a session
or stores a "how does it feel" answer, so whatever is on disk is also queued: nothing depends on
the network being up, and a queue can wait for days. Items go up oldest first; each keeps the
uuid it was queued with, so sending one twice (the answer lost on the way back) is harmless: the
clinic dedupes on it. An item is marked sent only once the clinic has said it holds it.

No network here: `progress.sync_client` moves the items built by `pending_items`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from exercises.plan import PlanFileError, parse_plan
from progress.plans import save_plan
from progress.store import Store, StoreError, row_dicts

BATCH_ITEMS = 50  # items per request: small enough for a slow line, few enough round trips

SESSION_FIELDS = (
    "started_at",
    "local_date",
    "ended_at",
    "status",
    "plan_done",
    "duration_s",
    "stopped_by",
    "origin",
)
SUMMARY_FIELDS = ("game", "score", "completed")  # the summary's words a therapist reads
SET_FIELDS = ("block_index", "set_index", "exercise_id", "reps_planned", "reps_done", "finished")
REP_FIELDS = (
    "seq",
    "counted",
    "recorded_at",
    "exercise_id",
    "range_deg",
    "range_fraction",
    "duration_s",
    "peak_speed_dps",
    "smoothness",
)


@dataclass(frozen=True)
class Link:
    """This install's pairing with a clinic (one row of `sync_link`)."""

    server_url: str
    install_id: str
    token: str
    patient_id: int
    clinic_patient: str
    plan_version: int
    last_sync_at: str | None
    last_error: str | None


def get_link(store: Store) -> Link | None:
    rows = row_dicts(
        store.conn.execute(
            "SELECT server_url, install_id, token, patient_id, clinic_patient, plan_version, "
            "last_sync_at, last_error FROM sync_link WHERE id = 1"
        )
    )
    return Link(**rows[0]) if rows else None


def save_link(store: Store, link: Link) -> None:
    """Pair this install (replacing an earlier pairing) and queue the patient's past sessions
    and answers, so a history made before pairing reaches the clinic too."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM sync_link")
        conn.execute(
            "INSERT INTO sync_link (id, server_url, install_id, token, patient_id, "
            "clinic_patient, paired_at, plan_version) VALUES (1, ?, ?, ?, ?, ?, ?, 0)",
            (
                link.server_url,
                link.install_id,
                link.token,
                link.patient_id,
                link.clinic_patient,
                store.stamp(),
            ),
        )
        # A new pairing starts the queue afresh: items sent to another clinic go up again.
        conn.execute("DELETE FROM outbox")
        conn.execute(
            "INSERT INTO outbox (kind, ref_id) SELECT 'session', id FROM sessions "
            "WHERE patient_id = ? AND status != 'in_progress' ORDER BY id",
            (link.patient_id,),
        )
        conn.execute(
            "INSERT INTO outbox (kind, ref_id) SELECT 'feeling', f.id FROM feelings f "
            "JOIN sessions s ON s.id = f.session_id WHERE s.patient_id = ? ORDER BY f.id",
            (link.patient_id,),
        )


def note_sync(store: Store, error: str | None) -> None:
    """Keep when the last attempt was and what went wrong (None: it worked)."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE sync_link SET last_sync_at = ?, last_error = ? WHERE id = 1",
            (store.stamp(), error),
        )


def unsent_count(store: Store) -> int:
    return int(
        store.conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
    )


def pending_items(store: Store, limit: int = BATCH_ITEMS) -> list[dict[str, Any]]:
    """The oldest unsent items, as the clinic's sync API takes them: {uuid, kind, payload}."""
    rows = store.conn.execute(
        "SELECT item_uuid, kind, ref_id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?",
        (limit,),
    ).fetchall()
    items = []
    for item_uuid, kind, ref_id in rows:
        payload = (
            session_payload(store, ref_id) if kind == "session" else feeling_payload(store, ref_id)
        )
        items.append({"uuid": item_uuid, "kind": kind, "payload": payload})
    return items


def mark_sent(store: Store, uuids: list[str]) -> None:
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE outbox SET sent_at = ? WHERE item_uuid = ?",
            [(store.stamp(), u) for u in uuids],
        )


def session_payload(store: Store, session_id: int) -> dict[str, Any] | None:
    """One ended session with its sets and per-rep summaries (no raw samples); None if it was
    deleted since it was queued (the clinic then just acknowledges the item)."""
    conn = store.conn
    rows = row_dicts(
        conn.execute(
            f"SELECT {', '.join(SESSION_FIELDS)}, summary_json FROM sessions WHERE id = ?",
            (session_id,),
        )
    )
    if not rows:
        return None
    session = rows[0]
    summary = json.loads(session.pop("summary_json") or "{}")
    session["summary"] = {k: summary[k] for k in SUMMARY_FIELDS if k in summary}
    session["local_id"] = session_id
    session["sets"] = row_dicts(
        conn.execute(
            f"SELECT {', '.join(SET_FIELDS)} FROM sets WHERE session_id = ? "
            "ORDER BY block_index, set_index",
            (session_id,),
        )
    )
    reps = row_dicts(
        conn.execute(
            f"SELECT {', '.join('r.' + f for f in REP_FIELDS)}, r.flags_json, s.block_index, "
            "s.set_index FROM reps r LEFT JOIN sets s ON s.id = r.set_id "
            "WHERE r.session_id = ? ORDER BY r.seq",
            (session_id,),
        )
    )
    for rep in reps:
        rep["flags"] = json.loads(rep.pop("flags_json"))
    session["reps"] = reps
    return session


def feeling_payload(store: Store, feeling_id: int) -> dict[str, Any] | None:
    rows = row_dicts(
        store.conn.execute(
            "SELECT session_id AS session_local_id, recorded_at, answer FROM feelings WHERE id = ?",
            (feeling_id,),
        )
    )
    return {"local_id": feeling_id, **rows[0]} if rows else None


def apply_plan(store: Store, link: Link, version: int, toml_text: str) -> None:
    """A plan from the clinic becomes the plan in force here, checked exactly as a plan file is.

    Sessions read the plan in force when they start, so one already running keeps its plan and
    the new one applies from the next session. The plan is stored under the local patient's own
    name (the clinic's may be spelt differently). A plan that does not pass the check is not
    stored and raises: the clinic validated it, so this means the two disagree — say so.
    """
    try:
        plan = parse_plan(toml_text, f"the clinic's plan version {version}")
    except PlanFileError as exc:
        raise StoreError(f"{exc}; the plan in force here was kept") from exc
    row = store.conn.execute("SELECT name FROM patients WHERE id = ?", (link.patient_id,))
    found = row.fetchone()
    if found is None:
        raise StoreError("the paired patient is no longer in this install: pair again")
    plan = replace(plan, patient=replace(plan.patient, name=found[0]))
    save_plan(store, plan, toml_text)
    with store.transaction() as conn:
        conn.execute("UPDATE sync_link SET plan_version = ? WHERE id = 1", (version,))
