"""Privacy: the data folder and files are the user's alone (an existing RepQuest folder is made
private too), the app never listens on a network socket (game and headless session checked on
live processes), and exports land exactly where asked and nowhere else."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from exercises.events import RepEvent
from exercises.session_plan import SessionProgress, SetPlan
from progress.recorder import PatientRecords
from progress.store import APP_DIR_NAME, DB_NAME, open_store
from tests.conftest import REPO_ROOT

TCP_LISTEN, UDP_UNCONNECTED = "0A", "07"
UNIX_ACCEPTING = 0x10000  # __SO_ACCEPTCON: a listening unix socket


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_an_existing_repquest_folder_and_files_are_made_private(tmp_path: Path) -> None:
    own = tmp_path / APP_DIR_NAME
    own.mkdir(mode=0o755)
    own.chmod(0o755)
    with open_store(own):
        pass
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"):
        if (own / name).exists():
            (own / name).chmod(0o644)  # as an older version or a copy might have left them
    with open_store(own) as store:
        store.patient_id("Anna", create=True)
    assert mode(own) == 0o700
    files = [p for p in own.iterdir() if p.name.startswith(DB_NAME)]
    assert files and all(mode(p) == 0o600 for p in files), [(p.name, oct(mode(p))) for p in files]


def test_a_folder_the_user_chose_keeps_its_mode_but_the_files_are_private(tmp_path: Path) -> None:
    chosen = tmp_path / "shared-with-my-carer"
    chosen.mkdir()
    chosen.chmod(0o750)
    with open_store(chosen) as store:
        store.patient_id("Anna", create=True)
    assert mode(chosen) == 0o750
    assert all(mode(p) == 0o600 for p in chosen.iterdir() if p.is_file())


def listening_sockets(pid: int) -> list[str]:
    """The process's sockets that accept connections or datagrams from the network (or locally
    on a unix path), read from /proc: its fds' socket inodes against the socket tables."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    net = Path(f"/proc/{pid}/net")
    for table in ("tcp", "tcp6", "udp", "udp6"):
        for line in (net / table).read_text().splitlines()[1:]:
            cols = line.split()
            local, state, inode = cols[1], cols[3], cols[9]
            listening = state == TCP_LISTEN if table.startswith("tcp") else state == UDP_UNCONNECTED
            if inode in inodes and listening:
                found.append(f"{table} {local}")
    for line in (net / "unix").read_text().splitlines()[1:]:
        cols = line.split()
        if cols[6] in inodes and int(cols[3], 16) & UNIX_ACCEPTING:
            found.append(f"unix {cols[7] if len(cols) > 7 else '(abstract)'}")
    return found


def watch(args: list[str], ready: Path, env: dict[str, str] | None = None) -> list[str]:
    """Start a real RepQuest process, wait until `ready` exists (it is working), check its
    sockets three times over a second, then stop it."""
    proc = subprocess.Popen(
        [sys.executable, "main.py", *args], cwd=REPO_ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        end_s = time.monotonic() + 60
        while not ready.exists() and proc.poll() is None and time.monotonic() < end_s:
            time.sleep(0.05)
        assert proc.poll() is None, "it ended before it could be checked"
        found: list[str] = []
        for _ in range(3):
            found += listening_sockets(proc.pid)
            time.sleep(0.3)
        return found
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


def test_a_headless_session_opens_no_listening_socket(spar_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    device = f"replay:{spar_dir / 'S1_ABD_L.csv'}@1"
    args = ["session", "--headless", "--device", device, "--data-dir", str(data_dir)]
    assert watch(args, data_dir / DB_NAME) == []


def test_the_game_opens_no_listening_socket(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    args = ["play", "--device", "keyboard", "--data-dir", str(data_dir)]
    assert watch(args, data_dir / DB_NAME, env) == []


def test_the_socket_check_sees_a_listener() -> None:
    """The check can fail: a process that listens on TCP and on a unix path is caught."""
    code = (
        "import socket, time\n"
        "s = socket.create_server(('127.0.0.1', 0))\n"
        "u = socket.socket(socket.AF_UNIX); u.bind('\\0repquest-test'); u.listen()\n"
        "print('up', flush=True); time.sleep(30)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "up\n"
        found = listening_sockets(proc.pid)
    finally:
        proc.kill()
        proc.wait(timeout=10)
        assert proc.stdout is not None
        proc.stdout.close()
    assert any(f.startswith("tcp ") for f in found) and any(f.startswith("unix") for f in found)


def tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_exports_are_written_only_where_asked(tmp_path: Path) -> None:
    data_dir, cwd, out = (tmp_path / n for n in ("data", "cwd", "out"))
    cwd.mkdir()
    out.mkdir()
    with open_store(data_dir) as store:
        records = PatientRecords.for_patient(store, "Anna")
        plan = SetPlan("wrist_extension", reps_per_set=3, sets=1, rest_s=0)
        recorder, progress = records.recorder(plan, origin="headless"), SessionProgress(plan)
        for n in range(3):
            event = RepEvent("wrist_extension", "blue", n, n + 0.5, n + 1.0, 40.0, 0.8, 90.0)
            recorder.on_rep(event, progress.add_rep(event), progress)
        recorder.finish(progress.summary(3.0))

    def repquest(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(REPO_ROOT / "main.py"), *args, "--data-dir", str(data_dir)],
            cwd=cwd, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    before = tree(tmp_path)
    asked = [out / "anna.csv", out / "anna.html"]
    done = repquest("export", "--patient", "Anna", "--format", "csv", "--out", str(asked[0]))
    assert done.returncode == 0, done.stderr
    done = repquest("report", "--patient", "Anna", "--out", str(asked[1]))
    assert done.returncode == 0, done.stderr
    refused = repquest("export", "--patient", "Anna", "--format", "csv", "--out", str(out))
    assert refused.returncode == 2  # a folder is not a file name: nothing is guessed
    new = tree(tmp_path) - before
    assert sorted(new) == sorted(asked), "only the files asked for were written"
    assert asked[0].read_text().count("\n") == 4  # the header and the three reps
