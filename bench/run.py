"""Run every benchmark, print its table and write them all to `bench/results.json`.

    python -m bench.run                    (or `make bench`)
    python -m bench.run --only memory      (some of them; the others keep their last results)
    python -m bench.run --smoke --out F    (seconds-long versions, for the tests; writes F only)

One module per benchmark, each with `run() -> dict` and `table(dict) -> str`; add a new one to
`BENCHMARKS`. Needs the SPAR recordings at ../shared/data/spar for the accuracy benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import (
    accuracy,
    end_to_end,
    frame_time,
    latency,
    latency_real,
    memory,
    startup,
    summary,
    throughput,
)

BENCHMARKS = {
    "throughput": throughput,
    "latency": latency,
    "latency_real": latency_real,
    "accuracy": accuracy,
    "frame_time": frame_time,
    "end_to_end": end_to_end,
    "startup": startup,
    "memory": memory,
}
# Seconds-long versions (`--smoke`): they show each benchmark runs and reports, not its figures.
SMOKE: dict[str, dict[str, Any]] = {
    "throughput": {"limit": 1},
    "frame_time": {"play_s": 1.0, "game_ids": ("garden",)},
    "end_to_end": {"live_reps": 1},
    "startup": {"runs": 1},
    "memory": {"session_s": 120.0, "warmup_s": 0.0, "window_s": 30.0},
}
RESULTS = Path(__file__).with_name("results.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run just these")
    parser.add_argument("--smoke", action="store_true", help="seconds-long versions only")
    parser.add_argument("--out", type=Path, default=RESULTS, help="JSON file to write")
    args = parser.parse_args(argv)
    names = args.only or (list(SMOKE) if args.smoke else list(BENCHMARKS))
    results: dict[str, Any] = {}
    if not args.smoke and args.only and args.out.exists():  # keep the figures not rerun
        results = json.loads(args.out.read_text(encoding="utf-8"))
    results |= {"date": time.strftime("%Y-%m-%d"), "machine": summary.machine()}
    loads = results.setdefault("load_1min", {})
    for name in names:
        module = BENCHMARKS[name]
        print(f"\n## {name}\n", flush=True)
        loads[name] = summary.load_1min()
        result = module.run(**SMOKE[name]) if args.smoke else module.run()
        print(module.table(result), flush=True)
        results[name] = result
    print("\n## summary\n\n" + summary.table(results), flush=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
