"""Streaming filters whose state is carried between blocks, so chunking never changes the output."""

from __future__ import annotations

import numpy as np
from scipy import signal


class StreamingLowPass:
    """Butterworth low-pass over (N, C) blocks, state kept between calls (sosfilt with zi).

    The state starts at steady state on the first sample, so a puck that starts tilted does not
    produce a fake movement while the filter settles.
    """

    def __init__(self, cutoff_hz: float, rate_hz: float, order: int = 2) -> None:
        if not 0 < cutoff_hz < rate_hz / 2:
            raise ValueError(f"cutoff_hz must be in (0, {rate_hz / 2}), got {cutoff_hz}")
        self.cutoff_hz = cutoff_hz
        self.rate_hz = rate_hz
        self._sos = signal.butter(order, cutoff_hz, fs=rate_hz, output="sos")
        self._zi: np.ndarray | None = None

    def reset(self) -> None:
        self._zi = None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self._zi is None:
            self._zi = signal.sosfilt_zi(self._sos)[:, :, None] * x[0][None, None, :]
        y, self._zi = signal.sosfilt(self._sos, x, axis=0, zi=self._zi)
        return np.asarray(y)


class LeakyIntegrator:
    """Integrates a rate (deg/s) into an angle (deg) that forgets slowly, so gyro bias cannot drift
    the angle away: y[n] = a * y[n-1] + x[n] * dt, with a = exp(-dt / time_constant_s)."""

    def __init__(self, rate_hz: float, time_constant_s: float) -> None:
        self.dt_s = 1.0 / rate_hz
        self._a = float(np.exp(-self.dt_s / time_constant_s))
        self._zi = np.zeros(1)

    def reset(self) -> None:
        self._zi = np.zeros(1)

    def __call__(self, rate: np.ndarray) -> np.ndarray:
        y, self._zi = signal.lfilter([self.dt_s], [1.0, -self._a], rate, zi=self._zi)
        return np.asarray(y)


class RotationAngle:
    """The angle (deg) a rotation rate (deg/s) turns through, as a rep feature for a movement that
    comes back round (exercises.loops).

    Integrated with a leak (`LeakyIntegrator`), so gyro bias cannot run it away; and, when the
    rep period is known, with changes slower than `drift_periods` periods taken off, so a bias
    the learned centre missed cannot hold the angle off-centre either. (Tried on the integrated
    gyro of out-and-back reps too, where it made `make bench` worse: 0.973 → 0.962 of all cases.)
    """

    def __init__(
        self, rate_hz: float, leak_s: float, period_s: float | None, drift_periods: float = 3.0
    ) -> None:
        self._integrate = LeakyIntegrator(rate_hz, leak_s)
        self._drift = (
            None
            if period_s is None
            else StreamingLowPass(1.0 / (drift_periods * period_s), rate_hz, order=1)
        )

    def __call__(self, rate: np.ndarray) -> np.ndarray:
        angle = self._integrate(rate)
        if self._drift is None or len(angle) == 0:
            return angle
        return np.asarray(angle - self._drift(angle[:, None])[:, 0])
