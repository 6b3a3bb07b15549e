"""The one SQLite database in the data directory: open it safely, migrate it, write to it.

- The folder is created readable by the user only (0700) and the file is 0600; SQLite gives its
  `-wal` and `-shm` files the database file's permissions.
- WAL mode with `synchronous=FULL`: each rep is its own committed transaction, so a crash or a
  power cut loses at most the rep in progress, and a reader (the history screen, a report) never
  blocks the session that is writing.
- A damaged file (not a database, or pages that fail SQLite's check) is kept aside under a dated
  name — renamed, never deleted or overwritten — and a new, empty store is started, with a notice
  that says where the old file went. A file made by a newer RepQuest is reported and left as it is.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from progress.liveness import hold_running_lock, is_running, release_running_lock
from progress.migrations import MIGRATIONS, backup
from progress.schema import CURRENT_DDL, SCHEMA_VERSION, statements

DB_NAME = "repquest.sqlite"
BUSY_TIMEOUT_S = 10.0
MAX_NAME_CHARS = 60


class StoreError(Exception):
    """The database cannot be used as it is; the message names the file and the problem."""


class DamagedStoreError(StoreError):
    """SQLite says the file is not a database or is corrupt (not: busy, locked, no permission)."""


class UnknownPatientError(StoreError):
    """No patient by that name: the message lists the names there are."""


def local_now() -> datetime:
    """Now, in local time with its UTC offset: what the patient's calendar day is made from."""
    return datetime.now().astimezone()


APP_DIR_NAME = "RepQuest"  # the default data folder's name (platformdirs)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only.

    An existing folder is made private too when it is RepQuest's own (named `RepQuest`, as the
    default one is). Another folder given with `--data-dir` keeps its mode, since changing a
    folder the user chose would be a surprise; the files inside are 0600 regardless.
    """
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask
    elif path.name == APP_DIR_NAME and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def make_private(db_path: Path) -> None:
    """The database and its -wal/-shm readable by the user only (an older or copied file may
    not be); SQLite gives files it creates the database file's mode."""
    for name in (str(db_path), f"{db_path}-wal", f"{db_path}-shm"):
        with contextlib.suppress(FileNotFoundError):
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)


