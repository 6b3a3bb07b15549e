"""Celebrations that move and sparkle but never strobe (WCAG 2.3.1: at most 3 flashes a second).

Particles only fade out smoothly once and drift; nothing alternates light and dark. Randomness is
seeded so screenshots and tests are repeatable.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pygame

from game.theme import Theme

Color = tuple[int, int, int]


@dataclass
class Particle:
    x: float  # design px
    y: float
    vx: float  # design px per second
    vy: float
    size: float
    color: Color
    age_s: float = 0.0
    life_s: float = 1.0
    spin: float = 0.0  # radians per second, for confetti


class ParticleField:
    """Particles that drift and age; subclasses say how they move, when they go, how they look."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self.particles: list[Particle] = []

    @property
    def active(self) -> bool:
        return bool(self.particles)

    def update(self, dt_s: float) -> None:
        for p in self.particles:
            p.age_s += dt_s
            self._move(p, dt_s)
        self.particles = [p for p in self.particles if self._alive(p)]

    def _move(self, p: Particle, dt_s: float) -> None:
        p.x += p.vx * dt_s
        p.y += p.vy * dt_s

    def _alive(self, p: Particle) -> bool:
        return p.age_s < p.life_s


class Sparkle(ParticleField):
    """A short burst of star sparks around a point: the small reward of every rep (~0.9 s)."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)

    def burst(
        self,
        x: float,
        y: float,
        colors: tuple[Color, ...],
        count: int = 14,
        ring: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """Sparks fly out from an ellipse of radii `ring` (design px) around (x, y)."""
        for i in range(count):
            angle = 2 * math.pi * (i + self._rng.random() * 0.5) / count
            speed = self._rng.uniform(160, 320)
            self.particles.append(
                Particle(
                    x + ring[0] * math.cos(angle),
                    y + ring[1] * math.sin(angle),
                    math.cos(angle) * speed,
                    math.sin(angle) * speed,
                    self._rng.uniform(8, 14),
                    colors[i % len(colors)],
                    life_s=self._rng.uniform(0.7, 1.0),
                )
            )

    def _move(self, p: Particle, dt_s: float) -> None:
        super()._move(p, dt_s)
        p.vx *= 0.92  # sparks slow down as they spread
        p.vy *= 0.92

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        for p in self.particles:
            shrink = 1.0 - p.age_s / p.life_s  # fades by shrinking: no light/dark alternation
            r = theme.px(p.size * shrink)
            cx, cy = theme.px(p.x), theme.px(p.y)
            star = [
                (
                    cx + (r if k % 2 == 0 else r * 0.4) * math.cos(k * math.pi / 4 - math.pi / 2),
                    cy + (r if k % 2 == 0 else r * 0.4) * math.sin(k * math.pi / 4 - math.pi / 2),
                )
                for k in range(8)
            ]
            pygame.draw.polygon(surface, p.color, star)


class Confetti(ParticleField):
    """Paper pieces that fall and turn slowly: the big reward when a set is finished."""

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)

    def launch(self, colors: tuple[Color, ...], count: int = 90, width: float = 1280) -> None:
        for i in range(count):
            self.particles.append(
                Particle(
                    self._rng.uniform(0, width),
                    self._rng.uniform(-420, -20),
                    self._rng.uniform(-40, 40),
                    self._rng.uniform(140, 260),
                    self._rng.uniform(10, 18),
                    colors[i % len(colors)],
                    life_s=6.0,
                    spin=self._rng.uniform(-3, 3),
                )
            )

    def _move(self, p: Particle, dt_s: float) -> None:
        p.x += (p.vx + 30 * math.sin(p.age_s * 2 + p.spin)) * dt_s  # a gentle flutter
        p.y += p.vy * dt_s

    def _alive(self, p: Particle) -> bool:
        return p.y < 760 and super()._alive(p)  # gone once below the 720 px design height

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        for p in self.particles:
            # Turning paper: the width narrows and widens slowly (well under 3 Hz).
            w = max(2.0, p.size * abs(math.cos(p.age_s * p.spin * 0.5)))
            r = pygame.Rect(0, 0, theme.px(w), theme.px(p.size * 0.6))
            r.center = (theme.px(p.x), theme.px(p.y))
            pygame.draw.rect(surface, p.color, r)
