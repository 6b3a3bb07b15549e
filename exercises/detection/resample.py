"""One time base for the detector: any puck's samples, resampled from their timestamps.

Pucks differ in rate (WitMotion leaves the factory at 10 Hz, others stream 25–200 Hz), their
timestamps jitter, BLE notifications bring several samples at once, and a header's or a driver's
declared rate can be wrong. Every filter, period and duration downstream is in seconds, but a filter
is designed for one sample rate; so rather than trusting a declared rate, the stream is put on a
uniform grid of `RATE_HZ` by linear interpolation between the samples' own timestamps. The grid
continues across blocks (its points are `origin + k / RATE_HZ`, computed, not accumulated), so the
same samples give bit-for-bit the same output however they are chunked.

A gap longer than `max_gap_s` (lost packets, a puck out of range) is not bridged: the grid starts
again at the first sample after it, and the gap stays visible in `t_s` (DESIGN.md: gaps are never
filled silently). Samples whose time does not move forward are dropped and counted.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from devices.samples import SampleBlock

RATE_HZ = 50.0  # the detector's internal rate: 8× its 6 Hz low-pass, 25× the fastest rep
MAX_GAP_S = 0.5  # longer silences are gaps, not something to interpolate across


class UniformResampler:
    """Streams `SampleBlock`s of any rate and timing into blocks on a uniform `rate_hz` grid."""

    def __init__(self, rate_hz: float = RATE_HZ, max_gap_s: float = MAX_GAP_S) -> None:
        if not rate_hz > 0:
            raise ValueError(f"rate_hz must be > 0, got {rate_hz}")
        if not max_gap_s > 0:
            raise ValueError(f"max_gap_s must be > 0, got {max_gap_s}")
        self.rate_hz = rate_hz
        self.max_gap_s = max_gap_s
        self.dropped_samples = 0  # samples whose time did not move forward
        self.gaps = 0  # silences longer than max_gap_s
        self.reset()

    def reset(self) -> None:
        self._last: tuple[float, np.ndarray, np.ndarray | None] | None = None
        self._origin_s = 0.0
        self._next_k = 0

    def __call__(self, block: SampleBlock) -> SampleBlock | None:
        """The grid points at or before the block's last sample; None if there are none."""
        t_s = np.asarray(block.t_s, dtype=np.float64)
        accel = np.asarray(block.accel_g, dtype=np.float64)
        gyro = None if block.gyro_dps is None else np.asarray(block.gyro_dps, dtype=np.float64)
        t_s, accel, gyro = self._forward_only(t_s, accel, gyro)
        if len(t_s) == 0:
            return None
        if self._last is not None:
            last_t, last_a, last_g = self._last
            t_s = np.concatenate([[last_t], t_s])
            accel = np.concatenate([last_a[None, :], accel])
            gyro = None if gyro is None or last_g is None else np.concatenate([last_g[None], gyro])
        else:
            self._origin_s, self._next_k = float(t_s[0]), 0
        self._last = (float(t_s[-1]), accel[-1].copy(), None if gyro is None else gyro[-1].copy())
        grids = [self._grid_times(t_s[a:b], after_gap=a > 0) for a, b in self._segments(t_s)]
        grid = np.concatenate(grids)
        if len(grid) == 0:
            return None
        # Each grid point from the two samples around it (the first at or after it, and the one
        # before), never from others: then it is the same number whichever block brought it.
        if len(t_s) == 1:
            lo = hi = np.zeros(len(grid), dtype=np.intp)
            w = np.zeros((len(grid), 1))
        else:
            hi = np.clip(np.searchsorted(t_s, grid, "left"), 1, len(t_s) - 1)
            lo = hi - 1
            w = ((grid - t_s[lo]) / (t_s[hi] - t_s[lo]))[:, None]
        out_a = accel[lo] + w * (accel[hi] - accel[lo])
        out_g = None if gyro is None else gyro[lo] + w * (gyro[hi] - gyro[lo])
        out_t = grid
        return SampleBlock(block.puck_id, out_t, out_a, out_g)

    def _forward_only(
        self, t_s: np.ndarray, accel: np.ndarray, gyro: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Drop samples that do not come after every sample before them."""
        floor = -math.inf if self._last is None else self._last[0]
        running = np.maximum.accumulate(np.concatenate([[floor], t_s]))[:-1]
        keep = (t_s > running) & np.isfinite(t_s)
        if keep.all():
            return t_s, accel, gyro
        self.dropped_samples += int(np.count_nonzero(~keep))
        return t_s[keep], accel[keep], None if gyro is None else gyro[keep]

    def _segments(self, t_s: np.ndarray) -> list[tuple[int, int]]:
        """Index ranges of the samples between gaps (each range includes its first sample)."""
        breaks = np.flatnonzero(np.diff(t_s) > self.max_gap_s) + 1
        bounds = [0, *breaks.tolist(), len(t_s)]
        return list(itertools.pairwise(bounds))

    def _grid_times(self, t_s: np.ndarray, after_gap: bool) -> np.ndarray:
        """The grid points this stretch of samples (no gap inside it) brings."""
        if after_gap:  # the first sample after a gap starts a new grid
            self.gaps += 1
            self._origin_s, self._next_k = float(t_s[0]), 0
        # A grid point is emitted by the first block whose last sample is at or after it, so
        # it is interpolated between the same two samples however the stream is chunked.
        last_k = math.floor((float(t_s[-1]) - self._origin_s) * self.rate_hz) + 1
        grid = self._origin_s + np.arange(self._next_k, last_k + 1) / self.rate_hz
        grid = grid[grid <= t_s[-1]]
        self._next_k += len(grid)
        return grid
