"""Pure decoders for BLE notification payloads: one notification in, a `Reading` (or None) out.

Each BLE notification is its own frame, so these decoders never need to resynchronise: a payload
of the wrong size or with the wrong header is dropped (the caller counts it). Byte layouts and
scale factors are from ../shared/PROTOCOLS.md §1.1–1.3; axis maps turn each device's axes into
the puck frame (x right, y forward, z up out of the face, so face-up reads z = +1 g).
"""

from __future__ import annotations

import struct

import numpy as np

from devices.pucks.reading import Reading

# micro:bit reads z = -1 g lying face up (its z axis points into the board): turning 180° about
# x keeps the frame right-handed and puts +z out of the face. [derived; check with a capture]
MICROBIT_AXES = np.array([1.0, -1.0, -1.0])
MICROBIT_MG_PER_G = 1000.0

WIT_BLE_HEADER = b"\x55\x61"
WIT_BLE_FRAME_BYTES = 20
WIT_ACCEL_G_PER_LSB = 16.0 / 32768.0
WIT_GYRO_DPS_PER_LSB = 2000.0 / 32768.0

THINGY_RAW_BYTES = 18
THINGY_ACCEL_LSB_PER_G = 1024.0  # 6Q10
THINGY_GYRO_LSB_PER_DPS = 32.0  # 11Q5


def decode_microbit(payload: bytes) -> Reading | None:
    """Accelerometer Data characteristic: `<hhh` milli-g, one sample per notification."""
    if len(payload) != 6:
        return None
    xyz = np.array(struct.unpack("<hhh", payload), dtype=np.float64)
    return Reading((xyz * MICROBIT_AXES / MICROBIT_MG_PER_G).reshape(1, 3))


def decode_witmotion_ble(payload: bytes) -> Reading | None:
    """WT901BLECL notification: one or more 20-byte `55 61` frames (acc, gyro, angle; no sum).

    Other packet flags (0x71 register replies) and anything not made of whole `55 61` frames are
    dropped: with no checksum, the notification boundary is the only framing there is.
    """
    n = len(payload) // WIT_BLE_FRAME_BYTES
    if n == 0 or len(payload) != n * WIT_BLE_FRAME_BYTES:
        return None
    frames = [payload[i * 20 : (i + 1) * 20] for i in range(n)]
    if any(f[:2] != WIT_BLE_HEADER for f in frames):
        return None
    values = np.array([struct.unpack_from("<9h", f, 2) for f in frames], dtype=np.float64)
    return Reading(values[:, 0:3] * WIT_ACCEL_G_PER_LSB, values[:, 3:6] * WIT_GYRO_DPS_PER_LSB)


def decode_thingy_raw(payload: bytes) -> Reading | None:
    """Thingy:52 Motion raw data: `<9h` accel 6Q10 g, gyro 11Q5 deg/s, compass (ignored)."""
    if len(payload) != THINGY_RAW_BYTES:
        return None
    v = np.array(struct.unpack("<9h", payload), dtype=np.float64)
    return Reading(
        (v[0:3] / THINGY_ACCEL_LSB_PER_G).reshape(1, 3),
        (v[3:6] / THINGY_GYRO_LSB_PER_DPS).reshape(1, 3),
    )


def microbit_period_bytes(period_ms: int) -> bytes:
    """The micro:bit period write. Writing 0 crashes a micro:bit, so it is refused here."""
    if period_ms <= 0:
        raise ValueError(f"micro:bit period must be > 0 ms (0 crashes the device), got {period_ms}")
    return struct.pack("<H", period_ms)


def witmotion_rate_command(rate_hz: int) -> bytes:
    """`FF AA 03 RR 00`: set the WitMotion output rate (BLE models stop at 50 Hz)."""
    codes = {10: 0x06, 20: 0x07, 50: 0x08, 100: 0x09, 200: 0x0B}
    if rate_hz not in codes:
        raise ValueError(f"WitMotion rates are {sorted(codes)} Hz, not {rate_hz}")
    return bytes([0xFF, 0xAA, 0x03, codes[rate_hz], 0x00])


WITMOTION_UNLOCK = bytes([0xFF, 0xAA, 0x69, 0x88, 0xB5])
WITMOTION_SAVE = bytes([0xFF, 0xAA, 0x00, 0x00, 0x00])


def thingy_config_bytes(mpu_hz: int, current: bytes | None = None) -> bytes:
    """Thingy Motion config (9 bytes `<HHHHB`) with the motion-processing rate set to `mpu_hz`.

    The other fields keep the device's current values when read first, else Nordic's defaults.
    """
    if not 5 <= mpu_hz <= 200:
        raise ValueError(f"Thingy motion rate must be 5–200 Hz, got {mpu_hz}")
    step_ms, temp_ms, mag_ms, _, wom = (
        struct.unpack("<HHHHB", current) if current and len(current) == 9 else (100, 500, 100, 0, 1)
    )
    return struct.pack("<HHHHB", step_ms, temp_ms, mag_ms, mpu_hz, wom)
