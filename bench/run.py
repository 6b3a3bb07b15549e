"""Run every benchmark, print its table and write them all to `bench/results.json`.

    python -m bench.run            (or `make bench`)

One module per benchmark, each with `run() -> dict` and `table(dict) -> str`; add a new one to
`BENCHMARKS`. Needs the SPAR recordings at ../shared/data/spar for the accuracy benchmark.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import accuracy, frame_time, latency

BENCHMARKS = {"accuracy": accuracy, "latency": latency, "frame_time": frame_time}
RESULTS = Path(__file__).with_name("results.json")


def main() -> int:
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d")}
    for name, module in BENCHMARKS.items():
        print(f"\n## {name}\n", flush=True)
        result = module.run()
        print(module.table(result), flush=True)
        results[name] = result
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
