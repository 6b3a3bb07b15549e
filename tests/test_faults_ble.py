"""Device faults on a BLE puck (bumble virtual puck, through bleak's public API), played through
the real game: the puck walking out of range mid-set and coming back, and a puck that stays
connected but falls silent. The game pauses with a plain message, resumes by itself, and the
count is exactly the reps made."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator

import pytest

from devices.pucks.ble_hub import BleHub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.supervisor import DEFAULT_POLICY
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.fault_helpers import PLAYING, SPEED, FastClock, GameRun, play_game, rep_signal
from tests.virtual_pucks import VirtualPuck

BACKEND = BleBackend(BleakScannerBumble, BleakClientBumble)
REPS = 3
CONNECTING = "Connecting to the green puck…"
WAITING = "The green puck stopped talking. Bring it closer — waiting…"
RECONNECTING = "The green puck stopped talking. Bring it closer — reconnecting…"

Fault = Callable[["FaultyPuck"], Awaitable[None]]


class FaultyPuck(VirtualPuck):
    """A virtual open puck that sends `SPEED` times faster than its own clock says (the host's
    clock is scaled the same way) and runs `faults[i]` before notifying sample i."""

    faults: dict[int, Fault]

    async def _stream(self) -> None:
        next_s = time.monotonic()
        while self.sent < len(self.accel):
            fault = self.faults.pop(self.sent, None)
            if fault is not None:
                await fault(self)
                next_s = time.monotonic()
            next_s = max(next_s + 1.0 / (self.rate_hz * SPEED), time.monotonic() - 0.1)
            await asyncio.sleep(max(0.0, next_s - time.monotonic()))
            assert self.device is not None and self._data is not None
            if self.subscribed and self.device.connections:
                await self.device.notify_subscribers(self._data, self._payload(self.sent))
                self.sent += 1


@pytest.fixture(scope="module")
def hub() -> BleHub:
    return BleHub()


@pytest.fixture
def faulty(hub: BleHub) -> Iterator[Callable[[str, dict[int, Fault]], FaultyPuck]]:
    made: list[FaultyPuck] = []

    def make(address: str, faults: dict[int, Fault]) -> FaultyPuck:
        signal = rep_signal(REPS)
        puck = FaultyPuck("openpuck", address, signal.accel_g, signal.gyro_dps)
        puck.faults = faults
        hub.run(puck.start(), timeout_s=10)
        made.append(puck)
        return puck

    yield make
    for puck in made:
        hub.run(puck.close(), timeout_s=10)


def until_sent(device: VirtualPuck) -> Callable[[GameRun], bool]:
    finished_at: list[float] = []

    def done(_run: GameRun) -> bool:
        if device.sent >= len(device.accel) and not finished_at:
            finished_at.append(time.monotonic())
        return bool(finished_at) and time.monotonic() - finished_at[0] > 0.4

    return done


def test_walks_out_of_range_mid_set_and_comes_back(
    hub: BleHub, faulty: Callable[[str, dict[int, Fault]], FaultyPuck]
) -> None:
    async def walk_away(puck: FaultyPuck) -> None:
        await puck.go_away()
        await asyncio.sleep(FastClock().wall_s(3.0))
        await puck.come_back()  # samples wait until the host has reconnected and subscribed

    at = rep_signal(REPS).rest_before_rep(1)
    device = faulty("C0:00:00:00:F1:01", {at: walk_away})
    clock = FastClock()
    puck = BlePuck(device.address, backend=BACKEND, hub=hub, label="green puck", time_func=clock)
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [PLAYING, RECONNECTING, PLAYING]
    assert puck.connections == 2
    assert run.reps == REPS


def test_connected_but_silent(
    hub: BleHub, faulty: Callable[[str, dict[int, Fault]], FaultyPuck]
) -> None:
    silent_s = (DEFAULT_POLICY.stall_after_s + DEFAULT_POLICY.reconnect_after_s) / 2

    async def fall_silent(_puck: FaultyPuck) -> None:  # the link stays up; nothing is sent
        await asyncio.sleep(FastClock().wall_s(silent_s))

    at = rep_signal(REPS).rest_before_rep(1)
    device = faulty("C0:00:00:00:F2:01", {at: fall_silent})
    clock = FastClock()
    puck = BlePuck(device.address, backend=BACKEND, hub=hub, label="green puck", time_func=clock)
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [PLAYING, WAITING, PLAYING]
    assert puck.connections == 1, "a short silence is waited out, not reconnected"
    assert run.reps == REPS
