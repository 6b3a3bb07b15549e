"""Calibration: three comfortable reps, so the detector learns this patient's own movement.

They are real reps (DESIGN.md): each one is added to the session and counts toward set 1. A 3-2-1
countdown gives time to get ready; the numbers change once a second (no flashing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.events import RepEvent
from exercises.session_plan import Outcome
from game import widgets
from game.actions import Action, ActionEvent
from game.effects import Sparkle
from game.scene import Scene
from game.scenes import hud
from game.text_audit import draw_text

if TYPE_CHECKING:
    from game.context import SessionContext

CALIBRATION_REPS = 3
COUNTDOWN_S = 3.0
THANKS_S = 2.0  # "That's your range" stays this long before the game starts


class CalibrationScene(Scene):
    uses_motion = True

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.reps = 0
        self.last_reach: float | None = None
        self.done_at_s: float | None = None
        self.sparkle = Sparkle(seed=3)

    def on_enter(self) -> None:
        self.ctx.new_session()  # the session (and its clock) starts with the first movement

    @property
    def counting_down(self) -> bool:
        return self.time_s < COUNTDOWN_S

    def handle_action(self, event: ActionEvent) -> None:
        if event.down and event.action is Action.STOP:
            if self.ctx.progress.total_reps or self.ctx.blocks_done:
                self.ctx.finish_session()
                self.ctx.scenes.go("results")
            else:
                self.ctx.scenes.go("menu")

    def on_reps(self, events: list[RepEvent]) -> None:
        for event in events:
            outcome = self.ctx.progress.add_rep(event)
            if outcome is Outcome.EXTRA:
                continue
            self.reps += 1
            self.last_reach = hud.reach_fraction(self.ctx, event.range_fraction)
            self.ctx.sound.chime()
            x = 330 + 190 * min(self.reps - 1, CALIBRATION_REPS - 1)
            self.sparkle.burst(x, 390, self.ctx.theme.palette.celebrate)
        if self.done_at_s is None and (
            self.reps >= CALIBRATION_REPS or self.ctx.progress.resting or self.ctx.progress.done
        ):
            self.done_at_s = self.time_s

    def update(self, dt_s: float) -> None:
        super().update(dt_s)
        self.sparkle.update(dt_s)
        if self.done_at_s is not None and self.time_s - self.done_at_s >= THANKS_S:
            progress = self.ctx.progress
            if progress.done:
                self.ctx.scenes.go(self.ctx.end_block())
            else:
                self.ctx.scenes.go("rest" if progress.resting else "game")

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        theme = ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        widgets.text(surface, theme, ctx.exercise_name(), theme.body(), (60, 24), pal.text_muted)
        if self.counting_down:
            widgets.text(surface, theme, "Get ready…", theme.heading(), (520, 110), anchor="midtop")
            number = str(int(COUNTDOWN_S - self.time_s) + 1)
            widgets.text(surface, theme, number, theme.counter(), (520, 210), pal.accent, "midtop")
        else:
            title = "Do 3 comfortable reps"
            widgets.text(surface, theme, title, theme.heading(), (520, 90), anchor="midtop")
            message: tuple[str, ...]
            if self.done_at_s is not None:
                message = ("Thank you!", "That's your range.")
            elif ctx.detector.learning:
                message = ("Learning your movement…", "Keep going: every rep will count.")
            else:
                message = ("Go at your own pace.",)
            for i, line in enumerate(message):
                widgets.text(
                    surface, theme, line, theme.body(), (520, 160 + 46 * i), anchor="midtop"
                )
            self._rep_dots(surface)
            safety = f"{'Be careful:' if theme.child else 'Safety:'} {ctx.exercise.safety}"
            widgets.paragraph(surface, theme, safety, theme.hint(), (60, 540), 900, pal.accent)
        hud.gauge(surface, ctx, self.last_reach)
        self.sparkle.draw(surface, theme)
        hud.footer(surface, ctx)

    def _rep_dots(self, surface: pygame.Surface) -> None:
        """Three circles, filled and ticked as reps are done: count by shape, not colour."""
        theme = self.ctx.theme
        pal = theme.palette
        for i in range(CALIBRATION_REPS):
            centre = (theme.px(330 + 190 * i), theme.px(390))
            radius = theme.px(62)
            if i < self.reps:
                pygame.draw.circle(surface, pal.good, centre, radius)
                tick = [(-26, 2), (-8, 22), (28, -20)]
                pts = [(centre[0] + theme.px(dx), centre[1] + theme.px(dy)) for dx, dy in tick]
                pygame.draw.lines(surface, pal.text, False, pts, theme.px(10))
            else:
                pygame.draw.circle(surface, pal.text_muted, centre, radius, theme.px(5))
                font = theme.font(44, bold=True)
                draw_text(surface, font, str(i + 1), pal.text_muted, "center", centre)
        if self.ctx.detector.learning and self.reps == 0:
            return  # the reps are counted all at once when it has learned: no "0 of 3" meanwhile
        count = f"{min(self.reps, CALIBRATION_REPS)} of {CALIBRATION_REPS} done"
        widgets.text(surface, theme, count, theme.body(), (520, 480), anchor="midtop")
