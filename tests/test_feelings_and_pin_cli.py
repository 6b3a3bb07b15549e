"""Schema v3 (the feelings table) reached from a v2 file, feelings kept as said, and the
therapist PIN set and reset at the command line (real subprocesses, real SQLite files)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from progress.feelings import patient_feelings, record_feeling
from progress.pin import check_pin, has_pin
from progress.recorder import PatientRecords
from progress.schema import DDL_V2, SCHEMA_VERSION, statements
from progress.store import DB_NAME, StoreError, open_store

ROOT = Path(__file__).resolve().parents[1]


def test_a_v2_file_gains_the_feelings_table_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(path)
    for statement in statements(DDL_V2):
        conn.execute(statement)
    conn.execute("INSERT INTO patients (name, created_at) VALUES ('Ann', '2025-01-01T09:00')")
    conn.execute(
        "INSERT INTO sessions (patient_id, origin, started_at, local_date, status) "
        "VALUES (1, 'game', '2025-01-01T09:00', '2025-01-01', 'completed')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with open_store(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert store.patient_names() == ["Ann"]
        record_feeling(store, 1, "sore")
        with pytest.raises(StoreError, match="not one of fine, tired, sore"):
            record_feeling(store, 1, "tired-ish")
        with pytest.raises(sqlite3.IntegrityError):  # the table's own CHECK, verbatim
            store.conn.execute(
                "INSERT INTO feelings (session_id, recorded_at, answer) VALUES (1, 'x', 'ok')"
            )
        (feeling,) = patient_feelings(store, 1)
        assert feeling.answer == "sore" and feeling.session_id == 1
        history = PatientRecords(store, 1, "Ann").history()
        assert history.sore_days() == [feeling.local_date] and history.feeling_of(1) == "sore"
    assert list((tmp_path / "backups").glob("repquest-v2-*.sqlite"))  # a copy before migrating


def pin(data_dir: Path, command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "pin", command, "--data-dir", str(data_dir)],
        input=stdin, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_pin_is_set_and_reset_at_the_command_line(tmp_path: Path) -> None:
    done = pin(tmp_path, "set", "2468\n1357\n")
    assert done.returncode == 2 and "different" in done.stderr
    with open_store(tmp_path) as store:
        assert not has_pin(store)
    done = pin(tmp_path, "set", "12\n12\n")
    assert done.returncode == 2 and "4 to 8 digits" in done.stderr
    done = pin(tmp_path, "set", "2468\n2468\n")
    assert done.returncode == 0, done.stderr
    with open_store(tmp_path) as store:
        assert check_pin(store, "2468").ok
    done = pin(tmp_path, "reset")
    assert done.returncode == 0 and "forgotten" in done.stderr
    with open_store(tmp_path) as store:
        assert not has_pin(store)
