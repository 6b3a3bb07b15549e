"""Counting accuracy: ours and the two baselines on every case of `bench.cases`.

Per variation and overall: the share of sets counted within ±1 rep, the exact share, the mean
absolute error, and false reps per minute of rest (the `rest` variation: any rep is false).
`all_undisputed` is the overall line without the sets in `bench.disputed.DISPUTED` (labels the
recording contradicts); every other line scores them against their label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.baselines import count_find_peaks, count_replay
from bench.cases import RATE_HZ, VARIATIONS, cases
from bench.disputed import DISPUTED
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detector import RepDetector

Counter = Callable[[SampleBlock, float], int]


def count_ours(block: SampleBlock, rate_hz: float) -> int:
    detector = RepDetector(get_exercise("auto"), rate_hz=rate_hz)
    return len(detector.update(block)) + len(detector.finish())


COUNTERS: dict[str, Counter] = {
    "repquest": count_ours,
    "find_peaks": count_find_peaks,
    "replay": count_replay,
}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """±1 share, exact share and MAE over counted sets; false reps per rest minute over rest."""
    sets = [r for r in rows if r["truth"] > 0]
    rest = [r for r in rows if r["truth"] == 0]
    out: dict[str, Any] = {"sets": len(sets), "rest_cases": len(rest)}
    if sets:
        err = np.array([abs(r["count"] - r["truth"]) for r in sets])
        out |= {
            "within_one": round(float(np.mean(err <= 1)), 3),
            "exact": round(float(np.mean(err == 0)), 3),
            "mae": round(float(np.mean(err)), 3),
        }
    if rest:
        minutes = sum(r["duration_s"] for r in rest) / 60.0
        out["false_reps_per_rest_min"] = round(sum(r["count"] for r in rest) / minutes, 3)
    return out


def run(variations: tuple[str, ...] = VARIATIONS) -> dict[str, Any]:
    """Every counter on every case; returns per-counter, per-variation summaries and the rows."""
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases(variations):
        duration_s = float(case.block.t_s[-1] - case.block.t_s[0])
        for name, counter in COUNTERS.items():
            rows[name].append(
                {
                    "case": case.name,
                    "variation": case.variation,
                    "truth": case.truth,
                    "count": counter(case.block, RATE_HZ),
                    "duration_s": duration_s,
                }
            )
    summary: dict[str, Any] = {}
    for name, counted in rows.items():
        per = {v: summarise([r for r in counted if r["variation"] == v]) for v in variations}
        per["all"] = summarise(counted)
        # The same, leaving out sets whose label the recording contradicts (bench/disputed/).
        per["all_undisputed"] = summarise([r for r in counted if r["case"] not in DISPUTED])
        summary[name] = per
    return {"summary": summary, "misses": _misses(rows["repquest"]), "rows": dict(rows)}


def _misses(rows: list[dict[str, Any]]) -> list[str]:
    return [
        f"{r['case']} {r['variation']}: {r['count']} for {r['truth']}"
        for r in rows
        if abs(r["count"] - r["truth"]) > (0 if r["truth"] == 0 else 1)
    ]


def table(result: dict[str, Any]) -> str:
    """The summary as a Markdown table: one row per variation, three counters side by side."""
    summary = result["summary"]
    names = list(summary)
    head = "| variation | sets | " + " | ".join(f"{n} ±1 / exact / MAE" for n in names) + " |"
    lines = [head, "|---|---|" + "---|" * len(names)]
    for variation in summary[names[0]]:
        cells = []
        for n in names:
            s = summary[n][variation]
            if "within_one" in s:
                cells.append(f"{s['within_one']:.2f} / {s['exact']:.2f} / {s['mae']:.2f}")
            else:
                cells.append(f"{s['false_reps_per_rest_min']:.2f} false reps/min")
        sets = summary[names[0]][variation]
        size = sets["sets"] or sets["rest_cases"]
        lines.append(f"| {variation} | {size} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"repquest misses (off by more than 1): {', '.join(result['misses']) or 'none'}")
    return "\n".join(lines)
