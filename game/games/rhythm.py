"""Rhythm (child: Moon Dance): out and back on a slow beat; steady, unhurried reps score most.

A guide (a lantern, or the moon) rises and falls once per beat; the limb's marker moves beside it.
The beat's length comes from the plan (`SetPlan.rep_tempo_s`) when it sets one; reps that keep the
beat raise the tempo a little, reps that fall behind slow it down (`exercises.adaptation`), never
faster than the plan's tempo and never slower than 1.5× it. Hurrying is never rewarded: a rep far
quicker than the beat gets a gentle "a little slower" and does not change the tempo.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from exercises.adaptation import Staircase
from exercises.events import FLAG_TOO_FAST, RepEvent
from exercises.games_catalogue import get_game
from game import widgets
from game.games.base import GameScene
from game.games.common import PLAY_HIGH_Y, PLAY_LOW_Y, height_y, limb_fraction, vertical_gradient
from game.scoring import RepScore

if TYPE_CHECKING:
    from game.context import SessionContext

GUIDE_TOP = 0.85  # the guide's highest point, as a fraction of the comfortable range
GUIDE_X, LIMB_X = 520, 760  # design px
QUICK_RATIO, SLOW_RATIO = 0.7, 1.35  # a rep this much quicker / slower than the beat is off it
IN_STEP = 0.15  # limb within this share of the range of the guide: moving together
BEAT_POINTS = 10
MAX_TEMPO_S = 12.0


def tempo_bounds(plan_tempo_s: float | None) -> tuple[float, float]:
    """(easiest, hardest) seconds per rep: the plan's tempo is the fastest the game goes."""
    if plan_tempo_s is None:
        info = get_game("rhythm")
        return info.easiest, info.hardest
    return min(MAX_TEMPO_S, plan_tempo_s * 1.5), plan_tempo_s


class RhythmScene(GameScene):
    instruction = ("Rise and fall with the lantern", "Move up and down with the moon!")

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        easiest, hardest = tempo_bounds(ctx.plan.rep_tempo_s)
        start = 0.25 if ctx.plan.rep_tempo_s is None else 0.6
        self.adapt = Staircase(easiest, hardest, level=start)
        self.phase = 0.0  # beats since the start; the guide tops out at each whole beat + 0.5
        self.last_rep_s: float | None = None
        self.on_beat = 0
        self.beats_judged = 0
        self.beat_ring_s = -9.0
        self.background = self._paint_background()

    @property
    def period_s(self) -> float:
        return self.adapt.value

    @property
    def guide(self) -> float:
        return GUIDE_TOP * (0.5 - 0.5 * math.cos(2 * math.pi * self.phase))

    def update_world(self, dt_s: float) -> None:
        before = self.phase
        self.phase += dt_s / self.period_s
        if math.floor(before + 0.5) != math.floor(self.phase + 0.5) and self.playing:
            self.ctx.sound.play("tick")  # the beat, at the top of the guide; its twin is the ring
            self.beat_ring_s = self.time_s

    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        child = self.ctx.theme.child
        if self.last_rep_s is None:  # the first rep: judged by its own length
            ratio = event.duration_s / (0.7 * self.period_s)
            ratio = min(ratio, 1.0) if ratio >= QUICK_RATIO else ratio
        else:
            ratio = (self.time_s - self.last_rep_s) / self.period_s
        self.last_rep_s = self.time_s
        if ratio < QUICK_RATIO or FLAG_TOO_FAST in event.flags:
            self.feedback = "Slower, like the moon!" if child else "A little slower, with the beat"
            return  # hurrying: a kind word, and the tempo stays as it is
        success = ratio <= SLOW_RATIO
        self.adapt.record(success)
        self.beats_judged += 1
        if success:
            self.on_beat += 1
            self.ctx.score.score += BEAT_POINTS
            if not event.flags:
                self.feedback = "On the beat!" if child else "Right on the beat"
        elif not event.flags:
            self.feedback = "The moon will wait for you" if child else "Good. The beat slows to you"

    # --- drawing -------------------------------------------------------------------------------
    def _paint_background(self) -> pygame.Surface:
        theme = self.ctx.theme
        pal = theme.palette
        if theme.child:
            bg = pygame.Surface(theme.size)
            widgets.backdrop(bg, theme)
        else:  # dusk over still water
            bg = vertical_gradient(theme, (0x14, 0x1E, 0x2B), (0x30, 0x3A, 0x58))
            water = widgets.rect(theme, 0, PLAY_LOW_Y + 20, 1280, 100)
            pygame.draw.rect(bg, (0x12, 0x2A, 0x3C), water)
        for x in (GUIDE_X, LIMB_X):  # the two lanes
            lane = widgets.rect(theme, x - 4, PLAY_HIGH_Y - 20, 8, PLAY_LOW_Y - PLAY_HIGH_Y + 40)
            pygame.draw.rect(bg, pal.panel, lane, border_radius=theme.px(4))
        font = theme.hint()
        spots = (("Beat", GUIDE_X - 60, "midright"), ("You", LIMB_X + 60, "midleft"))
        for words, x, anchor in spots:  # beside the lanes' feet, clear of the moving markers
            image = font.render(words, True, pal.text)
            bg.blit(image, image.get_rect(**{anchor: (theme.px(x), theme.px(PLAY_LOW_Y))}))
        return bg

    def draw_world(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        surface.blit(self.background, (0, 0))
        gx, gy = theme.px(GUIDE_X), theme.px(height_y(self.guide))
        r = theme.px(40)
        ring_age_s = self.time_s - self.beat_ring_s
        if 0 <= ring_age_s < 0.6:  # one ring grows outward on each beat: a pulse, not a flash
            ring_r = r + theme.px(70 * ring_age_s)
            pygame.draw.circle(surface, pal.text_muted, (gx, gy), ring_r, theme.px(3))
        if theme.child:  # the moon, with a smile
            pygame.draw.circle(surface, pal.accent, (gx, gy), r)
            for dx in (-13, 13):
                pygame.draw.circle(surface, (0, 0, 0), (gx + theme.px(dx), gy - theme.px(8)), 5)
            smile = pygame.Rect(gx - theme.px(16), gy - theme.px(6), theme.px(32), theme.px(24))
            pygame.draw.arc(surface, (0, 0, 0), smile, math.pi * 1.1, math.pi * 1.9, theme.px(3))
        else:  # a lantern
            body = pygame.Rect(0, 0, theme.px(52), theme.px(66))
            body.center = (gx, gy)
            pygame.draw.rect(surface, pal.accent, body, border_radius=theme.px(14))
            pygame.draw.rect(surface, pal.text, body, theme.px(3), border_radius=theme.px(14))
        limb = limb_fraction(self.ctx)
        together = abs(limb - self.guide) <= IN_STEP
        lx, ly = theme.px(LIMB_X), theme.px(height_y(limb))
        # Filled ring when moving together with the beat: shape says it, colour only helps.
        pygame.draw.circle(surface, pal.good if together else pal.panel, (lx, ly), r)
        pygame.draw.circle(surface, pal.text, (lx, ly), r, theme.px(5))
        if together:
            self.texts.draw(
                surface,
                "Together",
                theme.hint(),
                (LIMB_X + 60, height_y(limb)),
                pal.text,
                "midleft",
            )
        tempo = f"{self.period_s:.1f} s per rep"
        self.texts.draw(surface, tempo, theme.hint(), (1250, PLAY_LOW_Y + 10), pal.text, "topright")
        words = f"On the beat: {self.on_beat}"
        self.texts.draw(surface, words, theme.hint(), (30, PLAY_LOW_Y + 10), pal.text, "topleft")
