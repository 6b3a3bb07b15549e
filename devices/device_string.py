"""Device strings from the command line → a `Source` (DESIGN.md, "Command line").

keyboard                       the keyboard simulator (the default)
replay:FILE.csv[@speed]        a recording, optionally faster (@10) — `@loop` appended loops it
serial:PORT[@BAUD][:PROTOCOL]  a serial puck (devices/pucks/spec.py), protocol detected if omitted
ble:ADDRESS_OR_NAME[:PROTOCOL] a BLE puck, protocol detected from its services if omitted
"""

from __future__ import annotations

from devices.keyboard_sim import KeyboardSimulator
from devices.limb_model import HEALTHY, IMPAIRED
from devices.pucks.spec import PuckSpecError, open_ble, open_serial
from devices.recording import RecordingError
from devices.replay import ReplaySource
from devices.source import Source

KINDS = (
    "keyboard[:impaired][:two]",
    "replay:FILE.csv[@SPEED]",
    "serial:PORT[@BAUD][:witmotion|csv|openpuck]",
    "ble:ADDRESS_OR_NAME[:microbit|witmotion|thingy|openpuck]",
)
KEYBOARD_OPTIONS = ("impaired", "two")


class DeviceError(ValueError):
    """A device string that names no usable device; the message says what would work."""


def open_source(spec: str, loop: bool = False) -> Source:
    """Build (not start) the Source a device string names."""
    spec = spec.strip()
    if spec == "keyboard" or spec.startswith("keyboard:"):
        options = [o for o in spec.split(":")[1:] if o]
        unknown = [o for o in options if o not in KEYBOARD_OPTIONS]
        if unknown:
            raise DeviceError(
                f"keyboard option '{unknown[0]}' is unknown — use {', '.join(KEYBOARD_OPTIONS)}"
            )
        profile = IMPAIRED if "impaired" in options else HEALTHY
        return KeyboardSimulator(profile=profile, second_puck="two" in options)
    if spec.startswith("replay:"):
        path, speed = _split_speed(spec.removeprefix("replay:"))
        try:
            return ReplaySource(path, speed=speed, loop=loop)
        except RecordingError as exc:
            raise DeviceError(str(exc)) from exc
    try:
        if spec.startswith("serial:"):
            return open_serial(spec.removeprefix("serial:"))
        if spec.startswith("ble:"):
            return open_ble(spec.removeprefix("ble:"))
    except PuckSpecError as exc:
        raise DeviceError(str(exc)) from exc
    raise DeviceError(f"unknown device '{spec}' — use one of: {', '.join(KINDS)}")


def _split_speed(rest: str) -> tuple[str, float]:
    path, sep, speed_text = rest.rpartition("@")
    if not sep:
        return rest, 1.0
    try:
        speed = float(speed_text)
    except ValueError:
        raise DeviceError(
            f"replay speed '{speed_text}' is not a number — write e.g. replay:FILE.csv@10"
        ) from None
    if not speed > 0:
        raise DeviceError(f"replay speed must be above 0, got {speed_text}")
    return path, speed
