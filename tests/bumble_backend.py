"""A bleak backend on Google's bumble: unchanged bleak calls reach virtual BLE peripherals.

This machine has no Bluetooth (no BlueZ, no /dev/vhci), so the project's BLE code is tested
through bleak's public API (`BleakScanner`, `BleakClient`, their `backend=` argument) against a
bumble central that shares an in-process `LocalLink` with the virtual pucks. Dev-only: production
never imports this (bleak picks the platform backend when `backend` is None).

One `BumbleWorld` per event loop (the BLE hub's): its link and its central device.
"""

from __future__ import annotations

import asyncio
import uuid as uuidlib
from typing import Any, ClassVar

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError
from bumble import hci
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Connection, Device, Peer
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from devices.pucks.ble_hub import BleHub

CENTRAL_ADDRESS = "F0:F0:F0:F0:F0:F0"
PLATFORM_MTU = 247
CONNECT_TIMEOUT_S = 5.0  # bumble's connect to an absent address never returns on its own
_UUID_LISTS = (
    AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
)


def bleak_uuid(u: UUID) -> str:
    """bumble UUID → bleak's lowercase 128-bit string."""
    return str(uuidlib.UUID(bytes=bytes(reversed(u.uuid_128_bytes))))


def make_device(link: LocalLink, name: str, address: str) -> tuple[Device, Controller]:
    """A bumble device with its own virtual controller on `link`."""
    controller = Controller(name, link=link, public_address=address)
    host = Host(controller, AsyncPipeSink(controller))
    return Device(name=name, address=hci.Address(address), host=host), controller


class BumbleWorld:
    """The radio: one link, one central that every bleak scanner and client shares."""

    _worlds: ClassVar[dict[asyncio.AbstractEventLoop, BumbleWorld]] = {}

    def __init__(self) -> None:
        self.link = LocalLink()
        self.central, _ = make_device(self.link, "RepQuest host", CENTRAL_ADDRESS)
        self.radio_lock = asyncio.Lock()  # one connection attempt at a time, as a controller
        self._scanners = 0
        self._ready = asyncio.Event()

    @classmethod
    async def get(cls) -> BumbleWorld:
        loop = asyncio.get_running_loop()
        world = cls._worlds.get(loop)
        if world is None:
            world = cls._worlds[loop] = BumbleWorld()
            await world.central.power_on()
            world._ready.set()
        await world._ready.wait()
        return world

    async def scanning(self, on: bool) -> None:
        self._scanners += 1 if on else -1
        if on and not self.central.scanning:
            await self.central.start_scanning(filter_duplicates=False)
        elif not on and self._scanners == 0 and self.central.scanning:
            await self.central.stop_scanning()


def world_on(hub: BleHub) -> BumbleWorld:
    return hub.run(BumbleWorld.get(), timeout_s=10)


