"""Every puck decoder fuzzed with a few thousand random and mutated frames (the 100 000-frame run
is `make fuzz`): nothing raises, every output is finite and within the format's full scale, the
serial framers resynchronise within one frame after garbage, and noise rarely passes for data."""

from __future__ import annotations

import dataclasses
import struct

import numpy as np
import pytest

from devices.pucks.framers import WitSerialFramer
from devices.pucks.reading import Reading
from soak.fuzz import TARGETS, fuzz
from tests import puck_wire

FAST_FRAMES = 3000
# Samples decoded per MB of pure noise. Checksummed formats: CRC-16 lets nothing through; the
# WitMotion one-byte sum (plus the check that the next frame follows) lets through a few dozen.
NOISE_LIMIT_PER_MB = {"openpuck-serial": 0.0, "auto": 0.0, "witmotion-serial": 200.0}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_decoder_survives_random_and_mutated_frames(name: str) -> None:
    report = fuzz(name, FAST_FRAMES, seed=1)
    assert report.frames == FAST_FRAMES
    assert report.resync_trials >= FAST_FRAMES // 10
    assert report.ok, "\n".join(report.failures[:5])
    if name in NOISE_LIMIT_PER_MB:
        per_mb = report.samples_from_noise / report.noise_bytes * 1e6
        assert per_mb <= NOISE_LIMIT_PER_MB[name], report.line()


def test_the_fuzzer_catches_a_decoder_without_its_length_check() -> None:
    """The harness can fail: a micro:bit decoder that trusts the payload length is caught."""

    def careless(payload: bytes) -> Reading | None:
        x, y, z = struct.unpack("<hhh", payload[:6])
        return Reading(np.array([[x, y, z]]) / 1000.0)

    broken = dataclasses.replace(TARGETS["microbit"], name="careless", decode=careless)
    TARGETS["careless"] = broken
    try:
        report = fuzz("careless", 300, seed=1)
    finally:
        del TARGETS["careless"]
    assert any(f.startswith("error:") for f in report.failures)


def test_a_false_witmotion_frame_in_noise_does_not_swallow_the_real_one() -> None:
    """Found by hypothesis: noise `55 55 5A A5 0B 3F 67` plus the next real frame's first four
    bytes sum right (one time in 256), so a false 0x55 frame swallowed the real accel frame. It
    is not followed by 0x55 and a real frame starts inside it, so it is noise."""
    zero = np.zeros(3)
    cycle = puck_wire.witmotion_serial(zero, zero)
    lifted = puck_wire.witmotion_serial(np.array([0.0, 0.0, 2.0]), zero)
    stream = cycle + b"UUZ\xa5\x0b?g" + lifted + cycle
    framer = WitSerialFramer()
    got = [r.accel_g[0].tolist() for r in framer.feed(stream)]
    assert got == [[0.0, 0.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
    assert framer.stats.skipped_bytes == 7
