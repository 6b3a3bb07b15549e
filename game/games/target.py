"""Target (child: Balloon Pop): reach the marked height, then come back — accuracy of range.

Each target is a band on a tall track; a rep hits it when its highest point lands inside the
band. Hits narrow the band and let targets sit higher; misses widen it again
(`exercises.adaptation`), so about 85 % of reps hit, within the game's bounds.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pygame

from exercises.adaptation import Staircase
from exercises.events import RepEvent
from exercises.games_catalogue import get_game
from game import widgets
from game.games.base import GameScene
from game.games.common import PLAY_HIGH_Y, PLAY_LOW_Y, height_y, limb_fraction, vertical_gradient
from game.scenes import hud
from game.scoring import RepScore

if TYPE_CHECKING:
    from game.context import SessionContext

TRACK_X, TRACK_W = 640, 170  # design px
LOW_TARGET = 0.4  # the lowest target, as a fraction of the comfortable range
HIGH_EASY, HIGH_HARD = 0.85, 1.05  # the highest target at the easiest and hardest level
HIT_POINTS = 15


class TargetScene(GameScene):
    instruction = ("Reach the marked band, then lower", "Lift the balloon to the target!")

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        info = get_game("target")
        self.adapt = Staircase(info.easiest, info.hardest)
        self._rng = random.Random(9)
        self.centre = 0.55
        self.hits = 0
        self.tries = 0
        self.last_reach: float | None = None
        self.background = self._paint_background()

    @property
    def half(self) -> float:
        return self.adapt.value

    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        child = self.ctx.theme.child
        reach = hud.reach_fraction(self.ctx, event.range_fraction)
        self.last_reach = reach
        error = reach - self.centre
        hit = abs(error) <= self.half
        self.tries += 1
        if hit:
            self.hits += 1
            self.ctx.score.score += HIT_POINTS
            colors = self.ctx.theme.palette.celebrate
            self.sparkle.burst(TRACK_X, height_y(self.centre), colors, count=18, ring=(90, 20))
        if not event.flags:  # quality tips (too fast, partial, compensated) come first
            if hit:
                self.feedback = "Pop! Right on it!" if child else "Right on target"
            elif error < 0:
                self.feedback = "Reach a bit higher!" if child else "A little higher next time"
            else:
                self.feedback = "Not quite so high!" if child else "A little lower next time"
        self.adapt.record(hit)
        self._next_target()

    def _next_target(self) -> None:
        high = HIGH_EASY + (HIGH_HARD - HIGH_EASY) * self.adapt.level
        low = LOW_TARGET
        for _ in range(8):  # a new height, not the same one again
            centre = self._rng.uniform(low, high)
            if abs(centre - self.centre) >= 0.12:
                break
        self.centre = centre

    # --- drawing -------------------------------------------------------------------------------
    def _paint_background(self) -> pygame.Surface:
        theme = self.ctx.theme
        pal = theme.palette
        if theme.child:
            bg = pygame.Surface(theme.size)
            widgets.backdrop(bg, theme)
        else:
            bg = vertical_gradient(theme, (0x14, 0x1E, 0x2B), (0x1C, 0x2A, 0x3C))
        track = widgets.rect(
            theme, TRACK_X - TRACK_W / 2, PLAY_HIGH_Y - 24, TRACK_W, PLAY_LOW_Y - PLAY_HIGH_Y + 48
        )
        pygame.draw.rect(bg, pal.panel, track, border_radius=theme.px(30))
        pygame.draw.rect(bg, pal.text_muted, track, theme.px(3), border_radius=theme.px(30))
        return bg

    def draw_world(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        surface.blit(self.background, (0, 0))
        top = height_y(self.centre + self.half)
        low = height_y(self.centre - self.half)
        band = widgets.rect(theme, TRACK_X - TRACK_W / 2 - 30, top, TRACK_W + 60, low - top)
        pygame.draw.rect(surface, pal.good, band, border_radius=theme.px(12))
        pygame.draw.rect(surface, pal.text, band, theme.px(4), border_radius=theme.px(12))
        # A bullseye and words beside the band: the target reads without colour.
        cx, cy = theme.px(TRACK_X - TRACK_W / 2 - 90), theme.px(height_y(self.centre))
        for radius, color in ((30, pal.text), (20, pal.good), (10, pal.text)):
            pygame.draw.circle(surface, color, (cx, cy), theme.px(radius))
        aim = "Pop it here" if theme.child else "Aim here"
        self.texts.draw(
            surface,
            aim,
            theme.body(),
            (TRACK_X - TRACK_W / 2 - 135, height_y(self.centre)),
            pal.text,
            "midright",
        )
        if self.last_reach is not None:  # where the last rep reached: a pointer on the right
            y = theme.px(height_y(self.last_reach))
            x = theme.px(TRACK_X + TRACK_W / 2 + 40)
            pygame.draw.polygon(
                surface,
                pal.text,
                [
                    (x, y),
                    (x + theme.px(28), y - theme.px(14)),
                    (x + theme.px(28), y + theme.px(14)),
                ],
            )
            self.texts.draw(
                surface,
                "Last reach",
                theme.hint(),
                (TRACK_X + TRACK_W / 2 + 80, height_y(self.last_reach)),
                pal.text,
                "midleft",
            )
        self._draw_marker(surface, limb_fraction(self.ctx))
        words = f"On target: {self.hits} of {self.tries}"
        self.texts.draw(surface, words, theme.hint(), (1250, PLAY_LOW_Y + 10), pal.text, "topright")

    def _draw_marker(self, surface: pygame.Surface, fraction: float) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        cx, cy = theme.px(TRACK_X), theme.px(height_y(fraction))
        if theme.child:  # a balloon on a string
            pygame.draw.line(
                surface, pal.text, (cx, cy + theme.px(40)), (cx, cy + theme.px(90)), theme.px(3)
            )
            balloon = pygame.Rect(0, 0, theme.px(70), theme.px(84))
            balloon.center = (cx, cy)
            pygame.draw.ellipse(surface, (0xD5, 0x5E, 0x00), balloon)
            pygame.draw.ellipse(surface, pal.text, balloon, theme.px(3))
        else:  # a level marker: a thick bar across the track with a centre dot
            bar = pygame.Rect(0, 0, theme.px(TRACK_W - 20), theme.px(22))
            bar.center = (cx, cy)
            pygame.draw.rect(surface, pal.accent, bar, border_radius=theme.px(11))
            pygame.draw.rect(surface, pal.text, bar, theme.px(3), border_radius=theme.px(11))
