"""History as a FHIR R4 Bundle (type "collection") of Observations, for a clinic's record system.

Per session and exercise, two Observations about the patient (a Patient resource in the Bundle,
named only by the name typed in RepQuest):
- the repetition count (counted reps, as in the session summary), with the sets done as a
  component;
- the range of motion: the best range reached (as `best_range_deg` in the summary), with the
  median range as a component.

Both carry the standard category "activity" and a code from RepQuest's own code system: we found
no LOINC or SNOMED CT code that means exactly "repetitions of a home exercise counted by a motion
sensor", and a wrong standard code is worse than an honest local one. Ids are derived from the
database ids (uuid5), so exporting twice gives the same resources.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from progress.history import History, StoredRep, StoredSession

CODE_SYSTEM = "urn:repquest:fhir:measure"
EXERCISE_SYSTEM = "urn:repquest:fhir:exercise"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
_NAMESPACE = uuid.UUID("5b0c3f0e-8a5e-4d0b-9a0e-2f6a1c7d9e41")

REP_COUNT = ("rep-count", "Exercise repetitions counted")
RANGE_OF_MOTION = ("range-of-motion", "Best range of motion reached")


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _observation(
    patient_ref: str,
    session: StoredSession,
    exercise_id: str,
    measure: tuple[str, str],
    value: dict[str, Any],
    components: list[tuple[str, dict[str, Any]]],
) -> dict[str, Any]:
    period = {"start": session.started_at}
    if session.ended_at:
        period["end"] = session.ended_at
    code, display = measure
    return {
        "resourceType": "Observation",
        "status": "final" if session.status == "completed" else "preliminary",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "activity"}]}],
        "code": {
            "coding": [{"system": CODE_SYSTEM, "code": code, "display": display}],
            "text": f"{display}: {exercise_id.replace('_', ' ')}",
        },
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
        "valueQuantity": value,
        "component": [
            {
                "code": {"text": "exercise"},
                "valueCodeableConcept": {
                    "coding": [{"system": EXERCISE_SYSTEM, "code": exercise_id}],
                    "text": exercise_id.replace("_", " "),
                },
            },
            *({"code": {"text": text}, "valueQuantity": q} for text, q in components),
        ],
        "note": [{"text": f"RepQuest session {session.id} ({session.status})"}],
    }


def fhir_bundle(history: History, generated_at: datetime) -> dict[str, Any]:
    """The whole history as a Bundle dict (json.dumps it to write the file)."""
    patient_ref = _urn("patient", history.patient)
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": patient_ref,
            "resource": {
                "resourceType": "Patient",
                "id": patient_ref.rsplit(":", 1)[1],
                "name": [{"text": history.patient}],
            },
        }
    ]
    reps: dict[tuple[int, str], list[StoredRep]] = defaultdict(list)
    for rep in history.reps:
        reps[(rep.session_id, rep.exercise_id)].append(rep)
    for session in history.sessions:
        for exercise_id in session.exercises:
            group = reps[(session.id, exercise_id)]
            sets_done = len({r.set_index for r in group})
            ranges = [r.range_deg for r in group]
            count = _observation(
                patient_ref, session, exercise_id, REP_COUNT,
                _quantity(len(group), "repetitions", "{repetitions}"),
                [("sets with reps", _quantity(sets_done, "sets", "{sets}"))],
            )  # fmt: skip
            median_deg = round(statistics.median(ranges), 1)
            rom = _observation(
                patient_ref, session, exercise_id, RANGE_OF_MOTION,
                _quantity(round(max(ranges), 1), "degrees", "deg"),
                [("median range", _quantity(median_deg, "degrees", "deg"))],
            )  # fmt: skip
            for kind, resource in (("count", count), ("rom", rom)):
                url = _urn("observation", history.patient, session.id, exercise_id, kind)
                resource["id"] = url.rsplit(":", 1)[1]
                entries.append({"fullUrl": url, "resource": resource})
    return {
        "resourceType": "Bundle",
        "id": _urn("bundle", history.patient, generated_at.isoformat()).rsplit(":", 1)[1],
        "type": "collection",
        "timestamp": generated_at.isoformat(timespec="seconds"),
        "entry": entries,
    }
