"""The therapist report: one self-contained HTML file (charts embedded), readable in a hurry.

The page answers, top to bottom: who and which period; did they train (adherence); how much
(reps); how well (range, smoothness, flagged reps); under which plan; then the session list and
how the numbers are made. It has print styles, so "Print → Save as PDF" in a browser gives a PDF.
Everything typed by a person (names, plan text) is HTML-escaped.
"""

from __future__ import annotations

import statistics
from datetime import datetime
from html import escape

from exercises.games_catalogue import GAMES
from progress import charts
from progress.history import WEEKDAYS, History

RANGE_SPAN_DEG = 10.0  # the range chart shows at least 10°: a 0.7° wobble is not a trend
SMOOTH_SPAN = 0.2  # ... and the smoothness chart at least this much of its scale
GAME_NAMES = {g.id: g.name for g in GAMES}
STOP_WORDS = {  # why a session ended before its last set, in the therapist's words
    "sore": "stopped: sore",
    "tired": "stopped: tired",
    "time cap": "time limit reached",
    "stopped by the player": "stopped by the patient",
    "source ended": "recording ended",
    "time limit": "time limit reached",
}

STYLE = """
body { font-family: system-ui, 'Segoe UI', Arial, sans-serif; font-size: 18px; color: #111;
       max-width: 1100px; margin: 24px auto; padding: 0 24px; line-height: 1.45; }
h1 { font-size: 32px; margin: 0 0 4px; } h2 { font-size: 24px; margin: 32px 0 8px;
     border-bottom: 2px solid #0072B2; padding-bottom: 4px; }
.period { font-size: 20px; margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
.card { border: 2px solid #ccc; border-radius: 10px; padding: 12px 14px; }
.card .big { font-size: 34px; font-weight: 700; display: block; }
.card .what { font-size: 16px; color: #333; }
.caption { font-size: 18px; margin: 4px 0 0; } img { max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 16px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #ddd; }
th { background: #f2f2f2; } .n { text-align: right; font-variant-numeric: tabular-nums; }
.note { font-size: 15px; color: #333; }
.pain { border: 3px solid #D55E00; background: #FBE3D6; border-radius: 10px; padding: 10px 14px;
        font-size: 20px; margin: 0 0 16px; }
@media print { body { margin: 0; } section { break-inside: avoid; } }
"""


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _card(big: str, what: str) -> str:
    return (
        f'<div class="card"><span class="big">{escape(big)}</span>'
        f'<span class="what">{escape(what)}</span></div>'
    )


def _plan_text(history: History) -> str:
    plan = history.plan
    if plan is None:
        return (
            "<p>No therapist plan is stored yet. Sessions used the sets and reps chosen when "
            "they started. Adherence counts <b>every day</b> as a training day "
            "(daily practice).</p>"
        )
    days = ", ".join(WEEKDAYS[d].capitalize() for d in sorted(plan.weekdays))
    blocks = plan.plan.get("blocks") or []
    rows = "".join(
        f"<li>{escape(charts.label(str(b.get('exercise', '?'))))}: "
        f"{escape(str(b.get('sets', '?')))} × {escape(str(b.get('reps', '?')))} reps</li>"
        for b in blocks
        if isinstance(b, dict)
    )
    return (
        f"<p><b>{escape(plan.name)}</b>, in force since {escape(plan.valid_from)}. "
        f"Training days: {escape(days)}.</p>" + (f"<ul>{rows}</ul>" if rows else "")
    )


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _trend_caption(history: History, field: str, unit: str) -> str:
    parts = []
    for exercise_id, points in history.trend(field).items():
        first, last = points[0][1], points[-1][1]
        name = charts.label(exercise_id)
        if len(points) == 1:
            parts.append(f"{name}: {first:.0f}{unit} in the one session so far.")
            continue
        change = last - first
        moved = "no change" if round(change) == 0 else f"{change:+.0f}{unit}"
        parts.append(
            f"{name}: {first:.0f}{unit} in the first session, {last:.0f}{unit} in the last "
            f"({moved})."
        )
    return " ".join(parts)


def _pain_flag(history: History) -> str:
    """At the very top: every day the patient said it was sore (nothing when never)."""
    days = history.sore_days()
    if not days:
        return ""
    listed = ", ".join(f"{charts.day_label(d)} {d.year}" for d in days[-10:])
    more = f" (and {len(days) - 10} earlier days)" if len(days) > 10 else ""
    return (
        f'<p class="pain"><b>Pain reported</b> on {_days(len(days))}: {escape(listed)}{more}. '
        "The patient answered <i>Sore</i> to \u201cHow does your arm feel?\u201d. "
        "Progression did not make the next session harder.</p>"
    )


