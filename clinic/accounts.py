"""Therapist accounts and their logged-in web sessions (a random id in a cookie, its digest here).

Each web session carries its own CSRF token: every form that changes something posts it back,
and a request without the right one is refused. Sessions expire after a working day.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from clinic import db
from clinic.auth import check_password, digest, hash_password, new_token, password_problem

SESSION_HOURS = 10
MAX_USERNAME_CHARS = 80


class AccountError(ValueError):
    """An account cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Therapist:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class WebSession:
    therapist: Therapist
    csrf_token: str


def create_therapist(
    engine: Engine, username: str, password: str, display_name: str, now: datetime
) -> Therapist:
    username = username.strip().lower()
    if not username or len(username) > MAX_USERNAME_CHARS or not username.isprintable():
        raise AccountError(f"the username must be 1 to {MAX_USERNAME_CHARS} printable characters")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    shown = display_name.strip() or username
    try:
        with engine.begin() as conn:
            new_id = conn.execute(
                db.therapists.insert()
                .values(
                    username=username,
                    display_name=shown,
                    password_hash=hash_password(password),
                    created_at=now.isoformat(timespec="seconds"),
                )
                .returning(db.therapists.c.id)
            ).scalar_one()
    except IntegrityError as exc:
        raise AccountError(f"there is already a therapist called {username!r}") from exc
    return Therapist(int(new_id), username, shown)


def verify_login(engine: Engine, username: str, password: str) -> Therapist | None:
    t = db.therapists
    with engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.username == username.strip().lower())).first()
    if row is None:
        check_password(password, hash_password("not a user"))  # same time as a wrong password
        return None
    if not check_password(password, row.password_hash):
        return None
    return Therapist(row.id, row.username, row.display_name)


def open_session(engine: Engine, therapist: Therapist, now: datetime) -> str:
    """A new web session; returns the cookie value (only its digest is stored)."""
    token = new_token()
    with engine.begin() as conn:
        conn.execute(
            db.web_sessions.insert().values(
                token_hash=digest(token),
                therapist_id=therapist.id,
                csrf_token=secrets.token_urlsafe(24),
                created_at=now.isoformat(),
                expires_at=(now + timedelta(hours=SESSION_HOURS)).isoformat(),
            )
        )
    return token


def find_session(engine: Engine, token: str | None, now: datetime) -> WebSession | None:
    if not token:
        return None
    w, t = db.web_sessions, db.therapists
    with engine.connect() as conn:
        row = conn.execute(
            select(t.c.id, t.c.username, t.c.display_name, w.c.csrf_token, w.c.expires_at)
            .join(t, t.c.id == w.c.therapist_id)
            .where(w.c.token_hash == digest(token))
        ).first()
    if row is None or datetime.fromisoformat(row.expires_at) <= now:
        return None
    return WebSession(Therapist(row.id, row.username, row.display_name), row.csrf_token)


def close_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(
                db.web_sessions.delete().where(db.web_sessions.c.token_hash == digest(token))
            )
