"""Counting accuracy, live: ours beside a plain `find_peaks` peer on two corpora, every sample
rate and every variation (`bench.corpora`, `bench.variations`).

Ours is scored as the game sees it: `update()` only, no end-of-stream credit (`finish()` is what
`count` adds offline; that figure is reported separately, labelled). Per corpus × variation:
the share of sets within ±1, the exact share, the mean absolute error; for the non-rep cases
(truth 0) the share of cases counted 0 and the reps counted.

Leave-one-corpus-out: the counter's main constant (`out_fraction`, how far a rep must rise before
it is a rep, as a share of the patient's range) is chosen on one corpus from `TUNE_GRID` and
measured on the other, beside the pooled choice that the detector ships with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bench.baselines import count_find_peaks
from bench.corpora import CORPORA, LabelledSet, labelled_sets
from bench.disputed import DISPUTED
from bench.variations import RATES_HZ, VARIATIONS, resampled
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.detection.detector import RepDetector
from exercises.detection.rep_counter import CounterSettings

TUNE_GRID = (0.35, 0.4, 0.45, 0.55)  # out_fraction values tried for leave-one-corpus-out
SHIPPED = CounterSettings()
WRONG_HEADER_FACTOR = 2.0  # the jitter cases also declare twice their real rate to our counter


@dataclass(frozen=True)
class Case:
    corpus: str
    name: str
    variation: str
    block: SampleBlock
    rate_hz: float  # the real rate (the peer is given it; ours reads the timestamps)
    truth: int


def cases(
    corpora: tuple[str, ...] = CORPORA,
    variations: tuple[str, ...] = tuple(VARIATIONS),
    rates_hz: tuple[float, ...] = RATES_HZ,
    limit: int | None = None,
) -> Iterator[Case]:
    """Every case: each set as recorded, at every rate, and under every variation."""
    for i, labelled in enumerate(_sets(corpora, limit)):
        yield from _cases_of(labelled, i, variations, rates_hz)


def _sets(corpora: tuple[str, ...], limit: int | None) -> Iterator[LabelledSet]:
    for corpus in corpora:
        for i, labelled in enumerate(labelled_sets((corpus,))):
            if limit is not None and i >= limit:
                break
            yield labelled


def _cases_of(
    s: LabelledSet, seed: int, variations: tuple[str, ...], rates_hz: tuple[float, ...]
) -> Iterator[Case]:
    for rate in rates_hz:
        if rate != s.rate_hz:
            block = resampled(s.block, s.rate_hz, rate, seed)
            yield Case(s.corpus, s.name, f"{rate:g} Hz", block, rate, s.truth)
    for variation in variations:
        block, truth = VARIATIONS[variation](s.block, s.rate_hz, seed, s.truth)
        yield Case(s.corpus, s.name, variation, block, s.rate_hz, truth)


def count_live(
    block: SampleBlock, declared_rate_hz: float, settings: CounterSettings = SHIPPED
) -> int:
    """Our reps as the game would have them: blocks in, events out, nothing at the end."""
    exercise = get_exercise("auto")
    detector = RepDetector(
        exercise,
        rate_hz=declared_rate_hz,
        counter_settings=replace(settings, max_rep_s=exercise.max_rep_s),
    )
    return len(detector.update(block))


def count_offline(block: SampleBlock, declared_rate_hz: float) -> int:
    """What `main.py count` reports: the live count plus a rep the recording stopped inside."""
    detector = RepDetector(get_exercise("auto"), rate_hz=declared_rate_hz)
    return len(detector.update(block)) + len(detector.finish())


def _declared(case: Case) -> float:
    return case.rate_hz * (WRONG_HEADER_FACTOR if case.variation == "jitter" else 1.0)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    sets = [r for r in rows if r["truth"] > 0]
    none = [r for r in rows if r["truth"] == 0]
    out: dict[str, Any] = {}
    if sets:
        err = np.array([abs(r["count"] - r["truth"]) for r in sets])
        out |= {
            "sets": len(sets),
            "within_one": round(float(np.mean(err <= 1)), 3),
            "exact": round(float(np.mean(err == 0)), 3),
            "mae": round(float(np.mean(err)), 3),
        }
    if none:
        counts = np.array([r["count"] for r in none])
        out |= {
            "no_rep_cases": len(none),
            "zero_share": round(float(np.mean(counts == 0)), 3),
            "false_reps": int(counts.sum()),
        }
    return out


def _score(rows: list[dict[str, Any]]) -> float:
    """One number to choose a constant by: ±1 share of sets, less any non-rep case counted."""
    s = summarise(rows)
    return s.get("within_one", 0.0) - (1.0 - s.get("zero_share", 1.0))


def run(limit: int | None = None, grid: tuple[float, ...] = TUNE_GRID) -> dict[str, Any]:
    counters: dict[str, Callable[[Case], int]] = {
        "repquest": lambda c: count_live(c.block, _declared(c)),
        "find_peaks": lambda c: count_find_peaks(c.block, c.rate_hz),
    }
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    tuned: dict[float, list[dict[str, Any]]] = defaultdict(list)
    offline: list[dict[str, Any]] = []
    for case in cases(limit=limit):
        base: dict[str, Any] = {"corpus": case.corpus, "case": case.name}
        base |= {"variation": case.variation, "truth": case.truth}
        for name, counter in counters.items():
            rows[name].append(base | {"count": counter(case)})
        for out_fraction in grid:
            settings = replace(SHIPPED, out_fraction=out_fraction)
            tuned[out_fraction].append(
                base | {"count": count_live(case.block, case.rate_hz, settings)}
            )
        if case.variation == "plain":
            offline.append(base | {"count": count_offline(case.block, case.rate_hz)})
    return {
        "per_corpus": {n: _per_corpus(r) for n, r in rows.items()},
        "pooled": {n: summarise(r) for n, r in rows.items()},
        "pooled_undisputed": {
            n: summarise([x for x in r if x["case"] not in DISPUTED]) for n, r in rows.items()
        },
        "plain_with_end_credit": {
            c: summarise([r for r in offline if r["corpus"] == c]) for c in CORPORA
        },
        "loco": _leave_one_corpus_out(tuned),
        "floor": _floor(rows),
        "misses": _misses(rows["repquest"]),
    }


def _per_corpus(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for corpus in sorted({r["corpus"] for r in rows}):
        mine = [r for r in rows if r["corpus"] == corpus]
        variations = list(dict.fromkeys(r["variation"] for r in mine))
        out[corpus] = {v: summarise([r for r in mine if r["variation"] == v]) for v in variations}
        out[corpus]["all"] = summarise(mine)
    return out


def _leave_one_corpus_out(tuned: dict[float, list[dict[str, Any]]]) -> dict[str, Any]:
    """For each corpus: the constant the *other* corpus picks, and how it does here."""
    corpora = sorted({r["corpus"] for rows in tuned.values() for r in rows})
    out: dict[str, Any] = {}
    for held_out in corpora:
        train = {k: [r for r in rows if r["corpus"] != held_out] for k, rows in tuned.items()}
        if not any(train.values()):
            continue
        best = max(train, key=lambda k: _score(train[k]))
        test = [r for r in tuned[best] if r["corpus"] == held_out]
        out[held_out] = {"out_fraction_from_other": best, **summarise(test)}
    pooled = max(tuned, key=lambda k: _score(tuned[k]))
    out["pooled_choice"] = pooled
    out["scores"] = {str(k): round(_score(rows), 3) for k, rows in tuned.items()}
    return out


def _floor(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Where ours falls below the peer (corpus × variation), and non-rep cases we counted."""
    ours, peer = _per_corpus(rows["repquest"]), _per_corpus(rows["find_peaks"])
    below = [
        f"{c} {v}: {ours[c][v]['within_one']:.2f} < {peer[c][v]['within_one']:.2f}"
        for c in ours
        for v in ours[c]
        if "within_one" in ours[c][v] and ours[c][v]["within_one"] < peer[c][v]["within_one"]
    ]
    counted = [
        f"{r['case']} {r['variation']}: {r['count']}"
        for r in rows["repquest"]
        if r["truth"] == 0 and r["count"] > 0
    ]
    return {"below_peer": below, "no_rep_cases_counted": counted}


