"""The therapist PIN: stored salted and hashed (scrypt) in `settings`, locked after a few misses.

Patient mode cannot change targets; therapist mode (plans, patients) opens with the PIN. The PIN
itself is never stored: `settings['therapist_pin']` holds `scrypt$n$r$p$salt_hex$hash_hex`.
After `MAX_TRIES` wrong PINs in a row, no PIN is even checked for `LOCK_S` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from progress.store import Store, StoreError

PIN_KEY = "therapist_pin"
FAILS_KEY = "therapist_pin_failures"
LOCKED_UNTIL_KEY = "therapist_pin_locked_until"  # epoch seconds
MAX_TRIES = 3
LOCK_S = 300.0
PIN_DIGITS = (4, 8)
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~16 MB and tens of ms, too slow to guess 10^4 PINs fast


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    tries_left: int
    locked_for_s: float = 0.0


def _get(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _put(store: Store, values: dict[str, str]) -> None:
    with store.transaction() as conn:
        for key, value in values.items():
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)


def has_pin(store: Store) -> bool:
    return _get(store, PIN_KEY) is not None


def set_pin(store: Store, pin: str) -> None:
    """Store a new PIN (4 to 8 digits), salted and hashed; the lock and misses are cleared."""
    low, high = PIN_DIGITS
    if not (pin.isdigit() and pin.isascii() and low <= len(pin) <= high):
        raise StoreError(f"the PIN must be {low} to {high} digits, got {len(pin)} characters")
    salt = os.urandom(16)
    stored = f"scrypt${_N}${_R}${_P}${salt.hex()}${_hash(pin, salt).hex()}"
    _put(store, {PIN_KEY: stored, FAILS_KEY: "0", LOCKED_UNTIL_KEY: "0"})


def check_pin(store: Store, pin: str) -> PinCheck:
    """Whether `pin` is right; counts misses and locks after `MAX_TRIES` of them."""
    stored = _get(store, PIN_KEY)
    if stored is None:
        raise StoreError("no therapist PIN is set yet")
    now_s = store.now().timestamp()
    locked_until = float(_get(store, LOCKED_UNTIL_KEY) or 0)
    if now_s < locked_until:
        return PinCheck(False, 0, locked_until - now_s)
    _scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
    digest = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
    )
    if hmac.compare_digest(digest, bytes.fromhex(hash_hex)):
        _put(store, {FAILS_KEY: "0", LOCKED_UNTIL_KEY: "0"})
        return PinCheck(True, MAX_TRIES)
    fails = int(_get(store, FAILS_KEY) or 0) + 1
    if fails >= MAX_TRIES:
        _put(store, {FAILS_KEY: "0", LOCKED_UNTIL_KEY: str(now_s + LOCK_S)})
        return PinCheck(False, 0, LOCK_S)
    _put(store, {FAILS_KEY: str(fails)})
    return PinCheck(False, MAX_TRIES - fails)


def clear_pin(store: Store) -> bool:
    """Forget the PIN (and any lock): the therapist sets a new one with `pin set`. True if there
    was one. Only someone at this computer's account can run it, as only they can open the data."""
    had = has_pin(store)
    with store.transaction() as conn:
        conn.execute(
            "DELETE FROM settings WHERE key IN (?, ?, ?)", (PIN_KEY, FAILS_KEY, LOCKED_UNTIL_KEY)
        )
    return had
