"""The cases every counting benchmark runs on: SPAR sets and variations derived from them.

SPAR (Burns et al. 2018) has 20 reps in every set, so a counter that always says 20 would look
perfect on it. The variations change what the truth is or how the movement looks, the way patients
differ from the healthy volunteers who were recorded:

- `slow2`, `slow3`: the same movement 2× and 3× slower (patients move slower), made physically
  (`slowed`): the gravity direction is resampled longer, the arm's own (linear) acceleration is
  resampled and divided by k² (a k× slower path has 1/k² of the acceleration), rotation rates
  are divided by k, and the recording's sensor noise is added back;
- `small40`: every gravity direction turned toward the set's mean, to 40 % of its angle (partial
  range);
- `joined`: the two halves of a set (below) with 10 s of still rest between them at the pose where
  they were cut (20 reps; the second half tests the live counter after a pause);
- `first10`, `last10`: the set cut in two between its 10th and 11th rep (10 reps each). The cut is
  found offline, knowing the set has 20 reps (`rep_boundaries`): the turning point between the 10th
  and 11th of the 20 most prominent swings. That is rest or the top of the movement, whichever the
  offline polarity picks, so a half may start or end mid-rep (sets that really end mid-rep). Sets
  where the offline segmentation is not clean are left out of these two variations;
- `rest`: a minute of still rest with 5 Hz tremor and sensor noise in the set's mean pose (0 reps).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal

from devices.recording import read_recording
from devices.samples import SampleBlock

RATE_HZ = 50.0
REPS_PER_SET = 20
SPAR_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "spar"
REST_S = 60.0
JOIN_REST_S = 10.0
VARIATIONS = ("plain", "slow2", "slow3", "small40", "joined", "first10", "last10", "rest")


@dataclass(frozen=True)
class Case:
    """One recording to count, with its true number of reps."""

    name: str  # e.g. "S1_ABD_L"
    variation: str
    exercise: str  # SPAR exercise code (PEN, ABD, ...)
    block: SampleBlock
    truth: int


def load(path: Path) -> SampleBlock:
    """A SPAR set on an exact 50 Hz clock, so variations built from it stay on the same clock."""
    block = read_recording(path).block
    return SampleBlock(
        block.puck_id, np.arange(len(block)) / RATE_HZ, block.accel_g, block.gyro_dps
    )


GRAVITY_CUTOFF_HZ = 1.5  # below it the low-passed accelerometer is taken as the gravity direction
NOISE_BAND_HZ = 12.0  # above it a recording holds (nearly) only sensor noise and tremor


def slowed(
    block: SampleBlock, factor: float, seed: int = 0, rate_hz: float = RATE_HZ
) -> SampleBlock:
    """The same movement `factor` (k) times slower, as a slower arm would really record it.

    Resampling the whole recording is not enough: it keeps the arm's own acceleration at full size,
    but a path followed k× slower has 1/k² of it (and 1/k of the angular rate), so the tilt of a
    resampled set shakes as much as at full speed. So the accelerometer is split into the gravity
    direction (zero-phase low-pass at `GRAVITY_CUTOFF_HZ`, normalised; resampled as a direction,
    at the set's median magnitude) and the linear part (accel minus gravity; resampled, divided by
    k²); the gyro is resampled and divided by k. Resampling smooths the sensor noise and the
    scaling shrinks it, so white noise at the recording's own level (`sensor_noise`) is added back.
    Linear acceleration slower than the cutoff stays in the gravity part (a little is kept).
    """
    assert block.gyro_dps is not None
    n = len(block)
    m = round((n - 1) * factor) + 1
    src, idx = np.linspace(0, n - 1, m), np.arange(n)

    def resample(x: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(src, idx, x[:, i]) for i in range(x.shape[1])], axis=1)

    sos = signal.butter(2, GRAVITY_CUTOFF_HZ, fs=rate_hz, output="sos")
    low = signal.sosfiltfilt(sos, block.accel_g, axis=0)
    magnitude_g = float(np.median(np.linalg.norm(block.accel_g, axis=1)))
    up = low / np.linalg.norm(low, axis=1, keepdims=True)
    linear_g = block.accel_g - magnitude_g * up
    slow_up = resample(up)
    slow_up /= np.linalg.norm(slow_up, axis=1, keepdims=True)
    accel_noise_g, gyro_noise_dps = sensor_noise(block, rate_hz)
    rng = np.random.default_rng(seed)
    accel = magnitude_g * slow_up + resample(linear_g) / factor**2
    accel += rng.normal(0.0, 1.0, (m, 3)) * accel_noise_g
    gyro = resample(block.gyro_dps) / factor + rng.normal(0.0, 1.0, (m, 3)) * gyro_noise_dps
    return SampleBlock(block.puck_id, np.arange(m) / rate_hz, accel, gyro)


def sensor_noise(block: SampleBlock, rate_hz: float = RATE_HZ) -> tuple[np.ndarray, np.ndarray]:
    """Per-axis white-noise level (accel g, gyro deg/s) of a recording: the spread above
    `NOISE_BAND_HZ` in its quietest seconds (5th percentile of 1 s windows), scaled up to the full
    band as if white."""
    assert block.gyro_dps is not None
    band_hz = min(NOISE_BAND_HZ, 0.45 * rate_hz)
    sos = signal.butter(4, band_hz, btype="high", fs=rate_hz, output="sos")
    band_share = (rate_hz / 2 - band_hz) / (rate_hz / 2)
    window = int(rate_hz)
    levels = []
    for x in (block.accel_g, block.gyro_dps):
        high = signal.sosfiltfilt(sos, x, axis=0)
        w = len(high) // window
        spread = high[: w * window].reshape(w, window, 3).std(axis=1)
        levels.append(np.percentile(spread, 5, axis=0) / np.sqrt(band_share))
    return levels[0], levels[1]


def shrunk(block: SampleBlock, factor: float) -> SampleBlock:
    """A partial range: gravity directions turned toward their mean, to `factor` of the angle."""
    magnitude = np.linalg.norm(block.accel_g, axis=1, keepdims=True)
    up = block.accel_g / magnitude
    mean = up.mean(axis=0)
    mean /= np.linalg.norm(mean)
    cos = np.clip(up @ mean, -1.0, 1.0)
    angle = np.arccos(cos)
    perp = up - cos[:, None] * mean
    norm = np.linalg.norm(perp, axis=1, keepdims=True)
    perp = np.divide(perp, norm, out=np.zeros_like(perp), where=norm > 1e-12)
    new_up = np.cos(factor * angle)[:, None] * mean + np.sin(factor * angle)[:, None] * perp
    assert block.gyro_dps is not None
    return SampleBlock(block.puck_id, block.t_s, new_up * magnitude, block.gyro_dps * factor)


def still(
    up: np.ndarray, duration_s: float, seed: int, to_up: np.ndarray | None = None
) -> SampleBlock:
    """A still puck (noise and 5 Hz tremor) at gravity direction `up`, turning smoothly to `to_up`
    over the last second when given (the patient settling into the next set's pose)."""
    rng = np.random.default_rng(seed)
    n = int(duration_s * RATE_HZ)
    t_s = np.arange(n) / RATE_HZ
    direction = np.tile(up / np.linalg.norm(up), (n, 1))
    if to_up is not None:
        turn = int(RATE_HZ)
        w = 0.5 * (1 - np.cos(np.pi * np.arange(turn) / turn))[:, None]
        mix = (1 - w) * direction[-turn:] + w * (to_up / np.linalg.norm(to_up))
        direction[-turn:] = mix / np.linalg.norm(mix, axis=1, keepdims=True)
    tremor = np.sin(2 * np.pi * 5.0 * t_s + rng.uniform(0, 2 * np.pi))[:, None]
    accel = direction + rng.normal(0, 0.01, (n, 3)) + 0.015 * tremor * np.array([0.6, 0.5, 0.6])
    gyro = rng.normal(0, 0.5, (n, 3)) + 4.0 * tremor * np.array([0.2, 1.0, 0.3])
    return SampleBlock("p1", t_s, accel, gyro)


def joined(*blocks: SampleBlock) -> SampleBlock:
    """Blocks one after another on one clock."""
    accel = np.concatenate([b.accel_g for b in blocks])
    gyro = np.concatenate([b.gyro_dps for b in blocks if b.gyro_dps is not None])
    return SampleBlock(blocks[0].puck_id, np.arange(len(accel)) / RATE_HZ, accel, gyro)


def rep_boundaries(
    block: SampleBlock, reps: int = REPS_PER_SET, rate_hz: float = RATE_HZ
) -> np.ndarray | None:
    """Offline, knowing the set has `reps` reps: the sample indices of the rest points between
    them (reps - 1 of them), or None when the segmentation is not clean enough to trust.

    Zero-phase low-pass, first principal component, the `reps` most prominent peaks (either
    polarity, whichever gives more regular reps), and the lowest point between neighbours.
    """
    sos = signal.butter(2, GRAVITY_CUTOFF_HZ, fs=rate_hz, output="sos")
    smooth = signal.sosfiltfilt(sos, block.accel_g, axis=0)
    centred = smooth - smooth.mean(axis=0)
    pc = centred @ np.linalg.eigh(centred.T @ centred)[1][:, -1]
    best: tuple[float, np.ndarray] | None = None
    for x in (pc, -pc):
        peaks, props = signal.find_peaks(x, distance=int(0.5 * rate_hz), prominence=0)
        if len(peaks) <= reps:
            continue
        order = np.argsort(props["prominences"])[::-1]
        top = np.sort(peaks[order[:reps]])
        prominence = np.sort(props["prominences"])[::-1]
        gaps = np.diff(top)
        regular = gaps.std() / gaps.mean()
        # Clean: the reps stand well above the next bump, and come at a steady pace.
        if prominence[reps] > 0.5 * prominence[reps - 1] or regular > 0.35:
            continue
        troughs = np.array([a + int(np.argmin(x[a:b])) for a, b in itertools.pairwise(top)])
        if best is None or regular < best[0]:
            best = (regular, troughs)
    return None if best is None else best[1]


def spar_files(folder: Path = SPAR_DIR) -> list[Path]:
    return sorted(folder.glob("S*_*_*.csv"))


def read_labels(folder: Path = SPAR_DIR) -> dict[str, int]:
    with (folder / "labels.csv").open(encoding="utf-8") as stream:
        return {Path(row["file"]).stem: int(row["reps"]) for row in csv.DictReader(stream)}


def cases(variations: tuple[str, ...] = VARIATIONS, folder: Path = SPAR_DIR) -> Iterator[Case]:
    """Every case of the chosen variations, set by set."""
    files = spar_files(folder)
    if not files:
        raise FileNotFoundError(f"no SPAR recordings in {folder}")
    for i, path in enumerate(files):
        name = path.stem
        code = name.split("_")[1]
        block = load(path)
        if "plain" in variations:
            yield Case(name, "plain", code, block, REPS_PER_SET)
        if "slow2" in variations:
            yield Case(name, "slow2", code, slowed(block, 2.0, seed=i), REPS_PER_SET)
        if "slow3" in variations:
            yield Case(name, "slow3", code, slowed(block, 3.0, seed=i), REPS_PER_SET)
        if "small40" in variations:
            yield Case(name, "small40", code, shrunk(block, 0.4), REPS_PER_SET)
        halves = {"first10", "last10", "joined"} & set(variations)
        cuts = rep_boundaries(block) if halves else None
        if cuts is not None:
            mid = int(cuts[REPS_PER_SET // 2 - 1])
            if "joined" in variations:
                rest = still(block.accel_g[mid], JOIN_REST_S, seed=i)
                both = joined(block.slice(0, mid), rest, block.slice(mid, len(block)))
                yield Case(name, "joined", code, both, REPS_PER_SET)
            if "first10" in variations:
                yield Case(name, "first10", code, block.slice(0, mid), REPS_PER_SET // 2)
            if "last10" in variations:
                last = block.slice(mid, len(block))
                yield Case(name, "last10", code, _rezero(last), REPS_PER_SET // 2)
        if "rest" in variations:
            mean_up = block.accel_g.mean(axis=0)
            yield Case(name, "rest", code, still(mean_up, REST_S, seed=1000 + i), 0)


def _rezero(block: SampleBlock) -> SampleBlock:
    return SampleBlock(block.puck_id, block.t_s - block.t_s[0], block.accel_g, block.gyro_dps)
