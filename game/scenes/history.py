"""History: progress you can see at a glance — the streak and this week, reps per day, the range
trend, personal bests — in big type and shapes, from the patient's stored sessions.

Left/right change which exercise the range panel shows; SPACE or Esc goes back to the menu.
Every mark pairs colour with a shape or a word (a tick for a trained day, a ring for today).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pygame

from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.text_audit import draw_text
from progress.history import History

if TYPE_CHECKING:
    from game.context import SessionContext

DAY_LETTERS = "MTWTFSS"
BAR_DAYS = 7  # the reps-per-day panel shows the last week
TREND_SESSIONS = 10  # the range panel shows the last sessions of one exercise


def exercise_label(exercise_id: str) -> str:
    return exercise_id.replace("_", " ").capitalize()


class HistoryScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.history: History | None = ctx.records.history() if ctx.records else None
        trends = self.history.trend("range_deg") if self.history else {}
        self.exercises = list(trends)
        if ctx.exercise.id in self.exercises:  # start on the exercise chosen in the menu
            self.exercises.remove(ctx.exercise.id)
            self.exercises.insert(0, ctx.exercise.id)
        self.trends = trends
        self.shown = 0

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        if event.action in (Action.SELECT, Action.STOP, Action.BACK):
            self.ctx.scenes.go("menu")
        elif event.action in (Action.LEFT, Action.RIGHT) and self.exercises:
            step = -1 if event.action is Action.LEFT else 1
            self.shown = (self.shown + step) % len(self.exercises)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        widgets.backdrop(surface, theme)
        widgets.text(
            surface, theme, "Your progress", theme.heading(), (640, 16), theme.palette.accent,
            "midtop",
        )  # fmt: skip
        h = self.history
        if h is None or not h.reps:
            words = (
                "Progress is not saved in this mode."
                if h is None
                else "No reps yet. Play a session, and your progress shows here."
            )
            widgets.paragraph(surface, theme, words, theme.body(), (640, 300), 900, None, "center")
        else:
            self._streak_and_week(surface, h)
            self._reps_per_day(surface, h)
            self._bests(surface, h)
            self._range_trend(surface)
        widgets.stop_hint(surface, theme, "Esc: back")
        hint = "Arrows: exercise  SPACE: menu" if len(self.exercises) > 1 else "SPACE: menu"
        widgets.key_hint(surface, theme, hint)

    def _panel(self, surface: pygame.Surface, x: float, y: float, w: float, h: float) -> None:
        theme = self.ctx.theme
        box = widgets.rect(theme, x, y, w, h)
        pygame.draw.rect(surface, theme.palette.panel, box, border_radius=theme.px(16))

    def _streak_and_week(self, surface: pygame.Surface, h: History) -> None:
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        self._panel(surface, 30, 92, 600, 262)
        streak = h.streak_days()
        widgets.text(surface, theme, str(streak), theme.font(88, bold=True), (60, 96), pal.text)
        words = "day in a row" if streak == 1 else "days in a row"
        widgets.text(surface, theme, words, theme.body(), (60 + 30 + 56 * len(str(streak)), 130))
        week = h.week()
        trained = sum(d.trained for d in week)
        counted = sum(d.scheduled and not d.before_first for d in week)
        widgets.text(
            surface, theme, f"This week: {trained} of {counted} days",
            theme.hint(), (60, 196), pal.text,
        )  # fmt: skip
        for i, day in enumerate(week):
            cx, cy, r = theme.px(90 + i * 80), theme.px(266), theme.px(28)
            if day.trained:
                pygame.draw.circle(surface, pal.good, (cx, cy), r)
                tick = [(-0.45, 0.0), (-0.12, 0.35), (0.45, -0.32)]
                pts = [(cx + r * dx, cy + r * dy) for dx, dy in tick]
                pygame.draw.lines(surface, pal.text, False, pts, theme.px(5))
            elif day.scheduled and not day.future and not day.before_first:
                pygame.draw.circle(surface, pal.text_muted, (cx, cy), r, theme.px(3))
            else:  # rest day or still to come: a small dot
                pygame.draw.circle(surface, pal.text_muted, (cx, cy), theme.px(6))
            if day.is_today:
                pygame.draw.circle(surface, pal.accent, (cx, cy), r + theme.px(9), theme.px(5))
            letter = DAY_LETTERS[day.day.weekday()]
            draw_text(surface, theme.hint(), letter, pal.text, "midtop", (cx, cy + r + theme.px(6)))

    def _reps_per_day(self, surface: pygame.Surface, h: History) -> None:
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        self._panel(surface, 650, 92, 600, 262)
        widgets.text(surface, theme, "Reps each day", theme.hint(), (680, 100), pal.text)
        per_day = h.reps_per_day()
        days = [h.today - timedelta(days=BAR_DAYS - 1 - i) for i in range(BAR_DAYS)]
        top = max([per_day.get(d, 0) for d in days] + [1])
        base_y, height = 306, 124
        for i, day in enumerate(days):
            reps = per_day.get(day, 0)
            x = 690 + i * 78
            bar_h = height * reps / top
            if reps:
                bar = widgets.rect(theme, x, base_y - bar_h, 56, bar_h)
                pygame.draw.rect(surface, pal.accent, bar, border_radius=theme.px(6))
                widgets.text(surface, theme, str(reps), theme.hint(),
                             (x + 28, base_y - bar_h - 4), pal.text, "midbottom")  # fmt: skip
            letter = DAY_LETTERS[day.weekday()]
            widgets.text(surface, theme, letter, theme.hint(), (x + 28, base_y + 2), pal.text,
                         "midtop")  # fmt: skip

    def _bests(self, surface: pygame.Surface, h: History) -> None:
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        self._panel(surface, 30, 372, 600, 282)
        widgets.text(surface, theme, "Personal bests", theme.font(40, bold=True), (60, 384))
        y = 444.0
        for best in h.personal_bests()[:3]:
            words = f"{exercise_label(best.exercise_id)}: {best.range_deg:.0f}°"
            widgets.text(surface, theme, words, theme.body(), (60, y), pal.text)
            y += 50
        words = f"Most reps in a day: {h.most_reps_in_a_day()}"
        widgets.text(surface, theme, words, theme.body(), (60, y), pal.text)

    def _range_trend(self, surface: pygame.Surface) -> None:
        theme, pal = self.ctx.theme, self.ctx.theme.palette
        self._panel(surface, 650, 372, 600, 282)
        exercise_id = self.exercises[self.shown]
        points = self.trends[exercise_id][-TREND_SESSIONS:]
        arrows = "‹ " if len(self.exercises) > 1 else ""
        # The median reach per session (the best single rep is under "Personal bests").
        title = f"{arrows}Usual reach: {exercise_label(exercise_id)}{' ›' if arrows else ''}"
        widgets.text(surface, theme, title, theme.hint(), (680, 380), pal.text)
        values = [v for _, v in points]
        first, last = values[0], values[-1]
        reach = f"{first:.0f}° then, {last:.0f}° now" if len(values) > 1 else f"{last:.0f}°"
        widgets.text(surface, theme, reach, theme.font(48, bold=True),
                     (680, 420), pal.text)  # fmt: skip
        lo, hi = min(values), max(values)
        span = max(hi - lo, 1.0)
        left, right, top_y, bottom_y = 700, 1200, 500, 630
        step = (right - left) / max(len(values) - 1, 1)
        pts = [
            (theme.px(left + i * step), theme.px(bottom_y - (v - lo) / span * (bottom_y - top_y)))
            for i, v in enumerate(values)
        ]
        if len(pts) > 1:
            pygame.draw.lines(surface, pal.accent, False, pts, theme.px(5))
        for p in pts:
            pygame.draw.circle(surface, pal.text, p, theme.px(8))
