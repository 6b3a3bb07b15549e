"""The JSON API: pairing and sync for home installs, and the FHIR export for therapists.

Errors are JSON `{"error": "..."}` with a message a person can act on; the install shows it.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from clinic import ingest
from clinic.context import client_address, clinic_of
from clinic.pairing import PairingError, install_for_token, redeem
from clinic.plans import latest_plan
from clinic.stats import fhir_export
from clinic.web import own_patient, web_session

MAX_BODY_BYTES = 5_000_000


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ingest.ItemError(f"the request is over {MAX_BODY_BYTES} bytes: send fewer items")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ingest.ItemError(f"the body is not JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise ingest.ItemError("the body must be a JSON object")
    return body


async def pair(request: Request) -> Response:
    clinic = clinic_of(request)
    address = client_address(request)
    if clinic.pair_limit.is_blocked(address):  # failed codes count: guessing is slowed
        wait = clinic.pair_limit.retry_after_s(address)
        return error(
            429, f"too many pairing attempts: wait {wait} s and try again", retry_after_s=wait
        )
    try:
        body = await _json_body(request)
        code, install_id = body.get("code"), body.get("install_id")
        if not isinstance(code, str) or not isinstance(install_id, str):
            return error(400, "send {'code': ..., 'install_id': ...} as strings")
        token, patient = redeem(clinic.engine, code, install_id, clinic.now())
    except (PairingError, ingest.ItemError) as exc:
        clinic.pair_limit.record(address)
        return error(400, str(exc))
    return JSONResponse({"token": token, "patient": patient})


async def sync(request: Request) -> Response:
    clinic = clinic_of(request)
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    install = install_for_token(clinic.engine, token, clinic.now()) if token else None
    if install is None:
        return error(401, "this install is not paired (or was unpaired): pair it again")
    try:
        body = await _json_body(request)
        items = ingest.check_items(body.get("items", []))
    except ingest.ItemError as exc:
        return error(422, f"{exc}; nothing of this request was stored")
    now = clinic.now().isoformat(timespec="seconds")
    stored, duplicates = ingest.store_items(clinic.engine, install, items, now)
    answer: dict[str, Any] = {"stored": stored, "duplicates": duplicates, "plan": None}
    have = body.get("plan_version", 0)
    plan = latest_plan(clinic.engine, install.patient_id)
    if plan is not None and isinstance(have, int) and plan.version > have:
        answer["plan"] = {
            "version": plan.version,
            "toml": plan.toml,
            "changed_by": plan.changed_by,
            "changed_at": plan.changed_at,
        }
    return JSONResponse(answer)


async def fhir(request: Request) -> Response:
    clinic = clinic_of(request)
    session = web_session(request)
    if session is None:
        return error(401, "log in first")
    patient = own_patient(request, session)
    if patient is None:
        return error(404, "no such patient among yours")
    bundle = fhir_export(clinic.engine, patient.id, patient.name, clinic.now())
    return JSONResponse(bundle, media_type="application/fhir+json")
