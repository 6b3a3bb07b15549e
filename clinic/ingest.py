"""Storing what a home install sends: checked first, then one transaction per item, deduped.

An item is {uuid, kind, payload}. The whole batch is checked before anything is stored, so a bad
item is refused with its position and the problem, and nothing of that batch is half-stored.
Each item then lands in one transaction together with its `received_items` row: a resend of an
item (the install never saw our answer) finds its uuid there and is acknowledged as a duplicate.
The patient is always the install's own: an install can write only its patient's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from clinic import db

FEELINGS = ("fine", "tired", "sore")
SESSION_STATUSES = ("completed", "interrupted")
MAX_ITEMS = 500
NUMBER = (int, float)


class ItemError(ValueError):
    """An item that cannot be stored; the message names the item and the field."""


@dataclass(frozen=True)
class Install:
    id: int
    patient_id: int


def _need(payload: Any, where: str, fields: dict[str, Any]) -> None:
    """Each named field present with its type (a JSON true/false is not a number here)."""
    if not isinstance(payload, dict):
        raise ItemError(f"{where}: must be an object")
    for name, kinds in fields.items():
        value = payload.get(name)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise ItemError(f"{where}: field {name!r} is missing or not the right type")


def _times(payload: dict[str, Any], where: str, stamps: tuple[str, ...], day: str = "") -> None:
    """ISO 8601 times (and a calendar day): the dashboard counts days from them."""
    try:
        for name in stamps:
            if payload.get(name) is not None:
                datetime.fromisoformat(str(payload[name]))
        if day:
            date.fromisoformat(str(payload[day]))
    except ValueError as exc:
        raise ItemError(
            f"{where}: {exc} (times are ISO 8601, e.g. 2025-03-14T10:00:00+01:00)"
        ) from exc


def check_items(items: Any) -> list[dict[str, Any]]:
    """The batch, checked; raises `ItemError` naming the first bad item."""
    if not isinstance(items, list):
        raise ItemError("'items' must be a list")
    if len(items) > MAX_ITEMS:
        raise ItemError(f"at most {MAX_ITEMS} items per request, got {len(items)}")
    for n, item in enumerate(items):
        where = f"item {n}"
        if not isinstance(item, dict) or not isinstance(item.get("uuid"), str):
            raise ItemError(f"{where}: needs a 'uuid' string")
        if not 8 <= len(item["uuid"]) <= 64:
            raise ItemError(f"{where}: 'uuid' must be 8 to 64 characters")
        kind, payload = item.get("kind"), item.get("payload")
        if kind not in ("session", "feeling"):
            raise ItemError(f"{where}: 'kind' must be 'session' or 'feeling', got {kind!r}")
        if payload is None:
            continue  # the row was deleted at home before it went up: acknowledged, not stored
        if not isinstance(payload, dict):
            raise ItemError(f"{where}: 'payload' must be an object")
        if kind == "feeling":
            _need(payload, where, {"local_id": int, "session_local_id": int, "recorded_at": str})
            if payload.get("answer") not in FEELINGS:
                raise ItemError(f"{where}: 'answer' must be one of {', '.join(FEELINGS)}")
            _times(payload, where, ("recorded_at",))
            continue
        _need(
            payload,
            where,
            {"local_id": int, "started_at": str, "local_date": str, "sets": list, "reps": list},
        )
        if payload.get("status") not in SESSION_STATUSES:
            raise ItemError(f"{where}: 'status' must be one of {', '.join(SESSION_STATUSES)}")
        _times(payload, where, ("started_at", "ended_at"), "local_date")
        for s in payload["sets"]:
            _need(
                s,
                f"{where} set",
                {
                    "block_index": int,
                    "set_index": int,
                    "exercise_id": str,
                    "reps_planned": int,
                    "reps_done": int,
                },
            )
        for r in payload["reps"]:
            _need(
                r,
                f"{where} rep",
                {
                    "seq": int,
                    "recorded_at": str,
                    "exercise_id": str,
                    "range_deg": NUMBER,
                    "range_fraction": NUMBER,
                    "duration_s": NUMBER,
                    "peak_speed_dps": NUMBER,
                },
            )
            _times(r, f"{where} rep {r['seq']}", ("recorded_at",))
            if not isinstance(r.get("flags", []), list):
                raise ItemError(f"{where} rep {r['seq']}: 'flags' must be a list")
    return items


def store_items(
    engine: Engine, install: Install, items: list[dict[str, Any]], now: str
) -> tuple[list[str], list[str]]:
    """Store a checked batch in order; returns (stored uuids, duplicate uuids)."""
    stored: list[str] = []
    duplicates: list[str] = []
    mark = db.insert_ignore(engine, db.received_items).returning(db.received_items.c.item_uuid)
    for item in items:
        with engine.begin() as conn:
            row = {
                "item_uuid": item["uuid"],
                "install_id": install.id,
                "kind": item["kind"],
                "received_at": now,
            }
            # RETURNING, not rowcount: psycopg reports a row even when the insert was ignored.
            if conn.execute(mark.values(**row)).first() is None:
                duplicates.append(item["uuid"])
                continue
            payload = item["payload"]
            if payload is not None and item["kind"] == "session":
                _store_session(conn, install, payload)
            elif payload is not None:
                _store_feeling(conn, install, payload)
            stored.append(item["uuid"])
    return stored, duplicates


def _store_session(conn: Connection, install: Install, p: dict[str, Any]) -> None:
    key = (db.sessions.c.install_id == install.id) & (db.sessions.c.local_id == p["local_id"])
    old = conn.execute(select(db.sessions.c.id).where(key)).scalar()
    if old is not None:  # the same session sent again under a new uuid (paired anew): replace
        conn.execute(db.reps.delete().where(db.reps.c.session_id == old))
        conn.execute(db.sets.delete().where(db.sets.c.session_id == old))
        conn.execute(db.sessions.delete().where(db.sessions.c.id == old))
    summary = p.get("summary") or {}
    score = summary.get("score")
    session_id = conn.execute(
        db.sessions.insert()
        .values(
            patient_id=install.patient_id,
            install_id=install.id,
            local_id=p["local_id"],
            started_at=p["started_at"],
            local_date=p["local_date"],
            ended_at=p.get("ended_at"),
            status=p["status"],
            plan_done=bool(p.get("plan_done")),
            duration_s=p.get("duration_s"),
            stopped_by=p.get("stopped_by"),
            game=summary.get("game"),
            score=int(score) if isinstance(score, NUMBER) else None,
        )
        .returning(db.sessions.c.id)
    ).scalar_one()
    if p["sets"]:
        conn.execute(
            db.sets.insert(),
            [
                {
                    "session_id": session_id,
                    "block_index": s["block_index"],
                    "set_index": s["set_index"],
                    "exercise_id": s["exercise_id"],
                    "reps_planned": s["reps_planned"],
                    "reps_done": s["reps_done"],
                    "finished": bool(s.get("finished")),
                }
                for s in p["sets"]
            ],
        )
    if p["reps"]:
        conn.execute(
            db.reps.insert(),
            [
                {
                    "session_id": session_id,
                    "seq": r["seq"],
                    "counted": bool(r.get("counted", 1)),
                    "block_index": r.get("block_index"),
                    "set_index": r.get("set_index"),
                    "recorded_at": r["recorded_at"],
                    "exercise_id": r["exercise_id"],
                    "range_deg": float(r["range_deg"]),
                    "range_fraction": float(r["range_fraction"]),
                    "duration_s": float(r["duration_s"]),
                    "peak_speed_dps": float(r["peak_speed_dps"]),
                    "smoothness": r.get("smoothness"),
                    "flags": ",".join(map(str, r.get("flags", []))),
                }
                for r in p["reps"]
            ],
        )


def _store_feeling(conn: Connection, install: Install, p: dict[str, Any]) -> None:
    key = (db.feelings.c.install_id == install.id) & (db.feelings.c.local_id == p["local_id"])
    conn.execute(db.feelings.delete().where(key))
    conn.execute(
        db.feelings.insert().values(
            patient_id=install.patient_id,
            install_id=install.id,
            local_id=p["local_id"],
            session_local_id=p["session_local_id"],
            recorded_at=p["recorded_at"],
            answer=p["answer"],
        )
    )
