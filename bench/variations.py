"""Variations of a labelled set, made the way patients and pucks differ from the recordings.

Every variation is a function of (set, seed) that returns a block and its true count, so bench and
tests build the same cases. Rate changes and timing faults keep the movement and change how it is
sampled; movement changes keep the count; the non-rep cases (truth 0) are what a counter must
never count: a trembling rest, a slow posture shift that does not come back, the puck picked up,
carried and set down somewhere else.

Parameters are drawn per case from the ranges the detector issue names (slowed ×2.5–3, range
30–40 %, pauses of 15–25 s, rests of 30–60 s, bursts at 3–6 Hz), seeded, so runs repeat.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from scipy import signal

from bench.cases import rep_boundaries, shrunk, slowed
from devices.limb_model import rotate
from devices.samples import SampleBlock

RATES_HZ = (10.0, 25.0, 50.0, 100.0, 200.0)
NOISE_G, NOISE_DPS = 0.005, 0.3  # white sensor noise added where samples are made up


def resampled(block: SampleBlock, rate_hz: float, to_hz: float, seed: int = 0) -> SampleBlock:
    """The set as a puck at `to_hz` would have sampled it: band-limited below the new Nyquist
    when slower (a real sensor's anti-alias filter), interpolated, and with sensor noise."""
    accel = np.asarray(block.accel_g, dtype=np.float64)
    gyro = None if block.gyro_dps is None else np.asarray(block.gyro_dps, dtype=np.float64)
    if to_hz < rate_hz:
        sos = signal.butter(4, 0.4 * to_hz, fs=rate_hz, output="sos")
        accel = signal.sosfiltfilt(sos, accel, axis=0)
        gyro = None if gyro is None else signal.sosfiltfilt(sos, gyro, axis=0)
    t0, t1 = float(block.t_s[0]), float(block.t_s[-1])
    t_new = t0 + np.arange(int((t1 - t0) * to_hz) + 1) / to_hz
    rng = np.random.default_rng(seed)

    def at(x: np.ndarray, noise: float) -> np.ndarray:
        y = np.stack([np.interp(t_new, block.t_s, x[:, c]) for c in range(3)], axis=1)
        return y + rng.normal(0.0, noise, y.shape) if to_hz > rate_hz else y

    g = None if gyro is None else at(gyro, NOISE_DPS)
    return SampleBlock(block.puck_id, t_new, at(accel, NOISE_G), g)


def jittered(block: SampleBlock, rate_hz: float, seed: int) -> SampleBlock:
    """Timestamps that wobble by up to ±30 % of the sample period between samples (stamped on
    arrival), two lost stretches of 0.2–0.4 s, and a declared rate that is not the real one."""
    rng = np.random.default_rng(seed)
    n = len(block)
    dt_s = 1.0 / rate_hz
    t_s = block.t_s + rng.uniform(-0.15, 0.15, n) * dt_s
    keep = np.ones(n, dtype=bool)
    for start in rng.integers(n // 4, 3 * n // 4, 2):
        keep[start : start + int(rng.uniform(0.2, 0.4) * rate_hz)] = False
    gyro = None if block.gyro_dps is None else block.gyro_dps[keep]
    return SampleBlock(block.puck_id, t_s[keep], block.accel_g[keep], gyro)


def still(
    up: np.ndarray, duration_s: float, rate_hz: float, seed: int, tremor_hz: float = 5.0
) -> SampleBlock:
    """A puck held still at gravity direction `up`: sensor noise and a small tremor."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * rate_hz)
    t_s = np.arange(n) / rate_hz
    direction = np.tile(up / np.linalg.norm(up), (n, 1))
    tremor = np.sin(2 * np.pi * tremor_hz * t_s + rng.uniform(0, 2 * np.pi))[:, None]
    accel = direction + rng.normal(0, 0.01, (n, 3)) + 0.015 * tremor * np.array([0.6, 0.5, 0.6])
    gyro = rng.normal(0, 0.5, (n, 3)) + 4.0 * tremor * np.array([0.2, 1.0, 0.3])
    return SampleBlock(up.tobytes().hex()[:6], t_s, accel, gyro)


def joined(rate_hz: float, *blocks: SampleBlock) -> SampleBlock:
    """Blocks one after another on one clock at `rate_hz`."""
    accel = np.concatenate([b.accel_g for b in blocks])
    has_gyro = all(b.gyro_dps is not None for b in blocks)
    gyro = np.concatenate([b.gyro_dps for b in blocks]) if has_gyro else None
    return SampleBlock(blocks[0].puck_id, np.arange(len(accel)) / rate_hz, accel, gyro)


def quietest_middle(block: SampleBlock, rate_hz: float) -> int:
    """The sample in the middle third of a set where a patient who pauses mid-set would stop:
    at rest (near the pose the set started in, not holding the limb up) and still (over 1 s)."""
    speed = np.linalg.norm(np.diff(block.accel_g, axis=0), axis=1)
    window = max(1, int(rate_hz))
    moving = np.convolve(speed, np.ones(window) / window, mode="same")
    up = block.accel_g[:-1] / np.linalg.norm(block.accel_g[:-1], axis=1, keepdims=True)
    start = up[: max(1, int(rate_hz))].mean(axis=0)
    off_rest_deg = np.degrees(np.arccos(np.clip(up @ (start / np.linalg.norm(start)), -1, 1)))
    n = len(moving)
    lo, hi = n // 3, 2 * n // 3
    cost = moving[lo:hi] / (np.median(moving) + 1e-9) + off_rest_deg[lo:hi] / 10.0
    return lo + int(np.argmin(cost))


def paused(block: SampleBlock, rate_hz: float, seed: int, reps: int) -> SampleBlock:
    """A 15–25 s rest in the middle of the set, holding the pose where it stopped: between two
    reps where the offline segmentation (knowing the count) is clean, else where it is still."""
    rng = np.random.default_rng(seed)
    cuts = rep_boundaries(block, reps, rate_hz)
    cut = quietest_middle(block, rate_hz) if cuts is None else int(cuts[reps // 2 - 1])
    rest = still(np.asarray(block.accel_g[cut]), rng.uniform(15, 25), rate_hz, seed)
    if block.gyro_dps is not None and rest.gyro_dps is not None:
        # A real gyro keeps its bias while the limb rests: the set's median rate estimates it.
        bias_dps = np.median(block.gyro_dps, axis=0)
        rest = SampleBlock(rest.puck_id, rest.t_s, rest.accel_g, rest.gyro_dps + bias_dps)
    return joined(rate_hz, block.slice(0, cut), rest, block.slice(cut, len(block)))


def with_bursts(block: SampleBlock, rate_hz: float, seed: int) -> SampleBlock:
    """Jerky 3–6 Hz bursts (spasticity-like clonus) of 1–2 s laid over the movement: 4 per set,
    the puck shaking ±4–8° about a horizontal axis."""
    rng = np.random.default_rng(seed)
    accel = np.array(block.accel_g, dtype=np.float64)
    gyro = None if block.gyro_dps is None else np.array(block.gyro_dps, dtype=np.float64)
    n = len(block)
    for _ in range(4):
        length = int(rng.uniform(1.0, 2.0) * rate_hz)
        start = int(rng.integers(0, max(1, n - length)))
        f_hz, amp_deg = rng.uniform(3, 6), rng.uniform(4, 8)
        t = np.arange(length) / rate_hz
        envelope = np.sin(np.pi * t / t[-1]) if length > 1 else np.ones(1)
        angle_deg = amp_deg * envelope * np.sin(2 * np.pi * f_hz * t)
        axis = np.array([np.cos(rng.uniform(0, np.pi)), np.sin(rng.uniform(0, np.pi)), 0.0])
        part = slice(start, start + length)
        accel[part] = rotate(accel[part], axis, np.radians(angle_deg))
        if gyro is not None:
            rate_dps = np.gradient(angle_deg, 1.0 / rate_hz)
            gyro[part] += rate_dps[:, None] * axis
    return SampleBlock(block.puck_id, block.t_s, accel, gyro)


def slow_turn(up: np.ndarray, to_up: np.ndarray, duration_s: float, rate_hz: float) -> np.ndarray:
    """Gravity directions turning smoothly from `up` to `to_up` over `duration_s`."""
    n = max(2, int(duration_s * rate_hz))
    w = 0.5 * (1 - np.cos(np.pi * np.arange(n) / (n - 1)))[:, None]
    mix = (1 - w) * up + w * to_up
    return np.asarray(mix / np.linalg.norm(mix, axis=1, keepdims=True))


def _with_still_ends(
    up_path: np.ndarray,
    rate_hz: float,
    seed: int,
    before_s: float,
    after_s: float,
    jolt_g: float = 0.0,
) -> SampleBlock:
    """Still, then the gravity path (with random jolts of `jolt_g` when carried), then still."""
    rng = np.random.default_rng(seed)
    before = still(up_path[0], before_s, rate_hz, seed)
    after = still(up_path[-1], after_s, rate_hz, seed + 1)
    n = len(up_path)
    accel = up_path + rng.normal(0, 0.01, (n, 3)) + rng.normal(0, jolt_g, (n, 3))
    cos = np.clip(np.sum(up_path[1:] * up_path[:-1], axis=1), -1, 1)
    gyro = rng.normal(0, 0.5, (n, 3))
    gyro[1:, 0] += np.degrees(np.arccos(cos)) * rate_hz
    middle = SampleBlock("p", np.arange(n) / rate_hz, accel, gyro)
    return joined(rate_hz, before, middle, after)


def _tilted(up: np.ndarray, angle_deg: float, rng: np.random.Generator) -> np.ndarray:
    heading = rng.uniform(0, 2 * np.pi)
    axis = np.cross(up, [np.cos(heading), np.sin(heading), 0.0])
    if np.linalg.norm(axis) < 1e-6:
        axis = np.array([1.0, 0.0, 0.0])
    turned = rotate(up[None, :], axis / np.linalg.norm(axis), np.radians([angle_deg]))
    return np.asarray(turned[0])


def rest_with_tremor(up: np.ndarray, rate_hz: float, seed: int) -> SampleBlock:
    """30–60 s of rest with a 3–6 Hz tremor: no rep."""
    rng = np.random.default_rng(seed)
    return still(up, rng.uniform(30, 60), rate_hz, seed, tremor_hz=rng.uniform(3, 6))


def posture_shift(up: np.ndarray, rate_hz: float, seed: int) -> SampleBlock:
    """Settling into another posture: the puck turns 30–60° over 5–10 s and stays there."""
    rng = np.random.default_rng(seed)
    up = up / np.linalg.norm(up)
    to_up = _tilted(up, rng.uniform(30, 60), rng)
    path = slow_turn(up, to_up, rng.uniform(5, 10), rate_hz)
    return _with_still_ends(path, rate_hz, seed, rng.uniform(5, 10), rng.uniform(10, 20))


def picked_up(up: np.ndarray, rate_hz: float, seed: int) -> SampleBlock:
    """The puck picked up, carried about for 4–8 s (turned this way and that, jolted) and set
    down on another face: no rep."""
    rng = np.random.default_rng(seed)
    up = up / np.linalg.norm(up)
    waypoints = [up]
    for _ in range(int(rng.integers(2, 5))):
        waypoints.append(_tilted(waypoints[-1], rng.uniform(20, 70), rng))
    waypoints.append(_tilted(up, rng.choice([90.0, 180.0]) - 1.0, rng))
    carried_s = rng.uniform(4, 8)
    leg_s = carried_s / (len(waypoints) - 1)
    legs = itertools.pairwise(waypoints)
    path = np.concatenate([slow_turn(a, b, leg_s, rate_hz) for a, b in legs])
    return _with_still_ends(path, rate_hz, seed, rng.uniform(3, 6), rng.uniform(10, 20), 0.15)


# (set, its rate, a seed, its true count) -> (the varied set, its true count)
Variation = Callable[[SampleBlock, float, int, int], tuple[SampleBlock, int]]


def _keep(make: Callable[[SampleBlock, float, int], SampleBlock]) -> Variation:
    def variation(
        block: SampleBlock, rate_hz: float, seed: int, truth: int
    ) -> tuple[SampleBlock, int]:
        return make(block, rate_hz, seed), truth

    return variation


def _paused(block: SampleBlock, rate_hz: float, seed: int, truth: int) -> tuple[SampleBlock, int]:
    return paused(block, rate_hz, seed, truth), truth


def _none(make: Callable[[np.ndarray, float, int], SampleBlock]) -> Variation:
    def variation(
        block: SampleBlock, rate_hz: float, seed: int, truth: int
    ) -> tuple[SampleBlock, int]:
        return make(np.asarray(block.accel_g[:10].mean(axis=0)), rate_hz, seed), 0

    return variation


def _slowed(block: SampleBlock, rate_hz: float, seed: int) -> SampleBlock:
    factor = float(np.random.default_rng(seed).uniform(2.5, 3.0))
    return slowed(block, factor, seed, rate_hz)


def _shrunk(block: SampleBlock, rate_hz: float, seed: int) -> SampleBlock:
    return shrunk(block, float(np.random.default_rng(seed).uniform(0.3, 0.4)))


VARIATIONS: dict[str, Variation] = {
    "plain": _keep(lambda b, r, s: b),
    "jitter": _keep(jittered),
    "slowed": _keep(_slowed),
    "small": _keep(_shrunk),
    "pause": _paused,
    "bursts": _keep(with_bursts),
    "rest": _none(rest_with_tremor),
    "posture": _none(posture_shift),
    "pickup": _none(picked_up),
}
NO_REP_VARIATIONS = ("rest", "posture", "pickup")
