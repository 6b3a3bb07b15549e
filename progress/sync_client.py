"""Talking to the clinic service: pair this install, send the outbox, bring plan changes down.

Plain HTTP+JSON with the standard library (urllib), so the game needs no extra package. Every
failure becomes a `SyncError` whose message says what happened in plain words and that the data
stays queued: nothing is removed from the outbox until the clinic has acknowledged it.

`SyncWorker` runs `sync_once` on its own thread with its own database connection (SQLite
connections belong to one thread), so the game loop never waits for the network.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from progress.outbox import (
    Link,
    apply_plan,
    get_link,
    mark_sent,
    note_sync,
    pending_items,
    save_link,
    unsent_count,
)
from progress.store import Store, StoreError, open_store

TIMEOUT_S = 15.0
MAX_BATCHES = 10_000  # a bound on one sync's loop; far above any real backlog
WORKER_INTERVAL_S = 300.0  # the game syncs every five minutes while it runs


class SyncError(StoreError):
    """Sync could not finish; the message says why and that the data is still queued."""


@dataclass(frozen=True)
class SyncResult:
    sent: int  # items the clinic stored now
    duplicates: int  # items it already had (an earlier answer was lost on the way)
    plan_version: int | None  # a plan version applied by this sync, if any
    left: int  # items still queued


def _post(url: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    data = json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
            return answer
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read().decode("utf-8")).get("error", "")
        except (ValueError, AttributeError):
            detail = ""
        raise SyncError(f"the clinic refused ({exc.code}): {detail or exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SyncError(
            f"the clinic at {url} cannot be reached ({reason}); everything stays saved here "
            "and goes up at the next sync"
        ) from exc


def _endpoint(server_url: str, path: str) -> str:
    if not server_url.startswith(("http://", "https://")):
        raise SyncError(f"--server {server_url!r} is not a web address: use e.g. http://HOST:8800")
    return server_url.rstrip("/") + path


def pair(store: Store, server_url: str, code: str, patient_id: int) -> Link:
    """Trade the therapist's one-time code for this install's token, and keep the link."""
    earlier = get_link(store)  # paired with this clinic before: keep the install's identity
    same = earlier is not None and earlier.server_url == server_url.rstrip("/")
    install_id = earlier.install_id if earlier is not None and same else str(uuid.uuid4())
    answer = _post(_endpoint(server_url, "/api/pair"), {"code": code, "install_id": install_id})
    link = Link(
        server_url.rstrip("/"),
        install_id,
        str(answer["token"]),
        patient_id,
        str(answer["patient"]),
        0,
        None,
        None,
    )
    save_link(store, link)
    return link


def sync_once(store: Store) -> SyncResult:
    """Send every queued item, oldest first, in batches; apply a newer plan if the clinic has one.

    Resumable: each batch is marked sent when acknowledged, so an interruption loses nothing and
    repeats at most one batch (which the clinic recognises by its uuids).
    """
    link = get_link(store)
    if link is None:
        raise SyncError(
            "this install is not paired: ask the therapist for a code, then run "
            "'python main.py sync --pair CODE --server URL'"
        )
    url = _endpoint(link.server_url, "/api/sync")
    sent = duplicates = 0
    applied: int | None = None
    try:
        for _ in range(MAX_BATCHES):
            items = pending_items(store)
            current = get_link(store) or link
            answer = _post(url, {"items": items, "plan_version": current.plan_version}, link.token)
            stored, dup = list(answer.get("stored", [])), list(answer.get("duplicates", []))
            mark_sent(store, stored + dup)
            sent, duplicates = sent + len(stored), duplicates + len(dup)
            plan = answer.get("plan")
            if plan and int(plan["version"]) > current.plan_version:
                apply_plan(store, current, int(plan["version"]), str(plan["toml"]))
                applied = int(plan["version"])
            if not items or len(stored) + len(dup) < len(items):
                break
    except StoreError as exc:
        note_sync(store, str(exc))
        raise
    note_sync(store, None)
    return SyncResult(sent, duplicates, applied, unsent_count(store))


class SyncWorker:
    """Syncs in the background every `interval_s` while the game runs; never blocks the caller.

    Failures are kept in `last_error` (and in the store's `sync_link.last_error`), never raised
    into the game: a clinic that is down just means the outbox waits.
    """

    def __init__(
        self,
        data_dir: Path,
        interval_s: float = WORKER_INTERVAL_S,
        on_result: Callable[[SyncResult], None] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.interval_s = interval_s
        self.on_result = on_result
        self.last_error: str | None = None
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="clinic-sync", daemon=True)

    def start(self) -> SyncWorker:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the worker to stop and wait a little; a request in flight ends by its timeout."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with open_store(self.data_dir) as store:
                    if get_link(store) is not None:
                        result = sync_once(store)
                        self.last_error = None
                        if self.on_result is not None:
                            self.on_result(result)
            except StoreError as exc:
                self.last_error = str(exc)
            self.runs += 1
            self._stop.wait(self.interval_s)


def is_paired(data_dir: Path) -> bool:
    with open_store(data_dir) as store:
        return get_link(store) is not None
