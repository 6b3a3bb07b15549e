"""The therapist's pages: log in, the patients list, one patient, the plan editor, pairing.

Server-rendered HTML (Jinja2), no script, no CDN: it works inside a clinic network with no
internet, with a keyboard alone, and with a screen reader. Every form that changes something
carries the session's CSRF token. A therapist only ever reaches their own patients: any other
id answers "not found", the same as an id that does not exist.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from clinic import db
from clinic.accounts import WebSession, close_session, find_session, open_session, verify_login
from clinic.charts import range_chart, reps_chart
from clinic.context import client_address, clinic_of
from clinic.pairing import CODE_HOURS, create_code, list_installs, revoke
from clinic.plans import STARTER_PLAN, plan_history, save_plan_version
from clinic.stats import best_range_per_session, history, reps_per_day, summarise
from exercises.plan import PlanFileError

COOKIE = "clinic_session"
LOGIN_COOKIE = "clinic_login_csrf"  # double-submit token for the login form (no session yet)
MAX_PLAN_CHARS = 20_000


@dataclass(frozen=True)
class Patient:
    id: int
    name: str


def web_session(request: Request) -> WebSession | None:
    clinic = clinic_of(request)
    return find_session(clinic.engine, request.cookies.get(COOKIE), clinic.now())


def own_patient(request: Request, session: WebSession) -> Patient | None:
    try:
        patient_id = int(request.path_params["patient_id"])
    except (KeyError, ValueError):
        return None
    p = db.patients
    with clinic_of(request).engine.connect() as conn:
        row = conn.execute(
            select(p.c.id, p.c.name).where(
                p.c.id == patient_id, p.c.therapist_id == session.therapist.id
            )
        ).first()
    return Patient(row.id, row.name) if row else None


def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return clinic_of(request).templates.TemplateResponse(
        request, name, {"request": request, **context}, status_code=status
    )


def to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


async def _form(request: Request, session: WebSession | None) -> dict[str, str] | None:
    """The posted form when its CSRF token is right, else None."""
    form = await request.form()
    sent = str(form.get("csrf", ""))
    expected = session.csrf_token if session else request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(sent, expected):
        return None
    return {k: str(v) for k, v in form.items()}


def message_page(request: Request, status: int, title: str, message: str) -> Response:
    return page(request, "error.html", status, title=title, message=message)


def not_found(request: Request) -> Response:
    """Not theirs, or no such patient: the same answer, so ids cannot be probed."""
    return message_page(request, 404, "Not found", "There is no such patient among yours.")


def csrf_refused(request: Request) -> Response:
    return message_page(
        request,
        403,
        "Form expired",
        "This form has expired. Go back, reload the page and try again: nothing was changed.",
    )


async def login_form(request: Request) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", csrf=token, username="", problem="")
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=clinic_of(request).secure_cookies,
    )
    return response


async def login(request: Request) -> Response:
    clinic = clinic_of(request)
    form = await _form(request, None)
    if form is None:
        return csrf_refused(request)
    username = form.get("username", "").strip().lower()
    token = request.cookies.get(LOGIN_COOKIE, "")
    keys = (f"ip:{client_address(request)}", f"user:{username}")
    if any(clinic.login_limit.is_blocked(key) for key in keys):  # failed attempts count
        wait = max(clinic.login_limit.retry_after_s(key) for key in keys)
        return page(
            request,
            "login.html",
            429,
            csrf=token,
            username=username,
            problem=f"Too many attempts. Wait {wait // 60 + 1} minutes, then try again.",
        )
    therapist = verify_login(clinic.engine, username, form.get("password", ""))
    if therapist is None:
        for key in keys:
            clinic.login_limit.record(key)
        return page(
            request,
            "login.html",
            401,
            csrf=token,
            username=username,
            problem="The username or the password is not right.",
        )
    clinic.login_limit.reset(f"user:{username}")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        open_session(clinic.engine, therapist, clinic.now()),
        httponly=True,
        samesite="strict",
        secure=clinic.secure_cookies,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


async def logout(request: Request) -> Response:
    session = web_session(request)
    if session is not None and await _form(request, session) is None:
        return csrf_refused(request)
    close_session(clinic_of(request).engine, request.cookies.get(COOKIE))
    response = to_login()
    response.delete_cookie(COOKIE)
    return response


async def patients_list(request: Request) -> Response:
    session = web_session(request)
    if session is None:
        return to_login()
    clinic = clinic_of(request)
    today = clinic.now().date()
    rows = summarise(clinic.engine, session.therapist.id, today, clinic.alert_days)
    return page(
        request,
        "patients.html",
        session=session,
        rows=rows,
        today=today,
        alert_days=clinic.alert_days,
        problem="",
    )


async def add_patient(request: Request) -> Response:
    checked = await _logged_in_form(request)
    if isinstance(checked, Response):
        return checked
    session, form = checked
    name = " ".join(form.get("name", "").split())
    clinic = clinic_of(request)
    if not name or len(name) > 120 or not name.isprintable():
        rows = summarise(
            clinic.engine, session.therapist.id, clinic.now().date(), clinic.alert_days
        )
        return page(
            request,
            "patients.html",
            400,
            session=session,
            rows=rows,
            today=clinic.now().date(),
            alert_days=clinic.alert_days,
            problem="Give the patient a name of 1 to 120 characters.",
        )
    with clinic.engine.begin() as conn:
        new_id = conn.execute(
            db.patients.insert()
            .values(
                therapist_id=session.therapist.id,
                name=name,
                created_at=clinic.now().isoformat(timespec="seconds"),
            )
            .returning(db.patients.c.id)
        ).scalar_one()
    return RedirectResponse(f"/patients/{new_id}", status_code=303)


def _patient_page(
    request: Request, session: WebSession, patient: Patient, status: int = 200, **extra: Any
) -> Response:
    clinic = clinic_of(request)
    today = clinic.now().date()
    past = history(clinic.engine, patient.id, patient.name, today)
    plans = plan_history(clinic.engine, patient.id)
    summary = next(
        r
        for r in summarise(clinic.engine, session.therapist.id, today, clinic.alert_days)
        if r.id == patient.id
    )
    days = reps_per_day(past)
    ranges = best_range_per_session(past)
    f = db.feelings
    with clinic.engine.connect() as conn:
        feelings = conn.execute(
            select(f.c.recorded_at, f.c.answer)
            .where(f.c.patient_id == patient.id)
            .order_by(f.c.recorded_at.desc())
            .limit(10)
        ).all()
    context: dict[str, Any] = {
        "session": session,
        "patient": patient,
        "summary": summary,
        "days": days,
        "reps_svg": reps_chart(days),
        "ranges": ranges,
        "range_svg": range_chart(ranges),
        "plans": plans,
        "feelings": feelings,
        "installs": list_installs(clinic.engine, patient.id),
        "plan_text": plans[0].toml if plans else STARTER_PLAN.format(name=patient.name),
        "problems": [],
        "saved": None,
        "code": None,
        "code_hours": CODE_HOURS,
        "sessions": list(reversed(past.sessions))[:10],
    }
    context.update(extra)
    return page(request, "patient.html", status, **context)


async def patient_detail(request: Request) -> Response:
    session = web_session(request)
    if session is None:
        return to_login()
    patient = own_patient(request, session)
    if patient is None:
        return not_found(request)
    saved = request.query_params.get("saved")
    return _patient_page(request, session, patient, saved=saved)


async def _logged_in_form(request: Request) -> tuple[WebSession, dict[str, str]] | Response:
    """The session and its posted form; else the page to answer with (login, CSRF refusal)."""
    session = web_session(request)
    if session is None:
        return to_login()
    form = await _form(request, session)
    if form is None:
        return csrf_refused(request)
    return session, form


async def _posted(request: Request) -> tuple[WebSession, Patient, dict[str, str]] | Response:
    checked = await _logged_in_form(request)
    if isinstance(checked, Response):
        return checked
    session, form = checked
    patient = own_patient(request, session)
    if patient is None:
        return not_found(request)
    return session, patient, form


async def save_plan(request: Request) -> Response:
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    session, patient, form = posted
    text = form.get("plan_toml", "").replace("\r\n", "\n")
    clinic = clinic_of(request)
    try:
        if len(text) > MAX_PLAN_CHARS:
            raise PlanFileError("the plan", [f"the plan is over {MAX_PLAN_CHARS} characters"])
        version, _ = save_plan_version(
            clinic.engine,
            patient.id,
            session.therapist.id,
            text,
            clinic.now().isoformat(timespec="seconds"),
        )
    except PlanFileError as exc:  # the text stays in the editor: nothing typed is lost
        return _patient_page(request, session, patient, 400, problems=exc.problems, plan_text=text)
    return RedirectResponse(f"/patients/{patient.id}?saved={version}#plan", status_code=303)


async def make_code(request: Request) -> Response:
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    session, patient, _ = posted
    clinic = clinic_of(request)
    maker = f"therapist:{session.therapist.id}"
    if clinic.code_limit.is_blocked(maker):
        return message_page(
            request,
            429,
            "Too many codes",
            "You made many pairing codes in the "
            "last hour. Wait a while, or use one of the codes you made.",
        )
    clinic.code_limit.record(maker)
    code, expires = create_code(clinic.engine, patient.id, session.therapist.id, clinic.now())
    return _patient_page(request, session, patient, code=code, code_expires=expires)


async def unpair(request: Request) -> Response:
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    _, patient, form = posted
    clinic = clinic_of(request)
    install_id = form.get("install_id", "")
    if install_id.isdigit():
        revoke(clinic.engine, int(install_id), patient.id, clinic.now())
    return RedirectResponse(f"/patients/{patient.id}#installs", status_code=303)
