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
RATE_WINDOW_S = 2.0  # the real rate is measured over at least this much arrival time
RATE_SILENCE_S = 1.0  # a silence this long restarts the measurement (it is a gap, not a rate)
OFF_NOMINAL_SHARE = 0.2  # a measured rate this far from the nominal one is worth reporting


class RateMeter:
    """The rate a device really sends at, from how many samples arrive per second of host time.

    A WitMotion puck leaves the factory at 10 Hz and can be set anywhere up to 200 Hz, and a CSV
    or micro:bit sketch streams at whatever its author chose, so the nominal rate of a protocol
    is only a first guess. Arrival times jitter packet by packet, but the count of samples over a
    few seconds does not. None until `RATE_WINDOW_S` of arrivals were seen.
    """

    def __init__(self) -> None:
        self.rate_hz: float | None = None
        self._first_s: float | None = None
        self._last_s = 0.0
        self._samples_after_first = 0

    def reset(self) -> None:
        self._first_s = None

    def add(self, n_samples: int, arrival_s: float) -> None:
        if self._first_s is None or arrival_s - self._last_s > RATE_SILENCE_S:
            self._first_s, self._samples_after_first = arrival_s, 0
        else:
            self._samples_after_first += n_samples
        self._last_s = arrival_s
        span_s = arrival_s - self._first_s
        if span_s >= RATE_WINDOW_S:
            self.rate_hz = self._samples_after_first / span_s
            # Slide: keep measuring, so a device whose rate is changed mid-stream is followed.
            self._first_s, self._samples_after_first = arrival_s, 0


class Timestamper:
    """Stamps one puck's readings; `lost_samples` counts gaps the sequence numbers revealed."""

    def __init__(self, puck_id: str, rate_hz: float) -> None:
        if not rate_hz > 0:
            raise ValueError(f"rate_hz must be > 0, got {rate_hz}")
        self.puck_id = puck_id
        self.nominal_dt_s = 1.0 / rate_hz
        self.rate = RateMeter()
        self.lost_samples = 0
        self._last_t_s: float | None = None
        self._last_seq: int | None = None
        self._last_n = 0

    def reset(self) -> None:
        """Forget the time line (after a reconnect the device may restart its counters)."""
        self._last_t_s = None
        self._last_seq = None
        self.rate.reset()

    def stamp(self, reading: Reading, arrival_s: float) -> SampleBlock:
        n = len(reading)
        self.rate.add(n, arrival_s)
        measured_dt_s = None if self.rate.rate_hz is None else 1.0 / self.rate.rate_hz
        # The device's own clock first, then what arrives, then the protocol's nominal rate.
        dt_s = reading.dt_s or measured_dt_s or self.nominal_dt_s
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

    @property
    def measured_rate_hz(self) -> float | None:
        return self.rate.rate_hz

    @property
    def off_nominal(self) -> bool:
        """True when the device streams far from its protocol's nominal rate (say so to the user:
        a WitMotion still at its factory 10 Hz, a sketch set to another rate)."""
        measured = self.rate.rate_hz
        nominal_hz = 1.0 / self.nominal_dt_s
        return measured is not None and abs(measured - nominal_hz) > OFF_NOMINAL_SHARE * nominal_hz

    def _missing_samples(self, reading: Reading) -> int:
        if reading.seq is None or self._last_seq is None:
            return 0
        lost_packets = (reading.seq - self._last_seq - 1) % reading.seq_modulo
        if lost_packets > reading.seq_modulo // 2:  # a restart or reordering, not a loss
            return 0
        return lost_packets * self._last_n
