"""The report's charts: matplotlib figures returned as self-contained SVG data URIs.

`Figure` objects are made directly (no pyplot), so no GUI backend or global state is involved and
the report can be made on a machine with no display. Text is large and every series has a marker
shape as well as an Okabe–Ito colour, so charts read in greyscale and with colour-vision
deficiency (UX.md 3). SVG text is drawn as paths: the file needs no fonts to look the same.
"""

from __future__ import annotations

import base64
import io
import math
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from progress.history import History

# Okabe–Ito without yellow (too light on white) and black (kept for text).
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
MARKERS = ("o", "s", "^", "D", "v", "P")
FONT_PT = 13
MAX_DAY_LABELS = 14  # the reps-per-day chart names at most this many days
MIN_BAR_SLOTS = 7  # ... and keeps room for a week's bars, so one day is one slim bar
CALENDAR_WEEKS = 12  # the adherence grid shows at most this many recent weeks


def label(exercise_id: str) -> str:
    return exercise_id.replace("_", " ").capitalize()


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _figure(width_in: float = 9.0, height_in: float = 3.6) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT_PT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})  # same input, same bytes
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def date_ticks(first: date, last: date, most: int = 6) -> list[date]:
    """At most `most` evenly spaced days from `first`, none after `last` (one day: that day)."""
    span = (last - first).days
    step = max(1, math.ceil(span / (most - 1))) if span else 1
    return [first + timedelta(days=i * step) for i in range(span // step + 1)]


def _date_axis(ax: Axes, days: list[date]) -> None:
    """Dates on x from the data's own days (a day's margin each side), never matplotlib's guess:
    with one day of data it would spread ticks over years around it."""
    first, last = min(days), max(days)
    pad = timedelta(days=max(1, round((last - first).days * 0.04)))
    ax.set_xlim(date2num(first - pad), date2num(last + pad))
    ticks = date_ticks(first, last)
    ax.set_xticks(date2num(ticks), [day_label(d) for d in ticks])


def _value_axis(ax: Axes, values: list[float], min_span: float) -> None:
    """At least `min_span` of the value's unit on y, so a change of 0.7° does not look huge;
    never below zero for values that cannot be negative."""
    lo, hi = min(values), max(values)
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
        if lo < 0 <= min(values):
            lo, hi = 0.0, min_span
    margin = 0.08 * (hi - lo)
    ax.set_ylim(lo - margin, hi + margin)


def reps_per_day(history: History) -> str:
    return data_uri(reps_per_day_figure(history))


def reps_per_day_figure(history: History) -> Figure:
    """Stacked bars: counted reps per training day (all its sessions), a hatch per exercise."""
    fig, ax = _figure()
    exercises = list(history.reps_per_exercise())
    days = sorted(history.days_trained)
    bottoms = [0] * len(days)
    for i, exercise_id in enumerate(exercises):
        counts = [
            sum(1 for r in history.reps if r.local_date == day and r.exercise_id == exercise_id)
            for day in days
        ]
        ax.bar(
            range(len(days)), counts, bottom=bottoms, label=label(exercise_id),
            color=SERIES_COLOURS[i % len(SERIES_COLOURS)], hatch=("", "//", "..", "xx")[i % 4],
            edgecolor="white",
        )  # fmt: skip
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    for x, total in enumerate(bottoms):
        ax.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=FONT_PT)
    every = max(1, math.ceil(len(days) / MAX_DAY_LABELS))  # 90 days: a label a week, readable
    shown = list(range(0, len(days), every))
    ax.set_xticks(shown, [day_label(days[i]) for i in shown], rotation=0 if len(shown) <= 8 else 45)
    slots = max(len(days), MIN_BAR_SLOTS)  # one or two days: slim bars, not a wall
    ax.set_xlim(-0.5 - (slots - len(days)) / 2, len(days) - 0.5 + (slots - len(days)) / 2)
    ax.set_ylabel("reps counted", fontsize=FONT_PT)
    ax.set_ylim(0, max(bottoms, default=1) * 1.18 + 1)
    ax.legend(fontsize=FONT_PT, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if len(days) > 20:  # numbers on 90 bars would pile up: the axis says them
        for text in list(ax.texts):
            text.remove()
    return fig


def reps_per_exercise(history: History) -> str:
    counts = history.reps_per_exercise()
    fig, ax = _figure(height_in=0.7 + 0.6 * max(1, len(counts)))
    names = [label(e) for e in counts][::-1]
    values = list(counts.values())[::-1]
    ax.barh(names, values, color=SERIES_COLOURS[0])
    for y, value in enumerate(values):
        ax.annotate(f" {value}", (value, y), va="center", fontsize=FONT_PT)
    ax.set_xlabel("reps counted, whole period", fontsize=FONT_PT)
    ax.set_xlim(0, max(values, default=1) * 1.15 + 1)
    return data_uri(fig)


def trend(history: History, field: str, ylabel: str, min_span: float) -> str | None:
    fig = trend_figure(history, field, ylabel, min_span)
    return None if fig is None else data_uri(fig)


def trend_figure(history: History, field: str, ylabel: str, min_span: float) -> Figure | None:
    """Median of `field` per session, one line per exercise; None when nothing was measured.

    `min_span`: the least the y axis shows, in the field's unit (see `_value_axis`)."""
    series = history.trend(field)
    if not series:
        return None
    fig, ax = _figure()
    for i, (exercise_id, points) in enumerate(series.items()):
        ax.plot(
            date2num([d for d, _ in points]), [v for _, v in points], label=label(exercise_id),
            color=SERIES_COLOURS[i % len(SERIES_COLOURS)], marker=MARKERS[i % len(MARKERS)],
            markersize=9, linewidth=2.5,
        )  # fmt: skip
    ax.set_ylabel(ylabel, fontsize=FONT_PT)
    ax.grid(axis="y", alpha=0.3)
    _date_axis(ax, [d for points in series.values() for d, _ in points])
    _value_axis(ax, [v for points in series.values() for _, v in points], min_span)
    # Outside the plot, so it never hides a point; names the exercise even when there is one.
    ax.legend(fontsize=FONT_PT, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def quality_shares(history: History) -> str:
    shares = history.flag_shares()
    words = {"too_fast": "too fast", "partial": "partial range", "compensated": "compensated"}
    fig, ax = _figure(height_in=2.4)
    names = [words.get(k, k) for k in shares][::-1]
    values = [100 * v for v in shares.values()][::-1]
    ax.barh(names, values, color=SERIES_COLOURS[1])
    for y, value in enumerate(values):
        ax.annotate(f" {value:.0f}%", (value, y), va="center", fontsize=FONT_PT)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of counted reps", fontsize=FONT_PT)
    return data_uri(fig)


def adherence_calendar(history: History) -> str:
    """Weeks as rows, Monday to Sunday as columns: ✓ trained, ✗ scheduled but missed, · rest."""
    end = history.today + timedelta(days=6 - history.today.weekday())
    first = history.sessions[0].local_date if history.sessions else history.today
    start = max(first - timedelta(days=first.weekday()), end - timedelta(weeks=CALENDAR_WEEKS))
    start += timedelta(days=(7 - start.weekday()) % 7)
    weeks = ((end - start).days + 1) // 7
    fig, ax = _figure(width_in=6.5, height_in=0.9 + 0.5 * weeks)
    trained = history.days_trained
    for w in range(weeks):
        for d in range(7):
            day = start + timedelta(weeks=w, days=d)
            y = weeks - 1 - w
            if day > history.today or day < first:
                mark, colour, face = "", "#999999", "#FFFFFF"
            elif day in trained:
                mark, colour, face = "✓", "#FFFFFF", "#009E73"
            elif day.weekday() in history.weekdays:
                mark, colour, face = "✗", "#D55E00", "#FBE3D6"
            else:
                mark, colour, face = "·", "#555555", "#F2F2F2"
            ax.add_patch(_cell(d, y, face, today=day == history.today))
            ax.text(d + 0.5, y + 0.5, mark, ha="center", va="center", fontsize=16, color=colour)
        ax.text(-0.2, weeks - 1 - w + 0.5, day_label(start + timedelta(weeks=w)),
                ha="right", va="center", fontsize=FONT_PT)  # fmt: skip
    ax.set_xlim(-1.6, 7)
    ax.set_ylim(0, weeks + 0.6)
    for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        ax.text(d + 0.5, weeks + 0.3, name, ha="center", va="center", fontsize=FONT_PT)
    ax.set_axis_off()
    return data_uri(fig)


def _cell(x: int, y: int, face: str, today: bool) -> Rectangle:
    """One day's square; today's has a thick black edge (position and shape, not colour)."""
    return Rectangle(
        (x + 0.05, y + 0.05), 0.9, 0.9, facecolor=face,
        edgecolor="#000000" if today else "#CCCCCC", linewidth=2.5 if today else 0.8,
    )  # fmt: skip
