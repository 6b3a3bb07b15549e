"""Typed puck errors, each chained (`raise … from cause`) to the library error behind it."""

from __future__ import annotations


class PuckError(Exception):
    """Something went wrong with a real puck; the message says what to check."""


class PuckNotFoundError(PuckError):
    """The puck was not seen: out of range, switched off, or another name/address."""


class PuckConnectionError(PuckError):
    """The puck was seen but the link failed or dropped (BLE connect, serial open or read)."""


class PuckProtocolError(PuckError):
    """Bytes arrive but are not the protocol expected (wrong baud, wrong device, old firmware)."""
