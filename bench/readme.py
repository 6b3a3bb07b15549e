"""README figures written from `bench/results.json` and from the code, never copied by hand.

    python -m bench.readme            rewrite the marked parts of README.md (after `make bench`)
    python -m bench.readme --check    exit 1, naming what differs, if README.md is out of date

Two kinds of marks, invisible when the Markdown is shown:

- a block, `<!-- perf:begin -->` … `<!-- perf:end -->`: the Performance tables (the summary of
  `make bench` from `bench/summary.py`, and the frame time of each game and look);
- a figure in a sentence, `<!--v:NAME-->TEXT<!--/v-->`: TEXT is replaced by figure NAME of
  `figures()`, so prose such as "quicker than 0.2 s" follows the code and the last bench run.

`tests/test_readme_figures.py` fails when README.md and these disagree.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = Path(__file__).with_name("results.json")
BLOCK = re.compile(r"(<!-- perf:begin -->\n)(?:.*?\n)?(<!-- perf:end -->)", re.DOTALL)
FIGURE = re.compile(r"<!--v:(?P<name>\w+)-->(?P<text>.*?)<!--/v-->")


class ReadmeError(ValueError):
    """README.md's marks do not fit the figures: the message says which mark and what to do."""


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _x(value: float) -> str:
    return f"{value:,.0f}×" if value >= 100 else f"{value:.1f}×"


def code_figures() -> dict[str, str]:
    """Figures that live in the code: the prose must say what the detector really does."""
    from exercises.catalogue import get_exercise
    from exercises.detection.detector import RepDetector

    counter = RepDetector(get_exercise("auto")).counter_settings
    return {"min_rep_s": f"{counter.min_rep_s:g} s"}


def bench_figures(results: dict[str, Any]) -> dict[str, str]:
    """The figures the Performance prose quotes, by name, from one run of `make bench`."""
    f: dict[str, str] = {"bench_date": results["date"]}
    if "throughput" in results:
        rates = results["throughput"]["rates"]
        for hz in ("50", "100"):
            for kind in ("stream", "offline", "naive", "find_peaks"):
                row = rates[hz][kind]
                f[f"{kind}_x_{hz}"] = _x(row["x_realtime_two_pucks"])
                f[f"{kind}_sps_{hz}"] = f"{row['samples_per_s']:,}"
        stream_x = rates["100"]["stream"]["x_realtime_two_pucks"]
        f["stream_core_share_100"] = f"{100 / stream_x:.1f} %"
        f["stream_frame_ms_100"] = f"{1000 / 60 / stream_x:.2f} ms"
    if "latency" in results:
        f["latency_max"] = _ms(results["latency"]["max_ms"])
        f["latency_median"] = _ms(results["latency"]["median_ms"])
    if "frame_time" in results:
        games = results["frame_time"]["games"]
        slowest = max(games, key=lambda k: games[k]["max_ms"])
        f["frame_worst_p99"] = _ms(results["frame_time"]["worst_p99_ms"])
        f["frame_slowest"] = f"{_ms(games[slowest]['max_ms'])} ({slowest})"
    if "end_to_end" in results:
        for key, row in results["end_to_end"]["summary"].items():
            name = key.removesuffix("_ms")
            f[f"e2e_{name}_median"] = _ms(row["median"])
            f[f"e2e_{name}_max"] = _ms(row["max"])
    if "startup" in results:
        s = results["startup"]
        f |= {
            "startup_median": _ms(s["median_ms"]),
            "startup_first": _ms(s["first_run_ms"]),
            "startup_python": _ms(s["python_ms"]),
            "startup_pygame": _ms(s["import_pygame_ms"]),
        }
        if "help_median_ms" in s:
            f["startup_help"] = _ms(s["help_median_ms"])
    if "memory" in results:
        m = results["memory"]
        f |= {
            "memory_rss_start": f"{m['rss_start_mb']:.0f} MB",
            "memory_rss_max": f"{m['rss_max_mb']:.0f} MB",
            "memory_growth": f"{m['growth_mb_per_h']:+.2f} MB/h",
            "memory_raw_slope": f"{m['raw_slope_mb_per_h']:+.2f} MB/h",
            "memory_objects_per_h": f"{m['objects_per_h']:,}",
            "memory_reps": f"{m['reps']:,}",
        }
    return f


def frame_table(results: dict[str, Any]) -> str:
    games = results["frame_time"]["games"]
    names = list(dict.fromkeys(key.split("/")[0] for key in games))  # in the bench's order

    def cell(key: str) -> str:
        row = games.get(key)
        return "—" if row is None else f"{row['p50_ms']} / {row['p99_ms']} / {row['max_ms']}"

    lines = ["| game | adult p50 / p99 / max ms | child p50 / p99 / max ms |", "|---|---|---|"]
    lines += [f"| {name} | {cell(f'{name}/adult')} | {cell(f'{name}/child')} |" for name in names]
    return "\n".join(lines)


def perf_block(results: dict[str, Any]) -> str:
    from bench import summary

    parts = [summary.table(results)]
    if "frame_time" in results:
        parts.append("Frame time of each game and look (`bench/frame_time.py`):\n\n")
        parts[-1] += frame_table(results)
    return "\n\n".join(parts)


def render(readme: str, results: dict[str, Any]) -> str:
    """README.md with every marked part rewritten from `results` and the code."""
    if len(BLOCK.findall(readme)) != 1:
        raise ReadmeError("README.md needs one '<!-- perf:begin -->' … '<!-- perf:end -->' block")
    figures = code_figures() | bench_figures(results)
    unknown = sorted({m["name"] for m in FIGURE.finditer(readme)} - set(figures))
    if unknown:
        raise ReadmeError(
            f"README.md marks figures that bench/readme.py does not know: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(figures))})"
        )
    text = BLOCK.sub(lambda m: f"{m[1]}{perf_block(results)}\n{m[2]}", readme)
    return FIGURE.sub(lambda m: f"<!--v:{m['name']}-->{figures[m['name']]}<!--/v-->", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether README is current")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    readme = README.read_text(encoding="utf-8")
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    wanted = render(readme, results)
    if args.check:
        diff = difflib.unified_diff(readme.splitlines(), wanted.splitlines(), lineterm="", n=0)
        lines = list(diff)
        print("\n".join(lines) or "README.md agrees with bench/results.json")
        return 1 if lines else 0
    README.write_text(wanted, encoding="utf-8")
    print(f"README.md: figures of {RESULTS.name} ({results['date']}) written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
