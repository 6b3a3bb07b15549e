"""A small run of the clinic load test (`make clinic-load` runs 500 homes): every session, rep and
answer of every home arrives exactly once, also after homes resend what they think was lost."""

from __future__ import annotations

from pathlib import Path

from bench.clinic_load import run_load
from tests.clinic_fixtures import db_url, postgres, running_clinic

__all__ = ["db_url", "postgres"]


def test_twenty_homes_sync_a_day_each_with_nothing_lost_or_doubled(
    db_url: str, tmp_path: Path
) -> None:
    with running_clinic(db_url) as clinic:
        report = run_load(db_url, clinic.url, tmp_path, homes=20, workers=4)
    assert report["clinic"] == report["expected"]
    assert report["items_sent"] == report["expected"]["received_items"]
    assert report["duplicates_first_pass"] == 0
    assert report["resent_items"] > 0
    assert report["resent_acknowledged_as_duplicates"] == report["resent_items"]
    assert report["resent_stored_again"] == 0
    assert report["ok"]
