"""A session's writer is "still running" exactly while its process holds the store's OS file lock.

Real processes: a child opens the store, starts a session and waits; the test opens the same
store beside it, then kills the child (`Popen.kill`: SIGKILL here, TerminateProcess on Windows)
and opens it again. Nothing here sends a signal to probe a pid.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from progress.liveness import LOCK_DIR_NAME, is_running, lock_path
from progress.store import open_store
from tests.conftest import REPO_ROOT

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from exercises.session_plan import SetPlan
    from progress.recorder import PatientRecords
    from progress.store import open_store

    store = open_store(Path(sys.argv[1]))
    records = PatientRecords.for_patient(store, "Anna")
    records.recorder(SetPlan("wrist_extension"), origin="game").begin()
    print("session started", flush=True)
    sys.stdin.readline()  # until the test says so; then close the store as the game would
    store.close()
    """
)


def start_writer(data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "session started"
    return proc


def session_status(data_dir: Path) -> str:
    with open_store(data_dir) as store:
        return str(store.conn.execute("SELECT status FROM sessions").fetchone()[0])


def test_a_live_writer_in_another_process_is_left_alone_and_a_killed_one_is_cut_short(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    with start_writer(data_dir) as proc:
        try:
            assert lock_path(data_dir, proc.pid).exists()
            assert is_running(data_dir, proc.pid)
            assert session_status(data_dir) == "in_progress"  # twice: the probe changes nothing
            assert session_status(data_dir) == "in_progress"
            assert proc.poll() is None, "probing the writer must not end it"
        finally:
            proc.kill()
    assert session_status(data_dir) == "interrupted"
    assert not lock_path(data_dir, proc.pid).exists(), "the crashed run's lock file is tidied"


def test_a_writer_that_closes_normally_leaves_no_lock_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with start_writer(data_dir) as proc:
        proc.communicate("done\n", timeout=30)
    assert proc.returncode == 0
    assert list((data_dir / LOCK_DIR_NAME).iterdir()) == []
    assert session_status(data_dir) == "interrupted"  # closed mid-set by its own process


def test_a_pid_that_is_alive_but_holds_no_lock_is_not_a_writer(tmp_path: Path) -> None:
    """A reused pid (some other program) does not keep a crashed session open, and is not
    touched: the old probe, os.kill(pid, 0), would have terminated it on Windows."""
    data_dir = tmp_path / "data"
    idle = [sys.executable, "-c", "import sys; sys.stdin.read()"]
    with subprocess.Popen(idle, stdin=subprocess.PIPE) as other:
        try:
            assert not is_running(data_dir, other.pid)
            assert other.poll() is None
        finally:
            other.kill()


def test_a_stale_lock_file_from_a_crash_is_free_and_removed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    open_store(data_dir).close()
    stale = lock_path(data_dir, 999_999_999)
    stale.write_text("", encoding="utf-8")  # left behind by a run that died, its lock freed
    assert not is_running(data_dir, 999_999_999)
    assert not stale.exists()


def test_this_process_counts_as_running_while_a_store_is_open(tmp_path: Path) -> None:
    import os

    data_dir = tmp_path / "data"
    with open_store(data_dir), open_store(data_dir):
        assert lock_path(data_dir, os.getpid()).exists()
    assert not lock_path(data_dir, os.getpid()).exists(), "the last close releases the lock"
