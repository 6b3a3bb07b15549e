"""bumble peripherals that emulate each BLE puck family's GATT service byte for byte
(../shared/PROTOCOLS.md §1.1–1.3, docs/puck-protocol.md), streaming a given signal at the rate
the host sets — and able to walk out of range and come back."""

from __future__ import annotations

import asyncio
import struct
import time
from typing import Any

import numpy as np
from bumble import gatt
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Device

from devices.pucks import ble_profiles as bp
from devices.pucks import openpuck
from tests import puck_wire
from tests.bumble_backend import BumbleWorld, make_device

P = gatt.Characteristic.Properties
RW = gatt.Characteristic.READABLE | gatt.Characteristic.WRITEABLE
MICROBIT_PERIODS_MS = (1, 2, 5, 10, 20, 80, 160, 640)
ADVERTISING_INTERVAL_MS = 20  # fast discovery in tests


class VirtualPuck:
    """One emulated puck. `sent` counts samples notified to a subscriber."""

    def __init__(
        self,
        family: str,
        address: str,
        accel: np.ndarray,
        gyro: np.ndarray,
        name: str | None = None,
        battery_pct: int | None = 87,
    ) -> None:
        self.family = family
        self.address = address
        self.name = (
            name
            or {
                "microbit": "BBC micro:bit [tuvez]",
                "witmotion": "WT901BLE68",
                "thingy": "Thingy",
                "openpuck": "RepQuest Puck",
            }[family]
        )
        self.accel, self.gyro = accel, gyro
        self.battery_pct = battery_pct
        self.rate_hz = {"microbit": 50.0, "witmotion": 10.0, "thingy": 60.0, "openpuck": 25.0}[
            family
        ]
        self.sent = 0
        self.writes: list[bytes] = []
        self.crashed = False  # a micro:bit given period 0
        self.subscribed = False
        self.returned_at_s: float | None = None
        self.device: Device | None = None
        self._controller: Controller | None = None
        self._task: asyncio.Task[None] | None = None
        self._data: gatt.Characteristic[Any] | None = None
        self._thingy_config = struct.pack("<HHHHB", 100, 500, 100, 60, 1)

    # --- GATT, per family ----------------------------------------------------------------------
    def _services(self) -> list[gatt.Service]:
        services: list[gatt.Service] = []
        if self.family == "microbit":
            self._data = gatt.Characteristic(
                bp.MICROBIT_DATA, P.READ | P.NOTIFY, gatt.Characteristic.READABLE, bytes(6)
            )
            period = gatt.Characteristic(
                bp.MICROBIT_PERIOD, P.READ | P.WRITE, RW,
                gatt.CharacteristicValue(read=self._read_period, write=self._write_period),
            )  # fmt: skip
            services.append(gatt.Service(bp.MICROBIT_SERVICE, [self._data, period]))
        elif self.family == "witmotion":
            self._data = gatt.Characteristic(
                bp.WIT_NOTIFY, P.READ | P.NOTIFY, gatt.Characteristic.READABLE, bytes(20)
            )
            command = gatt.Characteristic(
                bp.WIT_WRITE, P.WRITE | P.WRITE_WITHOUT_RESPONSE, gatt.Characteristic.WRITEABLE,
                gatt.CharacteristicValue(write=self._write_wit),
            )  # fmt: skip
            services.append(gatt.Service(bp.WIT_SERVICE, [self._data, command]))
        elif self.family == "thingy":
            self._data = gatt.Characteristic(
                bp.THINGY_RAW, P.NOTIFY, gatt.Characteristic.READABLE, bytes(18)
            )
            config = gatt.Characteristic(
                bp.THINGY_CONFIG, P.READ | P.WRITE, RW,
                gatt.CharacteristicValue(read=self._read_thingy, write=self._write_thingy),
            )  # fmt: skip
            services.append(gatt.Service(bp.THINGY_MOTION_SERVICE, [config, self._data]))
        else:
            self._data = gatt.Characteristic(
                openpuck.DATA_UUID, P.NOTIFY, gatt.Characteristic.READABLE, b""
            )
            rate = gatt.Characteristic(
                openpuck.RATE_UUID, P.READ | P.WRITE, RW,
                gatt.CharacteristicValue(
                    read=lambda _c: struct.pack("<H", int(self.rate_hz)), write=self._write_rate
                ),
            )  # fmt: skip
            services.append(gatt.Service(openpuck.SERVICE_UUID, [self._data, rate]))
        if self.battery_pct is not None:
            level = gatt.Characteristic(
                bp.BATTERY_LEVEL_UUID,
                P.READ,
                gatt.Characteristic.READABLE,
                bytes([self.battery_pct]),
            )
            services.append(gatt.Service(bp.BATTERY_SERVICE_UUID, [level]))
        self._data.on("subscription", self._on_subscription)
        return services

    def _read_period(self, _connection: Any) -> bytes:
        return struct.pack("<H", round(1000 / self.rate_hz))

    def _write_period(self, _connection: Any, value: bytes) -> None:
        self.writes.append(bytes(value))
        (period_ms,) = struct.unpack("<H", value)
        if period_ms == 0:
            self.crashed = True  # what a real micro:bit does
            return
        nearest = min(MICROBIT_PERIODS_MS, key=lambda p: abs(p - period_ms))
        self.rate_hz = 1000 / nearest

    def _write_wit(self, _connection: Any, value: bytes) -> None:
        self.writes.append(bytes(value))
        rates = {0x06: 10.0, 0x07: 20.0, 0x08: 50.0}
        if len(value) == 5 and value[:3] == b"\xff\xaa\x03" and value[3] in rates:
            self.rate_hz = rates[value[3]]

    def _read_thingy(self, _connection: Any) -> bytes:
        return self._thingy_config

    def _write_thingy(self, _connection: Any, value: bytes) -> None:
        self.writes.append(bytes(value))
        if len(value) == 9:
            self._thingy_config = bytes(value)
            self.rate_hz = float(struct.unpack("<HHHHB", value)[3])

    def _write_rate(self, _connection: Any, value: bytes) -> None:
        self.writes.append(bytes(value))
        self.rate_hz = float(struct.unpack("<H", value)[0])

    def _on_subscription(self, _bearer: Any, notify: bool, _indicate: bool) -> None:
        self.subscribed = notify

    def _payload(self, i: int) -> bytes:
        a, g = self.accel[i], self.gyro[i]
        if self.family == "microbit":
            return puck_wire.microbit(a)
        if self.family == "witmotion":
            return puck_wire.witmotion_ble(a, g)
        if self.family == "thingy":
            return puck_wire.thingy_raw(a, g)
        dt_us = round(1e6 / self.rate_hz)
        return openpuck.encode_packet(
            i, i * dt_us // 1000, dt_us, a.reshape(1, 3), g.reshape(1, 3), self.battery_pct or 255
        )

    # --- life ----------------------------------------------------------------------------------
    async def start(self) -> None:
        world = await BumbleWorld.get()
        self.device, self._controller = make_device(world.link, self.name, self.address)
        self.device.add_services(self._services())
        ads: list[tuple[int, bytes]] = [(AdvertisingData.COMPLETE_LOCAL_NAME, self.name.encode())]
        if self.family == "openpuck":
            ads.append(
                (
                    AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                    bytes(UUID(openpuck.SERVICE_UUID)),
                )
            )
        self.device.advertising_data = bytes(AdvertisingData(ads))
        await self.device.power_on()
        await self.come_back()
        self._task = asyncio.create_task(self._stream())

    async def _stream(self) -> None:
        next_s = time.monotonic()
        while self.sent < len(self.accel):
            next_s = max(next_s + 1.0 / self.rate_hz, time.monotonic() - 0.1)
            await asyncio.sleep(max(0.0, next_s - time.monotonic()))
            assert self.device is not None and self._data is not None
            if self.subscribed and self.device.connections and not self.crashed:
                await self.device.notify_subscribers(self._data, self._payload(self.sent))
                self.sent += 1

    async def go_away(self) -> None:
        """Out of range: the link drops and the puck is not seen until it comes back."""
        assert self.device is not None
        await self.device.stop_advertising()
        for connection in list(self.device.connections.values()):
            await connection.disconnect()
        self.subscribed = False

    async def come_back(self) -> None:
        assert self.device is not None
        await self.device.start_advertising(
            advertising_interval_min=ADVERTISING_INTERVAL_MS,
            advertising_interval_max=ADVERTISING_INTERVAL_MS,
        )
        self.returned_at_s = time.monotonic()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.device is not None:
            await self.device.stop_advertising()
            for connection in list(self.device.connections.values()):
                await connection.disconnect()
            await self.device.power_off()
            world = await BumbleWorld.get()
            controller = (
                self.device.host.controller if hasattr(self.device.host, "controller") else None
            )
            if controller in world.link.controllers:
                world.link.remove_controller(controller)
