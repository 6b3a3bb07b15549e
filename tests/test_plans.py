"""Therapist plans: the file is checked field by field, stored only when valid, exported as it was
imported, and a headless session follows its blocks, sets, reps and rests in order."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from devices.clock import ManualClock
from devices.recording import RecordingWriter
from devices.replay import ReplaySource
from exercises.catalogue import get_exercise
from exercises.plan import GOAL_REPS, START_REPS, PlanFileError, parse_plan
from exercises.plan_runner import PlanSession
from exercises.plan_toml import plan_to_toml
from tests.conftest import REPO_ROOT
from tests.sim_driver import press_reps
from tests.test_cli import run

EXAMPLES = sorted((REPO_ROOT / "examples" / "plans").glob("*.toml"))
PATIENT = '[patient]\nname = "Ann"\naffected_side = "left"\nage_group = "adult"\n'
BLOCK = '[[blocks]]\nexercise = "wrist_extension"\n'

# Ten and more malformed plans, each with the words its message must contain.
MALFORMED = [
    ("not toml [", "not valid TOML"),
    (BLOCK, "patient = (missing): add a [patient] table"),
    (PATIENT, "blocks = (missing): give 1 to 20 [[blocks]] tables"),
    (PATIENT + BLOCK.replace("wrist_extension", "juggling"), "blocks[1].exercise = 'juggling'"),
    (PATIENT + BLOCK.replace("wrist_extension", "auto"), "blocks[1].exercise = 'auto'"),
    (PATIENT + BLOCK + "reps = 0\n", "(wrist_extension).reps = 0: use a whole number from 1 to 30"),
    (PATIENT + BLOCK + "reps = 5.5\n", "reps = 5.5: use a whole number"),
    (PATIENT + BLOCK + "sets = 9\n", "sets = 9: use a whole number from 1 to 5"),
    (PATIENT + BLOCK + "rest_s = 600\n", "rest_s = 600: use a number from 0 to 300"),
    (PATIENT + BLOCK + 'game = "pong"\n', "game = 'pong': use one of rep_rush"),
    (PATIENT + BLOCK + 'count_compensated = "yes"\n', "count_compensated = 'yes': use true"),
    (PATIENT + BLOCK + "min_rep_s = 0\n", "min_rep_s = 0: use a number from 0.2 to 10"),
    (PATIENT + BLOCK + "reps = 12\nmax_reps = 10\n", "max_reps = 10: reps (12) must lie within"),
    (PATIENT + BLOCK + "target_range_deg = 90\nmax_range_deg = 60\n", "target_range_deg (90)"),
    (PATIENT + BLOCK + "repetitions = 5\n", "repetitions = 5: unknown field; use exercise"),
    (PATIENT.replace('"left"', '"up"') + BLOCK, "affected_side = 'up': use one of left, right"),
    (PATIENT.replace('"adult"', '"teen"') + BLOCK, "age_group = 'teen': use one of adult, child"),
    (PATIENT + 'neglected_side = "both"\n' + BLOCK, "neglected_side = 'both': use one of left"),
    (PATIENT.replace('"Ann"', '""') + BLOCK, "patient.name = '': give the patient's name"),
    (PATIENT + '[session]\nweekly_schedule = ["mon", "funday"]\n' + BLOCK, "weekly_schedule"),
    (PATIENT + "[session]\nminutes = 300\n" + BLOCK, "minutes = 300: use a whole number from 5"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_a_malformed_plan_is_refused_naming_field_value_and_what_is_allowed(
    text: str, message: str
) -> None:
    with pytest.raises(PlanFileError) as info:
        parse_plan(text, "bad.toml")
    assert any(message in p for p in info.value.problems), info.value.problems


def test_every_problem_is_reported_at_once() -> None:
    text = PATIENT.replace('"left"', '"up"') + BLOCK + "reps = 0\nrest_s = -1\n"
    with pytest.raises(PlanFileError) as info:
        parse_plan(text)
    assert len(info.value.problems) == 3


def test_defaults_follow_clinical_practice() -> None:
    plan = parse_plan(PATIENT + BLOCK)
    block = plan.blocks[0]
    assert block.reps == START_REPS == 5 and block.bounds.max_reps == 10
    assert block.sets == 3 and block.rest_s <= 300 and block.game == "rep_rush"
    assert plan.goal_reps == GOAL_REPS == 300 and len(plan.weekly_schedule) == 7
    assert block.target_range_deg == pytest.approx(0.8 * get_exercise("wrist_extension").range_deg)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_shipped_examples_are_valid_and_survive_a_round_trip(path: Path) -> None:
    plan = parse_plan(path.read_text(), str(path))
    assert parse_plan(plan_to_toml(plan)) == plan


def test_plan_check_import_and_export_on_the_command_line(tmp_path: Path) -> None:
    example = REPO_ROOT / "examples" / "plans" / "anna_adult.toml"
    ok = run("plan", "check", str(example), data_dir=tmp_path)
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(PATIENT + BLOCK + "reps = 0\nsets = 9\n")
    refused = run("plan", "import", str(bad), data_dir=tmp_path)
    assert refused.returncode == 2
    assert "reps = 0" in refused.stderr and "sets = 9" in refused.stderr
    with sqlite3.connect(tmp_path / "repquest.sqlite") as conn:  # nothing saved from it
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM patients").fetchone()[0] == 0
    assert run("plan", "import", str(example), data_dir=tmp_path).returncode == 0
    out = tmp_path / "anna.toml"
    exported = run("plan", "export", "--patient", "anna", "--out", str(out), data_dir=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert out.read_text() == example.read_text()  # the therapist's file, comments and all


def recording_of_presses(tmp_path: Path, presses: int) -> Path:
    path = tmp_path / "presses.csv"
    with path.open("w") as stream:
        writer = RecordingWriter(stream, {"puck": "sim-1", "rate_hz": "50"})
        for block in press_reps(get_exercise("wrist_extension"), presses, hold_s=1.0):
            writer.write(block)
    return path


TWO_BLOCKS = PATIENT + (
    '[[blocks]]\nexercise = "wrist_extension"\nsets = 2\nreps = 3\nrest_s = 6\n'
    '[[blocks]]\nexercise = "wrist_flexion"\nsets = 1\nreps = 2\nrest_s = 10\n'
)


def test_a_headless_session_follows_blocks_sets_reps_and_rests(tmp_path: Path) -> None:
    clock = ManualClock()
    source = ReplaySource(recording_of_presses(tmp_path, 20), speed=1.0, time_func=clock)
    started: list[int] = []
    runner = PlanSession(
        source, parse_plan(TWO_BLOCKS), time_func=clock,
        sleep=clock.advance, on_block=lambda i, b: started.append(i),
    )  # fmt: skip
    summary = runner.run()
    assert started == [0, 1]
    first, second = summary["blocks"]
    assert first["exercise"] == "wrist_extension" and first["reps_per_set"] == [3, 3]
    assert second["exercise"] == "wrist_flexion" and second["reps_per_set"] == [2]
    assert summary["completed"] and summary["reps"] == 8
    ends = [e["t_end_s"] for e in first["events"]]
    assert ends[3] >= ends[2] + 6.0  # the rest between sets, in signal time
    assert first["extra_reps"] >= 1  # reps made while resting are kept, not counted
    assert second["events"][0]["t_start_s"] >= ends[-1] + 6.0  # the rest before the next block


def test_session_with_a_plan_on_the_command_line_is_stored_by_block(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(TWO_BLOCKS)
    device = f"replay:{recording_of_presses(tmp_path, 20)}@20"
    result = run(
        "session", "--headless", "--device", device, "--plan", str(plan), data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["patient"] == "Ann" and summary["completed"] and summary["reps"] == 8
    with sqlite3.connect(tmp_path / "repquest.sqlite") as conn:
        rows = conn.execute(
            "SELECT block_index, set_index, exercise_id, reps_done FROM sets ORDER BY id"
        ).fetchall()
        plan_id = conn.execute("SELECT plan_id FROM sessions").fetchone()[0]
    assert rows == [(0, 0, "wrist_extension", 3), (0, 1, "wrist_extension", 3),
                    (1, 0, "wrist_flexion", 2)]  # fmt: skip
    assert plan_id is not None
