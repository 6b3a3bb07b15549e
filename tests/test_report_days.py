"""The report for 1, 2 and 90 days of data: axes drawn from the data's own days and values, words
in the right number, pain flagged at the top, and every export readable by its owner only.

Histories are written through the real recorder into real SQLite files; the report and exports
are made by the real CLI where the files matter."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.dates import num2date

from exercises.session_plan import SetPlan
from progress import charts
from progress.feelings import record_feeling
from progress.history import History
from progress.recorder import PatientRecords
from progress.report import render_report
from progress.store import Store, open_store
from tests.progress_sample import TZ, StepClock, run_session

ROOT = Path(__file__).resolve().parents[1]
LAST_DAY = date(2025, 6, 30)


def history_of(data_dir: Path, days: int, sore_on_last: bool = False) -> tuple[Store, History]:
    """`days` consecutive days ending LAST_DAY, one 10-rep session each, range almost flat."""
    clock = StepClock(datetime(2025, 1, 1, 9, 0, tzinfo=TZ))
    store = open_store(data_dir, now=clock)
    records = PatientRecords.for_patient(store, "Anna")
    session_id = 0
    for i in range(days):
        day = LAST_DAY - timedelta(days=days - 1 - i)
        clock.now_dt = datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)
        ranges = [44.0 + 0.07 * i + 0.05 * n for n in range(10)]
        session_id = run_session(records, SetPlan("wrist_extension", 10, 1, 30), ranges, True)
    if sore_on_last:
        record_feeling(store, session_id, "sore")
    clock.now_dt = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 18, 0, tzinfo=TZ)
    return store, records.history()


@pytest.mark.parametrize("days", [1, 2, 90])
def test_the_range_chart_shows_the_days_and_values_of_the_data(tmp_path: Path, days: int) -> None:
    store, history = history_of(tmp_path, days)
    store.close()
    fig = charts.trend_figure(history, "range_deg", "range", min_span=10.0)
    assert fig is not None
    ax = fig.axes[0]
    first = LAST_DAY - timedelta(days=days - 1)
    low, high = (num2date(x).date() for x in ax.get_xlim())
    assert first - timedelta(days=5) <= low < first and LAST_DAY < high <= LAST_DAY + timedelta(5)
    ticks = [num2date(x).date() for x in ax.get_xticks()]
    assert 1 <= len(ticks) <= 6 and all(first <= t <= LAST_DAY for t in ticks)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [charts.day_label(t) for t in ticks]
    if days == 1:
        assert labels == ["30 Jun"]
    y_low, y_high = ax.get_ylim()
    assert y_high - y_low >= 10.0  # 44.0–44.7° is not drawn as a steep climb
    medians = [v for _, v in history.trend("range_deg")["wrist_extension"]]
    assert y_low < min(medians) and max(medians) < y_high


@pytest.mark.parametrize("days", [1, 2, 90])
def test_reps_per_day_bars_are_readable_for_any_length(tmp_path: Path, days: int) -> None:
    store, history = history_of(tmp_path, days)
    store.close()
    ax = charts.reps_per_day_figure(history).axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0]
    assert len(bars) == days and all(b.get_height() == 10 for b in bars)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert 1 <= len(labels) <= charts.MAX_DAY_LABELS
    assert labels[0] == charts.day_label(LAST_DAY - timedelta(days=days - 1))
    left, right = ax.get_xlim()
    assert right - left >= charts.MIN_BAR_SLOTS  # one day is a slim bar, not the whole chart


@pytest.mark.parametrize("days", [1, 2, 90])
def test_report_words_agree_in_number(tmp_path: Path, days: int) -> None:
    store, history = history_of(tmp_path, days)
    html = render_report(history, store.now())
    store.close()
    assert "1 days" not in html and "(-0°)" not in html and "(+0°)" not in html
    if days == 1:
        assert "(1 day)" in html and "streak now 1 day." in html and "one session so far" in html
    else:
        assert f"({days} days)" in html and f"streak now {days} days." in html
        assert "no change" in html or "+6°" in html  # 90 days: 44° → 50°
    assert "<th>Game</th>" in html and "<th>Felt</th>" in html and "Rep Rush" not in html


def test_pain_is_flagged_at_the_top_of_the_report(tmp_path: Path) -> None:
    store, history = history_of(tmp_path, 2, sore_on_last=True)
    html = render_report(history, store.now())
    store.close()
    assert html.index("Pain reported") < html.index("Period covered")
    assert "30 Jun 2025" in html[: html.index("Period covered")]
    assert "<b>sore</b>" in html  # and in the session's row
    store, calm = history_of(tmp_path / "calm", 2)
    assert "Pain reported" not in render_report(calm, store.now())
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_report_csv_fhir_and_plan_exports_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    store, _ = history_of(tmp_path / "data", 2)
    store.close()
    old = tmp_path / "anna.csv"
    old.write_text("an older, world-readable file\n")
    old.chmod(0o644)
    base = [sys.executable, str(ROOT / "main.py")]
    for args, out in (
        (["report", "--patient", "Anna", "--out"], tmp_path / "anna.html"),
        (["export", "--patient", "Anna", "--format", "csv", "--out"], old),
        (["export", "--patient", "Anna", "--format", "fhir", "--out"], tmp_path / "anna.json"),
    ):
        done = subprocess.run(
            [*base, *args, str(out), "--data-dir", str(tmp_path / "data")],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, out
        assert out.stat().st_size > 100
    assert "an older" not in old.read_text()
