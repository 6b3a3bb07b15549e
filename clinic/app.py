"""The clinic service as one ASGI app: `create_app(Clinic(...))`, served by uvicorn.

Every response carries headers that keep the pages to themselves: no framing, no referrer, and
a content security policy that allows only this server's own files (there is no script at all).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clinic import api, web
from clinic.context import Clinic

STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    b"content-security-policy": b"default-src 'self'; img-src 'self' data:; "
    b"form-action 'self'; frame-ancestors 'none'",
    b"x-frame-options": b"DENY",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"cache-control": b"no-store",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS.items()]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(clinic: Clinic) -> Starlette:
    routes = [
        Route("/", web.patients_list),
        Route("/login", web.login_form, methods=["GET"]),
        Route("/login", web.login, methods=["POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Route("/patients", web.add_patient, methods=["POST"]),
        Route("/patients/{patient_id:int}", web.patient_detail),
        Route("/patients/{patient_id:int}/plan", web.save_plan, methods=["POST"]),
        Route("/patients/{patient_id:int}/pairing", web.make_code, methods=["POST"]),
        Route("/patients/{patient_id:int}/unpair", web.unpair, methods=["POST"]),
        Route("/api/pair", api.pair, methods=["POST"]),
        Route("/api/sync", api.sync, methods=["POST"]),
        Route("/api/patients/{patient_id:int}/fhir", api.fhir),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    app.state.clinic = clinic
    return app
