"""A real `session --headless` process killed with SIGKILL mid-set: every rep it reported as stored
is in the database, the file passes SQLite's integrity check, the session shows as interrupted,
and the patient carries on with a new session, both in their history."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue

from progress.recorder import PatientRecords
from progress.store import DB_NAME, open_store
from tests.conftest import REPO_ROOT

RECORDING = "S1_ABD_L.csv"  # 20 shoulder abductions, about 50 s
KILL_AFTER_REPS = 4


def session(data_dir: Path, recording: Path, speed: float, *extra: str) -> list[str]:
    return [
        sys.executable, "main.py", "session", "--headless",
        "--device", f"replay:{recording}@{speed:g}", "--patient", "Anna",
        "--data-dir", str(data_dir), *extra,
    ]  # fmt: skip


def lines_of(proc: subprocess.Popen[str]) -> Queue[str]:
    """stdout lines as they come, read on a thread so the test never blocks on the pipe."""
    out: Queue[str] = Queue()

    def pump() -> None:
        assert proc.stdout is not None
        with proc.stdout:
            for line in proc.stdout:
                out.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return out


def test_kill_9_mid_set_loses_no_stored_rep(spar_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    recording = spar_dir / RECORDING
    proc = subprocess.Popen(
        session(data_dir, recording, 8, "--reps", "20", "--progress-jsonl"),
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines = lines_of(proc)
    reported: list[dict[str, object]] = []
    try:
        while len(reported) < KILL_AFTER_REPS:
            reported.append(json.loads(lines.get(timeout=60)))
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # mid-set: the set is 20 reps
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    while True:  # lines written before the kill but not yet read
        try:
            reported.append(json.loads(lines.get(timeout=0.5)))
        except Empty:
            break
    assert all("summary" not in r and "reps" not in r for r in reported), "it finished first"

    # Straight after the crash, as the next start would find the file.
    conn = sqlite3.connect(data_dir / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = [row[0] for row in conn.execute("SELECT t_end_s FROM reps ORDER BY seq")]
    status, pid = conn.execute("SELECT status, pid FROM sessions").fetchone()
    conn.close()
    assert (status, pid) == ("in_progress", proc.pid)
    reported_ends = [r["t_end_s"] for r in reported]
    assert stored[: len(reported_ends)] == reported_ends, "a reported rep is missing"
    assert len(stored) <= len(reported_ends) + 1, "at most the rep in progress is unreported"

    # The patient starts again and finishes a short set.
    again = subprocess.run(
        session(data_dir, recording, 50, "--reps", "3"),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["reps"] == 3
    with open_store(data_dir) as store:
        rows = store.conn.execute("SELECT status FROM sessions ORDER BY id").fetchall()
        assert [r[0] for r in rows] == ["interrupted", "completed"]
        history = PatientRecords.for_patient(store, "Anna", create=False).history()
        assert len(history.reps) == len(stored) + 3
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
