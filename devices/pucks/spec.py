"""Device strings for real pucks → a Source (no I/O here; the Source connects when started).

    serial:PORT[@BAUD][:witmotion|csv|openpuck]     e.g. serial:/dev/ttyUSB0@9600:witmotion
    ble:ADDRESS_OR_NAME[:microbit|witmotion|thingy|openpuck]   e.g. ble:C1:2F:…:9A:microbit

A BLE address contains colons, so the protocol is recognised only as a known trailing word.
"""

from __future__ import annotations

import glob
import os

from devices.pucks.ble_profiles import PROFILES
from devices.pucks.framers import SERIAL_FRAMERS
from devices.pucks.puck_source import PuckSource


class PuckSpecError(ValueError):
    """A puck device string that cannot work; the message says what to write instead."""


def split_protocol(rest: str, known: list[str]) -> tuple[str, str | None]:
    head, sep, tail = rest.rpartition(":")
    if sep and tail in known:
        return head, tail
    return rest, None


def parse_serial(rest: str) -> tuple[str, int | None, str | None]:
    """`PORT[@BAUD][:PROTOCOL]` → (port, baud or None, protocol or None)."""
    known = sorted(SERIAL_FRAMERS)
    rest, protocol = split_protocol(rest, known)
    port, sep, baud_text = rest.rpartition("@")
    if not sep:
        port, baud_text = rest, ""
    if not port:
        raise PuckSpecError("serial: needs a port, e.g. serial:/dev/ttyUSB0 or serial:COM3")
    baud = None
    if baud_text:
        if not baud_text.isdigit():
            raise PuckSpecError(
                f"serial baud '{baud_text}' is not a number (or '{baud_text}' is not a protocol: "
                f"use {', '.join(known)}) — e.g. serial:/dev/ttyUSB0@115200:witmotion"
            )
        baud = int(baud_text)
    return port, baud, protocol


def open_serial(rest: str, label: str = "puck") -> PuckSource:
    from devices.pucks.serial_puck import SerialPuck  # pyserial only when a serial puck is used

    port, baud, protocol = parse_serial(rest)
    if port.startswith("/") and not os.path.exists(port):
        present = sorted(glob.glob("/dev/ttyUSB*") + glob.glob("/dev/ttyACM*"))
        present += sorted(glob.glob("/dev/rfcomm*"))
        seen = f"ports here: {', '.join(present)}" if present else "no USB serial ports found"
        raise PuckSpecError(f"No serial port {port} — is the puck plugged in? ({seen})")
    return SerialPuck(port, baud=baud, protocol=protocol, label=label)


def parse_ble(rest: str) -> tuple[str, str | None]:
    """`ADDRESS_OR_NAME[:PROTOCOL]` → (target, protocol or None)."""
    target, protocol = split_protocol(rest, sorted(PROFILES))
    if not target:
        raise PuckSpecError(
            "ble: needs an address or a name, e.g. ble:C1:2F:45:67:89:9A or 'ble:BBC micro:bit' "
            "— run 'python main.py scan' to see the pucks nearby"
        )
    return target, protocol


def open_ble(rest: str, label: str = "puck") -> PuckSource:
    from devices.pucks.ble_puck import BlePuck  # bleak is imported only when BLE is used

    target, protocol = parse_ble(rest)
    return BlePuck(target, protocol=protocol, label=label)
