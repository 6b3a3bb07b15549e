"""Glide (child: Bird Flight): the limb's height steers a glider or a bird through gates.

Range and control: gates come alternately high and low, so each rep carries the flyer up through
one and back down through the next. The gate opening and the time between gates follow the
success rate toward 85 % (`exercises.adaptation`), within the game's bounds.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from exercises.adaptation import Staircase
from exercises.events import RepEvent
from exercises.games_catalogue import get_game
from game import widgets
from game.games.base import GameScene
from game.games.common import PLAY_LOW_Y, height_y, limb_fraction, vertical_gradient
from game.scoring import RepScore

if TYPE_CHECKING:
    from game.context import SessionContext

FLYER_X = 320  # design px
SPAWN_X = 1340
TRAVEL_S = 3.2  # a gate is in view this long before it reaches the flyer: time to prepare
GAP_EASY_S, GAP_HARD_S = 3.4, 2.4  # time between gates at the easiest and hardest level
GATE_POINTS = 5
GATE_W = 56
HIGH_CENTRES = (0.62, 0.7, 0.76)  # gate centres as fractions of the range, high gates
LOW_CENTRE = 0.15


@dataclass
class Gate:
    x: float  # design px
    centre: float  # fraction of range
    half: float  # half the opening, fraction of range
    passed: bool | None = None  # None until the flyer reaches it


class GlideScene(GameScene):
    instruction = ("Steer through the gaps: up, down", "Fly the bird through the gaps!")

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        info = get_game("glide")
        self.adapt = Staircase(info.easiest, info.hardest)
        self.gates: list[Gate] = []
        self.next_gate_s = 1.5
        self.high_next = True
        self.flyer = 0.0
        self.gates_passed = 0
        self.gates_judged = 0
        self._rng = random.Random(3)
        self.background = self._paint_background()

    @property
    def gate_interval_s(self) -> float:
        return GAP_EASY_S + (GAP_HARD_S - GAP_EASY_S) * self.adapt.level

    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        pass  # the count and the score are the base's; gates reward the steering

    def update_world(self, dt_s: float) -> None:
        target = limb_fraction(self.ctx)
        self.flyer += (target - self.flyer) * min(1.0, dt_s / 0.06)  # light smoothing, no lag
        speed = (SPAWN_X - FLYER_X) / TRAVEL_S
        for gate in self.gates:
            gate.x -= speed * dt_s
            if gate.passed is None and gate.x <= FLYER_X:
                self._judge(gate)
        self.gates = [g for g in self.gates if g.x > -GATE_W]
        if self.playing and self.time_s >= self.next_gate_s:
            self.next_gate_s = self.time_s + self.gate_interval_s
            centre = self._rng.choice(HIGH_CENTRES) if self.high_next else LOW_CENTRE
            self.high_next = not self.high_next
            self.gates.append(Gate(SPAWN_X, centre, self.adapt.value / 2))

    def _judge(self, gate: Gate) -> None:
        gate.passed = abs(self.flyer - gate.centre) <= gate.half
        self.adapt.record(gate.passed)
        self.gates_judged += 1
        if gate.passed:
            self.gates_passed += 1
            self.ctx.score.score += GATE_POINTS
            colors = self.ctx.theme.palette.celebrate
            self.sparkle.burst(FLYER_X + 40, height_y(self.flyer), colors, count=10)

    # --- drawing -------------------------------------------------------------------------------
    def _paint_background(self) -> pygame.Surface:
        theme = self.ctx.theme
        if theme.child:
            bg = pygame.Surface(theme.size)
            widgets.backdrop(bg, theme)  # the child theme's still starry sky
            for cx, cy, r in ((200, 260, 50), (720, 220, 60), (1080, 330, 46)):
                for dx in (-1, 0, 1):  # a cloud is three soft circles
                    pygame.draw.circle(
                        bg, (0x55, 0x48, 0x9E), (theme.px(cx + dx * r), theme.px(cy)), theme.px(r)
                    )
        else:
            bg = vertical_gradient(theme, (0x14, 0x1E, 0x2B), (0x2A, 0x4A, 0x6A))
        hills = [(0, 660), (220, 600), (480, 640), (760, 590), (1040, 636), (1280, 600)]
        ground = [(theme.px(x), theme.px(y)) for x, y in hills]
        ground += [(theme.px(1280), theme.px(720)), (0, theme.px(720))]
        pygame.draw.polygon(
            bg, (0x1E, 0x3A, 0x30) if not theme.child else (0x10, 0x50, 0x3A), ground
        )
        return bg

    def draw_world(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        surface.blit(self.background, (0, 0))
        for gate in self.gates:
            self._draw_gate(surface, gate)
        self._draw_flyer(surface)
        words = f"Gates {self.gates_passed} of {self.gates_judged}"
        self.texts.draw(surface, words, theme.hint(), (1250, PLAY_LOW_Y + 10), pal.text, "topright")

    def _draw_gate(self, surface: pygame.Surface, gate: Gate) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        top_y = height_y(gate.centre + gate.half)
        low_y = height_y(gate.centre - gate.half)
        faded = gate.passed is False
        fill = pal.panel if faded else (pal.accent if theme.child else pal.text_muted)
        x = gate.x - GATE_W / 2
        upper = widgets.rect(theme, x, 150, GATE_W, max(0.0, top_y - 150))
        lower = widgets.rect(theme, x, low_y, GATE_W, max(0.0, PLAY_LOW_Y + 30 - low_y))
        radius = theme.px(GATE_W / 2 if theme.child else 8)
        for post in (upper, lower):
            if post.height > 0:
                pygame.draw.rect(surface, fill, post, border_radius=radius)
                pygame.draw.rect(surface, pal.text, post, theme.px(3), border_radius=radius)
        opening = widgets.rect(theme, x - 10, top_y, GATE_W + 20, max(1.0, low_y - top_y))
        pygame.draw.rect(surface, pal.good, opening, theme.px(4), border_radius=theme.px(10))
        # Arrows into the opening: where to fly reads by shape, not by colour.
        for y, d in ((top_y, 1), (low_y, -1)):
            tip = (theme.px(gate.x), theme.px(y + d * 22))
            pts = [
                (theme.px(gate.x - 16), theme.px(y + d * 4)),
                (theme.px(gate.x + 16), theme.px(y + d * 4)),
                tip,
            ]
            pygame.draw.polygon(surface, pal.text, pts)

    def _draw_flyer(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        cx, cy = theme.px(FLYER_X), theme.px(height_y(self.flyer))
        r = theme.px(34)
        if theme.child:  # a round bird with a flapping wing (a slow flap, about 2 Hz)
            pygame.draw.circle(surface, pal.accent, (cx, cy), r)
            pygame.draw.circle(surface, pal.text, (cx, cy), r, theme.px(3))
            flap = math.sin(self.time_s * 2 * math.pi * 2) * r * 0.5
            wing = [(cx - r * 0.6, cy), (cx - r * 0.1, cy), (cx - r * 0.5, cy - flap)]
            pygame.draw.polygon(surface, (0xE6, 0x9F, 0x00), wing)
            pygame.draw.circle(surface, (0, 0, 0), (cx + r * 0.4, cy - r * 0.3), theme.px(5))
            beak = [(cx + r * 0.9, cy - r * 0.15), (cx + r * 1.5, cy), (cx + r * 0.9, cy + r * 0.2)]
            pygame.draw.polygon(surface, (0xD5, 0x5E, 0x00), beak)
        else:  # a glider: a swept wing and a tail, calm and grown-up
            pts = [
                (cx + r * 1.4, cy),
                (cx - r * 0.9, cy - r * 0.9),
                (cx - r * 0.4, cy),
                (cx - r * 0.9, cy + r * 0.5),
            ]
            pygame.draw.polygon(surface, pal.accent, pts)
            pygame.draw.polygon(surface, pal.text, pts, theme.px(3))
