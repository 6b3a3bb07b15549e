"""FHIR and CSV exports of a two-week history, checked against the R4 definitions and the store.

`fhir.resources` ships R4B models (and R5 by default), not R4. Bundle, Observation and Patient,
and every element used here, are the same in R4 and R4B, so its R4B models check the structure
and types; the value sets it does not enforce (Observation.status, Bundle.type) are checked here
against R4's required codes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from progress.export_csv import write_csv
from progress.fhir import fhir_bundle
from progress.history import History
from progress.recorder import PatientRecords
from tests.progress_sample import write_sample_history

R4_OBSERVATION_STATUS = {
    "registered", "preliminary", "final", "amended", "corrected", "cancelled",
    "entered-in-error", "unknown",
}  # fmt: skip
R4_BUNDLE_TYPES = {
    "document", "message", "transaction", "transaction-response", "batch", "batch-response",
    "history", "searchset", "collection",
}  # fmt: skip


def validate_r4(bundle: dict[str, Any]) -> None:
    """Raise if `bundle` is not a valid R4 Bundle of Observations about one Patient in it."""
    Bundle.model_validate(bundle)  # structure, cardinality, types, no unknown elements
    assert bundle["type"] in R4_BUNDLE_TYPES
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    patients = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Observation":
            assert resource["status"] in R4_OBSERVATION_STATUS
            assert resource["subject"]["reference"] in patients
            assert resource["valueQuantity"]["system"] == "http://unitsofmeasure.org"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    store = write_sample_history(tmp_path_factory.mktemp("fhir") / "data")
    try:
        return PatientRecords.for_patient(store, "Anna", create=False).history()
    finally:
        store.close()


def test_the_bundle_is_valid_r4_and_counts_every_counted_rep(history: History) -> None:
    bundle = fhir_bundle(history, datetime(2025, 3, 14, 18, 0).astimezone())
    validate_r4(bundle)
    observations = [e["resource"] for e in bundle["entry"][1:]]
    counts = [o for o in observations if o["code"]["coding"][0]["code"] == "rep-count"]
    assert sum(o["valueQuantity"]["value"] for o in counts) == len(history.reps)
    assert len(counts) == sum(len(s.exercises) for s in history.sessions)
    statuses = {o["status"] for o in counts}
    assert statuses == {"final", "preliminary"}  # the cut-short session is preliminary
    best = max(
        o["valueQuantity"]["value"]
        for o in observations
        if o["code"]["coding"][0]["code"] == "range-of-motion"
    )
    assert best == round(max(r.range_deg for r in history.reps), 1)


def test_the_validator_rejects_a_broken_bundle(history: History) -> None:
    bundle = fhir_bundle(history, datetime(2025, 3, 14, 18, 0).astimezone())
    bundle["entry"][1]["resource"]["valueQuantity"]["value"] = "many"
    with pytest.raises(ValueError):
        validate_r4(bundle)
    bundle = fhir_bundle(history, datetime(2025, 3, 14, 18, 0).astimezone())
    bundle["entry"][1]["resource"]["status"] = "done"
    with pytest.raises(AssertionError):
        validate_r4(bundle)


def test_the_same_history_exports_the_same_ids(history: History) -> None:
    when = datetime(2025, 3, 14, 18, 0).astimezone()
    assert fhir_bundle(history, when) == fhir_bundle(history, when)


def test_csv_has_a_row_per_counted_rep_and_keeps_fields_added_later(tmp_path: Path) -> None:
    store = write_sample_history(tmp_path / "data")
    try:
        # A later detector adds a field: it reaches the export as its own column.
        store.conn.execute("""UPDATE reps SET extra_json = '{"jerk_dps3": 9.5}' WHERE id = 1""")
        history = PatientRecords.for_patient(store, "Anna", create=False).history()
    finally:
        store.close()
    stream = io.StringIO(newline="")
    assert write_csv(history, stream) == len(history.reps)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert len(rows) == len(history.reps) == 212
    assert rows[0]["jerk_dps3"] == "9.5" and rows[1]["jerk_dps3"] == ""
    assert sum(r["too_fast"] == "1" for r in rows) == round(
        history.flag_shares()["too_fast"] * len(rows)
    )
    assert {r["session_status"] for r in rows} == {"completed", "interrupted"}
