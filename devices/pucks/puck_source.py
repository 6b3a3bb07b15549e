"""What BLE and serial pucks share: the thread-safe hand-off to the main thread, timestamps,
supervision, and battery/signal read-outs. Transports only move bytes and call `_deliver`."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

from devices.pucks.reading import Reading
from devices.pucks.supervisor import DEFAULT_POLICY, ConnectionPolicy, Supervisor
from devices.pucks.timing import Timestamper
from devices.samples import SampleBlock
from devices.source import Source, SourceInfo, SourceState, SourceStatus


class PuckSource(Source):
    """A real puck as a `Source`: an I/O thread fills a queue that `read()` drains."""

    def __init__(
        self,
        info: SourceInfo,
        label: str,
        policy: ConnectionPolicy = DEFAULT_POLICY,
        time_func: Callable[[], float] = time.monotonic,
    ) -> None:
        self._info = info
        self._time = time_func
        self.supervisor = Supervisor(label, policy, time_func)
        self._stamper = Timestamper(info.id, info.rate_hz)
        self._queue: queue.SimpleQueue[SampleBlock] = queue.SimpleQueue()
        self._started = False
        self._stopped = False
        self.samples_received = 0
        self.battery_pct: int | None = None
        self.rssi_dbm: int | None = None

    @property
    def info(self) -> SourceInfo:
        return self._info

    @property
    def status(self) -> SourceStatus:
        return self.supervisor.status()

    @property
    def lost_samples(self) -> int:
        """Samples the device's sequence numbers say never arrived (0 if it has none)."""
        return self._stamper.lost_samples

    @property
    def measured_rate_hz(self) -> float | None:
        """The rate the puck really streams at, measured from arrivals (None for the first
        seconds); `info.rate_hz` is the protocol's nominal one."""
        return self._stamper.measured_rate_hz

    @property
    def rate_off_nominal(self) -> bool:
        return self._stamper.off_nominal

    def read(self) -> list[SampleBlock]:
        blocks: list[SampleBlock] = []
        while True:
            try:
                blocks.append(self._queue.get_nowait())
            except queue.Empty:
                return blocks if not self._stopped else []

    def start(self) -> None:
        if self._started or self._stopped:
            return
        self._started = True
        self._start_io()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._started:
            self._stop_io()
        self.supervisor.on_stop()

    def _start_io(self) -> None:
        raise NotImplementedError

    def _stop_io(self) -> None:
        raise NotImplementedError

    def _link_up(self) -> None:
        """A fresh link: the device may have restarted its counters, so forget the time line."""
        self._stamper.reset()
        self.supervisor.connected()

    def _deliver(self, readings: list[Reading]) -> None:
        """Called on the I/O thread with freshly decoded readings."""
        if not readings or self._stopped:
            return
        arrival_s = self._time()
        for r in readings:
            block = self._stamper.stamp(r, arrival_s)
            self._queue.put(block)
            self.samples_received += len(block)
        self.supervisor.on_samples()

    @property
    def finished(self) -> bool:
        return self.supervisor.status().state is SourceState.STOPPED
