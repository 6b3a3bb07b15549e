"""The database on real SQLite files: creation, privacy, migration from v1, bad files, crashes."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from exercises.events import RepEvent
from exercises.session_plan import Outcome, SessionProgress, SetPlan
from progress.migrations import BACKUP_DIR_NAME
from progress.recorder import PatientRecords
from progress.schema import SCHEMA_VERSION
from progress.store import DB_NAME, StoreError, UnknownPatientError, open_store

V1_FIXTURE = Path(__file__).parent / "fixtures" / "progress_v1.sql"
FIXED_NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=1)))


def fixed_now() -> datetime:
    return FIXED_NOW


def make_v1(data_dir: Path) -> Path:
    data_dir.mkdir(mode=0o700)
    path = data_dir / DB_NAME
    conn = sqlite3.connect(path)
    conn.executescript(V1_FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    return path


def test_a_new_store_is_private_wal_and_at_the_current_version(tmp_path: Path) -> None:
    data_dir = tmp_path / "deep" / "data"
    with open_store(data_dir, now=fixed_now) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"patients", "plans", "sessions", "sets", "reps", "devices", "settings"} <= tables
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600


def test_migration_from_v1_keeps_every_row_and_backs_up_first(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    v1_path = make_v1(data_dir)
    v1 = sqlite3.connect(v1_path)
    v1_events = [json.loads(e) for (e,) in v1.execute("SELECT event_json FROM reps ORDER BY id")]
    v1_counts = {t: v1.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("patients", "sessions", "reps")}  # fmt: skip
    v1.close()

    with open_store(data_dir, now=fixed_now) as store:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for table, count in v1_counts.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
        assert store.patient_names() == ["Anna", "Ben"]
        statuses = conn.execute("SELECT id, status, local_date FROM sessions ORDER BY id")
        assert statuses.fetchall() == [
            (1, "completed", "2025-02-03"),
            (2, "completed", "2025-02-04"),  # 23:30 local stays on its own day
            (3, "interrupted", "2025-02-05"),  # never ended: a crash
        ]
        sets = conn.execute(
            "SELECT session_id, set_index, reps_done, reps_planned, finished FROM sets "
            "ORDER BY session_id, set_index"
        ).fetchall()
        assert sets == [(1, 0, 2, 2, 1), (1, 1, 2, 2, 1), (2, 0, 1, 3, 0), (3, 0, 1, 2, 0)]
        counted = [c for (c,) in conn.execute("SELECT counted FROM reps ORDER BY id")]
        assert counted == [1, 1, 0, 1, 1, 1, 1]  # the extra rep stays, not counted
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        history = PatientRecords.for_patient(store, "Anna", create=False).history()
    # Every field of every counted event survives, the detector's later field too.
    anna_counted = [
        e for e, c in zip(v1_events, counted, strict=True) if c and e["puck_id"] == "blue"
    ]
    assert [r.event for r in history.reps] == anna_counted
    assert history.reps[3].event["jerk_dps3"] == 812.5
    assert history.flag_shares()["compensated"] == pytest.approx(1 / 5)

    backups = list((data_dir / BACKUP_DIR_NAME).iterdir())
    assert [b.name for b in backups] == ["repquest-v1-20250301T120000.sqlite"]
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM reps").fetchone()[0] == v1_counts["reps"]
    old.close()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    path = make_v1(data_dir)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO reps VALUES (99, 1, 0, 'x', 'not json')")
    conn.commit()
    conn.close()
    before = dump(path)
    with pytest.raises(
        StoreError, match=rf"could not bring schema 1 up to {SCHEMA_VERSION} .*nothing was changed"
    ):
        open_store(data_dir, now=fixed_now)
    assert dump(path) == before  # same tables, same rows, still version 1


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    lines = [*conn.iterdump(), str(conn.execute("PRAGMA user_version").fetchone()[0])]
    conn.close()
    return lines


def test_a_corrupt_file_is_kept_aside_and_a_new_store_started(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / DB_NAME
    junk = b"this is not a database at all\n" * 200
    path.write_bytes(junk)
    with open_store(data_dir) as store:
        assert "is damaged" in store.notice
    (kept,) = data_dir.glob("repquest-damaged-*.sqlite")
    assert kept.read_bytes() == junk


def test_a_newer_schema_is_refused_without_change(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with open_store(data_dir) as store:
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer RepQuest"):
        open_store(data_dir)


def test_patients_are_found_case_insensitively_and_bad_names_refused(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        anna = store.patient_id("  Anna  ", create=True)
        assert store.patient_id("ANNA") == anna
        with pytest.raises(UnknownPatientError, match=r"no patient called 'Bob'.*Anna"):
            store.patient_id("Bob")
        for bad in ("", "   ", "x" * 61, "bell\x07name"):
            with pytest.raises(StoreError, match="patient name"):
                store.patient_id(bad, create=True)


def event(n: int) -> RepEvent:
    return RepEvent("wrist_extension", "blue", n, n + 0.5, n + 1.0, 40.0 + n, 0.8, 90.0)


def test_each_rep_is_committed_as_it_happens_and_a_dead_writer_means_interrupted(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    store = open_store(data_dir)
    records = PatientRecords.for_patient(store, "Anna")
    plan = SetPlan("wrist_extension", reps_per_set=2, sets=2, rest_s=0)
    recorder = records.recorder(plan, origin="headless")
    progress = SessionProgress(plan)
    outcomes = []
    for n in range(3):
        e = event(n)
        outcome = progress.add_rep(e)
        outcomes.append(outcome)
        recorder.on_rep(e, outcome, progress)
        progress.start_next_set()
        # Another connection (another process, after a crash) already sees this rep.
        reader = sqlite3.connect(data_dir / DB_NAME)
        assert reader.execute("SELECT count(*) FROM reps").fetchone()[0] == n + 1
        reader.close()
    assert outcomes == [Outcome.REP, Outcome.SET_DONE, Outcome.REP]
    # The process "dies": its session is still in progress, with a pid that is not running.
    store.conn.execute("UPDATE sessions SET pid = ?", (dead_pid(),))
    store.conn.close()

    with open_store(data_dir) as again:
        row = again.conn.execute("SELECT status, ended_at FROM sessions").fetchone()
        assert row[0] == "interrupted"
        assert row[1] is not None
        history = PatientRecords.for_patient(again, "Anna", create=False).history()
        assert [r.set_index for r in history.reps] == [0, 0, 1]
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_session_still_running_in_another_process_is_not_marked(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = open_store(data_dir)
    records = PatientRecords.for_patient(store, "Anna")
    records.recorder(SetPlan("wrist_extension"), origin="game").begin()
    with open_store(data_dir) as other:  # this process's pid is alive
        status = other.conn.execute("SELECT status FROM sessions").fetchone()[0]
        assert status == "in_progress"
    store.close()  # closing with the session unfinished: interrupted
    with open_store(data_dir) as again:
        assert again.conn.execute("SELECT status FROM sessions").fetchone()[0] == "interrupted"


def dead_pid() -> int:
    """The pid of a process that has ended (found without probing pids with signals)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
