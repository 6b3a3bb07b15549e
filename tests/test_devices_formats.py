"""Pure decoders and framers on byte fixtures, plus hypothesis: noise never raises, frames mixed
with noise are all recovered, sync bytes inside data never split a frame, bad frames are counted."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.pucks import formats, openpuck
from devices.pucks.framers import AutoFramer, CsvLineFramer, WitSerialFramer
from devices.pucks.openpuck import OpenPuckFramer
from devices.pucks.reading import Reading
from tests import puck_wire

FLAT = np.array([0.0, 0.0, 1.0])


def test_microbit_fixture_face_up_reads_plus_one_g() -> None:
    # the micro:bit lying face up: x 0, y 0, z -1024 mg in its own axes
    r = formats.decode_microbit(bytes.fromhex("0000 0000 00fc"))
    assert r is not None
    np.testing.assert_allclose(r.accel_g[0], [0, 0, 1.024])
    assert formats.decode_microbit(b"\x00" * 5) is None


def test_microbit_period_is_never_zero() -> None:
    assert formats.microbit_period_bytes(20) == b"\x14\x00"
    with pytest.raises(ValueError, match="crashes"):
        formats.microbit_period_bytes(0)


def test_witmotion_ble_fixture() -> None:
    # AccZ = 0x0800 = 2048 → 2048/32768*16 = 1 g; GyroX = 0x0400 → 62.5 deg/s
    frame = bytes.fromhex("5561 0000 0000 0008 0004 0000 0000 0000 0000 0000")
    r = formats.decode_witmotion_ble(frame)
    assert r is not None and r.gyro_dps is not None
    np.testing.assert_allclose(r.accel_g[0], [0, 0, 1])
    np.testing.assert_allclose(r.gyro_dps[0], [62.5, 0, 0])
    two = formats.decode_witmotion_ble(frame + frame)
    assert two is not None and len(two) == 2
    assert formats.decode_witmotion_ble(b"\x55\x71" + frame[2:]) is None  # a register reply
    assert formats.decode_witmotion_ble(frame[:19]) is None


def test_thingy_fixture() -> None:
    # accel z 1024 (6Q10) = 1 g; gyro x -64 (11Q5) = -2 deg/s
    r = formats.decode_thingy_raw(bytes.fromhex("0000 0000 0004 c0ff 0000 0000 0a00 0000 0000"))
    assert r is not None and r.gyro_dps is not None
    np.testing.assert_allclose(r.accel_g[0], [0, 0, 1])
    np.testing.assert_allclose(r.gyro_dps[0], [-2, 0, 0])
    assert formats.thingy_config_bytes(50) == bytes.fromhex("6400 f401 6400 3200 01")


def test_witmotion_commands() -> None:
    assert formats.witmotion_rate_command(50) == bytes.fromhex("ffaa030800")
    with pytest.raises(ValueError):
        formats.witmotion_rate_command(33)


def test_witmotion_serial_fixture_from_the_datasheet_layout() -> None:
    frame = puck_wire.wit_frame(0x51, (0, 0, 2048, 2500))
    assert frame.hex() == "5551" + "0000" + "0000" + "0008" + "c409" + "7b"
    framer = WitSerialFramer()
    out = framer.feed(frame + puck_wire.wit_frame(0x52, (0, 1024, 0, 0)))
    assert len(out) == 1 and out[0].gyro_dps is not None
    np.testing.assert_allclose(out[0].accel_g[0], [0, 0, 1])
    np.testing.assert_allclose(out[0].gyro_dps[0], [0, 62.5, 0])


def test_witmotion_without_gyro_emits_accel_alone() -> None:
    framer = WitSerialFramer()
    frames = [puck_wire.wit_frame(0x51, (0, 0, 2048 + i, 0)) for i in range(3)]
    out = framer.feed(b"".join(frames))
    assert len(out) == 2 and all(r.gyro_dps is None for r in out)  # the third waits for a fourth


def test_witmotion_bad_checksum_is_dropped_and_counted() -> None:
    good = puck_wire.witmotion_serial(FLAT, FLAT)
    bad = bytearray(good)
    bad[10] ^= 0xFF
    framer = WitSerialFramer()
    out = framer.feed(bytes(bad) + good)
    assert len(out) == 1
    assert framer.stats.bad_frames >= 1


def test_csv_lines_header_and_junk() -> None:
    framer = CsvLineFramer()
    out = framer.feed(b"aX,aY,aZ,gX,gY,gZ\r\n0.1,0.2,0.9,1,2,3\r\nhello\n1,2\n0,0,1\n")
    assert [len(r) for r in out] == [1, 1]
    assert out[0].gyro_dps is not None and out[1].gyro_dps is None
    np.testing.assert_allclose(out[0].accel_g[0], [0.1, 0.2, 0.9])
    assert framer.stats.bad_frames == 1  # "1,2"; "hello" reads as a header


def test_openpuck_round_trip_with_gyro_and_sequence() -> None:
    accel = np.array([[0.0, 0.5, 1.0], [0.1, -0.25, 0.98]])
    gyro = np.array([[10.5, -3.2, 0.0], [0.0, 0.0, 250.0]])
    payload = openpuck.encode_packet(7, 123456, 10000, accel, gyro, battery_pct=80)
    assert len(payload) == 12 + 2 * 12
    r = openpuck.decode_packet(payload)
    assert r is not None and r.gyro_dps is not None
    assert (r.seq, r.device_t_s, r.dt_s) == (7, 123.456, 0.01)
    np.testing.assert_allclose(r.accel_g, accel, atol=1e-3)
    np.testing.assert_allclose(r.gyro_dps, gyro, atol=0.05)
    assert openpuck.battery_of(payload) == 80
    assert openpuck.decode_packet(payload[:-1]) is None


def test_crc_matches_the_published_check_value() -> None:
    assert openpuck.crc16_ccitt(b"123456789") == 0x29B1  # CRC-16/CCITT-FALSE check value


def test_auto_framer_recognises_each_protocol() -> None:
    accel, gyro = puck_wire.synthetic_signal(20)
    for protocol in ("witmotion", "csv", "openpuck"):
        framer = AutoFramer()
        stream = b"".join(puck_wire.serial_stream(protocol, accel, gyro, 50.0))
        out = [r for i in range(0, len(stream), 7) for r in framer.feed(stream[i : i + 7])]
        assert framer.protocol == protocol
        assert sum(len(r) for r in out) >= 19


# --- hypothesis ---------------------------------------------------------------------------------

SERIAL_FRAMERS = {"witmotion": WitSerialFramer, "csv": CsvLineFramer, "openpuck": OpenPuckFramer}
BLE_DECODERS = [formats.decode_microbit, formats.decode_witmotion_ble, formats.decode_thingy_raw]

g_values = st.floats(-15.9, 15.9, allow_nan=False)
dps_values = st.floats(-1990, 1990, allow_nan=False)
samples = st.tuples(
    st.tuples(g_values, g_values, g_values), st.tuples(dps_values, *[dps_values] * 2)
)


@given(st.sampled_from(sorted(SERIAL_FRAMERS)), st.lists(st.binary(max_size=64), max_size=20))
def test_random_bytes_never_raise(protocol: str, chunks: list[bytes]) -> None:
    framer = SERIAL_FRAMERS[protocol]()
    for chunk in chunks:
        for r in framer.feed(chunk):
            assert np.all(np.isfinite(r.accel_g))
    auto = AutoFramer()
    for chunk in chunks:
        auto.feed(chunk)


@given(st.binary(max_size=300))
def test_random_notifications_never_raise(payload: bytes) -> None:
    for decode in [*BLE_DECODERS, openpuck.decode_packet]:
        decode(payload)


def encode(protocol: str, i: int, accel: np.ndarray, gyro: np.ndarray) -> bytes:
    if protocol == "witmotion":
        return puck_wire.witmotion_serial(accel, gyro)
    if protocol == "csv":
        return puck_wire.csv_line(accel, gyro)
    return puck_wire.openpuck_serial(i, i * 20, 20000, accel.reshape(1, 3), gyro.reshape(1, 3))


def garbage_for(protocol: str) -> st.SearchStrategy[bytes]:
    if protocol == "csv":  # a line is the frame: noise arrives as whole (bad) lines
        return st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"") + b"\n")
    # noise rich in sync bytes, so a false start inside it is tried and must be abandoned
    return st.lists(
        st.sampled_from([b"\x55", b"\x51", b"\x52", b"\xa5", b"\x5a", b"\x00"])
        | st.binary(max_size=3),
        max_size=12,
    ).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_valid_frames_mixed_with_garbage_are_all_recovered(data: st.DataObject) -> None:
    protocol = data.draw(st.sampled_from(sorted(SERIAL_FRAMERS)))
    sent = data.draw(st.lists(samples, min_size=1, max_size=12))
    stream = b""
    for i, (acc, gyr) in enumerate(sent):
        stream += data.draw(garbage_for(protocol)) + encode(
            protocol, i, np.array(acc), np.array(gyr)
        )
    stream += encode(protocol, len(sent), FLAT, FLAT)  # the last witmotion sample pairs late
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    framer = SERIAL_FRAMERS[protocol]()
    got: list[Reading] = []
    for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        got += framer.feed(stream[a:b])
    decoded = np.concatenate([r.accel_g for r in got])
    expected = np.array([acc for acc, _ in sent])
    tolerance = 2e-3 if protocol != "witmotion" else 16 / 32768
    matches = [bool(np.any(np.all(np.abs(decoded - e) <= tolerance, axis=1))) for e in expected]
    assert all(matches), f"{protocol}: lost frames {matches}"
    if protocol != "csv":  # checked frames: noise never decodes into a sample
        assert len(decoded) >= len(sent)


@settings(max_examples=100, deadline=None)
@given(st.lists(samples, min_size=1, max_size=8))
def test_sync_bytes_inside_data_never_split_a_frame(sent: list) -> None:
    """Values chosen so the payload bytes are 0x55 / 0xA5 0x5A: a naive splitter would cut there."""
    sync_g = 0x5555 * 16 / 32768  # int16 0x5555 in WitMotion scale
    framer, wit = OpenPuckFramer(), WitSerialFramer()
    stream_o, stream_w = b"", b""
    for i, (acc, gyr) in enumerate(sent):
        acc_o = np.array([23.130 if i % 2 else acc[0], acc[1], acc[2]])  # 23130 = 0x5A5A
        stream_o += encode("openpuck", i, np.clip(acc_o, -30, 30), np.array(gyr))
        stream_w += encode("witmotion", i, np.array([sync_g, sync_g, acc[2]]), np.array(gyr))
    stream_w += encode("witmotion", len(sent), FLAT, FLAT)
    assert sum(len(r) for r in framer.feed(stream_o)) == len(sent)
    assert framer.stats.bad_frames == 0
    assert sum(len(r) for r in wit.feed(stream_w)) == len(sent) + 1  # + the closing sample
    assert wit.stats.bad_frames == 0


@given(st.lists(samples, min_size=1, max_size=5), st.integers(0, 10))
def test_corrupted_frames_are_dropped_and_counted(sent: list, flip_at: int) -> None:
    stream = b"".join(
        encode("openpuck", i, np.array(a), np.array(g)) for i, (a, g) in enumerate(sent)
    )
    corrupt = bytearray(stream)
    corrupt[min(flip_at + 3, len(corrupt) - 1)] ^= 0x10  # inside the first frame's body
    framer = OpenPuckFramer()
    got = framer.feed(bytes(corrupt))
    assert len(got) == len(sent) - 1
    assert framer.stats.bad_frames >= 1
