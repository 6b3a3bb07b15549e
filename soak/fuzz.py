"""Fuzz every puck decoder with random and mutated frames: `python -m soak.fuzz [--frames N]`.

Each decoder gets N frames — a third random bytes (rich in sync bytes), two thirds valid frames
broken by one to three mutations (bit flips, byte changes, insertions, deletions, truncation,
repeats, splices with another frame). Serial framers get them as one stream cut at random
places, and every few frames a resynchronisation trial: garbage, then three valid frames, of
which the last two must come out exactly (resynchronised within one frame). Checked for every
output: no exception escapes, shapes are right, every value is finite and within the format's
full scale; and noise rarely passes for data (checksummed formats: almost never).

Seeded, so a failure is reproducible with the same `--seed`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from devices.pucks import formats, openpuck
from devices.pucks.framers import AutoFramer, CsvLineFramer, Framer, WitSerialFramer
from devices.pucks.reading import ACCEL_LIMIT_G, GYRO_LIMIT_DPS, Reading
from tests import puck_wire

SYNC_BYTES = (0x55, 0x51, 0x52, 0x61, 0xA5, 0x5A, 0x0A, 0x2C, 0x2E, 0x2D)  # incl. "\n , . -"
RESYNC_EVERY = 10  # one resynchronisation trial per this many fuzzed frames


@dataclass(frozen=True)
class Target:
    """One decoder: how a valid frame is made, and the format's full scale (the output bound)."""

    name: str
    encode: Callable[[np.ndarray, np.ndarray, int], bytes]  # accel g, gyro dps, seq → frame
    accel_limit_g: float
    gyro_limit_dps: float
    tolerance_g: float  # quantisation of the accel on the wire
    decode: Callable[[bytes], Reading | None] | None = None  # BLE: one notification
    framer: Callable[[], Framer] | None = None  # serial: a stream


def _openpuck(accel: np.ndarray, gyro: np.ndarray, seq: int) -> bytes:
    return openpuck.encode_packet(seq, seq * 20, 20000, accel.reshape(1, 3), gyro.reshape(1, 3))


def _openpuck_serial(accel: np.ndarray, gyro: np.ndarray, seq: int) -> bytes:
    return openpuck.frame_serial(_openpuck(accel, gyro, seq))


OPEN_G, OPEN_DPS = 32.768, 3276.8
TARGETS = {
    t.name: t
    for t in (
        Target("microbit", lambda a, g, i: puck_wire.microbit(a), 32.768, 0, 1e-3,
               decode=formats.decode_microbit),
        Target("witmotion-ble", lambda a, g, i: puck_wire.witmotion_ble(a, g), 16, 2000, 1e-3,
               decode=formats.decode_witmotion_ble),
        Target("thingy", lambda a, g, i: puck_wire.thingy_raw(a, g), 32, 1024, 1e-3,
               decode=formats.decode_thingy_raw),
        Target("openpuck-ble", _openpuck, OPEN_G, OPEN_DPS, 1e-3, decode=openpuck.decode_packet),
        Target("witmotion-serial", lambda a, g, i: puck_wire.witmotion_serial(a, g), 16, 2000,
               1e-3, framer=WitSerialFramer),
        Target("csv", lambda a, g, i: puck_wire.csv_line(a, g), ACCEL_LIMIT_G, GYRO_LIMIT_DPS,
               1e-3, framer=CsvLineFramer),
        Target("openpuck-serial", _openpuck_serial, OPEN_G, OPEN_DPS, 1e-3,
               framer=openpuck.OpenPuckFramer),
        Target("auto", _openpuck_serial, OPEN_G, OPEN_DPS, 1e-3, framer=AutoFramer),
    )
}  # fmt: skip


@dataclass
class Report:
    target: str
    frames: int = 0  # fuzzed frames fed (random + mutated)
    samples_out: int = 0  # samples the decoder produced from them
    noise_bytes: int = 0  # bytes of pure random noise fed
    samples_from_noise: int = 0
    resync_trials: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        per_mb = self.samples_from_noise / max(self.noise_bytes, 1) * 1e6
        return (
            f"{self.target:17} {self.frames:7d} frames  {self.samples_out:7d} samples out  "
            f"{per_mb:8.1f} samples per MB of noise  {self.resync_trials:6d} resync trials  "
            f"{len(self.failures)} failures  {self.seconds:5.1f} s"
        )


