"""The issue's "60 s with no lost samples" check, per puck family, over real ptys and bumble.

    python tools/stream_check.py [--seconds 60] [--trials 5]

All families stream at once (serial: witmotion, csv, openpuck over pty pairs; BLE: micro:bit,
WitMotion, Thingy, open puck over bumble virtual pucks through bleak). Then each of one serial and
one BLE puck is dropped and brought back `--trials` times: the figure is the time from the device
returning to its first sample arriving. Dev-only (imports the test emulators); prints a table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.pucks.ble_hub import BleHub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.puck_source import PuckSource
from devices.pucks.serial_puck import SerialPuck
from tests import puck_wire
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.pty_puck import PtyPuck, close_all
from tests.virtual_pucks import VirtualPuck

RATE_HZ = 50.0
BACKEND = BleBackend(BleakScannerBumble, BleakClientBumble)


def drain(pucks: dict[str, PuckSource], counts: dict[str, int]) -> None:
    for name, puck in pucks.items():
        counts[name] += sum(len(b) for b in puck.read())


def stream_all(seconds: float, tmp: Path, hub: BleHub) -> None:
    n = int(seconds * RATE_HZ)
    accel, gyro = puck_wire.synthetic_signal(n, RATE_HZ)
    pucks: dict[str, PuckSource] = {}
    sent: dict[str, object] = {}
    for protocol in ("witmotion", "csv", "openpuck"):
        device = PtyPuck(
            tmp / f"tty-{protocol}",
            puck_wire.serial_stream(protocol, accel, gyro, RATE_HZ),
            RATE_HZ,
            autostart=False,
        )
        pucks[f"serial {protocol}"] = SerialPuck(
            str(device.path), protocol=protocol, rate_hz=RATE_HZ
        )
        sent[f"serial {protocol}"] = device
    for i, family in enumerate(("microbit", "witmotion", "thingy", "openpuck")):
        vp = VirtualPuck(family, f"C0:00:00:00:5E:{i + 1:02X}", accel, gyro)
        hub.run(vp.start(), timeout_s=10)
        pucks[f"ble {family}"] = BlePuck(vp.address, backend=BACKEND, hub=hub)
        sent[f"ble {family}"] = vp
    counts = dict.fromkeys(pucks, 0)
    for puck in pucks.values():
        puck.start()
    time.sleep(1.0)  # every serial port open before its device starts sending
    for device in sent.values():
        if isinstance(device, PtyPuck):
            device.start_writing()
    end_s = time.monotonic() + seconds + 15.0
    while time.monotonic() < end_s and any(c < n for c in counts.values()):
        drain(pucks, counts)
        time.sleep(0.05)
    time.sleep(0.5)
    drain(pucks, counts)
    print(f"{'family':18} {'expected':>8} {'sent':>6} {'received':>8} {'seq-lost':>8}")
    for name, puck in pucks.items():
        puck.stop()
        device = sent[name]
        print(
            f"{name:18} {n:8d} {device.sent:6d} {counts[name]:8d} {puck.lost_samples:8d}"  # type: ignore[attr-defined]
        )
    for device in sent.values():
        if isinstance(device, VirtualPuck):
            hub.run(device.close(), timeout_s=10)
    close_all()


def first_sample_after(puck: PuckSource, since_s: float, limit_s: float = 15.0) -> float:
    puck.read()
    end_s = time.monotonic() + limit_s
    while time.monotonic() < end_s:
        if puck.read():
            return time.monotonic() - since_s
        time.sleep(0.005)
    return float("inf")


def reconnects(trials: int, tmp: Path, hub: BleHub) -> None:
    accel, gyro = puck_wire.synthetic_signal(100_000, RATE_HZ)
    device = PtyPuck(
        tmp / "tty-drop", puck_wire.serial_stream("witmotion", accel, gyro, RATE_HZ), RATE_HZ
    )
    vp = VirtualPuck("openpuck", "C0:00:00:00:5E:AA", accel, gyro)
    hub.run(vp.start(), timeout_s=10)
    serial_puck = SerialPuck(str(device.path), protocol="witmotion")
    ble_puck = BlePuck(vp.address, backend=BACKEND, hub=hub)
    results: dict[str, list[float]] = {"serial (reopen)": [], "ble (rescan + connect)": []}
    with serial_puck, ble_puck:
        first_sample_after(serial_puck, time.monotonic())
        first_sample_after(ble_puck, time.monotonic())
        for _ in range(trials):
            device.unplug()
            time.sleep(2.0)
            device.plug()
            results["serial (reopen)"].append(first_sample_after(serial_puck, time.monotonic()))
            hub.run(vp.go_away(), timeout_s=5)
            time.sleep(2.0)
            hub.run(vp.come_back(), timeout_s=5)
            results["ble (rescan + connect)"].append(first_sample_after(ble_puck, time.monotonic()))
    hub.run(vp.close(), timeout_s=10)
    close_all()
    print(f"\n{'reconnect after the device returns':34} {'mean s':>7} {'max s':>7}  trials")
    for name, values in results.items():
        print(f"{name:34} {sum(values) / len(values):7.2f} {max(values):7.2f}  {len(values)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    hub = BleHub()
    with tempfile.TemporaryDirectory() as tmp:
        stream_all(args.seconds, Path(tmp), hub)
        reconnects(args.trials, Path(tmp), hub)
    return 0


if __name__ == "__main__":
    sys.exit(main())
