"""Real parts for the clinic tests: PostgreSQL clusters, a uvicorn server, a logged-in browser-like
client, and home installs with real stores.

- PostgreSQL: a throwaway cluster (initdb + pg_ctl) in a temp folder on a free port, one per test
  worker; each test gets a fresh database in it. As root (CI), the cluster runs as `postgres`,
  since initdb refuses to run as root.
- The server: the real ASGI app under a real uvicorn on 127.0.0.1 in a thread, so the sync client's
  urllib requests cross a real socket, and the test can still give the clinic a fixed clock.
- Missing tools skip only outside CI: with `CI` set, a missing PostgreSQL or Chromium fails.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from clinic.accounts import Therapist, create_therapist
from clinic.app import create_app
from clinic.context import Clinic
from clinic.db import make_engine

PASSWORD = "correct horse battery"


def plan_toml(name: str = "Anna", sets: int = 2, reps: int | str = 4, extra: str = "") -> str:
    """A small valid plan file (one wrist extension block), as a therapist would type it."""
    return (
        f'[patient]\nname = "{name}"\naffected_side = "left"\nage_group = "adult"\n\n'
        f'[[blocks]]\nexercise = "wrist_extension"\nsets = {sets}\nreps = {reps}\n{extra}'
    )


SERVER_START_S = 20.0


def require(what: str, found: bool) -> None:
    """Skip when a system tool is absent locally; in CI (`CI` set) its absence is a failure."""
    if found:
        return
    message = f"{what} is not installed (Debian: see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI must run these tests")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class PostgresCluster:
    folder: Path
    port: int
    bin_dir: Path
    run_as: list[str]
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"clinic_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [
                *self.run_as,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "db"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresCluster:
    bin_dir = pg_bin()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="repquest-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    db = folder / "db"
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(db),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder}"
        " -c fsync=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(db),
            "-o",
            options,
            "-w",
            "-l",
            str(folder / "log.txt"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    return PostgresCluster(folder, port, bin_dir, run_as)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    require("PostgreSQL (initdb)", pg_bin() is not None)
    cluster = start_postgres()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty clinic database: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'clinic.sqlite'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


class FixedClock:
    """The clinic's clock, set by the test (never the wall clock)."""

    def __init__(self, now: datetime) -> None:
        self.now_dt = now

    def __call__(self) -> datetime:
        return self.now_dt


@dataclass
class RunningClinic:
    clinic: Clinic
    url: str
    therapist: Therapist
    server: uvicorn.Server
    thread: threading.Thread
    clients: list[httpx.Client] = field(default_factory=list)

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.server.should_exit = True
        self.thread.join(10)
        self.clinic.engine.dispose()


def serve_clinic(db_url: str, now: datetime | None = None, **options: Any) -> RunningClinic:
    """The real app on a real uvicorn (own thread, free port), with one therapist, `ana`."""
    clock = FixedClock(now or datetime.now().astimezone())
    clinic = Clinic(make_engine(db_url), now=clock, **options)
    therapist = create_therapist(clinic.engine, "ana", PASSWORD, "Ana Therapist", clock())
    port = free_port()
    config = uvicorn.Config(
        create_app(clinic), host="127.0.0.1", port=port, log_level="error", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the clinic server did not start")
        time.sleep(0.02)
    return RunningClinic(clinic, f"http://127.0.0.1:{port}", therapist, server, thread)


@contextlib.contextmanager
def running_clinic(
    db_url: str, now: datetime | None = None, **options: Any
) -> Iterator[RunningClinic]:
    running = serve_clinic(db_url, now, **options)
    try:
        yield running
    finally:
        running.stop()


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def logged_in(
    running: RunningClinic, username: str = "ana", password: str = PASSWORD
) -> httpx.Client:
    """An HTTP client with cookies, logged in through the real login form (closed at the end)."""
    client = httpx.Client(base_url=running.url, follow_redirects=True, timeout=30)
    running.clients.append(client)
    form = client.get("/login")
    answer = client.post(
        "/login", data={"csrf": csrf_of(form.text), "username": username, "password": password}
    )
    assert answer.status_code == 200 and "Your patients" in answer.text, answer.text[:300]
    return client


def add_patient(client: httpx.Client, name: str) -> int:
    page = client.get("/")
    answer = client.post("/patients", data={"csrf": csrf_of(page.text), "name": name})
    assert answer.status_code == 200
    return int(str(answer.url).rstrip("/").rsplit("/", 1)[1])


def pairing_code(client: httpx.Client, patient_id: int) -> str:
    page = client.get(f"/patients/{patient_id}")
    answer = client.post(f"/patients/{patient_id}/pairing", data={"csrf": csrf_of(page.text)})
    match = re.search(r'id="pairing-code">([^<]+)<', answer.text)
    assert match, answer.text[:500]
    return match.group(1)
