"""The therapist PIN is stored salted and hashed, and a few wrong tries lock it for a while."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from progress.pin import LOCK_S, MAX_TRIES, PIN_KEY, check_pin, has_pin, set_pin
from progress.store import StoreError, open_store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0).astimezone()

    def __call__(self) -> datetime:
        return self.now


def test_pin_is_salted_hashed_and_locks_after_misses(tmp_path: Path) -> None:
    clock = Clock()
    with open_store(tmp_path, now=clock) as store:
        assert not has_pin(store)
        with pytest.raises(StoreError, match="4 to 8 digits"):
            set_pin(store, "12a4")
        set_pin(store, "2468")
        stored = store.conn.execute("SELECT value FROM settings WHERE key = ?", (PIN_KEY,))
        value = stored.fetchone()[0]
        assert "2468" not in value and value.startswith("scrypt$")
        assert check_pin(store, "2468").ok
        for left in range(MAX_TRIES - 1, 0, -1):
            assert check_pin(store, "0000").tries_left == left
        locked = check_pin(store, "0000")
        assert not locked.ok and locked.locked_for_s == LOCK_S
        assert not check_pin(store, "2468").ok  # even the right PIN waits out the lock
        clock.now += timedelta(seconds=LOCK_S + 1)
        assert check_pin(store, "2468").ok
    with open_store(tmp_path) as store:  # another salt for the same PIN: no two hashes alike
        set_pin(store, "2468")
        assert (
            store.conn.execute("SELECT value FROM settings WHERE key = ?", (PIN_KEY,)).fetchone()[0]
            != value
        )
