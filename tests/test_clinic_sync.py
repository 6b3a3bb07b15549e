"""Sync between a home store and the clinic, over a real socket, on SQLite and on PostgreSQL.

The home is a real store with two weeks of sessions written by the real recorder; the clinic is
the real app under uvicorn. Checked: everything arrives once, in order, resends are deduped, a
clinic that is down loses nothing, a token writes only its own patient, codes are one-time and
rate-limited, plans come down checked, and both FHIR exports say the same.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from clinic import db
from exercises.session_plan import SetPlan
from progress.fhir import fhir_bundle
from progress.outbox import get_link, pending_items, unsent_count
from progress.plans import current_plan
from progress.recorder import PatientRecords
from progress.store import Store
from progress.sync_client import SyncError, SyncResult, SyncWorker, pair, sync_once
from tests.clinic_fixtures import (
    RunningClinic,
    add_patient,
    csrf_of,
    db_url,
    free_port,
    logged_in,
    pairing_code,
    plan_toml,
    postgres,
    running_clinic,
)
from tests.progress_sample import TODAY, TZ, run_session, write_sample_history
from tests.test_cli import run
from tests.test_export_fhir import validate_r4

__all__ = ["db_url", "postgres"]  # fixtures used by name below
CLINIC_NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 19, 0, tzinfo=TZ)


@pytest.fixture
def clinic(db_url: str) -> Any:
    with running_clinic(db_url, CLINIC_NOW) as running:
        yield running


@pytest.fixture
def home(tmp_path: Path) -> Any:
    store = write_sample_history(tmp_path / "home")
    try:
        yield store
    finally:
        store.close()


def paired(clinic: RunningClinic, store: Store, name: str = "Anna") -> tuple[httpx.Client, int]:
    web = logged_in(clinic)
    patient_id = add_patient(web, name)
    pair(store, clinic.url, pairing_code(web, patient_id), store.patient_id("Anna"))
    return web, patient_id


def count(clinic: RunningClinic, table: Any, *where: Any) -> int:
    with clinic.clinic.engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0
        )


def local_count(store: Store, sql: str) -> int:
    return int(store.conn.execute(sql).fetchone()[0])


def test_every_session_set_rep_and_answer_arrives_once(clinic: RunningClinic, home: Store) -> None:
    session_id = local_count(home, "SELECT max(id) FROM sessions")
    with home.transaction() as conn:  # a "how does it feel" answer (issue 15 records them)
        conn.execute(
            "INSERT INTO feelings (session_id, recorded_at, answer) VALUES (?, ?, 'sore')",
            (session_id, home.stamp()),
        )
    _, patient_id = paired(clinic, home)
    ended = local_count(home, "SELECT count(*) FROM sessions WHERE status != 'in_progress'")
    assert unsent_count(home) == ended + 1  # the history before pairing is queued too
    order = [
        item["payload"]["local_id"]
        for item in pending_items(home, 1000)
        if item["kind"] == "session"
    ]
    assert order == sorted(order)  # oldest first

    result = sync_once(home)
    assert (result.sent, result.duplicates, result.left) == (ended + 1, 0, 0)
    s = db.sessions
    assert count(clinic, s, s.c.patient_id == patient_id) == ended
    assert count(clinic, db.reps) == local_count(home, "SELECT count(*) FROM reps")
    assert count(clinic, db.sets) == local_count(home, "SELECT count(*) FROM sets")
    assert count(clinic, db.feelings, db.feelings.c.answer == "sore") == 1
    assert count(clinic, s, s.c.status == "interrupted") == 1

    again = sync_once(home)  # nothing new: nothing sent, nothing doubled
    assert (again.sent, again.duplicates) == (0, 0)
    assert count(clinic, s) == ended


def test_a_lost_answer_means_a_resend_the_clinic_recognises(
    clinic: RunningClinic, home: Store
) -> None:
    paired(clinic, home)
    first = sync_once(home)
    with home.transaction() as conn:  # the acknowledgement never reached home
        conn.execute("UPDATE outbox SET sent_at = NULL")
    again = sync_once(home)
    assert (again.sent, again.duplicates) == (0, first.sent)
    assert count(clinic, db.sessions) == first.sent
    assert count(clinic, db.received_items) == first.sent


def test_a_clinic_that_is_down_for_days_loses_nothing(clinic: RunningClinic, home: Store) -> None:
    paired(clinic, home)
    sync_once(home)
    records = PatientRecords.for_patient(home, "Anna", create=False)
    with home.transaction() as conn:  # the clinic moves (or is down): nothing listens there
        conn.execute("UPDATE sync_link SET server_url = ?", (f"http://127.0.0.1:{free_port()}",))
    for _ in range(3):  # three more days of training while it is unreachable
        run_session(records, SetPlan("wrist_extension", 5, 1, 10), [40.0] * 5, finish=True)
        with pytest.raises(SyncError, match=r"cannot be reached.*stays saved here"):
            sync_once(home)
    assert unsent_count(home) == 3
    link = get_link(home)
    assert link is not None and "cannot be reached" in (link.last_error or "")
    with home.transaction() as conn:
        conn.execute("UPDATE sync_link SET server_url = ?", (clinic.url,))
    result = sync_once(home)
    assert (result.sent, result.left) == (3, 0)
    assert get_link(home).last_error is None  # type: ignore[union-attr]


def test_a_token_writes_only_its_own_patient(
    clinic: RunningClinic, home: Store, tmp_path: Path
) -> None:
    web, anna = paired(clinic, home)
    ben = add_patient(web, "Ben")
    sync_once(home)
    assert count(clinic, db.sessions, db.sessions.c.patient_id == ben) == 0
    assert count(clinic, db.sessions, db.sessions.c.patient_id == anna) > 0
    item = {
        "uuid": "f" * 32,
        "kind": "feeling",
        "payload": {
            "local_id": 1,
            "session_local_id": 1,
            "answer": "sore",
            "recorded_at": "2025-03-14T10:00:00+01:00",
            "patient_id": ben,
        },
    }
    link = get_link(home)
    assert link is not None
    answer = httpx.post(
        f"{clinic.url}/api/sync",
        json={"items": [item]},
        headers={"Authorization": f"Bearer {link.token}"},
    )
    assert answer.status_code == 200
    assert count(clinic, db.feelings, db.feelings.c.patient_id == ben) == 0  # stored as Anna's
    wrong = httpx.post(
        f"{clinic.url}/api/sync",
        json={"items": []},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert wrong.status_code == 401 and "pair it again" in wrong.json()["error"]
    page = web.get(f"/patients/{anna}")  # the therapist unpairs the install: its token stops
    web.post(f"/patients/{anna}/unpair", data={"csrf": csrf_of(page.text), "install_id": "1"})
    with pytest.raises(SyncError, match="401"):
        sync_once(home)


def test_a_bad_item_is_refused_whole_with_its_position(clinic: RunningClinic, home: Store) -> None:
    paired(clinic, home)
    link = get_link(home)
    assert link is not None
    items = pending_items(home, 3)
    items[2]["payload"]["reps"][0]["range_deg"] = "far"
    answer = httpx.post(
        f"{clinic.url}/api/sync",
        json={"items": items},
        headers={"Authorization": f"Bearer {link.token}"},
    )
    assert answer.status_code == 422
    assert "item 2 rep" in answer.json()["error"] and "range_deg" in answer.json()["error"]
    assert count(clinic, db.sessions) == 0  # nothing of that request was stored


def test_pairing_codes_are_one_time_and_guessing_is_rate_limited(
    clinic: RunningClinic, home: Store
) -> None:
    web = logged_in(clinic)
    code = pairing_code(web, add_patient(web, "Anna"))
    pair(home, clinic.url, code.lower().replace("-", " "), home.patient_id("Anna"))  # as typed
    with pytest.raises(SyncError, match="used already"):
        pair(home, clinic.url, code, home.patient_id("Anna"))
    for _ in range(9):  # with the reused code: 10 failures
        with pytest.raises(SyncError, match="not known"):
            pair(home, clinic.url, "AAAA-AAAA", home.patient_id("Anna"))
    with pytest.raises(SyncError, match=r"429.*too many pairing attempts"):
        pair(home, clinic.url, "AAAA-BBBB", home.patient_id("Anna"))


PLAN = plan_toml("Anna at the clinic", extra="rest_s = 5\n")


def test_a_plan_edit_comes_down_checked_and_applies_once(
    clinic: RunningClinic, home: Store
) -> None:
    web, patient_id = paired(clinic, home)
    page = web.get(f"/patients/{patient_id}")
    bad = web.post(
        f"/patients/{patient_id}/plan",
        data={"csrf": csrf_of(page.text), "plan_toml": PLAN.replace("= 4", "= 99")},
    )
    assert bad.status_code == 400 and "The plan was not saved" in bad.text
    assert "reps" in bad.text and "= 99" in bad.text  # the problem named, the text kept
    good = web.post(
        f"/patients/{patient_id}/plan", data={"csrf": csrf_of(page.text), "plan_toml": PLAN}
    )
    assert "Plan version 1 saved" in good.text and "Ana Therapist" in good.text

    result = sync_once(home)
    assert result.plan_version == 1
    stored = current_plan(home, home.patient_id("Anna"))
    assert stored is not None and stored.toml == PLAN
    assert stored.plan.patient.name == "Anna"  # kept under the local name
    assert [(b.sets, b.reps) for b in stored.plan.blocks] == [(2, 4)]
    assert sync_once(home).plan_version is None  # applied once only
    assert get_link(home).plan_version == 1  # type: ignore[union-attr]


def test_the_clinic_fhir_export_is_the_games_own_mapping(
    clinic: RunningClinic, home: Store
) -> None:
    web, patient_id = paired(clinic, home)
    sync_once(home)
    answer = web.get(f"/api/patients/{patient_id}/fhir")
    assert answer.headers["content-type"].startswith("application/fhir+json")
    theirs = answer.json()
    validate_r4(theirs)
    ours = fhir_bundle(PatientRecords.for_patient(home, "Anna", create=False).history(), CLINIC_NOW)

    def observations(bundle: dict[str, Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (
                r["code"]["coding"][0]["code"],
                r["effectivePeriod"]["start"],
                r["status"],
                r["valueQuantity"]["value"],
                r["component"][0]["valueCodeableConcept"]["text"],
                r["component"][1]["valueQuantity"]["value"],
            )
            for r in (e["resource"] for e in bundle["entry"])
            if r["resourceType"] == "Observation"
        )

    assert observations(theirs) == observations(ours)
    assert len(observations(ours)) > 20
    assert httpx.get(f"{clinic.url}/api/patients/{patient_id}/fhir").status_code == 401


def test_the_background_worker_syncs_and_never_raises(
    clinic: RunningClinic, home: Store, tmp_path: Path
) -> None:
    paired(clinic, home)
    results: list[SyncResult] = []
    worker = SyncWorker(home.path.parent, interval_s=0.05, on_result=results.append).start()
    try:
        deadline = time.monotonic() + 30
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert results and results[0].left == 0 and results[0].sent > 0
    with home.transaction() as conn:  # now the clinic is gone: the worker only notes it
        conn.execute("UPDATE sync_link SET server_url = ?", (f"http://127.0.0.1:{free_port()}",))
    down = SyncWorker(home.path.parent, interval_s=0.05).start()
    try:
        deadline = time.monotonic() + 30
        while down.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        down.stop()
    assert down.runs >= 2 and "cannot be reached" in (down.last_error or "")


def test_the_sync_command_says_what_to_do(tmp_path: Path, clinic: RunningClinic) -> None:
    not_paired = run("sync", data_dir=tmp_path)
    assert not_paired.returncode == 2 and "not paired" in not_paired.stderr
    half = run("sync", "--pair", "ABCD-EFGH", data_dir=tmp_path)
    assert half.returncode == 2 and "both --pair CODE and --server URL" in half.stderr
    bad = run(
        "sync", "--pair", "ABCD-EFGH", "--server", clinic.url, "--patient", "Zoe", data_dir=tmp_path
    )
    assert bad.returncode == 2 and "pairing code is not known" in bad.stderr


def test_pairing_again_resends_without_doubling(clinic: RunningClinic, home: Store) -> None:
    web, patient_id = paired(clinic, home)
    first = sync_once(home)
    pair(home, clinic.url, pairing_code(web, patient_id), home.patient_id("Anna"))
    again = sync_once(home)  # the whole history is queued again under new uuids
    assert again.sent == first.sent
    assert count(clinic, db.sessions) == first.sent  # replaced, not doubled
    assert count(clinic, db.installs) == 1
