"""Per-puck connection state and the words a patient reads, with the policy kept as data.

connecting → streaming → stalled (no samples for `stall_after_s`) → reconnecting (backoff from a
table; BLE rescans first, serial reopens) → lost (still trying, slowly saying so). The transports
call the `on_*` methods from their I/O thread; the game reads `status()` from the main thread —
each write replaces one immutable value, so no lock is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from devices.source import SourceState, SourceStatus


@dataclass(frozen=True)
class ConnectionPolicy:
    """How patient the supervisor is. Backoff stays short so a returning puck is back in < 5 s."""

    stall_after_s: float = 2.0  # no samples this long while connected → stalled
    reconnect_after_s: float = 4.0  # still silent → drop the link and reconnect
    backoff_s: tuple[float, ...] = (0.2, 0.5, 1.0)  # between attempts, last value repeats
    lost_after_s: float = 30.0  # reconnecting this long → tell the person to check the puck
    scan_timeout_s: float = 4.0  # BLE: one scan for the puck
    connect_timeout_s: float = 10.0  # BLE: one connection attempt

    def backoff(self, attempt: int) -> float:
        return self.backoff_s[min(attempt, len(self.backoff_s) - 1)]


DEFAULT_POLICY = ConnectionPolicy()


class Supervisor:
    """The state of one puck link, and when it should be called stalled or lost."""

    def __init__(
        self,
        label: str = "puck",
        policy: ConnectionPolicy = DEFAULT_POLICY,
        time_func: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.policy = policy
        self._time = time_func
        self._state = SourceState.CONNECTING
        self._since_s = time_func()
        self._last_sample_s: float | None = None
        self._down_since_s: float | None = None  # when the link last stopped delivering
        self.attempts = 0
        self.last_error: BaseException | None = None
        self.hint = ""  # what to check, from the transport ("is it a WitMotion at 115200?")
        self.undecodable = False  # bytes arrive but none decode: wrong protocol or baud rate
        self.wired = False  # a serial cable: when it stops, check the plug (distance is moot)

    # --- transport events --------------------------------------------------------------------
    def on_samples(self) -> None:
        now = self._time()
        self._last_sample_s = now
        if self._state is not SourceState.STREAMING:
            self._set(SourceState.STREAMING, now)
            self.attempts = 0
            self._down_since_s = None
            self.hint = ""
        self.undecodable = False

    def on_link_down(self, error: BaseException | None = None) -> None:
        """The link dropped or an attempt failed: reconnecting (or lost, after long enough)."""
        now = self._time()
        if error is not None:
            self.last_error = error
        if self._state is SourceState.STOPPED:
            return
        if self._down_since_s is None:
            self._down_since_s = now if self._last_sample_s is None else self._last_sample_s
        self.attempts += 1
        first_contact = self._last_sample_s is None and self._state is SourceState.CONNECTING
        if not first_contact:
            self._set(SourceState.RECONNECTING, now)

    def on_undecodable(self) -> None:
        """Bytes came but none decoded. Once that has lasted half the stall time, the puck is
        speaking another protocol or at another baud rate (or it is line noise), not silent, and
        the message says so by the time the link counts as stalled."""
        if self.silent_for_s() > self.policy.stall_after_s / 2:
            self.undecodable = True

    def on_stop(self) -> None:
        self._set(SourceState.STOPPED, self._time())

    def silent_for_s(self) -> float:
        """Seconds since the last sample (or since the link came up, before the first one)."""
        last = self._last_sample_s if self._last_sample_s is not None else self._since_s
        return self._time() - last

    def should_reconnect(self) -> bool:
        """Connected but silent for too long: the transport should drop and redo the link."""
        return self.silent_for_s() > self.policy.reconnect_after_s

    def connected(self) -> None:
        """The link is up; samples are expected within `stall_after_s`."""
        self._since_s = self._time()
        if self._state is SourceState.RECONNECTING:
            self._last_sample_s = None

    # --- what the game reads -----------------------------------------------------------------
    def status(self) -> SourceStatus:
        state = self._state
        now = self._time()
        if state is SourceState.STREAMING and self.silent_for_s() > self.policy.stall_after_s:
            state = SourceState.STALLED
        if (
            state in (SourceState.RECONNECTING, SourceState.CONNECTING)
            and self._down_since_s is not None
            and now - self._down_since_s > self.policy.lost_after_s
        ):
            state = SourceState.LOST
        return SourceStatus(state, self.message(state))

    def message(self, state: SourceState) -> str:
        the = f"The {self.label}"
        fix = "Check that its cable is plugged in" if self.wired else "Bring it closer"
        words = {
            SourceState.CONNECTING: f"Connecting to the {self.label}…",
            SourceState.STREAMING: f"{the} is working.",
            SourceState.STALLED: f"{the} stopped talking. {fix} — waiting…",
            SourceState.RECONNECTING: f"{the} stopped talking. {fix} — reconnecting…",
            SourceState.LOST: (
                f"Can't find the {self.label}. Is it switched on and charged? Still looking…"
            ),
            SourceState.STOPPED: f"{the} is disconnected.",
        }[state]
        if self.undecodable and state not in (SourceState.STREAMING, SourceState.STOPPED):
            words = f"{the} sends no valid data — check the protocol and baud rate."
        if self.hint and state in (SourceState.CONNECTING, SourceState.LOST):
            words += f" ({self.hint})"
        return words

    def _set(self, state: SourceState, now: float) -> None:
        if state is not self._state:
            self._state = state
            self._since_s = now
