"""One contract every Source honours, run against every Source kind (river's `checks/` idea)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from devices.clock import ManualClock
from devices.device_string import DeviceError, open_source
from devices.keyboard_sim import KeyboardSimulator
from devices.pucks.ble_hub import BleHub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.serial_puck import SerialPuck
from devices.replay import ReplaySource
from devices.samples import SampleBlock
from devices.source import Source, SourceState
from tests import puck_wire
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.pty_puck import PtyPuck
from tests.pty_puck import close_all as close_ptys
from tests.virtual_pucks import VirtualPuck


def make_recording(tmp_path: Path) -> Path:
    path = tmp_path / "contract.csv"
    rows = [f"{i * 0.02:.2f},0.01,0.02,{1 + 0.001 * i:.4f},0,0,0" for i in range(500)]
    path.write_text(
        "# puck=rec, rate_hz=50\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n" + "\n".join(rows),
        encoding="utf-8",
    )
    return path


REAL_IO_KINDS = ("serial", "ble")  # their bytes arrive in real time, whatever the clock says
_virtual_pucks: list[VirtualPuck] = []
_hub: list[BleHub] = []


def pty_puck(tmp: Path, clock: ManualClock) -> Source:
    accel, gyro = puck_wire.synthetic_signal(3000)
    stream = puck_wire.serial_stream("openpuck", accel, gyro, 50.0)
    device = PtyPuck(tmp / "ttyPUCK", stream, 50.0)
    return SerialPuck(str(device.path), protocol="openpuck", rate_hz=50.0, time_func=clock)


def bumble_puck(tmp: Path, clock: ManualClock) -> Source:
    if not _hub:
        _hub.append(BleHub())
    accel, gyro = puck_wire.synthetic_signal(3000)
    device = VirtualPuck(
        "witmotion", f"C0:00:00:CC:{len(_virtual_pucks) % 250:02X}:02", accel, gyro
    )
    _hub[0].run(device.start(), timeout_s=10)
    _virtual_pucks.append(device)
    backend = BleBackend(BleakScannerBumble, BleakClientBumble)
    return BlePuck(device.address, backend=backend, hub=_hub[0], time_func=clock)


def tick(source: Source, clock: ManualClock, dt_s: float) -> None:
    """Advance the test clock; a real-I/O source also needs that much real time to pass."""
    clock.advance(dt_s)
    if source.info.kind in REAL_IO_KINDS:
        time.sleep(dt_s)


SOURCES: dict[str, Callable[[Path, ManualClock], Source]] = {
    "keyboard": lambda tmp, clock: KeyboardSimulator(time_func=clock),
    "keyboard-two-pucks": lambda tmp, clock: KeyboardSimulator(second_puck=True, time_func=clock),
    "replay": lambda tmp, clock: ReplaySource(make_recording(tmp), time_func=clock),
    "replay-fast-loop": lambda tmp, clock: ReplaySource(
        make_recording(tmp), speed=7.5, loop=True, time_func=clock
    ),
    "serial-pty": pty_puck,
    "ble-bumble": bumble_puck,
}


@pytest.fixture(params=sorted(SOURCES))
def source(request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock) -> Iterator[Source]:
    made = SOURCES[request.param](tmp_path, clock)
    yield made
    made.stop()
    close_ptys()
    while _virtual_pucks:
        _hub[0].run(_virtual_pucks.pop().close(), timeout_s=10)


def test_info_describes_the_stream(source: Source) -> None:
    info = source.info
    assert info.kind in {"ble", "serial", "keyboard", "replay"}
    assert info.id and info.model
    assert info.rate_hz == pytest.approx(50.0, rel=0.01)
    assert info.channels[:3] == ("ax_g", "ay_g", "az_g")


def test_nothing_before_start_then_blocks_in_order(source: Source, clock: ManualClock) -> None:
    assert source.read() == []
    assert source.status.state is SourceState.CONNECTING
    source.start()
    source.start()  # a second start changes nothing
    blocks: list[SampleBlock] = []
    for _ in range(40):
        tick(source, clock, 0.05)
        got = source.read()
        assert isinstance(got, list)
        blocks += got
    assert blocks
    by_puck: dict[str, list[SampleBlock]] = {}
    for b in blocks:
        assert isinstance(b, SampleBlock)
        assert b.accel_g.shape == (len(b), 3)
        assert np.all(np.isfinite(b.accel_g))
        by_puck.setdefault(b.puck_id, []).append(b)
    assert source.info.id in by_puck
    for puck_blocks in by_puck.values():
        t = np.concatenate([b.t_s for b in puck_blocks])
        assert np.all(np.diff(t) > 0), "time must increase across reads"
        assert abs(t[0] - clock.now_s) < 3.0, "t_s is on the host monotonic clock"
    assert source.status.state is SourceState.STREAMING
    assert source.status.message


def test_stop_is_final_and_idempotent(source: Source, clock: ManualClock) -> None:
    with source:
        tick(source, clock, 0.5)
        assert source.read()
    assert source.status.state is SourceState.STOPPED
    assert source.finished
    source.stop()
    clock.advance(0.5)
    assert source.read() == []


@pytest.mark.parametrize(
    ("spec", "kind", "pucks"),
    [("keyboard", "keyboard", 1), ("keyboard:impaired:two", "keyboard", 2)],
)
def test_device_strings_build_sources(spec: str, kind: str, pucks: int) -> None:
    source = open_source(spec)
    assert source.info.kind == kind
    with source:
        time.sleep(0.05)
        assert len({b.puck_id for b in source.read()}) == pucks


def test_unknown_device_strings_say_what_works() -> None:
    with pytest.raises(DeviceError, match="keyboard option 'fast' is unknown"):
        open_source("keyboard:fast")
    with pytest.raises(DeviceError, match="unknown device 'usb'"):
        open_source("usb")
