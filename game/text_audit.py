"""The one place text reaches the screen, so a test can check every line drawn.

Every scene draws text through `draw_text` (via `game.widgets` and `TextCache`). Normally it
renders and blits, nothing more. Inside `auditing()` it also keeps what was drawn where — the
words, the ink's rectangle, the box the text must stay inside (a button, a panel, the window) —
and which characters the font has no glyph for (they would show as empty boxes, like "●" in a
font without it). The screenshot test reads that back and fails on text outside its box, text
over other text, and missing glyphs.

An opaque panel drawn over the screen (the pause banner) `cover`s what is under it; a panel
drawn in the middle of play (a celebration) is `panel`: it must not hide text, so it counts as
an overlap with any text it lands on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pygame
import pygame.freetype

Color = tuple[int, int, int]


@dataclass(frozen=True)
class DrawnText:
    words: str
    ink: pygame.Rect  # the pixels the glyphs cover, in surface pixels
    box: pygame.Rect  # where the text must stay (its button or panel; else the whole surface)
    missing: str  # characters the font has no glyph for
    is_panel: bool = False  # an opaque panel: it must not land on text drawn before it


@dataclass
class TextAudit:
    """What one or more frames drew; `clear()` between frames."""

    drawn: list[DrawnText] = field(default_factory=list)

    def clear(self) -> None:
        self.drawn.clear()

    def cover(self, rect: pygame.Rect) -> None:
        """An opaque panel over everything: text under it is hidden, not overlapped."""
        self.drawn = [d for d in self.drawn if not d.ink.colliderect(rect)]

    def problems(self) -> list[str]:
        """Every text outside its box, every pair of overlapping texts, every missing glyph."""
        out = []
        for d in self.drawn:
            if d.missing:
                out.append(f"{d.words!r}: no glyph in the font for {d.missing!r}")
            if d.box.width and not d.box.contains(d.ink):
                out.append(f"{d.words!r} at {tuple(d.ink)} is outside its box {tuple(d.box)}")
        for i, a in enumerate(self.drawn):
            for b in self.drawn[i + 1 :]:
                if (a.words, tuple(a.ink)) == (b.words, tuple(b.ink)) or a.is_panel:
                    continue  # the same text twice in one place; text on a panel drawn earlier
                if a.ink.colliderect(b.ink):
                    out.append(f"{a.words!r} {tuple(a.ink)} overlaps {b.words!r} {tuple(b.ink)}")
        return out


_audits: list[TextAudit] = []
_font_files: dict[int, Path | None] = {}  # id(font) → the file it was loaded from (None: default)
_glyph_fonts: dict[Path | None, pygame.freetype.Font] = {}


def remember_font_file(font: pygame.font.Font, path: Path | None) -> None:
    """Called by the theme for every font it loads, so missing glyphs can be looked up."""
    _font_files[id(font)] = path


@contextmanager
def auditing() -> Iterator[TextAudit]:
    """Keep what is drawn while the block runs (tests only)."""
    audit = TextAudit()
    _audits.append(audit)
    try:
        yield audit
    finally:
        _audits.remove(audit)


def missing_glyphs(font: pygame.font.Font, words: str) -> str:
    """The characters of `words` that `font`'s file has no glyph for (pygame.freetype says None)."""
    path = _font_files.get(id(font))
    if path not in _glyph_fonts:
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        _glyph_fonts[path] = pygame.freetype.Font(path, 24)
    metrics = _glyph_fonts[path].get_metrics(words)
    return "".join(
        ch for ch, m in zip(words, metrics, strict=False) if m is None and not ch.isspace()
    )


def draw_text(
    surface: pygame.Surface,
    font: pygame.font.Font,
    words: str,
    color: Color,
    anchor: str,
    point: tuple[int, int],
    box: pygame.Rect | None = None,
    image: pygame.Surface | None = None,
) -> pygame.Rect:
    """Render `words` (or blit the already rendered `image` of them) with `anchor` at `point`
    (real pixels); returns the rect it covers. `box`: where it must fit (None: the surface)."""
    image = image if image is not None else font.render(words, True, color)
    rect = image.get_rect(**{anchor: point})
    surface.blit(image, rect)
    if _audits and words.strip():
        ink = image.get_bounding_rect().move(rect.topleft)
        entry = DrawnText(words, ink, box or surface.get_rect(), missing_glyphs(font, words))
        for audit in _audits:
            audit.drawn.append(entry)
    return rect


def panel(surface: pygame.Surface, rect: pygame.Rect, words: str) -> None:
    """An opaque panel drawn over play (a celebration): it must not land on text either."""
    if _audits:
        entry = DrawnText(f"[{words} panel]", rect.copy(), surface.get_rect(), "", True)
        for audit in _audits:
            audit.drawn.append(entry)


def cover(rect: pygame.Rect) -> None:
    """An opaque panel over everything below it (`TextAudit.cover`)."""
    for audit in _audits:
        audit.cover(rect)
