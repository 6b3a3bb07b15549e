"""Looks: the Okabe–Ito palette, the bundled legible font, and sizes scaled from a 1280×720 design.

Everything on screen is laid out in *design pixels* (a 1280×720 canvas) and scaled here, so a
resized or full-HD window keeps the same proportions and text never drops below 32 px at 720p.
Two looks share one layout: a calm adult theme and a playful child theme (UX.md, "Two looks").
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pygame

from game.layout import seen_x
from game.text_audit import remember_font_file

DESIGN_SIZE = (1280, 720)
# Inside the `game` package, so a wheel carries the fonts and they are found wherever it is
# installed, whatever the working directory (`game/assets/README.md` has their licences).
FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
FONT_REGULAR = FONT_DIR / "AtkinsonHyperlegible-Regular.ttf"
FONT_BOLD = FONT_DIR / "AtkinsonHyperlegible-Bold.ttf"

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
ORANGE = (0xE6, 0x9F, 0x00)
SKY_BLUE = (0x56, 0xB4, 0xE9)
BLUISH_GREEN = (0x00, 0x9E, 0x73)
YELLOW = (0xF0, 0xE4, 0x42)
BLUE = (0x00, 0x72, 0xB2)
VERMILION = (0xD5, 0x5E, 0x00)
REDDISH_PURPLE = (0xCC, 0x79, 0xA7)
BLACK = (0, 0, 0)
WHITE = (0xFF, 0xFF, 0xFF)
OKABE_ITO = (ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILION, REDDISH_PURPLE, BLACK)

# Text sizes in design pixels (= real pixels at 720p). UX.md: body >= 32 px, headings larger.
BODY_PX = 36
HINT_PX = 32
HEADING_PX = 56
TITLE_PX = 76
COUNTER_PX = 176


@dataclass(frozen=True)
class Palette:
    """Colours by role, so scenes never pick raw colours and both themes stay readable."""

    background: tuple[int, int, int]
    panel: tuple[int, int, int]
    text: tuple[int, int, int]
    text_muted: tuple[int, int, int]
    accent: tuple[int, int, int]  # the focused button, the gauge fill
    accent_text: tuple[int, int, int]  # text drawn on `accent`
    good: tuple[int, int, int]  # target reached, a rep done
    stop: tuple[int, int, int]  # the Esc hint's stop sign
    celebrate: tuple[tuple[int, int, int], ...]


ADULT = Palette(
    background=(0x14, 0x1E, 0x2B),  # deep slate: calm, and white text on it is > 15:1
    panel=(0x22, 0x31, 0x44),
    text=WHITE,
    text_muted=(0xD8, 0xE0, 0xEA),
    accent=SKY_BLUE,
    accent_text=BLACK,
    good=BLUISH_GREEN,
    stop=VERMILION,
    celebrate=(ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, REDDISH_PURPLE),
)

CHILD = Palette(
    background=(0x1D, 0x0E, 0x4A),  # night-sky purple: stars and confetti glow on it
    panel=(0x33, 0x22, 0x6E),
    text=WHITE,
    text_muted=(0xF3, 0xEE, 0xFF),
    accent=YELLOW,
    accent_text=BLACK,
    good=BLUISH_GREEN,
    stop=VERMILION,
    celebrate=(ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, REDDISH_PURPLE, WHITE),
)

THEME_KINDS = ("adult", "child")


@dataclass
class Theme:
    """Fonts, palette and the design-to-window scale for one window size and one look."""

    kind: str = "adult"
    size: tuple[int, int] = DESIGN_SIZE
    neglected_side: str | None = None  # "left" | "right": the layout leans away (game.layout)
    _fonts: dict[tuple[int, bool], pygame.font.Font] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in THEME_KINDS:
            raise ValueError(f"theme '{self.kind}' is not one of {', '.join(THEME_KINDS)}")

    @property
    def child(self) -> bool:
        return self.kind == "child"

    @property
    def palette(self) -> Palette:
        return CHILD if self.child else ADULT

    @property
    def scale(self) -> float:
        """Real pixels per design pixel: the smaller ratio, so the layout always fits."""
        return min(self.size[0] / DESIGN_SIZE[0], self.size[1] / DESIGN_SIZE[1])

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.size:
            self.size = size
            self._fonts.clear()

    def px(self, design_px: float) -> int:
        """A design length (1280×720 canvas) in real pixels, never below 1."""
        return max(1, round(design_px * self.scale))

    def x(self, design_x: float) -> int:
        """A horizontal design position in real pixels, toward the side the patient sees."""
        return self.px(seen_x(self.neglected_side, design_x))

    def font_px(self, design_px: int) -> int:
        """The real pixel size of a font asked for at `design_px` on the design canvas."""
        return self.px(design_px)

    def font(self, design_px: int, bold: bool = False) -> pygame.font.Font:
        """Atkinson Hyperlegible at this design size (pygame's own font if the file is missing)."""
        real_px = self.font_px(design_px)
        key = (real_px, bold)
        if key not in self._fonts:
            path = FONT_BOLD if bold else FONT_REGULAR
            if path.exists():
                self._fonts[key] = pygame.font.Font(path, real_px)
                remember_font_file(self._fonts[key], path)
            else:
                _say_font_missing(path)
                fallback = pygame.font.Font(None, round(real_px * 1.3))  # default font runs small
                fallback.set_bold(bold)
                self._fonts[key] = fallback
                remember_font_file(fallback, None)
        return self._fonts[key]

    def body(self) -> pygame.font.Font:
        return self.font(BODY_PX)

    def hint(self) -> pygame.font.Font:
        return self.font(HINT_PX)

    def heading(self) -> pygame.font.Font:
        return self.font(HEADING_PX, bold=True)

    def title(self) -> pygame.font.Font:
        return self.font(TITLE_PX, bold=True)

    def counter(self) -> pygame.font.Font:
        return self.font(COUNTER_PX, bold=True)


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio between two sRGB colours (1 to 21)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255.0
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@cache
def _say_font_missing(path: Path) -> None:
    """Once per file: an install without its fonts still plays, but says how to fix it."""
    message = f"the font {path} is missing — reinstall RepQuest; using pygame's own font"
    print(f"repquest: {message}", file=sys.stderr)