def clean_name(name: str) -> str:
    """A patient name as stored: trimmed; empty, over-long or control characters are refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StoreError("the patient name is empty: give a name, e.g. --patient Anna")
    if len(cleaned) > MAX_NAME_CHARS or not cleaned.isprintable():
        raise StoreError(
            f"the patient name {name!r} is not usable: use up to {MAX_NAME_CHARS} printable "
            "characters"
        )
    return cleaned


@dataclass
class Store:
    """An open database. Use `open_store`; close it (or use `with`) when done."""

    path: Path
    conn: sqlite3.Connection
    now: Callable[[], datetime] = local_now
    notice: str = ""  # something the person should be told (a damaged file was kept aside)
    holds_running_lock: bool = True  # until closed: this store vouches that its process runs

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): one unit that lands whole or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    # --- patients ------------------------------------------------------------------------------
    def patient_names(self) -> list[str]:
        rows = self.conn.execute("SELECT name FROM patients ORDER BY name").fetchall()
        return [r[0] for r in rows]

    def patient_id(self, name: str, create: bool = False) -> int:
        """The id of patient `name` (case-insensitive); created first when `create` is true."""
        cleaned = clean_name(name)
        row = self.conn.execute("SELECT id FROM patients WHERE name = ?", (cleaned,)).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            known = ", ".join(self.patient_names()) or "none yet"
            raise UnknownPatientError(
                f"no patient called {cleaned!r} in {self.path} (patients: {known})"
            )
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO patients (name, created_at) VALUES (?, ?)", (cleaned, self.stamp())
            )
        return int(cursor.lastrowid or 0)

    # --- devices -------------------------------------------------------------------------------
    def device_id(self, kind: str, puck_id: str, model: str | None) -> int:
        """The row for this device, created on first sight; `last_seen_at` moves to now."""
        now = self.stamp()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO devices (kind, puck_id, model, first_seen_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, puck_id) DO UPDATE SET "
                "last_seen_at = excluded.last_seen_at, model = excluded.model",
                (kind, puck_id, model, now, now),
            )
            row = conn.execute(
                "SELECT id FROM devices WHERE kind = ? AND puck_id = ?", (kind, puck_id)
            ).fetchone()
        return int(row[0])

    # --- sessions ------------------------------------------------------------------------------
    def mark_interrupted(self, only_this_process: bool = False) -> int:
        """Sessions left `in_progress` by a process that is gone become `interrupted`.

        At open: any writer that died (kill -9, power cut). At close: this process's own
        unfinished sessions (the window closed mid-set). Returns how many were marked.
        """
        rows = self.conn.execute(
            "SELECT id, pid FROM sessions WHERE status = 'in_progress'"
        ).fetchall()
        if only_this_process:
            stale = [sid for sid, pid in rows if pid == os.getpid()]
        else:
            stale = [
                sid
                for sid, pid in rows
                if pid is None or not is_running(self.path.parent, int(pid))
            ]
        with self.transaction() as conn:
            for sid in stale:
                conn.execute(
                    "UPDATE sessions SET status = 'interrupted', ended_at = COALESCE("
                    "(SELECT MAX(recorded_at) FROM reps WHERE session_id = ?), started_at) "
                    "WHERE id = ?",
                    (sid, sid),
                )
        return len(stale)

    def close(self) -> None:
        try:
            self.mark_interrupted(only_this_process=True)
        finally:
            self.conn.close()
            if self.holds_running_lock:  # once, however often close() is called
                self.holds_running_lock = False
                release_running_lock(self.path.parent)


def _schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _migrate(conn: sqlite3.Connection, path: Path, now: datetime) -> None:
    version = _schema_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer RepQuest (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}): update RepQuest; the file was left as it is"
        )
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if version == 0 and tables:
        raise StoreError(f"{path} holds tables but no RepQuest schema version: left as it is")
    saved = backup(path, version, now) if version else None
    conn.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt; cannot change inside BEGIN
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _schema_version(conn)  # another process may have migrated meanwhile
        if version == 0:
            for statement in statements(CURRENT_DDL):
                conn.execute(statement)
        while 0 < version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise StoreError(f"{path}: migration broke {len(problems)} references; not applied")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except StoreError:
        conn.execute("ROLLBACK")
        raise
    except Exception as exc:
        conn.execute("ROLLBACK")
        raise StoreError(
            f"{path}: could not bring schema {version} up to {SCHEMA_VERSION} ({exc}); nothing "
            f"was changed, and a copy was kept at {saved}"
        ) from exc
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def open_store(data_dir: Path, now: Callable[[], datetime] = local_now) -> Store:
    """Open (creating or migrating) the database in `data_dir`, ready to read and write.

    A damaged file is renamed aside (with its -wal and -shm) and a new store started; the
    store's `notice` then says so, for the caller to show.
    """
    ensure_private_dir(data_dir)
    hold_running_lock(data_dir)  # before any session row of ours exists (progress/liveness.py)
    try:
        return _open_or_keep_aside(data_dir / DB_NAME, now)
    except BaseException:
        release_running_lock(data_dir)
        raise


def _open_or_keep_aside(path: Path, now: Callable[[], datetime]) -> Store:
    try:
        return _open(path, now)
    except DamagedStoreError as exc:
        reason = str(exc.__cause__ or exc)
    kept = keep_aside(path, now())
    store = _open(path, now)
    store.notice = (
        f"the history file {path} is damaged ({reason}); it was kept, untouched, as {kept}, "
        "and a new, empty history was started"
    )
    return store


DAMAGED_CODES = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def keep_aside(path: Path, now: datetime) -> Path:
    """Rename a damaged database (and its -wal/-shm) to a dated name beside it; never overwrite."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    n = 1
    target = path.with_name(f"{path.stem}-damaged-{stamp}{path.suffix}")
    while any(Path(f"{target}{end}").exists() for end in ("", "-wal", "-shm")):
        n += 1
        target = path.with_name(f"{path.stem}-damaged-{stamp}-{n}{path.suffix}")
    for end in ("-wal", "-shm", ""):  # the main file last: a crash midway leaves it in place
        if Path(f"{path}{end}").exists():
            os.rename(f"{path}{end}", f"{target}{end}")
    return target


def _open(path: Path, now: Callable[[], datetime]) -> Store:
    if not path.exists():
        path.touch(mode=0o600)
    make_private(path)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"{path}: cannot switch to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise DamagedStoreError(f"SQLite's check found: {'; '.join(problems)}")
        _migrate(conn, path, now())
    except sqlite3.DatabaseError as exc:
        conn.close()
        if exc.sqlite_errorname.startswith(DAMAGED_CODES):
            raise DamagedStoreError(f"{path} is damaged: {exc}") from exc
        raise StoreError(
            f"{path} cannot be used ({exc}); it was left as it is — is another program using it?"
        ) from exc
    except BaseException:
        conn.close()
        raise
    store = Store(path, conn, now)
    store.mark_interrupted()
    return store


def row_dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name (the connection keeps plain tuples for speed)."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
