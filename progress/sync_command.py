"""`python main.py sync [--pair CODE --server URL]`: pair with a clinic, or sync now.

Messages are for the person at the keyboard: what happened, and what to do when it did not work.
Everything stays saved here whatever happens; a failed sync only means "later".
"""

from __future__ import annotations

import json
from pathlib import Path

from progress.outbox import get_link, unsent_count
from progress.patients import list_patients
from progress.store import open_store
from progress.sync_client import SyncError, pair, sync_once


def run_sync(
    data_dir: Path, patient: str | None, code: str | None, server: str | None
) -> dict[str, object]:
    """Pair (when a code is given) and then sync; returns what happened (raises `StoreError`)."""
    if (code is None) != (server is None):
        raise SyncError("pairing needs both --pair CODE and --server URL")
    with open_store(data_dir) as store:
        report: dict[str, object] = {}
        if code is not None and server is not None:
            patients = list_patients(store)
            if patient is None and len(patients) != 1:
                names = ", ".join(p.name for p in patients) or "none yet"
                raise SyncError(
                    f"say which patient this install is for: --patient NAME "
                    f"(patients here: {names})"
                )
            patient_id = store.patient_id(patient or patients[0].name, create=patient is not None)
            link = pair(store, server, code, patient_id)
            report["paired"] = link.clinic_patient
            report["queued"] = unsent_count(store)
        result = sync_once(store)
        now_linked = get_link(store)
        report.update(
            sent=result.sent,
            duplicates=result.duplicates,
            left=result.left,
            plan_version=result.plan_version,
            clinic_patient=now_linked.clinic_patient if now_linked else None,
        )
        return report


def describe(report: dict[str, object]) -> str:
    lines = []
    if "paired" in report:
        lines.append(f"paired with the clinic as {report['paired']}")
    lines.append(f"sent {report['sent']} items to the clinic ({report['left']} still queued)")
    if report.get("plan_version"):
        lines.append(
            f"a new plan from the clinic (version {report['plan_version']}) applies "
            "from the next session"
        )
    return "\n".join(lines)


def main_sync(
    data_dir: Path, patient: str | None, code: str | None, server: str | None, as_json: bool
) -> str:
    """The command's output (JSON or words); a problem raises `StoreError` (exit code 2)."""
    report = run_sync(data_dir, patient, code, server)
    return json.dumps(report) if as_json else describe(report)
