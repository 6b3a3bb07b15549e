"""An on-screen letter grid for names: arrows move, one key types — so a name needs no keyboard.

Works with arrows + SPACE/ENTER, the puck remote (the same actions) and the mouse; typed keyboard
text still goes in. A real SPACE key sends both a SELECT action and the text " ": the grid waits
one update before acting on SELECT, and a " " arriving first means the person typed a space.
"""

from __future__ import annotations

import pygame

from game import widgets
from game.actions import Action, ActionEvent
from game.text_audit import draw_text
from game.theme import Theme

SPACE, DELETE, DONE = "Space", "Delete", "Done"
ROWS: tuple[tuple[str, ...], ...] = (
    tuple("ABCDEFG"),
    tuple("HIJKLMN"),
    tuple("OPQRSTU"),
    ("V", "W", "X", "Y", "Z", "-", "'"),
    (SPACE, DELETE, DONE),
)
COLS = 7
KEY_W, KEY_H, GAP = 132.0, 68.0, 10.0


class LetterGrid:
    """The name being entered and the focused key. `handle_action` returns True on Done."""

    def __init__(self, text: str = "", max_len: int = 40) -> None:
        self.text = text
        self.max_len = max_len
        self.row, self.col = 0, 0
        self._pending = False  # a SELECT waiting one update (it may be a typed space)
        self.done = False
        self.rects: list[tuple[str, pygame.Rect]] = []

    @property
    def key(self) -> str:
        return ROWS[self.row][min(self.col, len(ROWS[self.row]) - 1)]

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        a = event.action
        if a in (Action.UP, Action.DOWN):
            self.row = (self.row + (1 if a is Action.DOWN else -1)) % len(ROWS)
            self.col = min(self.col, len(ROWS[self.row]) - 1)
        elif a in (Action.LEFT, Action.RIGHT):
            self.col = (self.col + (1 if a is Action.RIGHT else -1)) % len(ROWS[self.row])
        elif a is Action.BACK:
            self.text = self.text[:-1]
        elif a is Action.SELECT:
            self._pending = True

    def handle_text(self, text: str) -> None:
        """Typed text goes in; then the focus rests on Done, so ENTER finishes."""
        if text == " " and self._pending:
            self._pending = False  # that SELECT was the keyboard's SPACE: a space, not a key
        self._add(text)
        self.row, self.col = len(ROWS) - 1, ROWS[-1].index(DONE)

    def update(self) -> None:
        """Act on a SELECT left from the last frame (called once per step by the scene)."""
        if self._pending:
            self._pending = False
            self.press(self.key)

    def press(self, key: str) -> None:
        if key == DONE:
            self.done = bool(self.text.strip())
        elif key == DELETE:
            self.text = self.text[:-1]
        else:
            capital = not self.text or self.text[-1] in " -"  # names start with capitals
            self._add(" " if key == SPACE else key if capital else key.lower())

    def handle_click(self, pos: tuple[int, int]) -> bool:
        for key, r in self.rects:
            if r.collidepoint(pos):
                self.press(key)
                return True
        return False

    def _add(self, text: str) -> None:
        if text.isprintable():
            self.text = (self.text + text)[: self.max_len]

    def draw(self, surface: pygame.Surface, theme: Theme, top: float) -> None:
        """The name in a box, then the keys; the focused key is filled, framed and underlined."""
        pal = theme.palette
        width = COLS * KEY_W + (COLS - 1) * GAP
        left = 640 - width / 2
        box = widgets.rect(theme, left, top, width, 70)
        pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(12))
        pygame.draw.rect(surface, pal.text, box, width=theme.px(3), border_radius=theme.px(12))
        widgets.text(surface, theme, f"Name: {self.text}_", theme.font(40, bold=True),
                     (left + 20, top + 35), pal.text, "midleft")  # fmt: skip
        self.rects = []
        y = top + 90
        for r, row in enumerate(ROWS):
            span = COLS / len(row)  # the last row's three keys are wide
            for c, key in enumerate(row):
                x = left + c * span * (KEY_W + GAP)
                rect = widgets.rect(theme, x, y, span * (KEY_W + GAP) - GAP, KEY_H)
                self.rects.append((key, rect))
                focused = (r, c) == (self.row, min(self.col, len(row) - 1))
                fill = pal.accent if focused else pal.panel
                pygame.draw.rect(surface, fill, rect, border_radius=theme.px(12))
                edge = theme.px(5) if focused else theme.px(2)
                pygame.draw.rect(surface, pal.text, rect, width=edge, border_radius=theme.px(12))
                color = pal.accent_text if focused else pal.text
                draw_text(
                    surface, theme.font(40, bold=True), key, color, "center", rect.center, rect
                )
                if focused:  # focus by shape too: a bar under the key
                    bar = pygame.Rect(0, 0, rect.width // 2, theme.px(6))
                    bar.midbottom = (rect.centerx, rect.bottom - theme.px(6))
                    pygame.draw.rect(surface, color, bar)
            y += KEY_H + GAP
