"""The clinic's database: SQLAlchemy Core tables that run the same on SQLite and PostgreSQL.

SQLite (a file) is the embedded default for a small clinic or a try-out; PostgreSQL for a clinic
with many therapists. Only portable types and constraints are used, and the one non-portable
statement (insert-or-ignore, for dedupe) goes through `insert_ignore`, so one test suite runs
against both.

Secrets are never stored: passwords as scrypt hashes, install tokens, web session ids and
pairing codes as SHA-256 digests (they are long random values, or short-lived and rate-limited).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

metadata = MetaData()

therapists = Table(
    "therapists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", String(40), nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("therapist_id", Integer, ForeignKey("therapists.id"), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("created_at", String(40), nullable=False),
)

pairing_codes = Table(
    "pairing_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_by", Integer, ForeignKey("therapists.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
)

installs = Table(
    "installs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("install_uuid", String(64), nullable=False, unique=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("paired_at", String(40), nullable=False),
    Column("last_seen_at", String(40)),
    Column("revoked_at", String(40)),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("therapist_id", Integer, ForeignKey("therapists.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

# Every item an install sent, by the uuid it was queued with: the dedupe (a resend is a no-op).
received_items = Table(
    "received_items",
    metadata,
    Column("item_uuid", String(64), primary_key=True),
    Column("install_id", Integer, ForeignKey("installs.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("received_at", String(40), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False),
    Column("install_id", Integer, ForeignKey("installs.id"), nullable=False),
    Column("local_id", Integer, nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("local_date", String(10), nullable=False),
    Column("ended_at", String(40)),
    Column("status", String(20), nullable=False),
    Column("plan_done", Boolean),
    Column("duration_s", Float),
    Column("stopped_by", String(40)),
    Column("game", String(40)),
    Column("score", Integer),
    UniqueConstraint("install_id", "local_id"),
    Index("sessions_by_patient_day", "patient_id", "local_date"),
)

sets = Table(
    "sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("block_index", Integer, nullable=False),
    Column("set_index", Integer, nullable=False),
    Column("exercise_id", String(60), nullable=False),
    Column("reps_planned", Integer, nullable=False),
    Column("reps_done", Integer, nullable=False),
    Column("finished", Boolean, nullable=False),
    UniqueConstraint("session_id", "block_index", "set_index"),
)

reps = Table(
    "reps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("counted", Boolean, nullable=False),
    Column("block_index", Integer),
    Column("set_index", Integer),
    Column("recorded_at", String(40), nullable=False),
    Column("exercise_id", String(60), nullable=False),
    Column("range_deg", Float, nullable=False),
    Column("range_fraction", Float, nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("peak_speed_dps", Float, nullable=False),
    Column("smoothness", Float),
    Column("flags", String(200), nullable=False),  # comma-separated flag names
    UniqueConstraint("session_id", "seq"),
)

feelings = Table(
    "feelings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False, index=True),
    Column("install_id", Integer, ForeignKey("installs.id"), nullable=False),
    Column("local_id", Integer, nullable=False),
    Column("session_local_id", Integer, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("answer", String(10), nullable=False),
    UniqueConstraint("install_id", "local_id"),
)

# Every plan a therapist saved for a patient, never overwritten: who, when, and the file.
plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("plan_toml", Text, nullable=False),
    Column("changed_by", Integer, ForeignKey("therapists.id"), nullable=False),
    Column("changed_at", String(40), nullable=False),
    UniqueConstraint("patient_id", "version"),
)


def make_engine(url: str) -> Engine:
    """An engine for `url`, tables created if missing. SQLite gets WAL and foreign keys on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()

    else:
        engine = create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def insert_ignore(engine: Engine, table: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING in this engine's dialect (the dedupe of synced items)."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement: Insert = dialect.insert(table).on_conflict_do_nothing()
    return statement
