"""The door to therapist mode: a PIN, set once, stored salted and hashed (progress.pin).

Digits are typed (or clicked in with the keyboard's number row); SPACE or ENTER confirms,
Backspace deletes, Esc goes back to the game. After a few wrong PINs the door stays shut for a
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
from progress.pin import PIN_DIGITS, check_pin, has_pin, set_pin
from progress.store import StoreError

if TYPE_CHECKING:
    from game.context import SessionContext


class TherapistPinScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.store = open_ctx_store(ctx)
        # no PIN yet: the therapist chooses one
        self.setting = self.store is not None and not has_pin(self.store)
        self.first = ""  # while setting: the PIN typed once, waiting for the same again
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
        if self.setting:
            self.choose_pin()
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

    def choose_pin(self) -> None:
        low, high = PIN_DIGITS
        if not low <= len(self.typed) <= high:
            self.note = f"Use {low} to {high} digits."
        elif not self.first:
            self.first, self.note = self.typed, "Type the same PIN again."
        elif self.typed != self.first:
            self.first, self.note = "", "The two PINs were different. Start again."
        else:
            try:
                assert self.store is not None
                set_pin(self.store, self.typed)
            except StoreError as exc:
                self.note = str(exc)
                return
            self.ctx.scenes.go("therapist")
        self.typed = ""

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        title = "Choose a therapist PIN" if self.setting else "Therapist PIN"
        widgets.text(surface, theme, title, theme.title(), (640, 60), pal.accent, "midtop")
        ask = "Type 4 to 8 digits, then press ENTER" if self.setting else "Type the PIN, then ENTER"
        widgets.text(surface, theme, ask, theme.body(), (640, 180), pal.text, "midtop")
        box = widgets.rect(theme, 440, 260, 400, 110)
        pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(18))
        pygame.draw.rect(surface, pal.text, box, width=theme.px(4), border_radius=theme.px(18))
        dots = " ".join("●" for _ in self.typed) or " "
        widgets.text(surface, theme, dots, theme.heading(), (640, 315), pal.text, "center")
        if self.note:
            widgets.text(surface, theme, self.note, theme.body(), (640, 420), pal.accent, "midtop")
        widgets.stop_hint(surface, theme, "Esc: back to the game")
        widgets.key_hint(surface, theme, "Backspace deletes")
