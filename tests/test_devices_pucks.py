"""Device strings, the supervisor's states and words, timestamps, remembered pucks, scanning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from devices.clock import ManualClock
from devices.device_string import DeviceError, open_source
from devices.pucks.ble_hub import BleHub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.memory import RememberedPuck, load_pucks, memory_path, remember
from devices.pucks.reading import Reading
from devices.pucks.scan import FoundPuck, scan_ble
from devices.pucks.serial_puck import SerialPuck
from devices.pucks.spec import parse_ble, parse_serial
from devices.pucks.supervisor import ConnectionPolicy, Supervisor
from devices.pucks.timing import Timestamper
from devices.source import SourceState
from tests import puck_wire
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.conftest import REPO_ROOT
from tests.virtual_pucks import VirtualPuck


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("/dev/ttyUSB0", ("/dev/ttyUSB0", None, None)),
        ("/dev/ttyUSB0@9600", ("/dev/ttyUSB0", 9600, None)),
        ("/dev/ttyUSB0@115200:witmotion", ("/dev/ttyUSB0", 115200, "witmotion")),
        ("COM3:csv", ("COM3", None, "csv")),
        ("socket://localhost:7777:openpuck", ("socket://localhost:7777", None, "openpuck")),
    ],
)
def test_serial_strings(rest: str, expected: tuple[str, int | None, str | None]) -> None:
    assert parse_serial(rest) == expected


def test_ble_strings_keep_the_colons_of_an_address() -> None:
    assert parse_ble("C1:2F:45:67:89:9A") == ("C1:2F:45:67:89:9A", None)
    assert parse_ble("C1:2F:45:67:89:9A:microbit") == ("C1:2F:45:67:89:9A", "microbit")
    assert parse_ble("BBC micro:bit [tuvez]") == ("BBC micro:bit [tuvez]", None)


def test_device_strings_build_puck_sources_and_explain_mistakes(tmp_path: Path) -> None:
    port = tmp_path / "ttyFAKE"
    port.touch()
    source = open_source(f"serial:{port}@9600:witmotion")
    assert isinstance(source, SerialPuck) and source.info.kind == "serial"
    assert source.baud == 9600 and source.protocol == "witmotion"
    ble = open_source("ble:C1:2F:45:67:89:9A:thingy")
    assert isinstance(ble, BlePuck) and ble.info.model == "Nordic Thingy:52"
    with pytest.raises(DeviceError, match="No serial port /dev/ttyNOPE — is the puck plugged in"):
        open_source("serial:/dev/ttyNOPE")
    with pytest.raises(DeviceError, match="baud 'fast' is not a number"):
        open_source(f"serial:{port}@fast")
    with pytest.raises(DeviceError, match=r"main\.py scan"):
        open_source("ble:")


def test_supervisor_walks_the_states_with_patient_words(clock: ManualClock) -> None:
    sup = Supervisor("blue puck", ConnectionPolicy(), clock)
    assert sup.status().state is SourceState.CONNECTING
    sup.connected()
    sup.on_samples()
    assert sup.status().state is SourceState.STREAMING
    clock.advance(2.5)
    assert sup.status().state is SourceState.STALLED
    assert sup.status().message == "The blue puck stopped talking. Bring it closer — waiting…"
    assert not sup.should_reconnect()
    clock.advance(2.0)
    assert sup.should_reconnect()
    sup.on_link_down(RuntimeError("gone"))
    assert sup.status().state is SourceState.RECONNECTING
    clock.advance(31.0)
    status = sup.status()
    assert status.state is SourceState.LOST
    assert "Is it switched on and charged?" in status.message
    sup.connected()
    sup.on_samples()
    assert sup.status().state is SourceState.STREAMING and sup.attempts == 0
    assert ConnectionPolicy().backoff(0) == 0.2 and ConnectionPolicy().backoff(9) == 1.0


def test_timestamps_space_by_device_period_and_show_losses() -> None:
    stamper = Timestamper("p", 50.0)
    one = np.zeros((2, 3))
    a = stamper.stamp(Reading(one, seq=1, dt_s=0.02), arrival_s=100.0)
    np.testing.assert_allclose(a.t_s, [99.98, 100.0])
    b = stamper.stamp(Reading(one, seq=2, dt_s=0.02), arrival_s=100.05)  # jitter: continue line
    np.testing.assert_allclose(b.t_s, [100.02, 100.04])
    c = stamper.stamp(Reading(one, seq=4, dt_s=0.02), arrival_s=100.13)  # packet 3 lost
    np.testing.assert_allclose(c.t_s, [100.10, 100.12])
    assert stamper.lost_samples == 2
    d = stamper.stamp(Reading(one, seq=5, dt_s=0.02), arrival_s=105.0)  # a silence: re-anchor
    np.testing.assert_allclose(d.t_s, [104.98, 105.0])


def test_remembered_pucks_round_trip(tmp_path: Path) -> None:
    assert load_pucks(tmp_path) == {}
    puck = RememberedPuck("ble:C1:2F:45:67:89:9A:microbit", "BBC micro:bit", "BBC micro:bit [x]")
    remember(tmp_path, "affected", puck)
    assert load_pucks(tmp_path) == {"affected": puck}
    memory_path(tmp_path).write_text("{not json", encoding="utf-8")
    assert load_pucks(tmp_path) == {}
    with pytest.raises(ValueError, match="role"):
        remember(tmp_path, "left foot", puck)


def test_play_uses_the_remembered_puck(tmp_path: Path) -> None:
    remember(tmp_path, "affected", RememberedPuck("serial:/dev/ttyNOPE", "m", "n"))
    done = subprocess.run(
        [sys.executable, "main.py", "play", "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "No serial port /dev/ttyNOPE" in done.stderr


def test_scan_recognises_virtual_pucks_by_service_and_name() -> None:
    hub = BleHub()
    accel, gyro = puck_wire.synthetic_signal(10)
    pucks = [
        VirtualPuck("openpuck", "C0:00:00:5C:A7:01", accel, gyro),
        VirtualPuck("microbit", "C0:00:00:5C:A7:02", accel, gyro),
    ]
    for p in pucks:
        hub.run(p.start(), timeout_s=10)
    try:
        backend = BleBackend(BleakScannerBumble, BleakClientBumble)
        found = hub.run(scan_ble(1.0, backend), timeout_s=10)
    finally:
        for p in pucks:
            hub.run(p.close(), timeout_s=10)
    devices = {f.device: f for f in found}
    assert "ble:C0:00:00:5C:A7:01:openpuck" in devices
    assert devices["ble:C0:00:00:5C:A7:02:microbit"].model == "BBC micro:bit"
    assert all(isinstance(f, FoundPuck) and f.rssi_dbm is not None for f in found)


def test_scan_command_lists_and_says_when_bluetooth_is_missing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "scan", "--seconds", "0.5", "--json",
         "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert isinstance(out["pucks"], list)
    assert out["ble_problem"] is None or "Bluetooth is not available" in out["ble_problem"]
