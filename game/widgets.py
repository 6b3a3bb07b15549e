"""Drawing helpers every screen shares: big text, buttons, the range gauge, hints and banners.

They take design-pixel positions (1280×720 canvas) and the theme scales them, so scenes stay
resolution-free. Focus and state are always shown by shape or words as well as colour (UX.md 3).
"""

from __future__ import annotations

import math

import pygame

from game.text_audit import cover, draw_text
from game.theme import Theme

Color = tuple[int, int, int]


def text(
    surface: pygame.Surface,
    theme: Theme,
    words: str,
    font: pygame.font.Font,
    pos: tuple[float, float],
    color: Color | None = None,
    anchor: str = "topleft",
    box: pygame.Rect | None = None,
) -> pygame.Rect:
    """Draw one line of text at a design position; returns the real rect it covers.

    `box` (real pixels) is where it must stay, e.g. its panel; by default the whole window."""
    point = (theme.x(pos[0]), theme.px(pos[1]))
    return draw_text(surface, font, words, color or theme.palette.text, anchor, point, box)


def wrap(words: str, font: pygame.font.Font, width_px: int) -> list[str]:
    """Split `words` into lines no wider than `width_px` (a long word stays on its own line)."""
    lines: list[str] = []
    line = ""
    for word in words.split():
        candidate = f"{line} {word}".strip()
        if font.size(candidate)[0] <= width_px or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def paragraph(
    surface: pygame.Surface,
    theme: Theme,
    words: str,
    font: pygame.font.Font,
    pos: tuple[float, float],
    width: float,
    color: Color | None = None,
    align: str = "left",
) -> float:
    """Draw wrapped text from a design top-left (or top-centre); returns the design y below it."""
    x, y = pos
    line_h = font.get_linesize() / theme.scale
    for line in wrap(words, font, theme.px(width)):
        anchor = "midtop" if align == "center" else "topleft"
        text(surface, theme, line, font, (x, y), color, anchor)
        y += line_h
    return y


