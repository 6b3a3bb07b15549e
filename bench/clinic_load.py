"""Load test of clinic sync: N simulated homes each sync a day of sessions to one clinic server.

Each home is a real RepQuest store (SQLite file, the real recorder, the real outbox triggers) and
syncs with the real client (urllib) over a real socket to `python -m clinic serve`, started here
as a subprocess on a free localhost port. Measured: the wall time of the sync phase, and then
that the clinic holds exactly every session, rep and answer once (nothing lost, nothing twice),
including after a share of homes resend items whose acknowledgement they "lost".

    python -m bench.clinic_load --homes 500 [--db URL] [--workers 16]

Only localhost is ever contacted; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from clinic import db
from clinic.accounts import create_therapist
from clinic.pairing import create_code
from exercises.events import RepEvent
from exercises.session_plan import SessionProgress, SetPlan
from progress.recorder import PatientRecords
from progress.store import open_store
from progress.sync_client import pair, sync_once

SESSIONS_PER_DAY, SETS, REPS = 2, 3, 10  # a day: two sessions of 3 sets of 10 reps
RESEND_SHARE = 0.1  # homes that lose the clinic's answer once and send again
SERVER_START_S = 30.0


@dataclass(frozen=True)
class Home:
    folder: Path
    code: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "clinic", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the clinic server stopped: {server.stderr.read().decode()}")  # type: ignore[union-attr]
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("the clinic server did not start in time")


def make_homes(db_url: str, root: Path, homes: int) -> list[Home]:
    """A therapist, `homes` patients and a pairing code each, put in the clinic's database."""
    engine = db.make_engine(db_url)
    now = datetime.now().astimezone()
    therapist = create_therapist(engine, "load", "load test password", "Load Test", now)
    made = []
    with engine.begin() as conn:
        ids = [
            conn.execute(
                db.patients.insert()
                .values(therapist_id=therapist.id, name=f"Home {n}", created_at=now.isoformat())
                .returning(db.patients.c.id)
            ).scalar_one()
            for n in range(homes)
        ]
    for n, patient_id in enumerate(ids):
        code, _ = create_code(engine, patient_id, therapist.id, now)
        made.append(Home(root / f"home{n}", code))
    engine.dispose()
    return made


def play_a_day(folder: Path, day: datetime) -> None:
    """A day of sessions through the real recorder (each rep its own transaction)."""
    clock = iter(day + timedelta(seconds=3 * n) for n in range(1_000_000))
    with open_store(folder, now=lambda: next(clock)) as store:
        records = PatientRecords.for_patient(store, "Pat")
        for s in range(SESSIONS_PER_DAY):
            plan = SetPlan("wrist_extension", REPS, SETS, 30)
            recorder, progress = records.recorder(plan, origin="game"), SessionProgress(plan)
            for n in range(SETS * REPS):
                t0 = 2.5 * n
                event = RepEvent(
                    "wrist_extension", "blue", t0, t0 + 0.9, t0 + 1.9, 30.0 + s + n % 7, 0.6, 80.0
                )
                recorder.on_rep(event, progress.add_rep(event), progress)
                if progress.resting:
                    progress.start_next_set()
            recorder.finish(progress.summary(duration_s=2.5 * SETS * REPS))
            with store.transaction() as conn:
                conn.execute(
                    "INSERT INTO feelings (session_id, recorded_at, answer) VALUES (?, ?, ?)",
                    (recorder.session_id, store.stamp(), "sore" if s else "fine"),
                )


def pair_home(home: Home, url: str) -> None:
    with open_store(home.folder) as store:
        pair(store, url, home.code, store.patient_id("Pat"))


def sync_home(home: Home) -> tuple[int, int]:
    with open_store(home.folder) as store:
        result = sync_once(store)
    return result.sent, result.duplicates


def forget_acks(home: Home) -> int:
    """As if the clinic's last answer never arrived: every item is unsent again."""
    with open_store(home.folder) as store, store.transaction() as conn:
        return conn.execute("UPDATE outbox SET sent_at = NULL").rowcount


def clinic_counts(db_url: str) -> dict[str, int]:
    engine = db.make_engine(db_url)
    with engine.connect() as conn:
        counts = {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in (db.sessions, db.sets, db.reps, db.feelings, db.received_items)
        }
        pairs = conn.execute(
            select(func.count()).select_from(
                select(db.sessions.c.install_id, db.sessions.c.local_id).distinct().subquery()
            )
        ).scalar()
    engine.dispose()
    counts["distinct_sessions"] = int(pairs or 0)
    return counts


def run_load(db_url: str, url: str, root: Path, homes: int, workers: int) -> dict[str, Any]:
    """Set up, play, pair and sync `homes` homes against the server at `url`; the report."""
    made = make_homes(db_url, root, homes)
    day = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda h: play_a_day(h.folder, day), made))
        list(pool.map(lambda h: pair_home(h, url), made))
        start = time.perf_counter()
        results = list(pool.map(sync_home, made))
        sync_s = time.perf_counter() - start
        resent = made[: max(1, int(len(made) * RESEND_SHARE))]
        forgotten = sum(pool.map(forget_acks, resent))
        again = list(pool.map(sync_home, resent))
    expected = {
        "sessions": homes * SESSIONS_PER_DAY,
        "sets": homes * SESSIONS_PER_DAY * SETS,
        "reps": homes * SESSIONS_PER_DAY * SETS * REPS,
        "feelings": homes * SESSIONS_PER_DAY,
        "received_items": homes * SESSIONS_PER_DAY * 2,
        "distinct_sessions": homes * SESSIONS_PER_DAY,
    }
    counts = clinic_counts(db_url)
    return {
        "homes": homes,
        "workers": workers,
        "sync_s": round(sync_s, 2),
        "homes_per_s": round(homes / sync_s, 1),
        "items_sent": sum(sent for sent, _ in results),
        "duplicates_first_pass": sum(dup for _, dup in results),
        "resent_items": forgotten,
        "resent_acknowledged_as_duplicates": sum(d for _, d in again),
        "resent_stored_again": sum(s for s, _ in again),
        "clinic": counts,
        "expected": expected,
        "ok": counts == expected and sum(d for _, d in again) == forgotten,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=500)
    parser.add_argument("--workers", type=int, default=16, help="homes syncing at once")
    parser.add_argument("--db", default=None, help="clinic database URL (default: a temp SQLite)")
    args = parser.parse_args(argv)
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        db_url = args.db or f"sqlite:///{Path(tmp) / 'clinic.sqlite'}"
        port = free_port()
        server = start_server(db_url, port)
        try:
            report = run_load(
                db_url, f"http://127.0.0.1:{port}", Path(tmp), args.homes, args.workers
            )
        finally:
            server.terminate()
            server.wait(10)
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
