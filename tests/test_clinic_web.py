"""The therapist's side of the clinic: logins, CSRF, who sees what, the numbers on the pages.

Real server, real HTTP, on SQLite and on PostgreSQL; a home's data arrives through the real sync
API. The clinic's clock is fixed, so "this week" and "last 30 days" are known.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from clinic.accounts import create_therapist
from clinic.auth import check_password, hash_password
from tests.clinic_fixtures import (
    PASSWORD,
    RunningClinic,
    add_patient,
    csrf_of,
    db_url,
    logged_in,
    plan_toml,
    postgres,
    running_clinic,
)
from tests.conftest import REPO_ROOT

__all__ = ["db_url", "postgres"]
TZ = timezone(timedelta(hours=1))
NOW = datetime(2025, 3, 14, 18, 0, tzinfo=TZ)  # a Friday
PLAN = plan_toml(sets=1, reps=10, extra="target_range_deg = 40\n")


@pytest.fixture
def clinic(db_url: str) -> Any:
    with running_clinic(db_url, NOW) as running:
        yield running


def session_item(n: int, day: date, ranges: list[float]) -> dict[str, Any]:
    stamp = f"{day.isoformat()}T10:00:00+01:00"
    reps = [
        {
            "seq": k + 1,
            "counted": 1,
            "recorded_at": stamp,
            "exercise_id": "wrist_extension",
            "range_deg": r,
            "range_fraction": r / 60,
            "duration_s": 1.5,
            "peak_speed_dps": 80.0,
            "smoothness": 0.6,
            "flags": [],
            "block_index": 0,
            "set_index": 0,
        }
        for k, r in enumerate(ranges)
    ]
    return {
        "uuid": f"session-{n:04d}-uuid",
        "kind": "session",
        "payload": {
            "local_id": n,
            "started_at": stamp,
            "local_date": day.isoformat(),
            "ended_at": stamp,
            "status": "completed",
            "plan_done": 1,
            "duration_s": 30.0,
            "origin": "game",
            "summary": {"game": "rep_rush", "score": 100},
            "sets": [
                {
                    "block_index": 0,
                    "set_index": 0,
                    "exercise_id": "wrist_extension",
                    "reps_planned": len(ranges),
                    "reps_done": len(ranges),
                    "finished": 1,
                }
            ],
            "reps": reps,
        },
    }


def pair_by_api(web: httpx.Client, clinic: RunningClinic, patient_id: int) -> str:
    page = web.post(f"/patients/{patient_id}/pairing", data={"csrf": csrf_of(web.get("/").text)})
    code = re.search(r'id="pairing-code">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    answer = httpx.post(f"{clinic.url}/api/pair", json={"code": code, "install_id": f"i-{code}"})
    return str(answer.json()["token"])


def send(clinic: RunningClinic, token: str, items: list[dict[str, Any]]) -> None:
    answer = httpx.post(
        f"{clinic.url}/api/sync",
        json={"items": items},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def row_of(html: str, name: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{name}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_the_patients_list_shows_adherence_pain_and_alerts(clinic: RunningClinic) -> None:
    web = logged_in(clinic)
    anna, ben = add_patient(web, "Anna"), add_patient(web, "Ben")
    page = web.get(f"/patients/{anna}")
    web.post(f"/patients/{anna}/plan", data={"csrf": csrf_of(page.text), "plan_toml": PLAN})
    token = pair_by_api(web, clinic, anna)
    today = NOW.date()
    # Mon–Fri this week, and 4 days in the weeks before (one 40 days ago: outside the 30).
    days = [today - timedelta(days=d) for d in (0, 1, 2, 3, 4, 8, 10, 15, 40)]
    items = [session_item(n, day, [45.0] * 10) for n, day in enumerate(days)]
    items.append(
        {
            "uuid": "feeling-1-uuid",
            "kind": "feeling",
            "payload": {
                "local_id": 1,
                "session_local_id": 0,
                "recorded_at": f"{today}T10:05:00+01:00",
                "answer": "sore",
            },
        }
    )
    send(clinic, token, items)

    html = web.get("/").text
    anna_row, ben_row = row_of(html, "Anna"), row_of(html, "Ben")
    assert " 5 " in anna_row and "8 of 30" in anna_row  # days this week, days in the last 30
    assert "14 Mar 2025" in anna_row
    assert "Pain reported on 14 Mar" in anna_row
    assert "Success 100%, above the 80–90 % band" in anna_row  # every rep reached 40°
    assert "No training yet" not in anna_row
    assert "(not paired)" in ben_row and "none yet" in ben_row
    detail = web.get(f"/patients/{anna}").text
    assert "Reps per day" in detail and "<svg" in detail and "sore or very tired" in detail
    assert "In force: version 1, saved by Ana Therapist" in detail
    assert ben != anna


def test_no_training_for_days_raises_an_alert(clinic: RunningClinic) -> None:
    web = logged_in(clinic)
    anna = add_patient(web, "Anna")
    send(
        clinic,
        pair_by_api(web, clinic, anna),
        [session_item(1, NOW.date() - timedelta(days=5), [30.0] * 3)],
    )
    assert "No training for 5 days" in row_of(web.get("/").text, "Anna")


def test_a_therapist_sees_only_their_own_patients(clinic: RunningClinic) -> None:
    ana = logged_in(clinic)
    anna = add_patient(ana, "Anna")
    create_therapist(clinic.clinic.engine, "bo", PASSWORD, "Bo", NOW)
    bo = logged_in(clinic, "bo")
    assert "Anna" not in bo.get("/").text
    assert bo.get(f"/patients/{anna}").status_code == 404
    assert bo.get(f"/api/patients/{anna}/fhir").status_code == 404
    csrf = csrf_of(bo.get("/").text)
    refused = bo.post(f"/patients/{anna}/plan", data={"csrf": csrf, "plan_toml": PLAN})
    assert refused.status_code == 404
    assert bo.post(f"/patients/{anna}/pairing", data={"csrf": csrf}).status_code == 404
    assert "No plan yet" in ana.get(f"/patients/{anna}").text  # nothing was changed


def test_a_form_without_the_csrf_token_changes_nothing(clinic: RunningClinic) -> None:
    web = logged_in(clinic)
    anna = add_patient(web, "Anna")
    forged = web.post(f"/patients/{anna}/plan", data={"csrf": "forged", "plan_toml": PLAN})
    assert forged.status_code == 403 and "nothing was changed" in forged.text
    assert web.post("/patients", data={"name": "Mallory"}).status_code == 403
    html = web.get("/").text
    assert "Mallory" not in html and "No plan yet" in web.get(f"/patients/{anna}").text


def test_logins_are_checked_and_rate_limited(clinic: RunningClinic) -> None:
    with httpx.Client(base_url=clinic.url, follow_redirects=True) as client:
        assert client.get("/").url.path == "/login"  # not logged in: the login page
        for _ in range(5):
            form = client.get("/login")
            wrong = client.post(
                "/login",
                data={"csrf": csrf_of(form.text), "username": "ana", "password": "wrong password"},
            )
            assert wrong.status_code == 401 and "is not right" in wrong.text
        form = client.get("/login")
        blocked = client.post(
            "/login", data={"csrf": csrf_of(form.text), "username": "ana", "password": PASSWORD}
        )
        assert blocked.status_code == 429 and "Too many attempts" in blocked.text
        no_cookie = httpx.post(
            f"{clinic.url}/login", data={"csrf": "x", "username": "ana", "password": PASSWORD}
        )
        assert no_cookie.status_code == 403  # a login form posted from elsewhere


def test_logout_ends_the_session(clinic: RunningClinic) -> None:
    web = logged_in(clinic)
    web.post("/logout", data={"csrf": csrf_of(web.get("/").text)})
    assert web.get("/").url.path == "/login"


def test_passwords_are_stored_as_scrypt_hashes() -> None:
    stored = hash_password("a long passphrase")
    assert stored.startswith("scrypt$") and "a long passphrase" not in stored
    assert check_password("a long passphrase", stored)
    assert not check_password("a long passphrasf", stored)
    assert stored != hash_password("a long passphrase")  # salted


def clinic_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clinic", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_the_cli_creates_a_therapist_and_explains_refusals(tmp_path: Path) -> None:
    folder = str(tmp_path)
    cases = [
        (("Kim", "--name", "Kim L."), "a good long password", 0, "'kim' created"),
        (("kim",), "another long password", 2, "already a therapist called 'kim'"),
        (("lee",), "short", 2, "at least 10 characters"),
    ]
    for names, password, code, words in cases:
        done = clinic_cli(
            "add-therapist", *names, "--password-stdin", "--data-dir", folder, stdin=password + "\n"
        )
        assert done.returncode == code and words in done.stderr, done.stderr


CONTRAST_PAIRS = [
    ("#1a1a1a", "#ffffff"),
    ("#0b5394", "#ffffff"),
    ("#ffffff", "#0b5394"),
    ("#8a1c00", "#ffffff"),
    ("#1e5e20", "#ffffff"),
    ("#1a1a1a", "#f2f2f2"),
    ("#0072B2", "#ffffff"),
    ("#B34700", "#ffffff"),
    ("#007A5E", "#ffffff"),
    ("#A1467E", "#ffffff"),
]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("text", "background"), CONTRAST_PAIRS)
def test_text_colours_meet_wcag_aa(text: str, background: str) -> None:
    css = (REPO_ROOT / "clinic" / "static" / "clinic.css").read_text().lower()
    charts = (REPO_ROOT / "clinic" / "charts.py").read_text().lower()
    assert text.lower() in css + charts  # the pair is one the pages use
    light, dark = sorted((luminance(text), luminance(background)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
