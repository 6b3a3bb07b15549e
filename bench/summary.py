"""The headline of `make bench`: one table of every benchmark's main figure against its budget, and
the machine it ran on (benchmark figures mean nothing without it)."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Any

Row = tuple[str, str, str, bool | None]  # figure, value, budget, met (None: no budget)


def load_1min() -> float | None:
    """The 1-minute load average, or None where the OS has none (Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def format_load(load: float | None) -> str:
    return "n/a" if load is None else f"{load:.2f}"


def load_note(loads: list[float | None]) -> str:
    """`load average 0.70 before, 0.82 after`: how busy the machine was around a benchmark."""
    return f"load average {format_load(loads[0])} before, {format_load(loads[1])} after"


def machine() -> dict[str, Any]:
    """Cores, CPU model, Python and pygame-ce versions."""
    import pygame

    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "pygame_ce": pygame.version.ver,
        "sdl": ".".join(str(v) for v in pygame.get_sdl_version()),
        "platform": sys.platform,
    }


def _rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    if "throughput" in results:
        t = results["throughput"]
        hz = t["rates"]["100"]
        rows.append(
            (
                "detector streaming, 20 ms blocks, 2 pucks at 100 Hz (× real time)",
                f"{hz['stream']['x_realtime_two_pucks']:,}",
                "≥ 1,000",
                t["within_budget"],
            )
        )
        rows.append(
            (
                "detector offline, whole recordings, 2 pucks at 100 Hz (× real time)",
                f"{hz['offline']['x_realtime_two_pucks']:,}",
                "≥ 1,000",
                hz["offline"]["x_realtime_two_pucks"] >= t["budget_x_realtime"],
            )
        )
        rows.append(
            (
                "baselines at 100 Hz: naive loop / find_peaks (× real time)",
                f"{hz['naive']['x_realtime_two_pucks']:,} / "
                f"{hz['find_peaks']['x_realtime_two_pucks']:,}",
                "",
                None,
            )
        )
    if "latency" in results:
        lat = results["latency"]
        rows.append(
            (
                "rep-event latency after the return crossing, 50 Hz (ms, worst)",
                f"{lat['max_ms']:.0f}",
                f"≤ {lat['limit_ms']:.0f}",
                lat["within_limit"],
            )
        )
    if "accuracy" in results:
        acc = results["accuracy"]
        ours, peer = acc["pooled"]["repquest"], acc["pooled"]["find_peaks"]
        rows.append(
            (
                "accuracy, live, SPAR + Physio, every rate and variation: sets within ±1 rep",
                f"{ours['within_one']:.2f} (find_peaks {peer['within_one']:.2f})",
                "≥ find_peaks everywhere",
                not acc["floor"]["below_peer"],
            )
        )
        rows.append(
            (
                "non-rep cases (rest, posture shift, puck picked up) counted 0",
                f"{ours['zero_share']:.2f}",
                "1.00",
                ours["zero_share"] == 1.0,
            )
        )
    if "frame_time" in results:
        f = results["frame_time"]
        worst_p50 = max(r["p50_ms"] for r in f["games"].values())
        rows.append(
            (
                "frame time, worst game p50 / p99 (ms)",
                f"{worst_p50} / {f['worst_p99_ms']}",
                "p99 ≤ 16.7",
                f["within_budget"],
            )
        )
    if "end_to_end" in results:
        e = results["end_to_end"]["summary"]
        rows.append(
            (
                "end to end, movement over → rep drawn, median / max (ms)",
                f"{e['e2e_ms']['median']} / {e['e2e_ms']['max']}",
                "drawn by the next frame",
                results["end_to_end"]["within_budget"],
            )
        )
    if "startup" in results:
        s = results["startup"]
        play_budget_ms, help_budget_ms = s.get("budget_ms"), s.get("help_budget_ms")
        rows.append(
            (
                f"start-up, launch → first menu frame, median of {s['runs']} (ms)",
                f"{s['median_ms']:,}",
                f"≤ {play_budget_ms:,.0f}" if play_budget_ms else "",
                s["median_ms"] <= play_budget_ms if play_budget_ms else None,
            )
        )
        if "help_median_ms" in s:
            rows.append(
                (
                    f"`repquest --help`, median of {s['runs']} (ms)",
                    f"{s['help_median_ms']:,}",
                    f"≤ {help_budget_ms:,.0f}",
                    s["help_median_ms"] <= help_budget_ms,
                )
            )
    if "memory" in results:
        m = results["memory"]
        rows.append(
            (
                f"memory growth over a {m['session_min']:.0f}-minute session (MB/h)",
                f"{m['growth_mb_per_h']}",
                "< 5",
                m["within_budget"],
            )
        )
    return rows


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "| figure | value | budget | met |",
        "|---|---|---|---|",
    ]
    for figure, value, budget, met in _rows(results):
        mark = "" if met is None else ("yes" if met else "NO")
        lines.append(f"| {figure} | {value} | {budget} | {mark} |")
    loads = ", ".join(f"{k} {format_load(v)}" for k, v in results.get("load_1min", {}).items())
    lines += [
        "",
        f"{results['date']}; {m['nproc']} cores, {m['cpu']}; Python {m['python']}, pygame-ce "
        f"{m['pygame_ce']} (SDL {m['sdl']}); 1-minute load average at the start of each: {loads}",
    ]
    return "\n".join(lines)
