"""Device faults on a real serial link (a pseudo-terminal written at the puck's rate), played
through the real game: the far end closing mid-set, garbage bursts, a stream that decodes to
nothing (wrong protocol or baud rate), and a stall without a disconnect. Each time the game
pauses with words a patient can act on, resumes by itself, and the count is exactly the reps
made — none lost, none doubled."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.pucks.serial_puck import SerialPuck
from devices.pucks.supervisor import DEFAULT_POLICY
from tests import puck_wire
from tests.fault_helpers import (
    PLAYING,
    SIGNAL_RATE_HZ,
    SPEED,
    FastClock,
    GameRun,
    play_game,
    rep_signal,
)
from tests.pty_puck import PtyPuck, close_all

REPS = 4
CONNECTING = "Connecting to the blue puck…"
WAITING = "The blue puck stopped talking. Check that its cable is plugged in — waiting…"
RECONNECTING = "The blue puck stopped talking. Check that its cable is plugged in — reconnecting…"
NO_VALID_DATA = "The blue puck sends no valid data — check the protocol and baud rate."
TAIL_WALL_S = 0.4  # after the last byte: under the stall time, so the end is not a "stall"


@pytest.fixture(autouse=True)
def _close_ptys() -> Iterator[None]:
    yield
    close_all()


def wait_for(condition: Callable[[], bool], limit_s: float = 10.0) -> bool:
    end_s = time.monotonic() + limit_s
    while not condition() and time.monotonic() < end_s:
        time.sleep(0.01)
    return condition()


Fault = Callable[[], list[bytes]]


def faulty_stream(protocol: str, faults: dict[int, Fault], reps: int = REPS) -> Iterator[bytes]:
    """The puck's bytes, sample by sample. Before sample i, `faults[i]()` runs on the device's
    thread: it may unplug, stall, or return chunks of garbage, sent one per sample period."""
    signal = rep_signal(reps)
    chunks = puck_wire.serial_stream(protocol, signal.accel_g, signal.gyro_dps, SIGNAL_RATE_HZ)
    for i, chunk in enumerate(chunks):
        if i in faults:
            yield from faults[i]()
        yield chunk


def noise(rng: random.Random, seconds: float, bytes_per_sample: int = 20) -> list[bytes]:
    """Random bytes at the puck's byte rate for `seconds`: nothing in them decodes."""
    n = round(seconds * SIGNAL_RATE_HZ)
    return [bytes(rng.randrange(256) for _ in range(bytes_per_sample)) for _ in range(n)]


def open_game(
    tmp_path: Path, wire: str, faults: dict[int, Fault], protocol: str | None = None
) -> tuple[PtyPuck, SerialPuck, FastClock]:
    """A pty puck sending `wire` bytes with `faults`, and the SerialPuck the game reads."""
    clock = FastClock()
    device = PtyPuck(
        tmp_path / "ttyUSB0",
        faulty_stream(wire, faults),
        SIGNAL_RATE_HZ * SPEED,
        autostart=False,
    )
    puck = SerialPuck(str(device.path), 115200, protocol, label="blue puck", time_func=clock)

    def start_when_open() -> None:  # pyserial flushes input on open: send once it is open
        wait_for(lambda: puck.opens >= 1)
        device.start_writing()

    threading.Thread(target=start_when_open, daemon=True).start()
    return device, puck, clock


def until_sent(device: PtyPuck) -> Callable[[GameRun], bool]:
    """Play until the device has sent everything, plus a moment for the last bytes to land."""
    finished_at: list[float] = []

    def done(_run: GameRun) -> bool:
        if device.done and not finished_at:
            finished_at.append(time.monotonic())
        return bool(finished_at) and time.monotonic() - finished_at[0] > TAIL_WALL_S

    return done


def rest_index(k: int) -> int:
    return rep_signal(REPS).rest_before_rep(k)


def test_far_end_closed_mid_set(tmp_path: Path) -> None:
    holder: dict[str, SerialPuck] = {}

    def pull_the_cable() -> list[bytes]:
        device.unplug()
        time.sleep(FastClock().wall_s(3.0))  # three seconds without the puck
        device.plug()
        # The patient waits for the game to come back (it says it is reconnecting).
        assert wait_for(lambda: holder["puck"].opens >= 2)
        return []

    device, puck, clock = open_game(tmp_path, "openpuck", {rest_index(2): pull_the_cable})
    holder["puck"] = puck
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [PLAYING, RECONNECTING, PLAYING]
    assert puck.opens == 2, "the port was reopened after the cable came back"
    assert run.reps == REPS


def test_garbage_bursts_then_a_long_one(tmp_path: Path) -> None:
    rng = random.Random(9)
    signal_len = len(rep_signal(REPS).accel_g)

    def burst() -> list[bytes]:  # line noise, with sync bytes that start false frames
        return [bytes(rng.choice([0xA5, 0x5A, 0x55, rng.randrange(256)]) for _ in range(40))]

    faults: dict[int, Fault] = {i: burst for i in range(7, signal_len, 23)}
    faults[rest_index(2)] = lambda: noise(rng, 3.0)
    device, puck, clock = open_game(tmp_path, "openpuck", faults, protocol="openpuck")
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [PLAYING, NO_VALID_DATA, PLAYING]
    assert run.reps == REPS, "a burst costs at most a sample, never a rep"
    assert puck.lost_samples <= len(faults), "at most one packet lost per burst"


def test_wrong_protocol_says_what_to_check(tmp_path: Path) -> None:
    # An Arduino CSV sketch, but the puck was set up as a WitMotion: nothing ever decodes.
    _device, puck, clock = open_game(tmp_path, "csv", {}, protocol="witmotion")
    run = play_game(
        puck, clock, lambda run: NO_VALID_DATA in run.phases, limit_wall_s=clock.wall_s(3.0)
    )
    assert run.story(CONNECTING) == [NO_VALID_DATA]
    assert run.reps == 0 and puck.samples_received == 0


def test_wrong_baud_then_fixed_resumes(tmp_path: Path) -> None:
    # At a wrong baud rate a UART turns every byte into another: noise with no frame in it.
    rng = random.Random(4)
    device, puck, clock = open_game(tmp_path, "openpuck", {0: lambda: noise(rng, 2.5)})
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [NO_VALID_DATA, PLAYING]
    assert run.reps == REPS


def test_stall_without_disconnect(tmp_path: Path) -> None:
    silent_s = (DEFAULT_POLICY.stall_after_s + DEFAULT_POLICY.reconnect_after_s) / 2

    def fall_silent() -> list[bytes]:  # the port stays open; the puck just stops sending
        time.sleep(FastClock().wall_s(silent_s))
        return []

    device, puck, clock = open_game(tmp_path, "witmotion", {rest_index(2): fall_silent})
    run = play_game(puck, clock, until_sent(device), limit_wall_s=30.0)
    assert run.story(CONNECTING) == [PLAYING, WAITING, PLAYING]
    assert puck.opens == 1, "a short silence is waited out, not reconnected"
    assert run.reps == REPS
