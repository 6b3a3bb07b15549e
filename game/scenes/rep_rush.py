"""Rep Rush: the game. Every rep makes the counter jump, chimes, sparkles and earns points; a
steady pace builds a combo; a finished set brings falling confetti and then a rest.

It consumes only `RepEvent`s and the detector's `progress` (never keys or samples), so it plays
the same with a real puck, a replay or the keyboard simulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.events import FLAG_COMPENSATED, RepEvent
from exercises.session_plan import Outcome
from game import widgets
from game.actions import Action, ActionEvent
from game.effects import Confetti, Sparkle
from game.scene import Scene
from game.scenes import hud
from game.scoring import NOT_COUNTED, NOT_COUNTED_CHILD

if TYPE_CHECKING:
    from game.context import SessionContext

CELEBRATE_S = 3.5  # confetti time after a set, before the rest screen
COUNTER_AREA = (120, 90, 800, 220)  # design rect of "7 / 10" (tests look at these pixels)
COUNTER_CENTRE = (520, 200)
RESEATED = "The puck seems to have moved. Press ENTER to set it up again"
RESEATED_CHILD = "Your puck moved! Press ENTER to set it up again"


class RepRushScene(Scene):
    uses_motion = True

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.feedback = "Let's go!" if ctx.theme.child else "Ready when you are"
        self.last_reach: float | None = None
        self.sparkle = Sparkle(seed=5)
        self.confetti = Confetti(seed=7)
        self.celebrate_until_s: float | None = None
        self.bump_s = 0.0  # the counter grows a little for a moment after each rep

    def on_enter(self) -> None:
        progress = self.ctx.progress
        if progress.done:
            self.ctx.finish_session()
            self.ctx.scenes.go("results")
        elif progress.resting:
            self.ctx.scenes.go("rest")

    def handle_action(self, event: ActionEvent) -> None:
        if event.action is Action.LEAN:
            self.ctx.lean(event.down)
        if event.down and event.action is Action.SELECT and self.ctx.detector.reseated:
            self.ctx.recalibrate()  # the next few reps teach it again, and they count
            self.feedback = "Thank you! Keep going" if not self.ctx.theme.child else "Thanks! Go!"
        if event.down and event.action is Action.STOP:
            self.ctx.finish_session()
            self.ctx.scenes.go("results")

    def on_reps(self, events: list[RepEvent]) -> None:
        ctx = self.ctx
        for event in events:
            outcome = ctx.progress.add_rep(event)
            if outcome is Outcome.EXTRA:
                if FLAG_COMPENSATED in event.flags and not ctx.progress.resting:
                    self.feedback = NOT_COUNTED_CHILD if ctx.theme.child else NOT_COUNTED
                continue  # moving during the celebration: stored, and no new reward
            rep = ctx.score.add(event)
            self.feedback = rep.feedback
            self.last_reach = hud.reach_fraction(ctx, event.range_fraction)
            self.bump_s = 0.35
            cx, cy = COUNTER_CENTRE
            big = rep.best or rep.combo % 5 == 0  # not every rep gets a fanfare
            colors = ctx.theme.palette.celebrate
            self.sparkle.burst(cx, cy, colors, count=28 if big else 16, ring=(300, 90))
            if outcome in (Outcome.SET_DONE, Outcome.SESSION_DONE):
                ctx.sound.fanfare()
                self.confetti.launch(ctx.theme.palette.celebrate)
                self.celebrate_until_s = self.time_s + CELEBRATE_S
                self.feedback = self._set_done_words(outcome)
            else:
                ctx.sound.chime()

    def _set_done_words(self, outcome: Outcome) -> str:
        child = self.ctx.theme.child
        if outcome is Outcome.SESSION_DONE:
            return "All sets done! Amazing!" if child else "All sets done. Well done!"
        return "Set done! Woohoo!" if child else "Set done. Well done!"

    def update(self, dt_s: float) -> None:
        super().update(dt_s)
        self.sparkle.update(dt_s)
        self.confetti.update(dt_s)
        self.bump_s = max(0.0, self.bump_s - dt_s)
        if self.ctx.detector.reseated:
            self.feedback = RESEATED_CHILD if self.ctx.theme.child else RESEATED
        if self.celebrate_until_s is not None and self.time_s >= self.celebrate_until_s:
            if self.ctx.progress.done:
                self.ctx.finish_session()
                self.ctx.scenes.go("results")
            else:
                self.ctx.scenes.go("rest")

    @property
    def counter_text(self) -> str:
        p = self.ctx.progress
        return f"{p.reps_in_set} / {p.plan.reps_per_set}"

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        theme = ctx.theme
        pal = theme.palette
        progress = ctx.progress
        widgets.backdrop(surface, theme)
        widgets.text(surface, theme, ctx.exercise_name(), theme.body(), (60, 24), pal.text_muted)

        # The count: the biggest thing on screen, with a short grow when it changes.
        image = theme.counter().render(self.counter_text, True, pal.text)
        if self.bump_s > 0:
            grow = 1.0 + 0.2 * self.bump_s / 0.35
            image = pygame.transform.smoothscale_by(image, grow)
        centre = (theme.px(COUNTER_CENTRE[0]), theme.px(COUNTER_CENTRE[1]))
        surface.blit(image, image.get_rect(center=centre))
        set_words = f"Set {min(progress.set_index + 1, progress.plan.sets)} of {progress.plan.sets}"
        widgets.text(surface, theme, set_words, theme.heading(), (520, 320), pal.text, "midtop")
        widgets.text(
            surface,
            theme,
            self.feedback,
            theme.font(44, bold=True),
            (520, 410),
            pal.accent,
            "midtop",
        )

        widgets.rep_slots(
            surface, theme, progress.reps_in_set, progress.plan.reps_per_set, (520, 500)
        )
        score = ctx.score
        widgets.text(surface, theme, f"Score {score.score}", theme.body(), (120, 566), pal.text)
        if score.combo >= 2:
            combo = widgets.text(
                surface,
                theme,
                f"Combo ×{score.combo}",
                theme.font(40, bold=True),
                (600, 562),
                pal.text,
            )
            pygame.draw.rect(
                surface,
                pal.good,
                combo.inflate(theme.px(28), theme.px(12)),
                width=theme.px(4),
                border_radius=theme.px(14),
            )
        hud.gauge(surface, ctx, self.last_reach)
        self.sparkle.draw(surface, theme)
        self.confetti.draw(surface, theme)
        hud.footer(surface, ctx)
