"""A BLE puck on the shared BLE thread: rescan, connect, set the rate, stream, watch, reconnect.

Every (re)connection starts with a fresh scan and a fresh `BleakClient`, because BlueZ forgets
devices when scanning stops (bleak #1176, #676) and reused clients have duplicated notifications
after reconnects (bleak #2002). The bleak backend classes are injectable: None in production
(bleak picks the platform's), an emulator in tests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from bleak import BleakClient, BleakScanner
from bleak.exc import BleakError

from devices.pucks.ble_hub import BleHub, shared_hub
from devices.pucks.ble_profiles import (
    BATTERY_LEVEL_UUID,
    PROFILES,
    TARGET_RATE_HZ,
    BleProfile,
    profile_for,
)
from devices.pucks.errors import PuckConnectionError, PuckError, PuckNotFoundError
from devices.pucks.puck_source import PuckSource
from devices.pucks.supervisor import DEFAULT_POLICY, ConnectionPolicy
from devices.source import SourceInfo

WATCH_PERIOD_S = 0.2


class BleBackend(NamedTuple):
    """bleak backend classes to use instead of the platform's (a `BaseBleakScanner` subclass and
    a `BaseBleakClient` subclass)."""

    scanner: type
    client: type


def looks_like_address(target: str) -> bool:
    parts = target.split(":")
    return (len(parts) == 6 and all(len(p) == 2 for p in parts)) or len(target) == 36


def matches(target: str, address: str, name: str | None) -> bool:
    if looks_like_address(target):
        return address.lower() == target.lower()
    return bool(name) and (name == target or name.startswith(target))  # type: ignore[union-attr]


class BlePuck(PuckSource):
    """`ble:ADDRESS_OR_NAME[:PROTOCOL]` as a live Source."""

    def __init__(
        self,
        target: str,
        protocol: str | None = None,
        label: str = "puck",
        backend: BleBackend | None = None,
        hub: BleHub | None = None,
        policy: ConnectionPolicy = DEFAULT_POLICY,
        time_func: Callable[[], float] = time.monotonic,
    ) -> None:
        if protocol is not None and protocol not in PROFILES:
            raise ValueError(f"BLE protocol '{protocol}': use one of {sorted(PROFILES)}")
        model = PROFILES[protocol].model if protocol else "BLE puck"
        info = SourceInfo(
            f"ble:{target}",
            "ble",
            model,
            float(TARGET_RATE_HZ),
            ("ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps"),
        )
        super().__init__(info, label, policy, time_func)
        self.target = target
        self.profile: BleProfile | None = PROFILES[protocol] if protocol else None
        self.address: str | None = target if looks_like_address(target) else None
        self._backend = backend
        self._hub = hub
        self._future: concurrent.futures.Future[None] | None = None
        self._halt: asyncio.Event | None = None
        self.connections = 0
        self.bad_packets = 0

    # --- Source I/O ----------------------------------------------------------------------------
    def _start_io(self) -> None:
        self._hub = self._hub or shared_hub()
        self._future = self._hub.submit(self._run())

    def _stop_io(self) -> None:
        assert self._hub is not None
        loop = self._hub.loop

        def halt() -> None:
            if self._halt is not None:
                self._halt.set()

        loop.call_soon_threadsafe(halt)
        if self._future is not None:
            with contextlib.suppress(Exception):
                self._future.result(timeout=3.0)

    # --- the connection loop (on the BLE thread) -----------------------------------------------
    async def _run(self) -> None:
        self._halt = asyncio.Event()
        if self._stopped:
            return
        while not self._halt.is_set():
            try:
                await self._session()
            except PuckError as exc:
                self.supervisor.on_link_down(exc)
                if isinstance(exc, PuckNotFoundError) and not self.connections:
                    self.supervisor.hint = (
                        f"{self.target} not seen: is it switched on and near? "
                        "'python main.py scan' lists the pucks in range"
                    )
            except Exception as exc:  # any failure: retry, never let the loop die
                error = PuckConnectionError(f"BLE link to {self.target} failed: {exc!r}")
                error.__cause__ = exc
                self.supervisor.on_link_down(error)
            delay_s = self.supervisor.policy.backoff(self.supervisor.attempts)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._halt.wait(), delay_s)

    async def _find(self) -> Any:
        """Scan until the target advertises; keeps its signal strength for the Pucks screen."""
        found: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def on_advertisement(device: Any, adv: Any) -> None:
            if not found.done() and matches(self.target, device.address, adv.local_name):
                if self.profile is None:
                    self.profile = profile_for(adv.service_uuids, adv.local_name)
                self.rssi_dbm = adv.rssi
                found.set_result(device)

        kwargs: dict[str, Any] = {"detection_callback": on_advertisement}
        if self._backend is not None:
            kwargs["backend"] = self._backend.scanner
        try:
            async with BleakScanner(**kwargs):
                return await asyncio.wait_for(found, self.supervisor.policy.scan_timeout_s)
        except TimeoutError as exc:
            raise PuckNotFoundError(
                f"{self.target} was not seen in {self.supervisor.policy.scan_timeout_s:.0f} s"
            ) from exc

    async def _session(self) -> None:
        device = await self._find()
        self.address = device.address
        assert self._halt is not None
        lost = asyncio.Event()
        kwargs: dict[str, Any] = {
            "disconnected_callback": lambda _client: lost.set(),
            "timeout": self.supervisor.policy.connect_timeout_s,
        }
        if self._backend is not None:
            kwargs["backend"] = self._backend.client
        client = BleakClient(device, **kwargs)
        try:
            await asyncio.wait_for(client.connect(), self.supervisor.policy.connect_timeout_s)
            self.connections += 1
            profile = self._choose_profile(client)
            rate_hz = await profile.setup(client)
            self._set_stream(profile, rate_hz)
            await self._read_battery(client)
            self._link_up()
            await client.start_notify(profile.data_uuid, self._on_notify)
            while not (lost.is_set() or self._halt.is_set()):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), WATCH_PERIOD_S)
                if self.supervisor.should_reconnect():
                    raise PuckConnectionError(f"{self.target} is connected but silent")
            if lost.is_set() and not self._halt.is_set():
                raise PuckConnectionError(f"{self.target} disconnected")
        finally:
            if client.is_connected:
                with contextlib.suppress(BleakError, TimeoutError, OSError, EOFError):
                    await asyncio.wait_for(client.disconnect(), 2.0)

    def _choose_profile(self, client: Any) -> BleProfile:
        found = profile_for(s.uuid for s in client.services)
        profile = self.profile if self.profile is not None and found is None else found
        if self.profile is not None and found is not None and found is not self.profile:
            profile = self.profile  # the person said which protocol: trust them
        if profile is None:
            raise PuckConnectionError(
                f"{self.target} has none of the motion services RepQuest knows "
                f"({', '.join(sorted(PROFILES))}) — is it a puck?"
            )
        self.profile = profile
        return profile

    def _set_stream(self, profile: BleProfile, rate_hz: float) -> None:
        info = self._info
        self._info = SourceInfo(info.id, "ble", profile.model, rate_hz, info.channels)
        self._stamper.nominal_dt_s = 1.0 / rate_hz

    async def _read_battery(self, client: Any) -> None:
        """Battery Service level, when the puck has one (most do; the micro:bit does not)."""
        if client.services.get_characteristic(BATTERY_LEVEL_UUID) is None:
            return
        with contextlib.suppress(BleakError, TimeoutError):
            value = bytes(await client.read_gatt_char(BATTERY_LEVEL_UUID))
            self.battery_pct = min(100, value[0]) if value else None

    def _on_notify(self, _characteristic: Any, data: bytearray) -> None:
        assert self.profile is not None
        reading = self.profile.decode(bytes(data))
        if reading is None:
            self.bad_packets += 1
            self.supervisor.on_undecodable()
            return
        self._deliver([reading])
