"""BLE pucks through bleak's public API against bumble virtual pucks (tests/virtual_pucks.py):
every family streams, is recognised and configured; a puck that walks away is found again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from itertools import count

import numpy as np
import pytest

from devices.pucks.ble_hub import BleHub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.errors import PuckNotFoundError
from devices.pucks.supervisor import ConnectionPolicy
from devices.samples import SampleBlock
from devices.source import SourceState
from tests import puck_wire
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.source_reading import drain_until, n_samples
from tests.virtual_pucks import VirtualPuck

BACKEND = BleBackend(BleakScannerBumble, BleakClientBumble)
RETURN_DEADLINE_S = 5.0
_addresses = count(1)


@pytest.fixture(scope="module")
def hub() -> BleHub:
    return BleHub()


@pytest.fixture
def virtual(hub: BleHub) -> Iterator[Callable[..., VirtualPuck]]:
    made: list[VirtualPuck] = []

    def make(family: str, n: int = 150, **kw: object) -> VirtualPuck:
        accel, gyro = puck_wire.synthetic_signal(n)
        puck = VirtualPuck(family, f"C0:00:00:00:{next(_addresses):02X}:01", accel, gyro, **kw)  # type: ignore[arg-type]
        hub.run(puck.start(), timeout_s=10)
        made.append(puck)
        return puck

    yield make
    for puck in made:
        hub.run(puck.close(), timeout_s=10)


@pytest.mark.parametrize("family", ["microbit", "witmotion", "thingy", "openpuck"])
def test_each_family_is_recognised_configured_and_streams(
    hub: BleHub, virtual: Callable[..., VirtualPuck], family: str
) -> None:
    device = virtual(family, n=100)
    puck = BlePuck(device.address, backend=BACKEND, hub=hub)
    with puck:
        blocks = drain_until(puck, lambda b: n_samples(b) >= 100, deadline_s=10.0)
        assert puck.status.state is SourceState.STREAMING
    got = SampleBlock.concat(blocks)
    assert puck.profile is not None and puck.profile.protocol == family
    assert device.rate_hz == 50.0, "the host set the puck to 50 Hz"
    assert puck.info.rate_hz == 50.0 and puck.info.model == puck.profile.model
    assert len(got) == device.sent == 100
    tolerance = {"microbit": 1e-3, "witmotion": 1e-3, "thingy": 1e-3, "openpuck": 1e-3}[family]
    np.testing.assert_allclose(got.accel_g, device.accel[:100], atol=tolerance)
    assert np.all(np.diff(got.t_s) > 0)
    assert puck.battery_pct == 87 and puck.rssi_dbm is not None
    assert puck.bad_packets == 0 and not device.crashed


def test_microbit_period_is_written_then_read_back(
    hub: BleHub, virtual: Callable[..., VirtualPuck]
) -> None:
    device = virtual("microbit", n=30)
    with BlePuck(device.address, "microbit", backend=BACKEND, hub=hub) as puck:
        drain_until(puck, lambda b: n_samples(b) >= 5, deadline_s=10.0)
    assert device.writes == [b"\x14\x00"]  # 20 ms, never 0


def test_found_by_advertised_name(hub: BleHub, virtual: Callable[..., VirtualPuck]) -> None:
    device = virtual("openpuck", n=60, name="RepQuest Puck 7")
    with BlePuck("RepQuest Puck 7", backend=BACKEND, hub=hub) as puck:
        blocks = drain_until(puck, lambda b: n_samples(b) >= 10, deadline_s=10.0)
    assert n_samples(blocks) >= 10
    assert puck.address == device.address


def test_absent_puck_is_reported_with_a_typed_error(hub: BleHub) -> None:
    policy = ConnectionPolicy(scan_timeout_s=0.3)
    with BlePuck("C0:FF:FF:FF:FF:FF", backend=BACKEND, hub=hub, policy=policy) as puck:
        end_s = time.monotonic() + 5.0
        while puck.supervisor.last_error is None and time.monotonic() < end_s:
            time.sleep(0.05)
        assert puck.status.state is SourceState.CONNECTING
    assert isinstance(puck.supervisor.last_error, PuckNotFoundError)
    assert isinstance(puck.supervisor.last_error.__cause__, TimeoutError)


def test_walks_away_mid_stream_and_comes_back(
    hub: BleHub, virtual: Callable[..., VirtualPuck]
) -> None:
    device = virtual("witmotion", n=2000)
    puck = BlePuck(device.address, backend=BACKEND, hub=hub, label="blue puck")
    with puck:
        before = drain_until(puck, lambda b: n_samples(b) >= 25, deadline_s=10.0)
        hub.run(device.go_away(), timeout_s=5)
        drain_until(puck, lambda _: puck.status.state is SourceState.RECONNECTING, 5.0)
        away = puck.status
        time.sleep(1.0)
        hub.run(device.come_back(), timeout_s=5)
        after = drain_until(puck, lambda b: n_samples(b) >= 10, deadline_s=RETURN_DEADLINE_S)
        back = puck.status.state
    assert n_samples(before) >= 25
    assert away.state is SourceState.RECONNECTING
    assert away.message == "The blue puck stopped talking. Bring it closer — reconnecting…"
    assert n_samples(after) >= 10, "no samples within 5 s of the puck coming back"
    assert back is SourceState.STREAMING
    assert puck.connections == 2
    t = SampleBlock.concat(before + after).t_s
    assert np.all(np.diff(t) > 0) and np.max(np.diff(t)) > 0.5
