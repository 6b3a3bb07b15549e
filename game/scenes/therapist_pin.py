"""The door to therapist mode: a PIN, stored salted and hashed (progress.pin).

The PIN is never chosen here: whoever opened the screen first could (a patient, a carer). The
therapist sets it at the command line (`python main.py pin set`, and `pin reset` for a forgotten
one); with no PIN yet this screen says so and stays shut. Digits are typed; SPACE or ENTER
confirms, Backspace deletes, Esc goes back to the game. Typed digits show as drawn dots (no glyph
needed). After a few wrong PINs the door stays shut for a
while, and the screen says for how long — in minutes, never with a flashing warning.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.scenes.profile import NO_STORE, open_ctx_store
from progress.pin import PIN_DIGITS, check_pin, has_pin

SET_COMMAND = "python main.py pin set"
RESET_COMMAND = "python main.py pin reset"

if TYPE_CHECKING:
    from game.context import SessionContext


class TherapistPinScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.store = open_ctx_store(ctx)
        self.no_pin = self.store is not None and not has_pin(self.store)  # read once, on entry
        self.typed = ""
        self.note = ""

    def handle_text(self, text: str) -> None:
        digits = "".join(c for c in text if c.isdigit())
        self.typed = (self.typed + digits)[: PIN_DIGITS[1]]

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        if event.action is Action.BACK:
            self.typed = self.typed[:-1]
        elif event.action is Action.STOP:
            self.ctx.scenes.go("menu")
        elif event.action is Action.SELECT:
            self.submit()

    def submit(self) -> None:
        if self.store is None:
            self.note = NO_STORE
            return
        if self.no_pin:
            return
        result = check_pin(self.store, self.typed)
        self.typed = ""
        if result.ok:
            self.ctx.scenes.go("therapist")
        elif result.locked_for_s > 0:
            minutes = math.ceil(result.locked_for_s / 60)
            self.note = f"Too many tries. Please wait {minutes} min, then try again."
        else:
            self.note = f"That PIN is not right. {result.tries_left} tries left."

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        widgets.text(
            surface, theme, "Therapist PIN", theme.title(), (640, 60), pal.accent, "midtop"
        )
        if self.no_pin:
            words = (
                "No therapist PIN is set yet. Your therapist sets it once, on this computer, "
                f"with the command: {SET_COMMAND}"
            )
            widgets.paragraph(surface, theme, words, theme.body(), (640, 200), 1000, pal.text,
                              "center")  # fmt: skip
            widgets.stop_hint(surface, theme, "Esc: back to the game")
            return
        ask = "Type the PIN, then press ENTER"
        widgets.text(surface, theme, ask, theme.body(), (640, 180), pal.text, "midtop")
        box = widgets.rect(theme, 440, 260, 400, 110)
        pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(18))
        pygame.draw.rect(surface, pal.text, box, width=theme.px(4), border_radius=theme.px(18))
        step = theme.px(44)
        left = box.centerx - step * (len(self.typed) - 1) / 2
        for i in range(len(self.typed)):  # one filled dot per digit, drawn, not a font glyph
            pygame.draw.circle(surface, pal.text, (round(left + i * step), box.centery),
                               theme.px(14))  # fmt: skip
        if self.note:
            widgets.text(surface, theme, self.note, theme.body(), (640, 420), pal.accent, "midtop")
        widgets.stop_hint(surface, theme, "Esc: back to the game")
        widgets.key_hint(surface, theme, f"Forgotten? {RESET_COMMAND}")
