"""Incremental framers for serial byte streams: feed bytes as they come, get `Reading`s out.

Serial has no packet boundaries, so each framer finds frames itself, checks them (checksum, field
count), drops and counts what fails, and resynchronises one byte (or one line) later. The
`AutoFramer` runs every framer side by side until one of them clearly understands the stream.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Protocol

import numpy as np

from devices.pucks.formats import WIT_ACCEL_G_PER_LSB, WIT_GYRO_DPS_PER_LSB
from devices.pucks.openpuck import OpenPuckFramer
from devices.pucks.reading import ACCEL_LIMIT_G, GYRO_LIMIT_DPS, DecodeStats, Reading

WIT_FRAME_BYTES = 11
WIT_TYPES = frozenset(range(0x50, 0x5B))  # time, acc, gyro, angle, mag, …, quaternion (0x59)
WIT_ACCEL, WIT_GYRO = 0x51, 0x52
CSV_MAX_LINE_BYTES = 160  # a real line is ~60 bytes; longer means noise without newlines


class Framer(Protocol):
    stats: DecodeStats

    def feed(self, data: bytes) -> list[Reading]: ...


def wit_checksum_ok(frame: bytes | bytearray) -> bool:
    return (sum(frame[:10]) & 0xFF) == frame[10]


class WitSerialFramer:
    """WitMotion 11-byte frames `55 TT d0..d7 SUM` (BWT901CL, WT901, HWT905).

    A frame is trusted only with 0x55, a known type and a good checksum — 0x55 is common inside
    data, so splitting on it alone (as some libraries do) loses frames. An accel frame (0x51) is
    held until the gyro frame (0x52) of the same cycle pairs with it; a stream without gyro frames
    emits each accel frame when the next one arrives.
    """

    def __init__(self) -> None:
        self.stats = DecodeStats()
        self._buf = bytearray()
        self._pending_accel: np.ndarray | None = None
        self.has_gyro = False

    def feed(self, data: bytes) -> list[Reading]:
        self.stats.bytes_in += len(data)
        self._buf += data
        out: list[Reading] = []
        while len(self._buf) >= WIT_FRAME_BYTES:
            if self._buf[0] != 0x55 or self._buf[1] not in WIT_TYPES:
                self._skip()
                continue
            frame = bytes(self._buf[:WIT_FRAME_BYTES])
            doubt = self._false_start() if wit_checksum_ok(frame) else True
            if doubt is None:
                break  # wait for the bytes that tell a frame from noise
            if doubt:
                self.stats.bad_frames += 1
                self._skip()
                continue
            del self._buf[:WIT_FRAME_BYTES]
            self.stats.frames += 1
            out.extend(self._on_frame(frame))
        if self._buf and self._buf[0] != 0x55:  # nothing useful can start before the next 0x55
            start = self._buf.find(0x55)
            drop = len(self._buf) if start < 0 else start
            self.stats.skipped_bytes += drop
            del self._buf[:drop]
        return out

    def _skip(self) -> None:
        self.stats.skipped_bytes += 1
        del self._buf[:1]

    def _frame_at(self, i: int) -> bool:
        b = self._buf
        return b[i] == 0x55 and b[i + 1] in WIT_TYPES and wit_checksum_ok(b[i : i + 11])

    def _false_start(self) -> bool | None:
        """Is the checksum-good frame at the head really noise? A one-byte sum lets noise through
        once in 256 tries, and such a false frame swallows the head of the real one behind it.
        A frame followed by 0x55 (or by nothing yet) is trusted; one followed by anything else
        is noise if a real frame starts inside it. None: too few bytes yet to tell."""
        n = WIT_FRAME_BYTES
        if len(self._buf) == n or self._buf[n] == 0x55:
            return False
        if len(self._buf) < 2 * n - 1:
            return None
        return any(self._frame_at(i) for i in range(1, n))

    def _on_frame(self, frame: bytes) -> list[Reading]:
        kind = frame[1]
        xyz = np.array(struct.unpack_from("<3h", frame, 2), dtype=np.float64)
        if kind == WIT_ACCEL:
            out = self._flush_accel_only()
            self._pending_accel = xyz * WIT_ACCEL_G_PER_LSB
            return out
        if kind == WIT_GYRO:
            self.has_gyro = True
            if self._pending_accel is None:
                return []
            accel, self._pending_accel = self._pending_accel, None
            return [Reading(accel.reshape(1, 3), (xyz * WIT_GYRO_DPS_PER_LSB).reshape(1, 3))]
        return []

    def _flush_accel_only(self) -> list[Reading]:
        """An accel frame never paired with gyro: emit it alone (only when the stream has none)."""
        accel, self._pending_accel = self._pending_accel, None
        if accel is None or self.has_gyro:
            return []
        return [Reading(accel.reshape(1, 3))]


class CsvLineFramer:
    """Text lines `aX,aY,aZ[,gX,gY,gZ]` in g and deg/s (the Arduino IMU_Capture sketch).

    A header line (`aX,aY,…`) and blank lines are skipped silently; anything else that is not three
    or six finite numbers within a sensor's range is dropped and counted. The newline is the
    frame boundary.
    """

    def __init__(self) -> None:
        self.stats = DecodeStats()
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Reading]:
        self.stats.bytes_in += len(data)
        self._buf += data
        out: list[Reading] = []
        while True:
            end = self._buf.find(b"\n")
            if end < 0:
                if len(self._buf) > CSV_MAX_LINE_BYTES:
                    self.stats.bad_frames += 1
                    self.stats.skipped_bytes += len(self._buf)
                    self._buf.clear()
                return out
            line = bytes(self._buf[:end])
            del self._buf[: end + 1]
            parsed = self._parse(line)
            if parsed is not None:
                self.stats.frames += 1
                out.append(parsed)

    def _parse(self, line: bytes) -> Reading | None:
        text = line.decode("ascii", errors="replace").strip()
        if not text or text[:1].isalpha():  # blank or a header such as aX,aY,aZ,gX,gY,gZ
            return None
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            values = []
        limits = (ACCEL_LIMIT_G,) * 3 + (GYRO_LIMIT_DPS,) * 3
        if len(values) not in (3, 6) or not all(
            math.isfinite(v) and abs(v) <= limit for v, limit in zip(values, limits, strict=False)
        ):
            self.stats.bad_frames += 1
            self.stats.skipped_bytes += len(line) + 1
            return None
        accel = np.array(values[:3]).reshape(1, 3)
        gyro = np.array(values[3:]).reshape(1, 3) if len(values) == 6 else None
        return Reading(accel, gyro)


SERIAL_FRAMERS: dict[str, Callable[[], Framer]] = {
    "witmotion": WitSerialFramer,
    "csv": CsvLineFramer,
    "openpuck": OpenPuckFramer,
}
AUTO_MIN_FRAMES = 5


class AutoFramer:
    """Feeds every serial framer until one has decoded `AUTO_MIN_FRAMES` frames and clearly more
    than it dropped; from then on only that one. Readings decoded during detection are kept."""

    def __init__(self, candidates: dict[str, Callable[[], Framer]] | None = None) -> None:
        self._framers = {name: make() for name, make in (candidates or SERIAL_FRAMERS).items()}
        self._held: dict[str, list[Reading]] = {name: [] for name in self._framers}
        self.protocol: str | None = None
        self.stats = DecodeStats()

    def feed(self, data: bytes) -> list[Reading]:
        if self.protocol is not None:
            return self._framers[self.protocol].feed(data)
        self.stats.bytes_in += len(data)
        for name, framer in self._framers.items():
            self._held[name] += framer.feed(data)
        for name, framer in self._framers.items():
            s = framer.stats
            if s.frames >= AUTO_MIN_FRAMES and s.frames > 2 * s.bad_frames:
                self.protocol = name
                self.stats = framer.stats
                return self._held.pop(name)
        return []
