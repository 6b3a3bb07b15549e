"""What every decoder yields: samples in puck units, before they get host timestamps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The widest full-scale ranges of the IMUs RepQuest reads (±16 g, ±4000 deg/s): a value beyond
# them was not measured by a sensor, it is noise or a corrupted file.
ACCEL_LIMIT_G = 16.0
GYRO_LIMIT_DPS = 4000.0


@dataclass(frozen=True)
class Reading:
    """N >= 1 samples decoded from one packet or frame, in g and deg/s, in the puck frame.

    `seq` (a packet counter) and `device_t_s` (the device clock at the first sample) are set only
    by formats that carry them; `timing.Timestamper` uses them to space samples and to see losses.
    """

    accel_g: np.ndarray  # (N, 3)
    gyro_dps: np.ndarray | None = None  # (N, 3) or None
    seq: int | None = None
    seq_modulo: int = 1 << 16
    device_t_s: float | None = None
    dt_s: float | None = None  # sample spacing inside the packet, when the device says it

    def __len__(self) -> int:
        return int(self.accel_g.shape[0])


class DecodeStats:
    """Counters every framer keeps: good frames, bad frames dropped, bytes skipped to resync."""

    def __init__(self) -> None:
        self.frames = 0
        self.bad_frames = 0
        self.skipped_bytes = 0
        self.bytes_in = 0

    def __repr__(self) -> str:
        return (
            f"DecodeStats(frames={self.frames}, bad_frames={self.bad_frames}, "
            f"skipped_bytes={self.skipped_bytes}, bytes_in={self.bytes_in})"
        )
