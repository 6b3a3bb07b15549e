"""What every game screen shares: cached text, the top bar and the celebration banner.

Drawing must stay cheap at 60 fps (p99 ≤ 16.7 ms with two pucks streaming): text is rendered once
per distinct string and kept, and static backgrounds are painted once per scene.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

import pygame

from game import widgets
from game.text_audit import draw_text, panel
from game.theme import Theme

if TYPE_CHECKING:
    from game.context import SessionContext

Color = tuple[int, int, int]
CACHE_SIZE = 128


class TextCache:
    """Rendered text kept by (words, font, colour): unchanged text is never rendered twice."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self._images: OrderedDict[tuple[str, int, Color], pygame.Surface] = OrderedDict()

    def image(self, words: str, font: pygame.font.Font, color: Color) -> pygame.Surface:
        key = (words, id(font), color)
        image = self._images.get(key)
        if image is None:
            image = font.render(words, True, color)
            self._images[key] = image
            if len(self._images) > CACHE_SIZE:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(key)
        return image

    def draw(
        self,
        surface: pygame.Surface,
        words: str,
        font: pygame.font.Font,
        pos: tuple[float, float],
        color: Color,
        anchor: str = "topleft",
    ) -> pygame.Rect:
        """Like `widgets.text`, from the cache."""
        image = self.image(words, font, color)
        point = (self.theme.px(pos[0]), self.theme.px(pos[1]))
        return draw_text(surface, font, words, color, anchor, point, image=image)


TOP_BAR_H = 150  # design px: the playfield starts below this
PLAY_BOTTOM = 650  # ... and ends above the footer


def top_bar(surface: pygame.Surface, ctx: SessionContext, texts: TextCache, feedback: str) -> None:
    """Count, set and level at the left, score at the right, the feedback line under them."""
    theme = ctx.theme
    pal = theme.palette
    p = ctx.progress
    pygame.draw.rect(surface, pal.panel, widgets.rect(theme, 0, 0, 1280, TOP_BAR_H))
    count = f"{p.reps_in_set} / {p.plan.reps_per_set}"
    texts.draw(surface, count, theme.font(72, bold=True), (28, 50), pal.text, "midleft")
    set_words = f"Set {min(p.set_index + 1, p.plan.sets)} of {p.plan.sets}"
    texts.draw(surface, set_words, theme.hint(), (280, 12), pal.text)
    texts.draw(surface, f"Level {ctx.rewards.level}", theme.hint(), (280, 52), pal.text_muted)
    score = f"Score {ctx.score.score}"
    texts.draw(surface, score, theme.font(44, bold=True), (1250, 54), pal.text, "topright")
    texts.draw(surface, feedback, theme.font(40, bold=True), (640, 126), pal.accent, "center")


BANNER_TOP = TOP_BAR_H + 14  # celebrations drop in just below the top bar, never over the count


def celebration_banner(
    surface: pygame.Surface,
    theme: Theme,
    texts: TextCache,
    words: str,
    age_s: float,
    top: float = BANNER_TOP,
) -> None:
    """A calm panel that slides down into view with the celebration's words (it never blinks).

    It lands at design y `top`: below the top bar, so the count, set and feedback stay in view."""
    pal = theme.palette
    drop = min(1.0, age_s / 0.35)
    y = top - 20 + 20 * drop
    box = widgets.rect(theme, 340, y, 600, 84)
    pygame.draw.rect(surface, pal.background, box, border_radius=theme.px(22))
    pygame.draw.rect(surface, pal.accent, box, width=theme.px(5), border_radius=theme.px(22))
    panel(surface, box, words)
    for side in (-1, 1):  # a star each side: shape, not only colour, says "celebration"
        cx = theme.px(640 + side * 262)
        pts = widgets.star_points(cx, box.centery, theme.px(22))
        pygame.draw.polygon(surface, pal.celebrate[0], pts)
    texts.draw(surface, words, theme.font(44, bold=True), (640, y + 42), pal.text, "center")


def footer(surface: pygame.Surface, ctx: SessionContext, texts: TextCache, hint: str) -> None:
    """Esc (and the long hold) bottom-left, the keys bottom-right, sound state top-right."""
    theme = ctx.theme
    widgets.stop_hint(surface, theme)
    if ctx.keyboard_sim is not None:
        texts.draw(surface, hint, theme.hint(), (1250, 688), theme.palette.text, "midright")
    widgets.sound_badge(surface, theme, ctx.sound.audible, ctx.sound.available)


PLAY_HIGH_Y = 180  # design y of the top of the limb's range (progress 1.0)
PLAY_LOW_Y = 620  # ... and of rest (progress 0.0)


def height_y(fraction: float) -> float:
    """Design y of a height given as a fraction of the comfortable range (0 rest, 1 top)."""
    return PLAY_LOW_Y - (PLAY_LOW_Y - PLAY_HIGH_Y) * min(max(fraction, -0.05), 1.1)


def vertical_gradient(theme: Theme, top: Color, bottom: Color) -> pygame.Surface:
    """A full-window background fading from `top` to `bottom` (painted once per scene)."""
    w, h = theme.size
    surface = pygame.Surface((w, h))
    for y in range(0, h, 4):
        t = y / max(1, h - 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        pygame.draw.rect(surface, color, (0, y, w, 4))
    return surface


def limb_fraction(ctx: SessionContext) -> float:
    """Where the limb is now, as a fraction of its comfortable range (the games' only input)."""
    return min(max(ctx.detector.progress, 0.0), 1.1)
