"""What every request handler shares: the database, the clock, the rate limits, the templates.

Passed explicitly (it hangs on `app.state.clinic`), never a global, so a test builds a clinic
with its own database and clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from clinic.auth import RateLimiter
from clinic.stats import DEFAULT_ALERT_DAYS

TEMPLATES = Path(__file__).with_name("templates")
LOGIN_LIMIT = (5, 300.0)  # attempts per 5 minutes, per address and per username
PAIR_LIMIT = (10, 600.0)  # code attempts per 10 minutes, per address
CODE_LIMIT = (20, 3600.0)  # codes a therapist may make per hour


def utc_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class Clinic:
    engine: Engine
    now: Callable[[], datetime] = utc_now
    alert_days: int = DEFAULT_ALERT_DAYS
    secure_cookies: bool = False  # True behind HTTPS: cookies then never travel in clear
    login_limit: RateLimiter = field(default_factory=lambda: RateLimiter(*LOGIN_LIMIT))
    pair_limit: RateLimiter = field(default_factory=lambda: RateLimiter(*PAIR_LIMIT))
    code_limit: RateLimiter = field(default_factory=lambda: RateLimiter(*CODE_LIMIT))
    templates: Jinja2Templates = field(
        default_factory=lambda: Jinja2Templates(directory=str(TEMPLATES))
    )


def clinic_of(request: Request) -> Clinic:
    clinic: Clinic = request.app.state.clinic
    return clinic


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
