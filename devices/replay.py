"""A recording played back as a live `Source`, in the style of BrainFlow's PlaybackFileBoard.

The recording keeps its own time base: at `speed=10` blocks arrive ten times faster in wall-clock
time, but their `t_s` are the file's times shifted to the replay's start, so the detector sees the
movement at its true speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from devices.recording import Recording, read_recording
from devices.samples import SampleBlock
from devices.source import Source, SourceInfo, SourceState, SourceStatus


class ReplaySource(Source):
    """Plays a recording CSV in (scaled) real time, once or looping."""

    def __init__(
        self,
        path: str | Path,
        speed: float = 1.0,
        loop: bool = False,
        puck_id: str | None = None,
        time_func: Callable[[], float] = time.monotonic,
    ) -> None:
        if not speed > 0:
            raise ValueError(f"replay speed must be > 0, got {speed}")
        self._recording: Recording = read_recording(path, puck_id)
        self._speed = speed
        self._loop = loop
        self._time = time_func
        block = self._recording.block
        self._file_t_s = block.t_s - block.t_s[0]
        # One nominal sample period separates the end of one loop from the start of the next.
        self._loop_period_s = float(self._file_t_s[-1]) + 1.0 / max(self._recording.rate_hz, 1e-9)
        self._start_host_s: float | None = None
        self._delivered = 0  # samples handed out so far, counting across loops
        self._stopped = False
        rate = self._recording.rate_hz
        channels = ("ax_g", "ay_g", "az_g") + (
            ("gx_dps", "gy_dps", "gz_dps") if block.gyro_dps is not None else ()
        )
        self._info = SourceInfo(
            id=block.puck_id,
            kind="replay",
            model=self._recording.metadata.get("model", f"recording {Path(path).name}"),
            rate_hz=round(rate, 3),
            channels=channels,
        )

    @property
    def recording(self) -> Recording:
        return self._recording

    @property
    def info(self) -> SourceInfo:
        return self._info

    @property
    def status(self) -> SourceStatus:
        if self._stopped:
            return SourceStatus(SourceState.STOPPED, "The recording has ended.")
        if self._start_host_s is None:
            return SourceStatus(SourceState.CONNECTING, "Opening the recording…")
        return SourceStatus(SourceState.STREAMING, "Playing back a recording.")

    def start(self) -> None:
        if self._start_host_s is None:
            self._start_host_s = self._time()

    def stop(self) -> None:
        self._stopped = True

    def read(self) -> list[SampleBlock]:
        if self._stopped or self._start_host_s is None:
            return []
        elapsed_file_s = (self._time() - self._start_host_s) * self._speed
        n_file = len(self._file_t_s)
        if self._loop:
            loops_done = int(elapsed_file_s // self._loop_period_s)
            within_s = elapsed_file_s - loops_done * self._loop_period_s
            due = loops_done * n_file + int(np.searchsorted(self._file_t_s, within_s, "right"))
        else:
            due = int(np.searchsorted(self._file_t_s, elapsed_file_s, "right"))
            if due >= n_file:
                due = n_file
        blocks = self._blocks_between(self._delivered, due)
        self._delivered = max(due, self._delivered)
        if not self._loop and self._delivered >= n_file:
            self._stopped = True
        return blocks

    def _blocks_between(self, first: int, stop: int) -> list[SampleBlock]:
        """Samples [first, stop) of the endless (looped) stream, one block per loop pass."""
        src = self._recording.block
        n_file = len(self._file_t_s)
        blocks = []
        while first < stop:
            loop_index, i0 = divmod(first, n_file)
            i1 = min(n_file, i0 + (stop - first))
            assert self._start_host_s is not None
            offset_s = self._start_host_s + loop_index * self._loop_period_s
            gyro = None if src.gyro_dps is None else src.gyro_dps[i0:i1].copy()
            blocks.append(
                SampleBlock(
                    src.puck_id,
                    self._file_t_s[i0:i1] + offset_s,
                    src.accel_g[i0:i1].copy(),
                    gyro,
                )
            )
            first += i1 - i0
        return blocks
