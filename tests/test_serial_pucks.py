"""Serial pucks over real pseudo-terminals written at the device's rate: every protocol, auto
detection, unplugging and plugging back mid-stream, and a session whose count survives a drop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from devices.pucks.serial_puck import SerialPuck
from devices.samples import SampleBlock
from devices.source import SourceState
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from exercises.session_plan import SetPlan
from exercises.session_runner import HeadlessSession
from tests import puck_wire
from tests.pty_puck import PtyPuck, close_all
from tests.source_reading import drain_until, n_samples

RATE_HZ = 50.0
RETURN_DEADLINE_S = 5.0  # the bound: back within 5 s of the device returning


@pytest.fixture(autouse=True)
def _close_ptys() -> Iterator[None]:
    yield
    close_all()


@pytest.mark.parametrize(
    ("protocol", "spec_protocol", "baud"),
    [
        ("witmotion", "witmotion", 115200),
        ("witmotion", "witmotion", 9600),
        ("csv", "csv", 9600),
        ("openpuck", "openpuck", 115200),
        ("openpuck", None, None),  # detected from the bytes
        ("witmotion", None, None),
    ],
)
def test_every_sample_arrives_in_order(
    tmp_path: Path, protocol: str, spec_protocol: str | None, baud: int | None
) -> None:
    n = 100  # two seconds at 50 Hz
    accel, gyro = puck_wire.synthetic_signal(n, RATE_HZ)
    device = PtyPuck(
        tmp_path / "ttyPUCK", puck_wire.serial_stream(protocol, accel, gyro, RATE_HZ), RATE_HZ
    )
    puck = SerialPuck(str(device.path), baud=baud, protocol=spec_protocol, rate_hz=RATE_HZ)
    with puck:
        blocks = drain_until(puck, lambda b: n_samples(b) >= n, deadline_s=10.0)
        assert puck.status.state is SourceState.STREAMING
    assert puck.protocol == protocol
    got = SampleBlock.concat(blocks)
    assert len(got) == n, "the pty keeps every byte, so every sample must arrive"
    tolerance = 2e-3 if protocol != "witmotion" else 1e-3
    np.testing.assert_allclose(got.accel_g, accel, atol=tolerance)
    assert got.gyro_dps is not None
    assert np.all(np.diff(got.t_s) > 0)
    assert puck.status.state is SourceState.STOPPED


def test_unplug_and_plug_back_reconnects_and_keeps_streaming(tmp_path: Path) -> None:
    accel, gyro = puck_wire.synthetic_signal(2000, RATE_HZ)
    device = PtyPuck(
        tmp_path / "ttyUSB0", puck_wire.serial_stream("witmotion", accel, gyro, RATE_HZ), RATE_HZ
    )
    puck = SerialPuck(str(device.path), protocol="witmotion", label="blue puck")
    states: list[SourceState] = []
    with puck:
        before = drain_until(puck, lambda b: n_samples(b) >= 25, deadline_s=5.0)
        assert n_samples(before) >= 25
        device.unplug()
        drain_until(puck, lambda _: puck.status.state is SourceState.RECONNECTING, 5.0)
        states.append(puck.status.state)
        message = puck.status.message
        time.sleep(0.5)  # the device stays away a while
        device.plug()
        after = drain_until(puck, lambda b: n_samples(b) >= 10, deadline_s=RETURN_DEADLINE_S)
        states.append(puck.status.state)
    assert states == [SourceState.RECONNECTING, SourceState.STREAMING]
    assert message == "The blue puck stopped talking. Bring it closer — reconnecting…"
    assert n_samples(after) >= 10, "no samples within 5 s of the device coming back"
    assert puck.opens == 2
    t = SampleBlock.concat(before + after).t_s
    assert np.all(np.diff(t) > 0)
    assert np.max(np.diff(t)) > 0.4, "the drop shows as a gap in t_s"


def test_silent_port_says_what_to_check(tmp_path: Path) -> None:
    noise = iter([b"\x13\x37\xfe" * 3] * 10_000)  # bytes that are no puck protocol
    device = PtyPuck(tmp_path / "ttyUSB1", noise, 100.0)
    fast = SerialPuck(str(device.path), baud=9600, protocol="witmotion")
    fast.supervisor.policy = type(fast.supervisor.policy)(reconnect_after_s=0.5)
    with fast:
        drain_until(fast, lambda _: bool(fast.supervisor.hint), deadline_s=5.0)
        assert fast.status.state is SourceState.CONNECTING
        message = fast.status.message
    assert f"No data from {device.path} at 9600 baud — is it a WitMotion at 115200?" in message


def test_headless_session_count_is_unchanged_by_a_drop(spar_dir: Path, tmp_path: Path) -> None:
    accel, gyro = puck_wire.spar_signal()
    accel, gyro = accel[:600], gyro[:600]  # 12 s of real shoulder abductions
    exercise = get_exercise("auto")
    t_s = np.arange(len(accel)) / RATE_HZ
    offline = RepDetector(exercise, rate_hz=RATE_HZ).update(SampleBlock("x", t_s, accel, gyro))
    assert len(offline) >= 3
    device = PtyPuck(
        tmp_path / "ttyACM0", puck_wire.serial_stream("openpuck", accel, gyro, RATE_HZ), RATE_HZ
    )
    puck = SerialPuck(str(device.path), protocol="openpuck", rate_hz=RATE_HZ)
    reps: list[float] = []

    def unplug_midway() -> None:
        time.sleep(5.0)
        device.unplug()
        time.sleep(1.0)
        device.plug()

    import threading

    threading.Thread(target=unplug_midway, daemon=True).start()
    plan = SetPlan(exercise.id, reps_per_set=len(offline), sets=1, rest_s=1.0)
    session = HeadlessSession(
        puck, exercise, plan, max_wall_s=25.0, on_rep=lambda e, o, p: reps.append(e.t_end_s)
    )
    summary = session.run()
    assert puck.opens == 2, "the drop happened and the port was reopened"
    assert summary["reps"] == len(offline)
    assert summary["stopped_by"] == "plan done"


def test_a_puck_streaming_off_its_nominal_rate_is_measured_and_stamped_at_it(
    tmp_path: Path,
) -> None:
    """A WitMotion still at its factory 10 Hz, opened as the protocol's nominal 50 Hz: the puck
    measures the rate from what arrives, stamps samples 0.1 s apart, and says it is off."""
    real_hz, n = 10.0, 50
    accel, gyro = puck_wire.synthetic_signal(n, real_hz)
    device = PtyPuck(
        tmp_path / "ttyPUCK", puck_wire.serial_stream("witmotion", accel, gyro, real_hz), real_hz
    )
    puck = SerialPuck(str(device.path), protocol="witmotion", rate_hz=RATE_HZ)
    with puck:
        blocks = drain_until(puck, lambda b: n_samples(b) >= n, deadline_s=15.0)
        measured = puck.measured_rate_hz
        assert puck.rate_off_nominal
    assert measured is not None and abs(measured - real_hz) < 1.5, measured
    late = SampleBlock.concat(blocks).t_s[-20:]  # after the first seconds' measurement
    assert abs(float(np.median(np.diff(late))) - 1 / real_hz) < 0.02
