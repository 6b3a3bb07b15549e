"""The BLE puck families as data: which service marks them, which characteristic streams, how to
decode it and how to set the rate. Setup steps use only bleak's public client API."""

from __future__ import annotations

import struct
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from devices.pucks import formats, openpuck
from devices.pucks.reading import Reading

BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"
TARGET_RATE_HZ = 50

MICROBIT_SERVICE = "e95d0753-251d-470a-a062-fa1922dfa9a8"
MICROBIT_DATA = "e95dca4b-251d-470a-a062-fa1922dfa9a8"
MICROBIT_PERIOD = "e95dfb24-251d-470a-a062-fa1922dfa9a8"
WIT_SERVICE = "0000ffe5-0000-1000-8000-00805f9a34fb"  # note 9A34FB, not the SIG base 9B34FB
WIT_NOTIFY = "0000ffe4-0000-1000-8000-00805f9a34fb"
WIT_WRITE = "0000ffe9-0000-1000-8000-00805f9a34fb"
THINGY_MOTION_SERVICE = "ef680400-9b35-4933-9b10-52ffa9740042"
THINGY_CONFIG = "ef680401-9b35-4933-9b10-52ffa9740042"
THINGY_RAW = "ef680406-9b35-4933-9b10-52ffa9740042"

Setup = Callable[[Any], Awaitable[float]]  # a connected BleakClient → the rate it will stream at


async def _setup_microbit(client: Any) -> float:
    """Write the period, then read back the one the micro:bit actually chose (it rounds)."""
    await client.write_gatt_char(
        MICROBIT_PERIOD, formats.microbit_period_bytes(1000 // TARGET_RATE_HZ), response=True
    )
    (period_ms,) = struct.unpack("<H", bytes(await client.read_gatt_char(MICROBIT_PERIOD)))
    return 1000.0 / period_ms if period_ms else float(TARGET_RATE_HZ)


async def _setup_witmotion(client: Any) -> float:
    for command in (formats.WITMOTION_UNLOCK, formats.witmotion_rate_command(TARGET_RATE_HZ)):
        await client.write_gatt_char(WIT_WRITE, command, response=False)
    return float(TARGET_RATE_HZ)


async def _setup_thingy(client: Any) -> float:
    current = bytes(await client.read_gatt_char(THINGY_CONFIG))
    config = formats.thingy_config_bytes(TARGET_RATE_HZ, current)
    await client.write_gatt_char(THINGY_CONFIG, config, response=True)
    return float(TARGET_RATE_HZ)


async def _setup_openpuck(client: Any) -> float:
    await client.write_gatt_char(
        openpuck.RATE_UUID, struct.pack("<H", TARGET_RATE_HZ), response=True
    )
    (rate_hz,) = struct.unpack("<H", bytes(await client.read_gatt_char(openpuck.RATE_UUID)))
    return float(rate_hz or TARGET_RATE_HZ)


@dataclass(frozen=True)
class BleProfile:
    protocol: str  # the name used in device strings: ble:ADDRESS:protocol
    model: str
    service_uuid: str
    data_uuid: str
    decode: Callable[[bytes], Reading | None]
    setup: Setup
    name_prefixes: tuple[str, ...]
    has_gyro: bool


PROFILES: dict[str, BleProfile] = {
    p.protocol: p
    for p in (
        BleProfile(
            "microbit", "BBC micro:bit", MICROBIT_SERVICE, MICROBIT_DATA,
            formats.decode_microbit, _setup_microbit, ("BBC micro:bit",), False,
        ),
        BleProfile(
            "witmotion", "WitMotion WT901BLE", WIT_SERVICE, WIT_NOTIFY,
            formats.decode_witmotion_ble, _setup_witmotion, ("WT901", "WT9011", "BWT901"), True,
        ),
        BleProfile(
            "thingy", "Nordic Thingy:52", THINGY_MOTION_SERVICE, THINGY_RAW,
            formats.decode_thingy_raw, _setup_thingy, ("Thingy",), True,
        ),
        BleProfile(
            "openpuck", "RepQuest open puck", openpuck.SERVICE_UUID, openpuck.DATA_UUID,
            openpuck.decode_packet, _setup_openpuck, ("RepQuest",), True,
        ),
    )
}  # fmt: skip


def profile_for(service_uuids: Iterable[str], name: str | None = None) -> BleProfile | None:
    """Recognise a puck from its services (after connecting) or its advertisement."""
    uuids = {u.lower() for u in service_uuids}
    for profile in PROFILES.values():
        if profile.service_uuid in uuids:
            return profile
    for profile in PROFILES.values():
        if name and name.startswith(profile.name_prefixes):
            return profile
    return None