def rect(theme: Theme, x: float, y: float, w: float, h: float) -> pygame.Rect:
    """A design rect in real pixels; its centre moves toward the seen side (game.layout)."""
    width = theme.px(w)
    return pygame.Rect(theme.x(x + w / 2) - width // 2, theme.px(y), width, theme.px(h))


def button_list(
    surface: pygame.Surface,
    theme: Theme,
    labels: list[str],
    focus: int,
    top: float,
    width: float = 760,
    height: float = 84,
    gap: float = 18,
) -> list[pygame.Rect]:
    """Big stacked buttons. The focused one is filled, thick-edged, wider, and has a pointer."""
    pal = theme.palette
    rects = []
    font = theme.font(40, bold=True)
    cx = 640
    for i, label in enumerate(labels):
        y = top + i * (height + gap)
        focused = i == focus
        w = width + (40 if focused else 0)
        r = rect(theme, cx - w / 2, y, w, height)
        button(surface, theme, r, label, focused, font)
        if focused:  # a pointer triangle on both ends: focus is shape and position, not colour
            for side in (-1, 1):
                tip_x = r.left - theme.px(16) if side < 0 else r.right + theme.px(16)
                base_x = tip_x + side * theme.px(30)  # the tip points in, at the button
                pts = [
                    (base_x, r.centery - theme.px(22)),
                    (tip_x, r.centery),
                    (base_x, r.centery + theme.px(22)),
                ]
                pygame.draw.polygon(surface, pal.accent, pts)
        rects.append(r)
    return rects


def button(
    surface: pygame.Surface,
    theme: Theme,
    r: pygame.Rect,
    label: str,
    focused: bool,
    font: pygame.font.Font,
) -> None:
    """One big button: filled and thick-edged when focused, outlined when not; its label inside."""
    pal = theme.palette
    radius = theme.px(r.height / theme.scale / 2 if theme.child else 16)
    pygame.draw.rect(surface, pal.accent if focused else pal.panel, r, border_radius=radius)
    edge = pal.text if focused else pal.text_muted
    pygame.draw.rect(surface, edge, r, width=theme.px(5 if focused else 2), border_radius=radius)
    color = pal.accent_text if focused else pal.text
    draw_text(surface, font, label, color, "center", r.center, r)


ROW_BUTTON = (250, 76, 30)  # design px: width, height and gap of side-by-side buttons


def button_row(
    surface: pygame.Surface, theme: Theme, labels: list[str], focus: int, top: float
) -> list[pygame.Rect]:
    """Big buttons side by side (a short answer: fine / tired / sore). The focused one is
    filled, thick-edged and underlined: focus by shape and position, not only colour."""
    pal = theme.palette
    font = theme.font(40, bold=True)
    width, height, gap = ROW_BUTTON
    left = 640 - (len(labels) * width + (len(labels) - 1) * gap) / 2
    rects = []
    for i, label in enumerate(labels):
        r = rect(theme, left + i * (width + gap), top, width, height)
        focused = i == focus
        button(surface, theme, r, label, focused, font)
        if focused:
            bar = pygame.Rect(
                r.left + r.width // 4, r.bottom + theme.px(8), r.width // 2, theme.px(6)
            )
            pygame.draw.rect(surface, pal.accent, bar, border_radius=theme.px(3))
        rects.append(r)
    return rects


def range_gauge(
    surface: pygame.Surface,
    theme: Theme,
    area: tuple[float, float, float, float],
    progress: float,
    target: float,
    last_reach: float | None = None,
    label: str = "Reach",
) -> pygame.Rect:
    """A vertical gauge of where the limb is: fill = now, a marked line = the target.

    `progress`, `target` and `last_reach` are fractions of the comfortable range (0 rest, 1 top).
    The target line has a flag and the word "Goal" so it reads without colour.
    """
    pal = theme.palette
    x, y, w, h = area
    outer = rect(theme, x, y, w, h)
    pygame.draw.rect(surface, pal.panel, outer, border_radius=theme.px(w / 2))
    fill_frac = min(max(progress, 0.0), 1.0)
    reached = progress >= target
    fill_h = max(theme.px(w), round(outer.height * fill_frac))
    fill = pygame.Rect(outer.left, outer.bottom - fill_h, outer.width, fill_h)
    pygame.draw.rect(
        surface, pal.good if reached else pal.accent, fill, border_radius=theme.px(w / 2)
    )
    pygame.draw.rect(surface, pal.text, outer, width=theme.px(4), border_radius=theme.px(w / 2))
    target_y = outer.bottom - round(outer.height * min(max(target, 0.0), 1.0))
    pygame.draw.line(
        surface,
        pal.text,
        (outer.left - theme.px(18), target_y),
        (outer.right + theme.px(18), target_y),
        theme.px(6),
    )
    flag = [
        (outer.right + theme.px(18), target_y),
        (outer.right + theme.px(44), target_y - theme.px(14)),
        (outer.right + theme.px(18), target_y - theme.px(28)),
    ]
    pygame.draw.polygon(surface, pal.good, flag)
    font = theme.hint()
    goal_at = (outer.right + theme.px(52), target_y - theme.px(6))
    draw_text(surface, font, "Goal", pal.text, "midleft", goal_at)
    if last_reach is not None:
        reach_y = outer.bottom - round(outer.height * min(max(last_reach, 0.0), 1.05))
        pts = [
            (outer.left - theme.px(8), reach_y),
            (outer.left - theme.px(34), reach_y - theme.px(14)),
            (outer.left - theme.px(34), reach_y + theme.px(14)),
        ]
        pygame.draw.polygon(surface, pal.text, pts)
    draw_text(
        surface, font, label, pal.text, "midtop", (outer.centerx, outer.bottom + theme.px(10))
    )
    return outer


def stop_hint(surface: pygame.Surface, theme: Theme, label: str = "Esc: stop") -> pygame.Rect:
    """The way out, bottom-left on every screen: an octagon stop sign and the words."""
    pal = theme.palette
    font = theme.hint()
    cx, cy, r = theme.x(44), theme.px(688), theme.px(18)
    octagon = [
        (cx + r * dx, cy + r * dy)
        for dx, dy in (
            (-0.41, -1),
            (0.41, -1),
            (1, -0.41),
            (1, 0.41),
            (0.41, 1),
            (-0.41, 1),
            (-1, 0.41),
            (-1, -0.41),
        )
    ]
    pygame.draw.polygon(surface, pal.stop, octagon)
    where = draw_text(surface, font, label, pal.text, "midleft", (theme.x(72), cy))
    return where.union(pygame.Rect(cx - r, cy - r, 2 * r, 2 * r))


def key_hint(surface: pygame.Surface, theme: Theme, words: str) -> pygame.Rect:
    """A hint about keys, bottom-right, in the always-readable hint size."""
    return text(surface, theme, words, theme.hint(), (1250, 688), theme.palette.text, "midright")


def sound_badge(surface: pygame.Surface, theme: Theme, audible: bool, available: bool) -> None:
    """Top-right: whether sound is on, in words (the visual twin of every sound)."""
    words = "M: sound on" if audible else "M: sound off"
    if not available:
        words = "No sound"
    text(surface, theme, words, theme.hint(), (1250, 14), theme.palette.text_muted, "topright")


def banner(surface: pygame.Surface, theme: Theme, heading: str, message: str) -> pygame.Rect:
    """A big calm panel across the middle (pause, device problems). It does not blink."""
    pal = theme.palette
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    panel = rect(theme, 140, 190, 1000, 340)
    pygame.draw.rect(surface, pal.panel, panel, border_radius=theme.px(24))
    pygame.draw.rect(surface, pal.accent, panel, width=theme.px(6), border_radius=theme.px(24))
    cover(panel)  # the text under the panel is hidden; the shade only dims the rest
    text(surface, theme, heading, theme.heading(), (640, 222), pal.text, "midtop")
    paragraph(surface, theme, message, theme.body(), (640, 310), 900, pal.text, "center")
    return panel


# Clear of the top bar (150 px), the footer and the screens' text columns: stars never sit on words.
_STAR_SPOTS = ((28, 250), (32, 470), (1252, 260), (1246, 400), (1250, 520))


def star_points(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """A five-pointed star's outline, point up, in whatever units the arguments use."""
    pts = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        a = math.pi * k / 5 - math.pi / 2
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def backdrop(surface: pygame.Surface, theme: Theme) -> None:
    """The screen's background: calm and plain for adults, a still starry sky for children."""
    pal = theme.palette
    surface.fill(pal.background)
    if not theme.child:
        return
    for i, (x, y) in enumerate(_STAR_SPOTS):  # still stars: decoration must never flicker
        color = pal.celebrate[i % len(pal.celebrate)]
        pts = star_points(theme.px(x), theme.px(y), theme.px(12 + 5 * (i % 3)))
        pygame.draw.polygon(surface, color, pts)


def rep_slots(
    surface: pygame.Surface,
    theme: Theme,
    done: int,
    total: int,
    centre: tuple[float, float],
    width: float = 760,
) -> None:
    """One slot per rep of the set, filled as reps are done: the count by shape, not by colour.

    Adults get circles with a tick, children get stars that light up.
    """
    if total <= 0 or total > 20:
        return
    pal = theme.palette
    step = min(72.0, width / total)
    radius = step * 0.38
    x0 = centre[0] - step * (total - 1) / 2
    for i in range(total):
        cx, cy = theme.px(x0 + i * step), theme.px(centre[1])
        r = theme.px(radius)
        filled = i < done
        if theme.child:
            pts = star_points(cx, cy, r * 1.25)
            if filled:
                pygame.draw.polygon(surface, pal.accent, pts)
            pygame.draw.polygon(surface, pal.text_muted, pts, theme.px(3))
        elif filled:
            pygame.draw.circle(surface, pal.good, (cx, cy), r)
            tick = [(-0.45, 0.0), (-0.12, 0.35), (0.45, -0.32)]
            pygame.draw.lines(
                surface,
                pal.text,
                False,
                [(cx + r * dx, cy + r * dy) for dx, dy in tick],
                theme.px(5),
            )
        else:
            pygame.draw.circle(surface, pal.text_muted, (cx, cy), r, theme.px(3))
