"""Pairing a home install to one patient: a one-time code, traded for a token.

The therapist makes a code on the patient's page (valid `CODE_HOURS`, usable once); the install
sends it with a fresh install id and gets a token back. The clinic keeps digests only. A token
names one install of one patient: everything it sends is stored as that patient's, whatever the
payload says, and a revoked install's token stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from clinic import db
from clinic.auth import digest, new_pairing_code, new_token, normalise_code
from clinic.ingest import Install

CODE_HOURS = 24


class PairingError(ValueError):
    """The code cannot be used; the message says what the patient or therapist can do."""


@dataclass(frozen=True)
class InstallRow:
    id: int
    paired_at: str
    last_seen_at: str | None
    revoked_at: str | None


def create_code(
    engine: Engine, patient_id: int, therapist_id: int, now: datetime
) -> tuple[str, str]:
    """A new code for this patient and when it expires (earlier unused codes stay valid)."""
    code = new_pairing_code()
    expires = (now + timedelta(hours=CODE_HOURS)).isoformat(timespec="seconds")
    with engine.begin() as conn:
        conn.execute(
            db.pairing_codes.insert().values(
                patient_id=patient_id,
                code_hash=digest(code),
                created_by=therapist_id,
                created_at=now.isoformat(timespec="seconds"),
                expires_at=expires,
            )
        )
    return code, expires


def redeem(engine: Engine, code: str, install_uuid: str, now: datetime) -> tuple[str, str]:
    """Use a code once: returns (the install's token, the patient's name)."""
    if not 8 <= len(install_uuid) <= 64:
        raise PairingError("the install id must be 8 to 64 characters")
    c, p = db.pairing_codes, db.patients
    token = new_token()
    with engine.begin() as conn:
        row = conn.execute(
            select(c.c.id, c.c.patient_id, c.c.expires_at, c.c.used_at, p.c.name)
            .join(p, p.c.id == c.c.patient_id)
            .where(c.c.code_hash == digest(normalise_code(code)))
        ).first()
        if row is None:
            raise PairingError("this pairing code is not known: check it, or ask for a new one")
        if row.used_at is not None:
            raise PairingError("this pairing code was used already: ask for a new one")
        if datetime.fromisoformat(row.expires_at) <= now:
            raise PairingError("this pairing code has expired: ask for a new one")
        used = conn.execute(
            update(c)
            .where(c.c.id == row.id, c.c.used_at.is_(None))
            .values(used_at=now.isoformat(timespec="seconds"))
        )
        if used.rowcount != 1:  # another request used it a moment ago
            raise PairingError("this pairing code was used already: ask for a new one")
        i = db.installs
        stamp = now.isoformat(timespec="seconds")
        known = conn.execute(
            select(i.c.id, i.c.patient_id).where(i.c.install_uuid == install_uuid)
        ).first()
        if known is not None and known.patient_id == row.patient_id:
            # The same install paired again (a lost token, or after an unpair): it keeps its
            # row, so the sessions it sends again replace their copies instead of doubling.
            conn.execute(
                update(i)
                .where(i.c.id == known.id)
                .values(token_hash=digest(token), paired_at=stamp, revoked_at=None)
            )
            return token, row.name
        if known is not None:  # the computer now serves another patient: retire the old row
            conn.execute(
                update(i)
                .where(i.c.id == known.id)
                .values(install_uuid=f"{install_uuid}~{known.id}", revoked_at=stamp)
            )
        conn.execute(
            i.insert().values(
                install_uuid=install_uuid,
                patient_id=row.patient_id,
                token_hash=digest(token),
                paired_at=stamp,
            )
        )
    return token, row.name


def install_for_token(engine: Engine, token: str, now: datetime) -> Install | None:
    i = db.installs
    with engine.begin() as conn:
        row = conn.execute(
            select(i.c.id, i.c.patient_id).where(
                i.c.token_hash == digest(token), i.c.revoked_at.is_(None)
            )
        ).first()
        if row is None:
            return None
        conn.execute(
            update(i).where(i.c.id == row.id).values(last_seen_at=now.isoformat(timespec="seconds"))
        )
    return Install(row.id, row.patient_id)


def list_installs(engine: Engine, patient_id: int) -> list[InstallRow]:
    i = db.installs
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.c.id, i.c.paired_at, i.c.last_seen_at, i.c.revoked_at)
            .where(i.c.patient_id == patient_id)
            .order_by(i.c.id)
        ).all()
    return [InstallRow(*row) for row in rows]


def revoke(engine: Engine, install_id: int, patient_id: int, now: datetime) -> bool:
    i = db.installs
    with engine.begin() as conn:
        done = conn.execute(
            update(i)
            .where(i.c.id == install_id, i.c.patient_id == patient_id, i.c.revoked_at.is_(None))
            .values(revoked_at=now.isoformat(timespec="seconds"))
        )
    return done.rowcount == 1
