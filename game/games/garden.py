"""Garden (child: Magic Garden): every rep waters a plant; the garden keeps growing across days.

The garden is *derived* from the patient's total counted reps (stored rep by rep), so it is the
long-term picture of effort and nothing extra is saved: `REPS_PER_PLANT` reps grow one plant from
seed to flower, `PLANTS_PER_GARDEN` flowers fill a garden and the next one starts. A new flower
every few reps is a built-in, visible reward; unlocked looks (pond, blossom trees, night sky) join
as the total grows. The limb tips a watering can: its height is the can's tilt.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from exercises.events import RepEvent
from game import widgets
from game.games.base import GameScene
from game.games.common import PLAY_LOW_Y, limb_fraction, vertical_gradient
from game.rewards import garden_looks
from game.scoring import RepScore
from game.theme import BLUE, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILION, YELLOW, Theme

if TYPE_CHECKING:
    from game.context import SessionContext

REPS_PER_PLANT = 8
ROWS, PER_ROW = 3, 8
PLANTS_PER_GARDEN = ROWS * PER_ROW
FLOWER_POINTS = 20
ROW_Y = (410, 500, 600)  # design y of each row's ground line, back to front
ROW_SCALE = (0.75, 0.88, 1.0)
SOIL_Y = 370
PETALS = (ORANGE, REDDISH_PURPLE, YELLOW, SKY_BLUE, VERMILION, BLUE)
STEM = (0x2E, 0x8B, 0x57)
LEAF = (0x3C, 0xA8, 0x6A)


def slot_xy(index: int) -> tuple[float, float, float]:
    """Design x, ground y and scale of plant `index` (0-based) within its garden."""
    back_row, col = divmod(index % PLANTS_PER_GARDEN, PER_ROW)
    row = ROWS - 1 - back_row  # the first flowers grow in the front row, the biggest
    scale = ROW_SCALE[row]
    x = 640 + (col - (PER_ROW - 1) / 2) * 140 * scale + (30 if row % 2 else 0)
    return x, ROW_Y[row], scale


def draw_plant(
    surface: pygame.Surface,
    theme: Theme,
    x: float,
    y: float,
    scale: float,
    growth: float,
    kind: int,
) -> None:
    """One plant at design (x, ground y): `growth` 0 (seed) to 1 (flower); `kind` picks a shape."""
    px = theme.px
    s = scale * (1.3 if theme.child else 1.0)
    if growth <= 0.05:
        pygame.draw.ellipse(
            surface,
            (0x6B, 0x4A, 0x2A),
            pygame.Rect(px(x - 10 * s), px(y - 6 * s), px(20 * s), px(10 * s)),
        )
        return
    height = 130 * s * min(1.0, growth / 0.7)
    top = (px(x), px(y - height))
    pygame.draw.line(surface, STEM, (px(x), px(y)), top, max(2, px(5 * s)))
    if growth >= 0.3:  # leaves
        for side in (-1, 1):
            leaf = pygame.Rect(0, 0, px(34 * s), px(14 * s))
            leaf.center = (px(x + side * 14 * s), px(y - height * 0.45))
            pygame.draw.ellipse(surface, LEAF, leaf)
    color = PETALS[kind % len(PETALS)]
    if growth < 0.75:
        if growth >= 0.55:  # a bud
            pygame.draw.circle(surface, color, top, px(12 * s))
        return
    bloom = min(1.0, (growth - 0.75) / 0.25)
    r = 30 * s * (0.5 + 0.5 * bloom)
    shape = kind % 3
    if shape == 0:  # daisy: petals round a centre
        for k in range(8):
            a = k * math.pi / 4
            c = (top[0] + px(r * 0.8 * math.cos(a)), top[1] + px(r * 0.8 * math.sin(a)))
            pygame.draw.circle(surface, color, c, px(r * 0.45))
        pygame.draw.circle(surface, YELLOW if color != YELLOW else ORANGE, top, px(r * 0.45))
    elif shape == 1:  # tulip: a cup of three petals
        cup = [
            (top[0] - px(r), top[1] - px(r)),
            (top[0] - px(r * 0.3), top[1] - px(r * 0.4)),
            (top[0], top[1] - px(r * 1.1)),
            (top[0] + px(r * 0.3), top[1] - px(r * 0.4)),
            (top[0] + px(r), top[1] - px(r)),
            (top[0] + px(r * 0.7), top[1] + px(r * 0.3)),
            (top[0] - px(r * 0.7), top[1] + px(r * 0.3)),
        ]
        pygame.draw.polygon(surface, color, cup)
    else:  # sunflower-like star
        pygame.draw.polygon(surface, color, widgets.star_points(top[0], top[1], px(r * 1.2)))
        pygame.draw.circle(surface, (0x5A, 0x3A, 0x1A), top, px(r * 0.4))
    if theme.child and bloom >= 1.0:  # a smile on the children's flowers
        mouth = pygame.Rect(top[0] - px(6 * s), top[1] - px(2 * s), px(12 * s), px(8 * s))
        pygame.draw.arc(surface, (0, 0, 0), mouth, math.pi, 2 * math.pi, max(1, px(2)))


class GardenScene(GameScene):
    instruction = ("Each rep waters the garden", "Every move makes flowers grow!")
    hint = "Hold SPACE to lift (tips the can), let go to lower"

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.shown_total = ctx.rewards.total_reps
        self.growth_shown = self._growth(self.shown_total)
        self.flowers_today = 0
        self.drops_s = -9.0
        self.background = self._paint_garden()

    @staticmethod
    def _growth(total: int) -> float:
        return (total % REPS_PER_PLANT) / REPS_PER_PLANT

    @property
    def flowers(self) -> int:
        return self.shown_total // REPS_PER_PLANT

    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        self.drops_s = self.time_s  # water falls from the can onto the growing plant

    def update_world(self, dt_s: float) -> None:
        total = self.ctx.rewards.total_reps
        if total != self.shown_total:
            bloomed = total // REPS_PER_PLANT > self.shown_total // REPS_PER_PLANT
            new_look = garden_looks(total) != garden_looks(self.shown_total)
            self.shown_total = total
            if bloomed:
                self._flower_done()
            if bloomed or new_look:
                self.background = self._paint_garden()
        target = self._growth(self.shown_total)
        if target < self.growth_shown:
            self.growth_shown = 0.0
        self.growth_shown += (target - self.growth_shown) * min(1.0, dt_s / 0.5)  # grows smoothly

    def _flower_done(self) -> None:
        self.flowers_today += 1
        self.growth_shown = 0.0
        self.ctx.score.score += FLOWER_POINTS
        x, y, _ = slot_xy(self.flowers - 1)
        self.sparkle.burst(x, y - 80, self.ctx.theme.palette.celebrate, count=22, ring=(40, 40))
        child = self.ctx.theme.child
        self.feedback = "A new flower! Yay!" if child else "A new flower in your garden"

    # --- drawing -------------------------------------------------------------------------------
    def _paint_garden(self) -> pygame.Surface:
        """Sky, looks and every finished flower of the current garden, painted once."""
        theme = self.ctx.theme
        looks = garden_looks(self.shown_total)
        night = "Night sky" in looks or theme.child
        if night:
            bg = pygame.Surface(theme.size)
            widgets.backdrop(bg, theme)
        else:
            bg = vertical_gradient(theme, (0x2A, 0x4A, 0x6A), (0x56, 0x8C, 0xB4))
        if "Night sky" in looks:
            pygame.draw.circle(
                bg, (0xF0, 0xE4, 0x42), (theme.px(1120), theme.px(210)), theme.px(34)
            )
        if "Blossom trees" in looks:
            for tree_x in (140, 1150):
                pygame.draw.rect(
                    bg, (0x6B, 0x4A, 0x2A), widgets.rect(theme, tree_x - 10, 230, 20, 110)
                )
                for dx, dy in ((-40, 0), (0, -30), (40, 0), (0, 20)):
                    c = (theme.px(tree_x + dx), theme.px(240 + dy))
                    pygame.draw.circle(bg, REDDISH_PURPLE, c, theme.px(38))
        soil = widgets.rect(theme, 0, SOIL_Y, 1280, PLAY_LOW_Y - SOIL_Y + 30)
        pygame.draw.rect(bg, (0x3B, 0x2A, 0x1A) if not theme.child else (0x4A, 0x30, 0x1A), soil)
        for row_y in ROW_Y:  # furrows
            pygame.draw.line(
                bg,
                (0x2A, 0x1C, 0x10),
                (0, theme.px(row_y)),
                (theme.px(1280), theme.px(row_y)),
                theme.px(4),
            )
        if "Pond" in looks:
            pygame.draw.ellipse(bg, SKY_BLUE, widgets.rect(theme, 1050, 600, 210, 44))
        done_here = self.flowers % PLANTS_PER_GARDEN
        for i in range(done_here):
            x, y, scale = slot_xy(i)
            draw_plant(bg, theme, x, y, scale, 1.0, i)
        for i in range(done_here + 1, PLANTS_PER_GARDEN):  # seeds waiting their turn
            x, y, scale = slot_xy(i)
            draw_plant(bg, theme, x, y, scale, 0.0, i)
        return bg

    def draw_world(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        surface.blit(self.background, (0, 0))
        index = self.flowers % PLANTS_PER_GARDEN
        x, y, scale = slot_xy(index)
        draw_plant(surface, theme, x, y, scale, self.growth_shown, index)
        self._draw_can(surface, x, y - 200 * scale)
        garden_no = self.flowers // PLANTS_PER_GARDEN + 1
        to_go = REPS_PER_PLANT - self.shown_total % REPS_PER_PLANT
        left = f"Flowers: {self.flowers}  ·  Garden {garden_no}"
        self.texts.draw(surface, left, theme.hint(), (30, PLAY_LOW_Y + 10), pal.text)
        right = f"Next flower in {to_go} rep{'s' if to_go != 1 else ''}"
        self.texts.draw(surface, right, theme.hint(), (1250, PLAY_LOW_Y + 10), pal.text, "topright")

    def _draw_can(self, surface: pygame.Surface, x: float, y: float) -> None:
        """A watering can above the growing plant, tipped by the limb's height."""
        theme = self.ctx.theme
        tilt = -math.radians(60) * min(1.0, limb_fraction(self.ctx))  # spout down: pouring
        cx, cy = x + 50, y

        def at(dx: float, dy: float) -> tuple[int, int]:
            rx = dx * math.cos(tilt) + dy * math.sin(tilt)
            ry = -dx * math.sin(tilt) + dy * math.cos(tilt)
            return theme.px(cx - rx), theme.px(cy + ry)

        body = [at(-30, -26), at(26, -26), at(32, 26), at(-36, 26)]
        spout = [at(24, 12), at(74, -30), at(80, -22), at(30, 22)]
        rose = [at(70, -36), at(90, -40), at(88, -16), at(76, -20)]  # the sprinkler head
        handle = [at(-30, -14), at(-58, -20), at(-58, 14), at(-34, 14)]
        color = theme.palette.accent
        outline = theme.palette.text
        pygame.draw.lines(surface, outline, False, handle, theme.px(6))
        for part in (spout, rose, body):
            pygame.draw.polygon(surface, color, part)
            pygame.draw.polygon(surface, outline, part, theme.px(3))
        age_s = self.time_s - self.drops_s
        if 0 <= age_s < 1.0:  # a few drops fall once after each rep
            tip = at(84, -28)
            for k in range(4):
                dy = theme.px(age_s * 160 + k * 18)
                pygame.draw.circle(
                    surface, SKY_BLUE, (tip[0] - theme.px(6 * k), tip[1] + dy), theme.px(5)
                )
