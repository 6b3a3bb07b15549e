"""Rep Rush: the game. Every rep makes the counter jump, chimes, sparkles and earns points; a
steady pace builds a combo; a finished set brings falling confetti and then a rest.

It consumes only `RepEvent`s and the detector's `progress` (never keys or samples), so it plays
the same with a real puck, a replay or the keyboard simulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.events import RepEvent
from game import widgets
from game.games.base import BANNER_S, GameScene
from game.games.common import celebration_banner
from game.scenes import hud
from game.scoring import RepScore
from game.text_audit import draw_text

if TYPE_CHECKING:
    from game.context import SessionContext

COUNTER_AREA = (120, 90, 800, 220)  # design rect of "7 / 10" (tests look at these pixels)
COUNTER_CENTRE = (520, 200)
BANNER_Y = 392  # a celebration takes the feedback line's place, below "Set 1 of 3"


class RepRushScene(GameScene):
    """The first game: the counter is the hero. The flow (sets, rewards, rest) is `GameScene`'s."""

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.last_reach: float | None = None
        self.bump_s = 0.0  # the counter grows a little for a moment after each rep

    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        ctx = self.ctx
        self.last_reach = hud.reach_fraction(ctx, event.range_fraction)
        self.bump_s = 0.35
        cx, cy = COUNTER_CENTRE
        big = rep.best or rep.combo % 5 == 0  # not every rep gets a fanfare
        colors = ctx.theme.palette.celebrate
        self.sparkle.burst(cx, cy, colors, count=28 if big else 16, ring=(300, 90))

    def update_world(self, dt_s: float) -> None:
        self.bump_s = max(0.0, self.bump_s - dt_s)

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
        self.confetti.draw(surface, theme)  # behind the count and the words
        widgets.text(surface, theme, ctx.exercise_name(), theme.body(), (60, 24), pal.text_muted)

        # The count: the biggest thing on screen, with a short grow when it changes.
        image = theme.counter().render(self.counter_text, True, pal.text)
        if self.bump_s > 0:
            grow = 1.0 + 0.2 * self.bump_s / 0.35
            image = pygame.transform.smoothscale_by(image, grow)
        centre = (theme.px(COUNTER_CENTRE[0]), theme.px(COUNTER_CENTRE[1]))
        draw_text(surface, theme.counter(), self.counter_text, pal.text, "center", centre,
                  image=image)  # fmt: skip
        set_words = f"Set {min(progress.set_index + 1, progress.plan.sets)} of {progress.plan.sets}"
        widgets.text(surface, theme, set_words, theme.heading(), (520, 320), pal.text, "midtop")
        age_s = self.time_s - self.banner_since_s
        celebrating = bool(self.banner_words) and age_s < BANNER_S
        if celebrating:  # in the feedback line's place: clear of the count and the set
            celebration_banner(surface, theme, self.texts, self.banner_words, age_s, BANNER_Y)
        else:
            widgets.text(surface, theme, self.feedback, theme.font(44, bold=True), (520, 410),
                         pal.accent, "midtop")  # fmt: skip

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
        hud.footer(surface, ctx)
