"""Readings → `SampleBlock`s on the host monotonic clock (DESIGN.md, "Samples").

A packet is stamped when it arrives, but its samples were measured before: they are spaced back
from the arrival at the device's sample period. Consecutive packets continue the previous time
line at that period, so radio jitter does not wobble the detector's time axis; a packet the
sequence number says was lost leaves a gap of its length; and when the time line drifts too far
from the host clock (a slow device clock, a reconnect, a silence) it is re-anchored to arrival.
"""

from __future__ import annotations

import numpy as np

from devices.pucks.reading import Reading
from devices.samples import SampleBlock

MAX_LAG_S = 0.3  # re-anchor when the time line falls this far behind arrival


class Timestamper:
    """Stamps one puck's readings; `lost_samples` counts gaps the sequence numbers revealed."""

    def __init__(self, puck_id: str, rate_hz: float) -> None:
        if not rate_hz > 0:
            raise ValueError(f"rate_hz must be > 0, got {rate_hz}")
        self.puck_id = puck_id
        self.nominal_dt_s = 1.0 / rate_hz
        self.lost_samples = 0
        self._last_t_s: float | None = None
        self._last_seq: int | None = None
        self._last_n = 0

    def reset(self) -> None:
        """Forget the time line (after a reconnect the device may restart its counters)."""
        self._last_t_s = None
        self._last_seq = None

    def stamp(self, reading: Reading, arrival_s: float) -> SampleBlock:
        n = len(reading)
        dt_s = reading.dt_s or self.nominal_dt_s
        latest_first_s = arrival_s - (n - 1) * dt_s
        if self._last_t_s is None:
            first_s = latest_first_s
        else:
            missing = self._missing_samples(reading)
            self.lost_samples += missing
            ideal_first_s = self._last_t_s + dt_s * (1 + missing)
            if ideal_first_s < latest_first_s - MAX_LAG_S:
                first_s = latest_first_s  # fell behind: a silence, or a slow device clock
            else:
                first_s = min(ideal_first_s, latest_first_s)  # never stamp in the future
            first_s = max(first_s, self._last_t_s + 0.5 * dt_s)  # strictly increasing
        t_s = first_s + dt_s * np.arange(n)
        self._last_t_s = float(t_s[-1])
        if reading.seq is not None:
            self._last_seq = reading.seq
            self._last_n = n
        return SampleBlock(self.puck_id, t_s, reading.accel_g, reading.gyro_dps)

    def _missing_samples(self, reading: Reading) -> int:
        if reading.seq is None or self._last_seq is None:
            return 0
        lost_packets = (reading.seq - self._last_seq - 1) % reading.seq_modulo
        if lost_packets > reading.seq_modulo // 2:  # a restart or reordering, not a loss
            return 0
        return lost_packets * self._last_n
