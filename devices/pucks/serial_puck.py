"""A serial puck (USB cable, or Bluetooth SPP as /dev/rfcomm0) on its own reader thread.

The thread opens the port with `serial.serial_for_url` (so `socket://` and `loop://` work too),
feeds the bytes to the protocol's framer and hands readings to the main thread. A read error or a
silent port closes it and reopens it after a backoff; when the protocol or the baud rate was not
given, the first seconds of bytes decide (`AutoFramer`), trying the common WitMotion rates in turn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from devices.pucks.errors import PuckConnectionError, PuckProtocolError
from devices.pucks.framers import SERIAL_FRAMERS, AutoFramer, Framer
from devices.pucks.puck_source import PuckSource
from devices.pucks.supervisor import DEFAULT_POLICY, ConnectionPolicy
from devices.source import SourceInfo

AUTO_BAUDS = (115200, 9600)  # BWT901CL is fixed at 115200; wired WT901/HWT905 default to 9600
READ_TIMEOUT_S = 0.05
NOMINAL_RATE_HZ = {"witmotion": 50.0, "csv": 100.0, "openpuck": 50.0, None: 50.0}
MODELS = {
    "witmotion": "WitMotion serial",
    "csv": "Arduino CSV",
    "openpuck": "RepQuest open puck",
    None: "serial puck",
}


def no_data_hint(port: str, baud: int, protocol: str | None, bytes_in: int) -> str:
    """What to check when nothing decodes, in words a caregiver can act on."""
    if bytes_in == 0:
        return f"No data from {port} at {baud} baud — is the puck switched on and streaming?"
    other = 9600 if baud != 9600 else 115200
    kind = {"witmotion": "a WitMotion", "csv": "an Arduino CSV sketch"}.get(protocol or "", "")
    what = f"is it {kind} at {other}?" if kind else f"is it a WitMotion at {other}?"
    return f"No data from {port} at {baud} baud — {what}"


class SerialPuck(PuckSource):
    """`serial:PORT[@BAUD][:PROTOCOL]` as a live Source."""

    def __init__(
        self,
        port: str,
        baud: int | None = None,
        protocol: str | None = None,
        label: str = "puck",
        rate_hz: float | None = None,
        policy: ConnectionPolicy = DEFAULT_POLICY,
        time_func: Callable[[], float] = time.monotonic,
        open_func: Callable[..., Any] = serial.serial_for_url,
    ) -> None:
        if protocol is not None and protocol not in SERIAL_FRAMERS:
            raise ValueError(f"serial protocol '{protocol}': use one of {sorted(SERIAL_FRAMERS)}")
        info = SourceInfo(
            id=f"serial:{port}",
            kind="serial",
            model=MODELS[protocol],
            rate_hz=rate_hz or NOMINAL_RATE_HZ[protocol],
            channels=("ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps"),
        )
        super().__init__(info, label, policy, time_func)
        self.port = port
        self.protocol = protocol
        self._bauds = (baud,) if baud else AUTO_BAUDS
        self._baud_index = 0
        self._open = open_func
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.opens = 0  # how many times the port was (re)opened

    @property
    def baud(self) -> int:
        return self._bauds[self._baud_index]

    def _start_io(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"serial {self.port}", daemon=True)
        self._thread.start()

    def _stop_io(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def _run(self) -> None:
        decoded_ever = False
        while not self._halt.is_set():
            framer: Framer = SERIAL_FRAMERS[self.protocol]() if self.protocol else AutoFramer()
            try:
                decoded_ever |= self._session(framer)
            except PuckConnectionError as exc:
                self.supervisor.on_link_down(exc)
                self.supervisor.undecodable = False  # the port itself failed, not the bytes
            except PuckProtocolError as exc:
                self.supervisor.on_link_down(exc)
                self.supervisor.hint = str(exc)
                if not decoded_ever:  # maybe the wrong baud: try the next common one
                    self._baud_index = (self._baud_index + 1) % len(self._bauds)
            self._halt.wait(self.supervisor.policy.backoff(self.supervisor.attempts))

    def _session(self, framer: Framer) -> bool:
        """One open port, read until it fails or falls silent; True if anything decoded."""
        try:
            port = self._open(self.port, baudrate=self.baud, timeout=READ_TIMEOUT_S)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PuckConnectionError(f"cannot open {self.port}: {exc}") from exc
        self.opens += 1
        self._link_up()
        decoded = False
        try:
            while not self._halt.is_set():
                try:
                    data = port.read(max(1, port.in_waiting))
                except (serial.SerialException, OSError) as exc:
                    raise PuckConnectionError(f"{self.port} stopped: {exc}") from exc
                if data:
                    readings = framer.feed(data)
                    if readings:
                        decoded = True
                        if isinstance(framer, AutoFramer) and self.protocol is None:
                            self._adopt(framer)
                        self._deliver(readings)
                    else:
                        self.supervisor.on_undecodable()
                if self.supervisor.should_reconnect():
                    hint = no_data_hint(self.port, self.baud, self.protocol, framer.stats.bytes_in)
                    if decoded and not self.supervisor.undecodable:
                        raise PuckConnectionError(f"{self.port} went silent")
                    raise PuckProtocolError(hint)
        finally:
            port.close()
        return decoded

    def _adopt(self, framer: AutoFramer) -> None:
        """The stream told us its protocol: keep it for reconnects and say so in `info`."""
        self.protocol = framer.protocol
        self._bauds = (self.baud,)
        self._baud_index = 0
        self._info = SourceInfo(
            self._info.id, "serial", MODELS[self.protocol], self._info.rate_hz, self._info.channels
        )