def _sessions_table(history: History) -> str:
    rows = []
    for s in reversed(history.sessions):
        status = {"completed": "finished", "interrupted": "cut short", "in_progress": "running"}
        stop = STOP_WORDS.get(s.stopped_by or "", s.stopped_by or "before the last set")
        stop = f", {stop}" if s.status == "completed" and not s.plan_done else ""
        game = GAME_NAMES.get(s.game or "", s.game or "–")
        feeling = history.feeling_of(s.id) or "–"
        rows.append(
            "<tr>"
            f"<td>{escape(s.started_at[:16].replace('T', ' '))}</td>"
            f"<td>{escape(', '.join(charts.label(e) for e in s.exercises) or '–')}</td>"
            f"<td>{escape(game)}</td>"
            f'<td class="n">{s.reps}</td><td class="n">{s.sets_done}</td>'
            f'<td class="n">{s.best_range_deg:.0f}°</td>'
            f'<td class="n">{"–" if s.score is None else s.score}</td>'
            f"<td>{escape(status.get(s.status, s.status) + stop)}</td>"
            f"<td>{'<b>sore</b>' if feeling == 'sore' else escape(feeling)}</td>"
            "</tr>"
        )
    return (
        '<table><tr><th>Started</th><th>Exercise</th><th>Game</th><th class="n">Reps</th>'
        '<th class="n">Full sets</th><th class="n">Best range</th><th class="n">Score</th>'
        "<th>Status, why it ended</th><th>Felt</th></tr>" + "".join(rows) + "</table>"
    )


def render_report(history: History, generated_at: datetime) -> str:
    """The report as one HTML string."""
    title = f"RepQuest report: {history.patient}"
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
    )
    made = generated_at.strftime("%d %b %Y %H:%M")
    if history.period is None:
        return (
            head
            + f'<p class="period">No sessions stored yet (report made {made}).</p></body></html>'
        )
    first, last = history.period
    span_days = (last - first).days + 1
    done, scheduled = history.adherence()
    n_reps = len(history.reps)
    cut_short = sum(s.status == "interrupted" for s in history.sessions)
    per_session = statistics.median([s.reps for s in history.sessions])
    shares = history.flag_shares()
    flagged = sum(1 for r in history.reps if r.event.get("flags"))
    bests = history.personal_bests()
    cards = "".join(
        [
            _card(f"{done} of {scheduled}", f"training days done ({_pct(done, scheduled)})"),
            _card(str(len(history.sessions)), f"sessions ({cut_short} cut short)"),
            _card(str(n_reps), f"reps counted (median {per_session:.0f} per session)"),
            _card(_pct(flagged, n_reps), "of reps flagged: too fast, partial or compensated"),
        ]
    )
    range_chart = charts.trend(history, "range_deg", "median range (degrees)", RANGE_SPAN_DEG)
    smooth_chart = charts.trend(
        history, "smoothness", "median smoothness\n(detector's scale)", SMOOTH_SPAN
    )
    sections = [
        _pain_flag(history),
        f'<p class="period">Period covered: <b>{charts.day_label(first)} {first.year} to '
        f"{charts.day_label(last)} {last.year}</b> ({_days(span_days)}). Report made {made}."
        "</p>",
        f'<section class="cards">{cards}</section>',
        "<section><h2>Plan in force</h2>" + _plan_text(history) + "</section>",
        "<section><h2>Adherence: training days</h2>"
        f'<img alt="calendar of training days" src="{charts.adherence_calendar(history)}">'
        f'<p class="caption">✓ trained · ✗ a training day missed · dot: rest day. '
        f"{done} of {scheduled} training days since the first session; "
        f"streak now {_days(history.streak_days())}.</p></section>",
        "<section><h2>Reps per training day</h2>"
        f'<img alt="bar chart of reps per day" src="{charts.reps_per_day(history)}">'
        '<p class="caption">All sessions of a day together; each session is in the table at '
        "the end.</p></section>",
        "<section><h2>Reps per exercise</h2>"
        f'<img alt="bar chart of reps per exercise" src="{charts.reps_per_exercise(history)}">'
        "</section>",
        "<section><h2>Range of motion</h2>"
        + (f'<img alt="range trend" src="{range_chart}">' if range_chart else "")
        + f'<p class="caption">{escape(_trend_caption(history, "range_deg", "°"))} Best: '
        + escape(
            "; ".join(
                f"{charts.label(b.exercise_id)} {b.range_deg:.0f}° on "
                f"{charts.day_label(b.range_day)}"
                for b in bests
            )
        )
        + ".</p></section>",
        "<section><h2>Smoothness</h2>"
        + (
            f'<img alt="smoothness trend" src="{smooth_chart}">'
            if smooth_chart
            else "<p>Not measured yet by this version of the rep detector.</p>"
        )
        + "</section>",
        "<section><h2>Quality of reps</h2>"
        f'<img alt="share of flagged reps" src="{charts.quality_shares(history)}">'
        f'<p class="caption">Too fast {_pct(shares["too_fast"], 1)}, partial range '
        f"{_pct(shares['partial'], 1)}, compensated {_pct(shares['compensated'], 1)} of "
        f"{n_reps} counted reps (a rep can have more than one flag).</p></section>",
        "<section><h2>Sessions, newest first</h2>" + _sessions_table(history) + "</section>",
        '<section class="note"><h2>How these numbers are made</h2><p>Reps are those counted '
        "toward a set by the motion puck's rep detector; reps made while resting are stored "
        "but not counted here. Range is the angle the puck turned from the patient's rest "
        "position, in degrees. A session is <i>cut short</i> when the program stopped before "
        "its end (crash, power cut, window closed); its reps up to then are kept.</p></section>",
    ]
    return head + "".join(sections) + "</body></html>"
