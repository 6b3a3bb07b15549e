"""Two small inline SVG charts for the patient page: reps per day, and range over time.

Inline SVG needs no script and no CDN. Each chart has a <title> and <desc> for screen readers,
text labels beside every mark that matters, and the same numbers in a table under it on the page
(colour is never the only cue). Colours are Okabe–Ito, dark enough on white for 4.5:1.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 720, 220, 40
BAR = "#0072B2"  # 5.1:1 on white
LINES = ("#0072B2", "#B34700", "#007A5E", "#A1467E")  # Okabe–Ito hues darkened to ≥ 4.5:1
MARKERS = ("circle", "square", "diamond", "triangle")


def _frame(name: str, title: str, desc: str, body: str) -> Markup:
    return Markup(
        f'<svg role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'aria-labelledby="t-{name} d-{name}">'
        f'<title id="t-{name}">{escape(title)}</title>'
        f'<desc id="d-{name}">{escape(desc)}</desc>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" '
        f'stroke="#333"/>{body}</svg>'
    )


def reps_chart(points: list[tuple[date, int]]) -> Markup:
    """A bar per day; the busiest day's count written above its bar, first and last day below."""
    top = max((n for _, n in points), default=0) or 1
    step = (WIDTH - PAD - 10) / max(len(points), 1)
    parts = []
    for k, (day, n) in enumerate(points):
        h = (HEIGHT - 2 * PAD) * n / top
        x = PAD + k * step
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{step - 2:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{day:%d %b}: {n} reps</title></rect>'
        )
        if n == top and n > 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD - h - 4:.1f}" '
                f'text-anchor="middle" font-size="14">{n}</text>'
            )
    if points:
        parts.append(
            f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="14">{points[0][0]:%d %b}</text>'
        )
        parts.append(
            f'<text x="{WIDTH - 10}" y="{HEIGHT - 12}" font-size="14" '
            f'text-anchor="end">{points[-1][0]:%d %b}</text>'
        )
    total = sum(n for _, n in points)
    return _frame(
        "reps",
        "Reps per day",
        f"{total} counted reps in {len(points)} days; most {top}.",
        "".join(parts),
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} '
            f'{x - 6:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},'
        f'{y + 5:.1f}" fill="{colour}"/>'
    )


def range_chart(series: dict[str, list[tuple[date, float]]]) -> Markup:
    """A line per exercise (colour and marker shape both differ), the range axis from 0°."""
    points = [p for line in series.values() for p in line]
    if not points:
        return _frame("range", "Range over time", "No reps yet.", "")
    first = min(d for d, _ in points)
    span_days = max((max(d for d, _ in points) - first).days, 1)
    top = max(v for _, v in points) * 1.1 or 1.0
    last = first + timedelta(days=span_days)
    parts = [
        f'<text x="4" y="{PAD - 8}" font-size="14">{top:.0f}°</text>',
        f'<text x="4" y="{HEIGHT - PAD}" font-size="14">0°</text>',
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="14">{first:%d %b}</text>',
        f'<text x="{WIDTH - 20}" y="{HEIGHT - 12}" font-size="14" text-anchor="end">'
        f"{last:%d %b}</text>",
    ]
    for k, (exercise_id, line) in enumerate(sorted(series.items())):
        colour, shape = LINES[k % len(LINES)], MARKERS[k % len(MARKERS)]
        xy = [
            (
                PAD + (WIDTH - PAD - 20) * (d - first).days / span_days,
                HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top,
            )
            for d, v in line
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [_marker(shape, x, y, colour) for x, y in xy]
        label = escape(exercise_id.replace("_", " "))
        parts.append(
            f'<text x="{WIDTH - 12}" y="{20 + 18 * k}" font-size="14" text-anchor="end" '
            f'fill="{colour}">{label} ({shape})</text>'
        )
    desc = "; ".join(
        f"{e.replace('_', ' ')}: best {max(v for _, v in line):.0f}°"
        for e, line in sorted(series.items())
    )
    return _frame("range", "Best range per session", desc, "".join(parts))
