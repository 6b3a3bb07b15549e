"""Rest between sets: a countdown, a slow breathing circle, the fatigue check, a word about pain.

When the countdown ends the next set waits for SPACE: no one is rushed into moving (UX.md 1).
SPACE on the first choice skips the rest at any time; the other two shorten or end the session
(`game.scenes.fatigue`). The detector keeps listening, so moves made while resting are
kept as extra reps rather than lost.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from exercises.events import RepEvent
from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.scenes.fatigue import FatigueCheck, Feeling

if TYPE_CHECKING:
    from game.context import SessionContext

BREATH_S = 8.0  # one slow breath in and out


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, rounded up so the display reaches 0:00 exactly when time is up."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class RestScene(Scene):
    feeds_detector = True

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.check = FatigueCheck(ctx)

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.ctx.plan.rest_s - self.time_s)

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        choice = self.check.handle(event)
        if choice is Feeling.FINE:
            self.ctx.progress.start_next_set()
            self.ctx.scenes.go("game")
        elif choice is Feeling.STOP:
            self.ctx.scenes.go("results")
        elif event.action is Action.STOP:
            self.ctx.finish_session()
            self.ctx.scenes.go("results")

    def on_reps(self, events: list[RepEvent]) -> None:
        for event in events:
            self.ctx.progress.add_rep(event)  # resting: kept as an extra rep

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        theme = ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        progress = ctx.progress
        done = f"Set {progress.sets_done} of {progress.plan.sets} done"
        widgets.text(surface, theme, done, theme.body(), (640, 14), pal.text_muted, "midtop")
        if self.remaining_s > 0:
            heading = f"Rest. Next set in {clock_text(self.remaining_s)}"
        else:
            heading = "Ready when you are"
        widgets.text(surface, theme, heading, theme.title(), (640, 60), pal.text, "midtop")

        # Breathing circle: grows and shrinks over 8 s, far below any flashing rate.
        phase = 0.5 - 0.5 * math.cos(2 * math.pi * self.time_s / BREATH_S)
        centre = (theme.px(1180), theme.px(300))
        pygame.draw.circle(surface, pal.panel, centre, theme.px(74))
        pygame.draw.circle(surface, pal.accent, centre, theme.px(36 + 34 * phase))
        breath = (
            "Breathe in" if math.sin(2 * math.pi * self.time_s / BREATH_S) >= 0 else "Breathe out"
        )
        widgets.text(surface, theme, breath, theme.hint(), (1180, 384), pal.text, "midtop")
        self.check.draw(surface, 170)
        widgets.text(
            surface,
            theme,
            "If anything hurts, stop and tell your therapist.",
            theme.body(),
            (640, 590),
            pal.text,
            "midtop",
        )
        widgets.key_hint(surface, theme, "Arrows to choose, SPACE to pick")
        widgets.stop_hint(surface, theme)
        widgets.sound_badge(surface, theme, ctx.sound.audible, ctx.sound.available)