def _misses(rows: list[dict[str, Any]]) -> list[str]:
    return [
        f"{r['case']} {r['variation']}: {r['count']} for {r['truth']}"
        for r in rows
        if r["truth"] > 0 and abs(r["count"] - r["truth"]) > 1
    ]


def table(result: dict[str, Any]) -> str:
    """Per corpus × variation, ours beside the peer; then pooled, leave-one-corpus-out, floor."""
    lines = [
        "| corpus | variation | cases | RepQuest (live) | find_peaks |",
        "|---|---|---|---|---|",
    ]
    ours, peer = result["per_corpus"]["repquest"], result["per_corpus"]["find_peaks"]
    for corpus in ours:
        for variation, s in ours[corpus].items():
            p = peer[corpus][variation]
            lines.append(
                f"| {corpus} | {variation} | {s.get('sets', s.get('no_rep_cases'))} | "
                f"{_cell(s)} | {_cell(p)} |"
            )
    pooled = result["pooled"]
    lines.append(
        f"| pooled | all | {pooled['repquest']['sets']} sets | {_cell(pooled['repquest'])} | "
        f"{_cell(pooled['find_peaks'])} |"
    )
    lines.append("")
    loco = result["loco"]
    for corpus in CORPORA:
        if corpus in loco:
            s = loco[corpus]
            lines.append(
                f"leave-one-corpus-out, {corpus} (out_fraction {s['out_fraction_from_other']} "
                f"chosen on the other corpus): {_cell(s)}"
            )
    lines.append(f"pooled choice: out_fraction {loco['pooled_choice']} (scores {loco['scores']})")
    credit = result["plain_with_end_credit"]
    lines.append(
        "as recorded, with end-of-recording credit (`count`, not live): "
        + ", ".join(f"{c} {_cell(s)}" for c, s in credit.items() if s)
    )
    floor = result["floor"]
    lines.append(f"below find_peaks: {', '.join(floor['below_peer']) or 'nowhere'}")
    lines.append(f"non-rep cases counted: {', '.join(floor['no_rep_cases_counted']) or 'none'}")
    lines.append(f"misses (off by more than 1): {len(result['misses'])}")
    return "\n".join(lines)


def _cell(s: dict[str, Any]) -> str:
    if "within_one" in s:
        text = f"{s['within_one']:.2f} / {s['exact']:.2f} / {s['mae']:.2f}"
        if "zero_share" in s:
            text += f"; 0 reps in {s['zero_share']:.2f}"
        return text
    if "zero_share" in s:
        return f"0 reps in {s['zero_share']:.2f} ({s['false_reps']} reps)"
    return ""
