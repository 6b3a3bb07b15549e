"""Test-side encoders: what each real device puts on the wire, for fixtures, ptys and bumble.

They are written from ../shared/PROTOCOLS.md independently of the decoders in devices/pucks, so a
round trip checks the decoder against the published layout, not against itself.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import numpy as np

from devices.pucks import openpuck
from devices.recording import read_recording
from tests.conftest import SPAR_DIR


def clip16(value: float) -> int:
    return max(-32768, min(32767, round(value)))


def microbit(accel_g: np.ndarray) -> bytes:
    x, y, z = accel_g
    # the micro:bit's own axes: y and z flipped relative to the puck frame
    return struct.pack("<hhh", clip16(x * 1000), clip16(-y * 1000), clip16(-z * 1000))


def witmotion_ble(accel_g: np.ndarray, gyro_dps: np.ndarray) -> bytes:
    acc = [clip16(a * 32768 / 16) for a in accel_g]
    gyr = [clip16(g * 32768 / 2000) for g in gyro_dps]
    return b"\x55\x61" + struct.pack("<9h", *acc, *gyr, 0, 0, 0)


def thingy_raw(accel_g: np.ndarray, gyro_dps: np.ndarray) -> bytes:
    acc = [clip16(a * 1024) for a in accel_g]
    gyr = [clip16(g * 32) for g in gyro_dps]
    return struct.pack("<9h", *acc, *gyr, 10, -20, 30)


def wit_frame(kind: int, values: tuple[int, int, int, int]) -> bytes:
    body = bytes([0x55, kind]) + struct.pack("<4h", *values)
    return body + bytes([sum(body) & 0xFF])


def witmotion_serial(accel_g: np.ndarray, gyro_dps: np.ndarray | None) -> bytes:
    """One output cycle: accel, gyro (if any), angle frames, as a WT901 sends them."""
    out = wit_frame(0x51, (*[clip16(a * 32768 / 16) for a in accel_g], 2500))  # type: ignore[arg-type]
    if gyro_dps is not None:
        out += wit_frame(0x52, (*[clip16(g * 32768 / 2000) for g in gyro_dps], 2500))  # type: ignore[arg-type]
    return out + wit_frame(0x53, (100, -200, 300, 0))


def csv_line(accel_g: np.ndarray, gyro_dps: np.ndarray | None) -> bytes:
    values = list(accel_g) + ([] if gyro_dps is None else list(gyro_dps))
    return (",".join(f"{v:.3f}" for v in values) + "\r\n").encode()


def openpuck_serial(seq: int, t_ms: int, dt_us: int, accel_g: np.ndarray, gyro: object) -> bytes:
    payload = openpuck.encode_packet(seq, t_ms, dt_us, accel_g, gyro)  # type: ignore[arg-type]
    return openpuck.frame_serial(payload)


def spar_signal(name: str = "S1_ABD_L.csv") -> tuple[np.ndarray, np.ndarray]:
    """A real rep signal (accel g, gyro deg/s) to push through a device's bytes."""
    block = read_recording(SPAR_DIR / name).block
    assert block.gyro_dps is not None
    return block.accel_g.astype(np.float64), block.gyro_dps.astype(np.float64)


def synthetic_signal(n: int, rate_hz: float = 50.0) -> tuple[np.ndarray, np.ndarray]:
    """A slow tilt with every sample distinct, for counting samples end to end."""
    t = np.arange(n) / rate_hz
    angle = 0.6 * np.sin(2 * np.pi * 0.4 * t)
    accel = np.stack([np.sin(angle), 0.001 * (np.arange(n) % 500), np.cos(angle)], axis=1)
    gyro = np.stack([np.gradient(np.degrees(angle), t), np.zeros(n), np.zeros(n)], axis=1)
    return accel, gyro


def serial_stream(
    protocol: str, accel: np.ndarray, gyro: np.ndarray, rate_hz: float
) -> Iterator[bytes]:
    """The bytes one sample at a time, as a puck speaking `protocol` sends them."""
    dt_us = round(1e6 / rate_hz)
    for i in range(len(accel)):
        if protocol == "witmotion":
            yield witmotion_serial(accel[i], gyro[i])
        elif protocol == "csv":
            yield csv_line(accel[i], gyro[i])
        else:
            yield openpuck_serial(i, i * dt_us // 1000, dt_us, accel[i : i + 1], gyro[i : i + 1])
