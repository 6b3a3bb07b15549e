"""A headless session on a real recording, stored; then the report and both exports, as a person
would run them (real subprocesses, a real database file): their numbers equal the session's."""

from __future__ import annotations

import csv
import json
import stat
import subprocess
from pathlib import Path

import pytest

from progress.store import DB_NAME
from tests.test_cli import run


@pytest.fixture(scope="module")
def stored_session(spar_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("e2e") / "data"
    device = f"replay:{spar_dir / 'S1_ABD_L.csv'}@50"
    result = run(
        "session", "--headless", "--device", device, "--exercise", "auto", "--reps", "8",
        "--sets", "2", "--rest-s", "5", "--patient", "Anna Lee", data_dir=data_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["patient"] == "Anna Lee" and summary["completed"] is True
    return data_dir, summary


@pytest.fixture(scope="module")
def spar_dir() -> Path:  # module scope: one session for all the checks below
    from tests.conftest import SPAR_DIR, require_spar

    require_spar()
    return SPAR_DIR


def test_the_data_dir_is_private(stored_session: tuple[Path, dict]) -> None:
    data_dir, _ = stored_session
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600


def test_csv_export_has_one_row_per_counted_rep_with_the_sessions_numbers(
    stored_session: tuple[Path, dict], tmp_path: Path
) -> None:
    data_dir, summary = stored_session
    out = tmp_path / "anna.csv"
    result = run("export", "--patient", "anna lee", "--format", "csv", "--out", str(out),
                 data_dir=data_dir)  # fmt: skip
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == summary["reps"] == 16
    assert {r["session_id"] for r in rows} == {str(summary["session_id"])}
    assert {r["patient"] for r in rows} == {"Anna Lee"}
    per_set = [sum(r["set_number"] == str(n) for r in rows) for n in (1, 2)]
    assert per_set == summary["reps_per_set"]
    for row, event in zip(rows, summary["events"], strict=True):
        for field in ("t_start_s", "t_peak_s", "t_end_s", "range_deg", "range_fraction",
                      "peak_speed_dps", "duration_s"):  # fmt: skip
            assert float(row[field]) == pytest.approx(event[field], abs=1e-9), field
        assert row["exercise_id"] == event["exercise_id"]
        assert row["flags"] == ";".join(event["flags"])
    best = max(float(r["range_deg"]) for r in rows)
    assert round(best, 1) == summary["best_range_deg"]


def test_fhir_export_counts_and_range_equal_the_summary(
    stored_session: tuple[Path, dict], tmp_path: Path
) -> None:
    data_dir, summary = stored_session
    out = tmp_path / "anna.json"
    result = run("export", "--patient", "Anna Lee", "--format", "fhir", "--out", str(out),
                 data_dir=data_dir)  # fmt: skip
    assert result.returncode == 0, result.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]  # fmt: skip
    by_code = {o["code"]["coding"][0]["code"]: o for o in observations}
    assert len(observations) == 2
    assert by_code["rep-count"]["valueQuantity"]["value"] == summary["reps"]
    assert by_code["range-of-motion"]["valueQuantity"]["value"] == summary["best_range_deg"]
    from tests.test_export_fhir import validate_r4

    validate_r4(bundle)


def test_report_shows_the_sessions_numbers(
    stored_session: tuple[Path, dict], tmp_path: Path
) -> None:
    data_dir, summary = stored_session
    out = tmp_path / "report.html"
    result = run("report", "--patient", "Anna Lee", "--out", str(out), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "RepQuest report: Anna Lee" in html
    assert f'<span class="big">{summary["reps"]}</span>' in html  # reps counted
    assert '<span class="big">1 of 1</span>' in html  # one training day, trained
    best_deg = max(e["range_deg"] for e in summary["events"])
    assert f"Best: Auto {best_deg:.0f}°" in html
    assert 'src="http' not in html and "<script" not in html  # self-contained, nothing fetched
    assert html.count("data:image/svg+xml;base64,") >= 4


@pytest.mark.parametrize("command", ["report", "export"])
def test_an_unknown_patient_is_one_clear_line_and_nothing_is_written(
    stored_session: tuple[Path, dict], tmp_path: Path, command: str
) -> None:
    data_dir, _ = stored_session
    out = tmp_path / "out.file"
    extra = ["--format", "csv"] if command == "export" else []
    result = run(command, "--patient", "Bob", "--out", str(out), *extra, data_dir=data_dir)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"repquest: no patient called 'Bob' in {data_dir / DB_NAME} (patients: Anna Lee)"
    ]
    assert not out.exists()


def test_an_export_into_a_missing_folder_is_refused(
    stored_session: tuple[Path, dict], tmp_path: Path
) -> None:
    data_dir, _ = stored_session
    out = tmp_path / "nowhere" / "x.csv"
    result = run("export", "--patient", "Anna Lee", "--format", "csv", "--out", str(out),
                 data_dir=data_dir)  # fmt: skip
    assert result.returncode == 2
    assert "folder" in result.stderr and "does not exist" in result.stderr
    assert not out.parent.exists()


def test_a_corrupt_database_exits_2_and_is_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    junk = b"not sqlite" * 100
    (data_dir / DB_NAME).write_bytes(junk)
    result: subprocess.CompletedProcess[str] = run(
        "report", "--patient", "Anna", "--out", str(tmp_path / "r.html"), data_dir=data_dir
    )
    assert result.returncode == 2  # the new, empty history has no Anna yet
    assert "is damaged" in result.stderr and "no patient called 'Anna'" in result.stderr
    (kept,) = data_dir.glob("repquest-damaged-*.sqlite")  # kept aside, never deleted
    assert kept.read_bytes() == junk
