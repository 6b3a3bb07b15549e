"""The labelled recordings every counting benchmark runs on, from two independent corpora.

- `spar`: SPAR (Burns et al. 2018, BSD-3), 50 Hz wrist IMU, 7 shoulder exercises, 10 people,
  20 reps a set (`../shared/data/spar`, labels in its labels.csv).
- `physio`: the Physical Therapy Exercises Dataset (Yurtman & Barshan, UCI, CC BY 4.0,
  DOI 10.24432/C5JK60), subjects 4 and 5, Xsens MTx at 25 Hz, 8 exercises of leg, trunk and arm;
  the moving unit of every session: test sessions of 30 reps (10 right, 10 too fast, 10 too small)
  and template sessions of 9 (`../shared/data/physio`).

Each set comes as a `SampleBlock` in the project's units (g, deg/s) on its own clock, with its
native rate and true count. Reading is numpy-only, so the corpora load without the shared loader.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from devices.recording import read_recording
from devices.samples import SampleBlock

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SPAR_DIR = SHARED_DATA / "spar"
PHYSIO_DIR = SHARED_DATA / "physio"
CORPORA = ("spar", "physio")
STANDARD_GRAVITY_MS2 = 9.80665

PHYSIO_RATE_HZ = 25.0
PHYSIO_SESSIONS = {"test": 30, "template_session": 9}
# The unit that moves most in each exercise (the dataset's README): u4 for the trunk lean, else u2.
PHYSIO_MOVING_UNIT = {1: 2, 2: 4, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2}


@dataclass(frozen=True)
class LabelledSet:
    corpus: str
    name: str
    block: SampleBlock
    rate_hz: float
    truth: int


def spar_sets(folder: Path = SPAR_DIR) -> Iterator[LabelledSet]:
    labels = {}
    with (folder / "labels.csv").open(encoding="utf-8") as stream:
        labels = {Path(row["file"]).stem: int(row["reps"]) for row in csv.DictReader(stream)}
    for path in sorted(folder.glob("S*_*_*.csv")):
        block = read_recording(path).block
        n = len(block)
        on_clock = SampleBlock(path.stem, np.arange(n) / 50.0, block.accel_g, block.gyro_dps)
        yield LabelledSet("spar", path.stem, on_clock, 50.0, labels[path.stem])


def read_physio(path: Path) -> SampleBlock:
    """One unit's session: `time index;acc (m/s²) x y z;gyr (rad/s) x y z`, 25 Hz."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = np.loadtxt(stream, delimiter=";", skiprows=1)
    t_s = (data[:, 0] - 1.0) / PHYSIO_RATE_HZ
    accel_g = data[:, 1:4] / STANDARD_GRAVITY_MS2
    gyro_dps = np.degrees(data[:, 4:7])
    return SampleBlock(path.parent.name, t_s, accel_g, gyro_dps)


def physio_sets(folder: Path = PHYSIO_DIR) -> Iterator[LabelledSet]:
    for session, reps in PHYSIO_SESSIONS.items():
        for subject_dir in sorted(folder.glob("s[0-9]*")):
            for exercise in range(1, 9):
                unit = PHYSIO_MOVING_UNIT[exercise]
                path = subject_dir / f"e{exercise}" / f"u{unit}" / f"{session}.csv.gz"
                if not path.exists():
                    continue
                name = f"{subject_dir.name}_e{exercise}_u{unit}_{session}"
                block = read_physio(path)
                yield LabelledSet("physio", name, block, PHYSIO_RATE_HZ, reps)


def labelled_sets(corpora: tuple[str, ...] = CORPORA) -> Iterator[LabelledSet]:
    """Every set of the chosen corpora; a missing corpus is an error that says where it goes."""
    readers = {"spar": (SPAR_DIR, spar_sets), "physio": (PHYSIO_DIR, physio_sets)}
    for corpus in corpora:
        folder, reader = readers[corpus]
        if not folder.is_dir():
            raise FileNotFoundError(f"corpus {corpus!r} not found at {folder} (../shared/data)")
        yield from reader(folder)
