"""The soak's smoke run (`make soak` runs the hour): a few minutes of two pucks at 100 Hz
through the headless pipeline, with every soak check — reps equal the label, no sample lost or
out of order, no timestamp drift, the store intact — and a check that the checks can fail."""

from __future__ import annotations

from pathlib import Path

from soak.hour import make_recording
from soak.run import problems, run


def test_ninety_seconds_of_two_pucks_pass_every_soak_check(tmp_path: Path) -> None:
    recording = make_recording(tmp_path, minutes=1.5, seed=0)
    assert recording.reps == 20
    report = run(recording, tmp_path / "data")
    assert problems(report) == []
    assert report["counted_reps"] + report["extra_reps"] == recording.reps
    assert report["stored_reps"] == recording.reps
    assert report["samples"] == report["file_samples"]
    assert report["samples"]["arm"] == report["samples"]["trunk"] >= 90 * 100
    assert report["traced_mb_per_h"] is None, "too short to judge memory: not judged"


def test_the_soak_checks_catch_a_lost_rep_drift_and_a_leak() -> None:
    good = {
        "counted_reps": 40, "extra_reps": 0, "label_reps": 40, "stored_reps": 40,
        "samples": {"arm": 10}, "file_samples": {"arm": 10}, "samples_out_of_order": 0,
        "max_time_error_s": 0.0, "pucks_apart_at_end_s": 0.0, "max_lag_behind_clock_s": 0.01,
        "rate_hz": 100.0, "traced_mb_per_h": 0.3, "rss_mb_per_h": 1.0, "integrity": "ok",
    }  # fmt: skip
    assert problems(good) == []
    for change, words in [
        ({"stored_reps": 39}, "reps: label 40"),
        ({"pucks_apart_at_end_s": 0.5}, "timestamps drift"),
        ({"traced_mb_per_h": 50.0}, "memory grows"),
        ({"samples": {"arm": 9}}, "samples: delivered"),
    ]:
        assert any(words in p for p in problems({**good, **change})), change
