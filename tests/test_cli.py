"""The command line as a person or script uses it: real subprocesses, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run(*args: str, data_dir: Path, timeout_s: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REPQUEST_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env=env,
        cwd=REPO_ROOT,
    )


def test_count_json_on_a_spar_set(spar_dir: Path, tmp_path: Path) -> None:
    result = run("count", str(spar_dir / "S1_ABD_L.csv"), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert abs(out["reps"] - 20) <= 1
    assert len(out["events"]) == out["reps"]
    first = out["events"][0]
    assert {"t_start_s", "t_peak_s", "t_end_s", "range_deg", "duration_s", "flags"} <= set(first)
    assert first["t_start_s"] <= first["t_peak_s"] <= first["t_end_s"]


def test_headless_session_completes_the_set_from_a_fast_replay(
    spar_dir: Path, tmp_path: Path
) -> None:
    device = f"replay:{spar_dir / 'S1_ABD_L.csv'}@10"
    result = run(
        "session", "--headless", "--device", device, "--exercise", "auto", "--reps", "20",
        data_dir=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["completed"] is True
    assert summary["reps"] == 20 and summary["sets"] == 1
    assert summary["duration_s"] > 40  # the movement's own time, not the 10x faster wall clock
    assert len(summary["events"]) == 20


def test_record_then_count_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "still.csv"
    result = run("record", "--device", "keyboard", "--seconds", "1", "--out", str(out),
                 data_dir=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines[0].startswith("# puck=sim-1")
    assert lines[1] == "t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps"
    assert 40 <= len(lines) - 2 <= 60  # about 1 s at 50 Hz
    counted = run("count", str(out), "--json", data_dir=tmp_path)
    assert counted.returncode == 0 and json.loads(counted.stdout)["reps"] == 0


def test_exercises_lists_the_catalogue(tmp_path: Path) -> None:
    result = run("exercises", "--json", data_dir=tmp_path)
    ids = {e["id"] for e in json.loads(result.stdout)}
    assert {"wrist_extension", "elbow_flexion", "shoulder_flexion", "auto"} <= ids


def malformed_csv(tmp_path: Path) -> str:
    path = tmp_path / "bad.csv"
    path.write_text("t_s,ax_g,ay_g,az_g\n0,0,0,1\n0.02,0,oops,1\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("count", "{tmp}/absent.csv"), "absent.csv: no such file"),
        (("count", "{bad}"), "bad.csv:3: '0.02,0,oops,1' is not a row of numbers"),
        (("count", "{bad}", "--exercise", "juggling"), "bad.csv:3"),
        (("session", "--headless", "--device", "teleport"), "unknown device 'teleport'"),
        (("session", "--headless", "--exercise", "juggling"), "unknown exercise 'juggling'"),
        (("session", "--headless", "--reps", "0"), "reps per set is 0"),
        (("session", "--headless", "--device", "replay:{tmp}/absent.csv"), "no such file"),
        (("record", "--seconds", "1", "--out", "{tmp}/no/dir/x.csv"), "does not exist"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    bad = malformed_csv(tmp_path)
    argv = [a.format(tmp=tmp_path, bad=bad) for a in args]
    result = run(*argv, data_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
