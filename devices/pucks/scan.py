"""Find pucks: BLE devices recognised by service or name, and serial ports that look like pucks.

Used by `python main.py scan` and the game's Pucks screen. A serial port "looks like a puck" from
its USB ids (the chips WitMotion and Arduino/ESP32 boards use) or its name (/dev/rfcomm*: a
Bluetooth SPP WitMotion); it is listed with the device string to try.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devices.pucks.ble_hub import shared_hub
from devices.pucks.ble_profiles import profile_for

# USB vendor:product ids of the serial bridges pucks use (upper-case hex): CH340 and CP210x
# on WitMotion USB adapters and many ESP32 boards; /dev/rfcomm* is a BWT901CL over SPP
USB_HINTS = {
    ("1A86", "7523"): "USB serial (CH340)",
    ("1A86", "55D4"): "USB serial (CH9102)",
    ("10C4", "EA60"): "USB serial (CP210x)",
    ("0403", "6001"): "USB serial (FTDI)",
    ("2341", None): "Arduino board",
    ("303A", None): "ESP32 board",
}


@dataclass(frozen=True)
class FoundPuck:
    """One puck seen in a scan, with the device string that opens it."""

    device: str  # ble:ADDRESS:protocol or serial:PORT
    model: str
    name: str
    rssi_dbm: int | None = None
    note: str = ""

    @property
    def signal_bars(self) -> int:
        """0–4 bars from RSSI: -95 dBm or worse is 0, -55 dBm or better is 4."""
        if self.rssi_dbm is None:
            return 0
        return max(0, min(4, (self.rssi_dbm + 95) // 10))


async def scan_ble(duration_s: float = 4.0, backend: Any = None) -> list[FoundPuck]:
    """Every advertising device a RepQuest puck profile recognises, strongest first."""
    from bleak import BleakScanner

    kwargs: dict[str, Any] = {"return_adv": True, "timeout": duration_s}
    if backend is not None:
        kwargs["backend"] = backend.scanner
    seen = await BleakScanner.discover(**kwargs)
    found = []
    for device, adv in seen.values():
        profile = profile_for(adv.service_uuids, adv.local_name or device.name)
        if profile is None:
            continue
        name = adv.local_name or device.name or device.address
        found.append(
            FoundPuck(f"ble:{device.address}:{profile.protocol}", profile.model, name, adv.rssi)
        )
    return sorted(found, key=lambda p: -(p.rssi_dbm or -999))


def scan_ble_blocking(duration_s: float = 4.0, backend: Any = None) -> list[FoundPuck]:
    """For the CLI: the scan runs on the BLE thread's loop (never a throw-away asyncio.run)."""
    return shared_hub().run(scan_ble(duration_s, backend), timeout_s=duration_s + 10.0)


def scan_serial() -> list[FoundPuck]:
    """Serial ports whose USB ids or names suggest a puck."""
    from serial.tools import list_ports

    found = []
    for port in list_ports.comports():
        vid = f"{port.vid:04X}" if port.vid is not None else None
        pid = f"{port.pid:04X}" if port.pid is not None else None
        hint = USB_HINTS.get((vid, pid)) or USB_HINTS.get((vid, None))  # type: ignore[arg-type]
        if hint is None and "rfcomm" in port.device:
            hint = "Bluetooth serial"
        if hint is None:
            continue
        found.append(FoundPuck(f"serial:{port.device}", hint, port.description or port.device))
    return found
