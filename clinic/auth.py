"""Secrets and limits: password hashes, random tokens and their digests, and rate limits.

Passwords are hashed with scrypt (the standard library's, memory-hard) with a random salt and
the cost in the stored string, so the cost can be raised later without breaking old hashes.
Random tokens (install tokens, web session ids, pairing codes) are stored as SHA-256 digests:
they carry enough entropy, or live briefly behind a rate limit, so a slow hash buys nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 10
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_CHARS = 8


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode("utf-8"),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(digest) // 2,
    )
    return hmac.compare_digest(candidate.hex(), digest)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password needs at least {MIN_PASSWORD_CHARS} characters"
    return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_pairing_code() -> str:
    """Eight characters from an alphabet without look-alikes, shown as two groups of four."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_CHARS))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    """What the patient typed, as the code was made: case, spaces and dashes do not matter."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}"


class RateLimiter:
    """At most `limit` recorded attempts per key in any `window_s` seconds (a sliding window).

    In memory is enough for one server process (the way `python -m clinic serve` runs); a
    clinic running several would need a shared store.
    """

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def is_blocked(self, key: str) -> bool:
        """True while `key` has `limit` recorded attempts in the last `window_s` seconds."""
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def record(self, key: str) -> None:
        """Count one attempt (for logins and pairing: a failed one) against `key`."""
        now = self.clock()
        with self._lock:
            self._recent(key, now).append(now)

    def retry_after_s(self, key: str) -> int:
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return 0
            return max(1, int(hits[0] + self.window_s - self.clock()) + 1)

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
