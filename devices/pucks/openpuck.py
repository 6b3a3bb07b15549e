"""The RepQuest open puck protocol (docs/puck-protocol.md): one packet layout for BLE and serial.

A packet carries a version, a packet sequence number, the device time of its first sample, the
sample spacing and N int16 samples (accel in milli-g, optional gyro in 0.1 deg/s). Over BLE each
notification is one packet; over serial each packet is framed `A5 5A LEN payload CRC16`, with
CRC-16/CCITT-FALSE over LEN and the payload, so a framer can resynchronise after noise and never
trusts a sync pair that happens to sit inside data.
"""

from __future__ import annotations

import struct

import numpy as np

from devices.pucks.reading import DecodeStats, Reading

VERSION = 1
FLAG_GYRO = 0x01
HEADER = struct.Struct("<BBHIHBB")  # version, flags, seq, t_ms, dt_us, n, battery_pct
BATTERY_UNKNOWN = 0xFF
ACCEL_MG_PER_G = 1000.0
GYRO_LSB_PER_DPS = 10.0
MAX_SAMPLES = 19  # 12 + 19 * 12 = 240 bytes: fits one BLE notification at the largest ATT MTU
SYNC = b"\xa5\x5a"
SERIAL_OVERHEAD = len(SYNC) + 1 + 2

SERVICE_UUID = "b3a10001-5f3c-4e2a-9d6b-8a1e7c0e2f50"
DATA_UUID = "b3a10002-5f3c-4e2a-9d6b-8a1e7c0e2f50"  # notify: one packet per notification
RATE_UUID = "b3a10003-5f3c-4e2a-9d6b-8a1e7c0e2f50"  # read/write: uint16 rate in Hz


def crc16_ccitt(data: bytes, crc: int = 0xFFFF) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): cheap on a microcontroller, catches noise."""
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def encode_packet(
    seq: int,
    t_ms: int,
    dt_us: int,
    accel_g: np.ndarray,
    gyro_dps: np.ndarray | None = None,
    battery_pct: int = BATTERY_UNKNOWN,
) -> bytes:
    """What a puck sends: the reference the firmware and the tests' virtual pucks follow."""
    n = len(accel_g)
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"a packet holds 1–{MAX_SAMPLES} samples, got {n}")
    flags = FLAG_GYRO if gyro_dps is not None else 0
    out = bytearray(
        HEADER.pack(VERSION, flags, seq & 0xFFFF, t_ms & 0xFFFFFFFF, dt_us, n, battery_pct)
    )
    acc = np.clip(np.round(np.asarray(accel_g) * ACCEL_MG_PER_G), -32768, 32767).astype("<i2")
    if gyro_dps is None:
        out += acc.tobytes()
    else:
        gyr = np.clip(np.round(np.asarray(gyro_dps) * GYRO_LSB_PER_DPS), -32768, 32767)
        out += np.hstack([acc, gyr.astype("<i2")]).astype("<i2").tobytes()
    return bytes(out)


def packet_size(payload_head: bytes) -> int | None:
    """Total size a packet must have, judged from its header, or None if the header is invalid."""
    if len(payload_head) < HEADER.size:
        return None
    version, flags, _, _, dt_us, n, _ = HEADER.unpack_from(payload_head)
    if version != VERSION or flags & ~FLAG_GYRO or not 1 <= n <= MAX_SAMPLES or dt_us == 0:
        return None
    return HEADER.size + n * (12 if flags & FLAG_GYRO else 6)


def decode_packet(payload: bytes) -> Reading | None:
    """One packet → a `Reading` with seq, device time and spacing; None if malformed."""
    if packet_size(payload) != len(payload):
        return None
    _, flags, seq, t_ms, dt_us, n, _ = HEADER.unpack_from(payload)
    width = 6 if flags & FLAG_GYRO else 3
    values = np.frombuffer(payload, dtype="<i2", offset=HEADER.size).reshape(n, width)
    values = values.astype(np.float64)
    gyro = values[:, 3:6] / GYRO_LSB_PER_DPS if width == 6 else None
    return Reading(
        values[:, 0:3] / ACCEL_MG_PER_G,
        gyro,
        seq=seq,
        device_t_s=t_ms / 1000.0,
        dt_s=dt_us / 1e6,
    )


def battery_of(payload: bytes) -> int | None:
    """The battery byte of a valid packet, None when the puck does not know it."""
    if packet_size(payload) != len(payload):
        return None
    battery = payload[HEADER.size - 1]
    return None if battery == BATTERY_UNKNOWN else min(int(battery), 100)


def frame_serial(payload: bytes) -> bytes:
    """`A5 5A LEN payload CRC16(LEN + payload)`, little-endian CRC."""
    body = bytes([len(payload)]) + payload
    return SYNC + body + struct.pack("<H", crc16_ccitt(body))


class OpenPuckFramer:
    """Incremental serial framer: feed bytes as they come, get every valid packet's `Reading`.

    After a sync pair it checks the header, the length and the CRC before trusting a frame; on any
    failure it skips one byte and searches again, so a frame hidden behind noise (or a sync pair
    inside data) is still found.
    """

    def __init__(self) -> None:
        self.stats = DecodeStats()
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Reading]:
        self.stats.bytes_in += len(data)
        self._buf += data
        out: list[Reading] = []
        while True:
            start = self._buf.find(SYNC)
            if start < 0:
                keep = 1 if self._buf[-1:] == SYNC[:1] else 0
                self.stats.skipped_bytes += len(self._buf) - keep
                del self._buf[: len(self._buf) - keep]
                return out
            if start:
                self.stats.skipped_bytes += start
                del self._buf[:start]
            if len(self._buf) < len(SYNC) + 1 + HEADER.size:
                return out
            length = self._buf[2]
            size = packet_size(bytes(self._buf[3 : 3 + HEADER.size]))
            if size != length:
                self._skip_one()
                continue
            end = 3 + length + 2
            if len(self._buf) < end:
                return out
            body = bytes(self._buf[2 : 3 + length])
            (crc,) = struct.unpack_from("<H", self._buf, 3 + length)
            decoded = decode_packet(body[1:]) if crc == crc16_ccitt(body) else None
            if decoded is None:
                self._skip_one()
                continue
            del self._buf[:end]
            self.stats.frames += 1
            out.append(decoded)

    def _skip_one(self) -> None:
        self.stats.bad_frames += 1
        self.stats.skipped_bytes += 1
        del self._buf[:1]
