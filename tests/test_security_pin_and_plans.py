"""What issue #5's tests leave open: the PIN lock survives closing and reopening the app (a
restart is not a way round it), and a truncated or invalid plan file never replaces the plan in
force — the therapist's stored plan is left exactly as it was."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from exercises.plan import PlanFileError
from progress.pin import LOCK_S, MAX_TRIES, check_pin, set_pin
from progress.plans import current_plan, import_plan_file
from progress.recorder import PatientRecords
from progress.store import DB_NAME, open_store
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "plans" / "anna_adult.toml"


def test_the_pin_lock_survives_a_restart(tmp_path: Path) -> None:
    now = [datetime(2026, 3, 2, 10, 0).astimezone()]
    with open_store(tmp_path, now=lambda: now[0]) as store:
        set_pin(store, "2468")
        for _ in range(MAX_TRIES - 1):
            assert not check_pin(store, "1111").ok
    with open_store(tmp_path, now=lambda: now[0]) as store:  # the app closed and opened again
        last = check_pin(store, "1111")
        assert not last.ok and last.locked_for_s == LOCK_S, "misses are remembered on disk"
    with open_store(tmp_path, now=lambda: now[0]) as store:
        assert not check_pin(store, "2468").ok, "still locked after another restart"
        now[0] += timedelta(seconds=LOCK_S + 1)
        assert check_pin(store, "2468").ok


def plans_table(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        return conn.execute("SELECT * FROM plans ORDER BY id").fetchall()


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (lambda text: text[: len(text) * 2 // 3].rsplit("=", 1)[0] + "=", "not valid TOML"),
        (lambda text: text[: text.index("[[blocks]]")], "blocks = (missing)"),
        (lambda text: text.replace("reps = 5 ", "reps = 500 ", 1), "reps = 500"),
        (lambda text: "\x00\x01" + text[:40], "not valid TOML"),
    ],
    ids=["truncated mid-line", "truncated before the blocks", "out of range", "binary junk"],
)
def test_a_bad_plan_file_never_replaces_the_plan_in_force(
    tmp_path: Path, cut: object, words: str
) -> None:
    data_dir = tmp_path / "data"
    with open_store(data_dir) as store:
        good = import_plan_file(store, EXAMPLE)
    before = plans_table(data_dir)
    bad = tmp_path / "anna_adult.toml"
    bad.write_text(cut(EXAMPLE.read_text()), encoding="utf-8")  # type: ignore[operator]
    with open_store(data_dir) as store, pytest.raises(PlanFileError) as refused:
        import_plan_file(store, bad)
    assert any(words in p for p in refused.value.problems), refused.value.problems
    assert str(bad) in str(refused.value), "the message names the file"
    assert plans_table(data_dir) == before, "nothing stored, nothing overwritten"
    with open_store(data_dir) as store:
        anna = PatientRecords.for_patient(store, "Anna", create=False)
        in_force = current_plan(store, anna.patient_id)
        assert in_force is not None and in_force.toml == good.toml == EXAMPLE.read_text()