class BleakScannerBumble(BaseBleakScanner):
    def __init__(
        self,
        detection_callback: Any,
        service_uuids: Any,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._world: BumbleWorld | None = None

    async def start(self) -> None:
        self.seen_devices = {}
        self._world = await BumbleWorld.get()
        self._world.central.on("advertisement", self._on_advertisement)
        await self._world.scanning(True)

    async def stop(self) -> None:
        if self._world is not None:
            self._world.central.remove_listener("advertisement", self._on_advertisement)
            await self._world.scanning(False)
            self._world = None

    def _on_advertisement(self, adv: Any) -> None:
        name_obj = adv.data.get(AdvertisingData.COMPLETE_LOCAL_NAME) or adv.data.get(
            AdvertisingData.SHORTENED_LOCAL_NAME
        )
        name = name_obj if isinstance(name_obj, str) else None
        uuids = sorted(
            {bleak_uuid(u) for t in _UUID_LISTS for lst in adv.data.get_all(t) for u in lst}
        )
        address = adv.address.to_string(False)
        data = AdvertisementData(name, {}, {}, uuids, None, adv.rssi, (adv,))
        device = self.create_or_update_device(address, address, name, adv.address, data)
        if self.is_allowed_uuid(uuids):
            self.call_detection_callbacks(device, data)


class BleakClientBumble(BaseBleakClient):
    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.get("disconnected_callback"),
            timeout=kwargs.get("timeout", 10.0),
        )
        details = getattr(address_or_ble_device, "details", None)
        self._peer_address = details if details is not None else address_or_ble_device
        self._connection: Connection | None = None
        self._peer: Peer | None = None
        self._subscriptions: dict[int, Any] = {}

    @property
    def name(self) -> str:
        return self.address

    @property
    def mtu_size(self) -> int:
        return self._connection.att_mtu if self._connection else 23

    @property
    def is_connected(self) -> bool:
        return self._connection is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        world = await BumbleWorld.get()
        async with world.radio_lock:
            try:
                connection = await asyncio.wait_for(
                    world.central.connect(self._peer_address), CONNECT_TIMEOUT_S
                )
            except TimeoutError as exc:
                with_cancel = world.central.cancel_connection()
                await asyncio.wait_for(with_cancel, 2.0)
                raise BleakDeviceNotFoundError(
                    self.address, f"Device with address {self.address} was not found"
                ) from exc
        self._connection = connection
        connection.on("disconnection", self._on_disconnection)
        self._peer = Peer(connection)
        # BlueZ, CoreBluetooth and WinRT all exchange a larger ATT MTU on connect; so do we
        await self._peer.request_mtu(PLATFORM_MTU)
        self.services = await self._discover(self._peer)

    async def _discover(self, peer: Peer) -> BleakGATTServiceCollection:
        collection = BleakGATTServiceCollection()
        for proxy in await peer.discover_services():
            service = BleakGATTService(proxy, proxy.handle, bleak_uuid(proxy.uuid))
            collection.add_service(service)
            for cproxy in await proxy.discover_characteristics():
                props = [
                    p.name.lower()
                    for p in type(cproxy.properties)
                    if p & cproxy.properties and p.name
                ]
                props = [
                    p.replace("write_without_response", "write-without-response") for p in props
                ]
                char = BleakGATTCharacteristic(
                    cproxy,
                    cproxy.handle,
                    bleak_uuid(cproxy.uuid),
                    props,
                    lambda: 20,
                    service,  # type: ignore[arg-type]
                )
                collection.add_characteristic(char)
                for dproxy in await cproxy.discover_descriptors():
                    collection.add_descriptor(
                        BleakGATTDescriptor(dproxy, dproxy.handle, bleak_uuid(dproxy.type), char)
                    )
        return collection

    def _on_disconnection(self, _reason: int) -> None:
        self._connection = None
        self._peer = None
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    def _require(self) -> Peer:
        if self._peer is None:
            raise BleakError("Not connected")
        return self._peer

    async def disconnect(self) -> None:
        connection, self._connection = self._connection, None
        self._peer = None
        if connection is not None:
            await connection.disconnect()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the virtual pucks need no pairing")

    async def unpair(self) -> None:
        raise NotImplementedError("the virtual pucks need no pairing")

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, **kwargs: Any
    ) -> bytearray:
        self._require()
        return bytearray(await characteristic.obj.read_value())

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, **kwargs: Any
    ) -> bytearray:
        self._require()
        return bytearray(await descriptor.obj.read_value())

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: Any, response: bool
    ) -> None:
        self._require()
        await characteristic.obj.write_value(bytes(data), with_response=response)

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        self._require()
        await descriptor.obj.write_value(bytes(data), with_response=True)

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        self._require()

        def on_value(value: bytes) -> None:
            callback(bytearray(value))

        self._subscriptions[characteristic.handle] = on_value
        await characteristic.obj.subscribe(on_value)

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._require()
        await characteristic.obj.unsubscribe(self._subscriptions.pop(characteristic.handle, None))


BUMBLE_BACKEND_CLASSES = (BleakScannerBumble, BleakClientBumble)
