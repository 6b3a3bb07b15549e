"""Bad files never take the app or the data down: a recording with NaN, infinity, impossible
values or time that stands still or runs back is refused with an error naming the line, the
column and the problem; a damaged database is kept aside, byte for byte, and a new one started."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from devices.recording import RecordingError, read_recording
from exercises.events import RepEvent
from exercises.session_plan import SessionProgress, SetPlan
from progress.recorder import PatientRecords
from progress.store import DB_NAME, StoreError, open_store
from tests.conftest import REPO_ROOT

HEADER = "t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n"
GOOD = "0.00,0.1,0.2,0.98,1.0,2.0,3.0\n"
NOW = datetime(2026, 11, 21, 9, 30, 0).astimezone()


def recording(tmp_path: Path, second_row: str) -> Path:
    path = tmp_path / "rec.csv"
    path.write_text(HEADER + GOOD + second_row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("0.02,nan,0.2,0.98,1,2,3", "rec.csv:3: ax_g is NaN (not a number)"),
        ("0.02,0.1,inf,0.98,1,2,3", "rec.csv:3: ay_g is infinite (inf)"),
        ("0.02,0.1,0.2,0.98,1,-inf,3", "rec.csv:3: gy_dps is infinite (-inf)"),
        ("0.02,0.1,0.2,23.5,1,2,3", "rec.csv:3: az_g = 23.5 is beyond ±16 g"),
        ("0.02,0.1,0.2,0.98,1,2,-9000", "rec.csv:3: gz_dps = -9000 is beyond ±4000 deg/s"),
        ("0.00,0.1,0.2,0.98,1,2,3", "rec.csv:3: t_s 0 repeats the time of the row before"),
        ("-0.02,0.1,0.2,0.98,1,2,3", "rec.csv:3: t_s -0.02 goes back in time"),
    ],
)
def test_a_bad_recording_names_line_column_and_problem(
    tmp_path: Path, row: str, message: str
) -> None:
    with pytest.raises(RecordingError) as caught:
        read_recording(recording(tmp_path, row))
    assert message in str(caught.value)
    assert "fix or delete that row" in str(caught.value) or "must increase" in str(caught.value)


def test_the_cli_refuses_a_bad_recording_and_stores_nothing(tmp_path: Path) -> None:
    bad = recording(tmp_path, "0.02,0.1,0.2,99,1,2,3")
    data_dir = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "main.py", "session", "--headless", "--device", f"replay:{bad}",
         "--data-dir", str(data_dir)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, "one line on stderr"
    assert "rec.csv:3: az_g = 99 is beyond ±16 g" in result.stderr
    assert not data_dir.exists(), "nothing was written for a refused recording"


def real_store(data_dir: Path) -> None:
    """A real database with a patient, a session and its reps, and enough pages to damage."""
    with open_store(data_dir) as store:
        records = PatientRecords.for_patient(store, "Anna")
        plan = SetPlan("wrist_extension", reps_per_set=50, sets=1, rest_s=0)
        recorder = records.recorder(plan, origin="headless")
        progress = SessionProgress(plan)
        for n in range(40):
            event = RepEvent("wrist_extension", "blue", n, n + 0.5, n + 1.0, 40.0, 0.8, 90.0)
            recorder.on_rep(event, progress.add_rep(event), progress)
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    conn.close()


def damage(kind: str, path: Path) -> None:
    data = bytearray(path.read_bytes())
    if kind == "junk":
        path.write_bytes(b"this is not a database at all\n" * 200)
    elif kind == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif kind == "page":  # a b-tree page in the middle overwritten, the header intact
        page = 4096
        middle = (len(data) // page // 2) * page
        data[middle : middle + page] = b"\xff" * page
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["junk", "truncated", "page"])
def test_a_damaged_database_is_kept_aside_and_a_new_one_started(tmp_path: Path, kind: str) -> None:
    data_dir = tmp_path / "data"
    real_store(data_dir)
    path = data_dir / DB_NAME
    damage(kind, path)
    damaged = path.read_bytes()

    with open_store(data_dir, now=lambda: NOW) as store:
        kept = data_dir / "repquest-damaged-20261121T093000.sqlite"
        assert f"it was kept, untouched, as {kept}" in store.notice
        assert "damaged" in store.notice
        assert store.patient_names() == []  # a new, empty store, and it works
        PatientRecords.for_patient(store, "Anna")
    assert kept.read_bytes() == damaged, "the damaged file is kept byte for byte"
    assert kept.stat().st_mode & 0o777 == 0o600


def test_a_second_damaged_file_never_overwrites_the_first(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    for n in range(2):
        data_dir.mkdir(exist_ok=True)
        (data_dir / DB_NAME).write_bytes(b"junk %d\n" % n * 300)
        open_store(data_dir, now=lambda: NOW).close()
    first = data_dir / "repquest-damaged-20261121T093000.sqlite"
    second = data_dir / "repquest-damaged-20261121T093000-2.sqlite"
    assert first.read_bytes() == b"junk 0\n" * 300
    assert second.read_bytes() == b"junk 1\n" * 300


def test_a_newer_file_is_not_damaged_and_stays_where_it_is(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with open_store(data_dir) as store:
        store.conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer RepQuest"):
        open_store(data_dir)
    assert sorted(p.name for p in data_dir.iterdir() if "damaged" in p.name) == []


def test_the_cli_says_where_the_damaged_file_went(spar_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_NAME).write_bytes(b"\x00" * 8192)
    result = subprocess.run(
        [sys.executable, "main.py", "session", "--headless", "--reps", "2",
         "--device", f"replay:{spar_dir / 'S1_ABD_L.csv'}@50", "--data-dir", str(data_dir)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "repquest: the history file" in result.stderr and "is damaged" in result.stderr
    kept = list(data_dir.glob("repquest-damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00" * 8192
