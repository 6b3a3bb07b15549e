"""The contract every device honours: BLE puck, serial puck, keyboard simulator, replay.

Consumers (detector, game, CLI) only ever see this interface, so a simulator is chosen exactly
like hardware and everything above the devices layer is testable without a puck.
"""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass
from types import TracebackType

from devices.samples import SampleBlock


class SourceState(enum.Enum):
    CONNECTING = "connecting"
    STREAMING = "streaming"
    STALLED = "stalled"
    RECONNECTING = "reconnecting"
    LOST = "lost"
    STOPPED = "stopped"


@dataclass(frozen=True)
class SourceStatus:
    """Where a source stands, with a sentence a patient can read."""

    state: SourceState
    message: str


@dataclass(frozen=True)
class SourceInfo:
    """Metadata that travels with the stream (in the spirit of an LSL StreamInfo)."""

    id: str
    kind: str  # ble | serial | keyboard | replay
    model: str
    rate_hz: float
    channels: tuple[str, ...]


class Source(abc.ABC):
    """A stream of `SampleBlock`s. `read()` never blocks; `stop()` may be called repeatedly."""

    @property
    @abc.abstractmethod
    def info(self) -> SourceInfo: ...

    @property
    @abc.abstractmethod
    def status(self) -> SourceStatus: ...

    @abc.abstractmethod
    def start(self) -> None: ...

    @abc.abstractmethod
    def stop(self) -> None: ...

    @abc.abstractmethod
    def read(self) -> list[SampleBlock]:
        """Everything that arrived since the last call, oldest first; [] when nothing did."""

    @property
    def finished(self) -> bool:
        """True once the source will never produce another sample (end of a recording, stopped)."""
        return self.status.state is SourceState.STOPPED

    def __enter__(self) -> Source:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
