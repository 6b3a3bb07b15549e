"""Share of SPAR sets (20 reps each) the detector counts within ±1, per exercise and overall.

    python tools/spar_accuracy.py [../shared/data/spar]

Only the plain recordings, per SPAR exercise. `make bench` (bench/accuracy.py) runs the variations
(slowed, shrunk, cut, joined, rest) and two baselines. Every set has 20 reps, so a detector that
always says 20 would score 1.0 here: read this next to the benchmark's variations.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.recording import read_recording
from exercises.catalogue import get_exercise
from exercises.detection.counting import count_recording

REPS_PER_SET = 20


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "spar"
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    counts: dict[str, list[int]] = defaultdict(list)
    for path in sorted(folder.glob("S*_*_*.csv")):
        exercise = path.stem.split("_")[1]
        counts[exercise].append(len(count_recording(read_recording(path), get_exercise("auto"))))
    if not counts:
        print(f"no SPAR recordings in {folder}", file=sys.stderr)
        return 2
    print(f"{'exercise':10} {'sets':>5} {'±1 share':>9} {'exact':>6} {'MAE':>5}")
    everything = [n for ns in counts.values() for n in ns]
    for name, ns in [*sorted(counts.items()), ("all", everything)]:
        within = sum(abs(n - REPS_PER_SET) <= 1 for n in ns) / len(ns)
        exact = sum(n == REPS_PER_SET for n in ns) / len(ns)
        mae = sum(abs(n - REPS_PER_SET) for n in ns) / len(ns)
        print(f"{name:10} {len(ns):5d} {within:9.2f} {exact:6.2f} {mae:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
