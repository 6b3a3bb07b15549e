"""SPAR sets whose label the recording itself contradicts (see `bench/disputed/README.md`).

    python -m bench.disputed S7_ABD_L     (draws the evidence figure for one set)

The figure shows the angle of the gravity direction from the set's starting pose (zero-phase
low-pass, offline) with its complete excursions numbered, and the low-passed gyroscope: anyone can
count the reps by eye and compare them with the label.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cases import RATE_HZ, SPAR_DIR, load

FOLDER = Path(__file__).with_name("disputed")
# set name → the reps seen in the recording (the label says 20); evidence in disputed/README.md
DISPUTED = {"S7_ABD_L": 22}
_LOWPASS_HZ = 1.5
_MIN_EXCURSION_DEG = 60.0


def excursions(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time (s), angle from the starting pose (deg) and the indices of its complete excursions."""
    block = load(SPAR_DIR / f"{name}.csv")
    sos = signal.butter(2, _LOWPASS_HZ, fs=RATE_HZ, output="sos")
    smooth = signal.sosfiltfilt(sos, block.accel_g, axis=0)
    up = smooth / np.linalg.norm(smooth, axis=1, keepdims=True)
    start = up[: int(0.5 * RATE_HZ)].mean(axis=0)
    start /= np.linalg.norm(start)
    angle_deg = np.degrees(np.arccos(np.clip(up @ start, -1.0, 1.0)))
    peaks, _ = signal.find_peaks(angle_deg, prominence=_MIN_EXCURSION_DEG)
    return block.t_s, angle_deg, peaks


def draw(name: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t_s, angle_deg, peaks = excursions(name)
    block = load(SPAR_DIR / f"{name}.csv")
    assert block.gyro_dps is not None
    sos = signal.butter(2, _LOWPASS_HZ, fs=RATE_HZ, output="sos")
    gyro = signal.sosfiltfilt(sos, block.gyro_dps, axis=0)
    fig, ax = plt.subplots(2, 1, figsize=(12, 5), sharex=True)
    ax[0].plot(t_s, angle_deg, "k")
    ax[0].plot(t_s[peaks], angle_deg[peaks], "v", color="#D55E00")
    for i, k in enumerate(peaks):
        ax[0].text(t_s[k], angle_deg[k] + 6, str(i + 1), ha="center", fontsize=8)
    ax[0].set_ylabel("gravity direction from\nstarting pose (deg)")
    ax[0].set_title(f"{name} (label: 20 reps): {len(peaks)} complete excursions")
    for i, colour in enumerate(("#0072B2", "#E69F00", "#009E73")):
        ax[1].plot(t_s, gyro[:, i], color=colour, label="xyz"[i])
    ax[1].legend(loc="upper right")
    ax[1].set_ylabel("gyro, low-passed (deg/s)")
    ax[1].set_xlabel("time (s)")
    fig.tight_layout()
    out = FOLDER / f"{name}.png"
    fig.savefig(out, dpi=80)
    return out


if __name__ == "__main__":
    for arg in sys.argv[1:] or list(DISPUTED):
        print(draw(arg))