def valid_sample(rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    accel = np.array([rng.uniform(-3.9, 3.9) for _ in range(3)])
    gyro = np.array([rng.uniform(-900.0, 900.0) for _ in range(3)])
    return accel, gyro


def noise(rng: random.Random, n: int) -> bytes:
    return bytes(rng.choice(SYNC_BYTES) if rng.random() < 0.3 else rng.randrange(256)
                 for _ in range(n))  # fmt: skip


def mutate(rng: random.Random, frame: bytes, other: bytes) -> bytes:
    """One to three random mutations of `frame` (`other`: a second frame to splice with)."""
    data = bytearray(frame)
    for _ in range(rng.randint(1, 3)):
        if not data:
            data += noise(rng, 1)
        i = rng.randrange(len(data))
        kind = rng.randrange(8)
        if kind == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[i] = rng.randrange(256)
        elif kind == 2:
            data[i:i] = noise(rng, rng.randint(1, 4))
        elif kind == 3:
            del data[i : i + rng.randint(1, 4)]
        elif kind == 4:
            del data[i:]
        elif kind == 5:
            data[i:i] = data[i : i + rng.randint(1, 12)]
        elif kind == 6:
            data = data[:i] + other[rng.randrange(max(len(other), 1)) :]
        else:
            data[i] = rng.choice(SYNC_BYTES)
    return bytes(data)


def check_reading(target: Target, r: object) -> str | None:
    """What is wrong with one decoder output, or None."""
    if not isinstance(r, Reading):
        return f"returned {type(r).__name__}, not a Reading"
    n = len(r)
    if n < 1 or r.accel_g.shape != (n, 3):
        return f"accel shape {r.accel_g.shape}"
    if not np.all(np.isfinite(r.accel_g)) or np.max(np.abs(r.accel_g)) > target.accel_limit_g:
        return f"accel out of range: {r.accel_g.tolist()}"
    if r.gyro_dps is not None:
        if r.gyro_dps.shape != (n, 3) or not np.all(np.isfinite(r.gyro_dps)):
            return f"gyro {r.gyro_dps.tolist()}"
        if np.max(np.abs(r.gyro_dps)) > target.gyro_limit_dps:
            return f"gyro out of range: {r.gyro_dps.tolist()}"
    return None


class Feeder:
    """Feeds one target, checking every output; a serial stream is cut at random places."""

    def __init__(self, target: Target, rng: random.Random, report: Report) -> None:
        self.target, self.rng, self.report = target, rng, report
        self.framer = target.framer() if target.framer else None

    def feed(self, data: bytes) -> list[Reading]:
        try:
            if self.target.decode is not None:
                one = self.target.decode(data)
                out = [] if one is None else [one]
            else:
                assert self.framer is not None
                out = []
                i = 0
                while i < len(data):
                    step = self.rng.randint(1, 64)
                    out += self.framer.feed(data[i : i + step])
                    i += step
        except Exception as exc:
            self.report.failures.append(f"{type(exc).__name__}: {exc} on {data[:48].hex()}")
            return []
        for r in out:
            problem = check_reading(self.target, r)
            if problem:
                self.report.failures.append(f"{problem} from {data[:48].hex()}")
        return out


def resync_trial(feeder: Feeder, rng: random.Random, seq: int) -> None:
    """Garbage, then three valid frames: on a serial stream the last two must come out (within
    one frame); as BLE notifications all three (each notification is a frame of its own)."""
    target = feeder.target
    sent = [valid_sample(rng) for _ in range(3)]
    frames = [target.encode(a, g, seq + k) for k, (a, g) in enumerate(sent)]
    garbage = noise(rng, rng.randint(1, 64))
    if rng.random() < 0.5:
        garbage = mutate(rng, frames[0], frames[1])
    if target.name == "csv":
        garbage = garbage.replace(b"\n", b"")  # noise with no newline runs into the first line
    if target.decode is not None:
        got = [r for chunk in (garbage, *frames) for r in feeder.feed(chunk)]
        must = sent
    else:
        closing = target.encode(*valid_sample(rng), seq + 3)  # witmotion pairs accel with gyro
        got = feeder.feed(garbage + b"".join(frames) + closing)
        must = sent[1:]
    decoded = np.concatenate([r.accel_g for r in got]) if got else np.zeros((0, 3))
    for accel, _ in must:
        near = np.all(np.abs(decoded - accel) <= target.tolerance_g + 1e-9, axis=1)
        if not np.any(near):
            feeder.report.failures.append(
                f"not resynchronised: {accel.round(3).tolist()} lost after {garbage.hex()}"
            )


def fuzz(name: str, n_frames: int, seed: int = 0) -> Report:
    """Fuzz one target with `n_frames` random and mutated frames."""
    target = TARGETS[name]
    rng = random.Random(f"{seed}-{name}")
    report = Report(name)
    start_s = time.perf_counter()
    feeder = Feeder(target, rng, report)
    feeder.feed(b"".join(target.encode(*valid_sample(rng), i) for i in range(8)))  # lock `auto`
    for i in range(n_frames):
        a, g = valid_sample(rng)
        frame = target.encode(a, g, i)
        if i % 3 == 0:
            data = noise(rng, rng.randint(0, 2 * len(frame)))
            samples = sum(len(r) for r in feeder.feed(data))
            report.noise_bytes += len(data)
            report.samples_from_noise += samples
        else:
            other = target.encode(*valid_sample(rng), i + 1)
            samples = sum(len(r) for r in feeder.feed(mutate(rng, frame, other)))
        report.frames += 1
        report.samples_out += samples
        if i % RESYNC_EVERY == 0:
            resync_trial(feeder, rng, i)
            report.resync_trials += 1
    report.seconds = time.perf_counter() - start_s
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000, help="per decoder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=sorted(TARGETS), action="append")
    args = parser.parse_args(argv)
    reports = [fuzz(name, args.frames, args.seed) for name in args.only or TARGETS]
    for report in reports:
        print(report.line(), flush=True)
        for failure in report.failures[:5]:
            print(f"    {failure}")
    failed = [r.target for r in reports if not r.ok]
    print("fuzz: all decoders passed" if not failed else f"fuzz: FAILED {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
