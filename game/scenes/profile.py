"""Profiles: the first start asks for the first patient; later starts ask who is playing.

A few large, simple screens, one question each (UX.md): name, affected side, child or adult, and
optionally a side the person tends to miss (neglect). With no puck paired, the last screen offers
the keyboard simulator. Each patient's progress is their own: choosing a profile points the
session at that patient's records, look and plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from devices.pucks.memory import load_pucks
from game import widgets
from game.actions import Action, ActionEvent
from game.letter_grid import LetterGrid
from game.patient_session import use_patient
from game.scene import Scene
from progress.patients import list_patients, save_patient
from progress.store import Store, StoreError, open_store

if TYPE_CHECKING:
    from game.context import SessionContext

# (question, choices shown, values stored) for the steps after the name.
STEPS = (
    ("Which side is weaker?", ("Left", "Right", "Both"), ("left", "right", "both")),
    ("Who is playing?", ("An adult", "A child"), ("adult", "child")),
    (
        "Does the person tend to miss one side of the screen?",
        ("No", "Yes, the left side", "Yes, the right side"),
        (None, "left", "right"),
    ),
)


NO_STORE = "Patients are kept in a data folder, and none is open (start with --data-dir)."


def open_ctx_store(ctx: SessionContext) -> Store | None:
    """The store the session records to, else the data folder's; None when there is neither."""
    if ctx.records is not None:
        return ctx.records.store
    return None if ctx.data_dir is None else open_store(ctx.data_dir)


class ChoiceScreen(Scene):
    """A question with big buttons; click or arrows + SPACE."""

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.focus = 0
        self.rects: list[pygame.Rect] = []

    def rows(self) -> list[str]:
        return []

    def choose(self, index: int) -> None:
        """The row `index` was chosen."""

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        n = max(1, len(self.rows()))
        if event.action is Action.UP:
            self.focus = (self.focus - 1) % n
        elif event.action is Action.DOWN:
            self.focus = (self.focus + 1) % n
        elif event.action is Action.SELECT:
            self.choose(self.focus)
        elif event.action in (Action.STOP, Action.BACK):
            self.back()

    def back(self) -> None:
        self.ctx.scenes.quit()

    def handle_click(self, pos: tuple[int, int]) -> None:
        for i, r in enumerate(self.rects):
            if r.collidepoint(pos):
                self.focus = i
                self.choose(i)
                return

    def draw_question(self, surface: pygame.Surface, step: str, question: str, top: float) -> None:
        theme = self.ctx.theme
        widgets.backdrop(surface, theme)
        widgets.text(
            surface, theme, step, theme.body(), (640, 24), theme.palette.text_muted, "midtop"
        )
        widgets.paragraph(
            surface, theme, question, theme.heading(), (640, 80), 1100, None, "center"
        )
        self.rects = widgets.button_list(surface, theme, self.rows(), self.focus, top=top)
        widgets.key_hint(surface, theme, self.key_words())

    def key_words(self) -> str:
        return "Arrows to move, SPACE to choose"


class FirstRunScene(ChoiceScreen):
    """Name → weaker side → adult or child → a side they miss → keyboard or puck."""

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.step = 0
        self.grid = LetterGrid(max_len=40)  # the name: letter grid (arrows + one key) or typed
        self.answers: list[str | None] = []
        self.note = ""

    @property
    def steps(self) -> int:
        return 2 + len(STEPS)

    @property
    def name(self) -> str:
        return self.grid.text

    def rows(self) -> list[str]:
        if self.step == 0:
            return []  # the letter grid instead of buttons
        if self.step <= len(STEPS):
            return list(STEPS[self.step - 1][1])
        return ["Use the keyboard for now", "Pair a puck"]

    def handle_text(self, text: str) -> None:
        if self.step == 0:
            self.grid.handle_text(text)
            self.note = ""

    def handle_action(self, event: ActionEvent) -> None:
        if self.step == 0 and event.action is not Action.STOP:
            self.grid.handle_action(event)  # arrows move, SPACE types, Backspace deletes
            return
        super().handle_action(event)

    def handle_click(self, pos: tuple[int, int]) -> None:
        if self.step == 0:
            self.grid.handle_click(pos)
        else:
            super().handle_click(pos)

    def update(self, dt_s: float) -> None:
        super().update(dt_s)
        if self.step == 0:
            self.grid.update()
            if self.grid.done:  # Done on the grid (or ENTER after typing): the next question
                self.grid.done = False
                self.choose(1)

    def choose(self, index: int) -> None:
        if self.step == 0:
            if index == 0:
                return  # SPACE types a space in the name; "Next" moves on
            if not self.name.strip():
                self.note = "Please type a name first."
                return
        elif self.step <= len(STEPS):
            self.answers.append(STEPS[self.step - 1][2][index])
        else:
            self.finish("menu" if index == 0 else "pucks")
            return
        self.step += 1
        self.focus = 0
        if self.step > len(STEPS) and (self.puck_paired() or self.ctx.device_chosen):
            self.finish("menu")

    def puck_paired(self) -> bool:
        return self.ctx.data_dir is not None and bool(load_pucks(self.ctx.data_dir))

    def finish(self, next_scene: str) -> None:
        side, age, neglected = self.answers
        try:
            store = open_ctx_store(self.ctx)
            if store is None:
                raise StoreError(NO_STORE)
            patient = save_patient(store, self.name, side, age, neglected)
        except StoreError as exc:
            self.step, self.note = 0, str(exc)
            return
        use_patient(self.ctx, store, patient)
        self.ctx.scenes.go(next_scene)

    def back(self) -> None:
        if self.step == 0:
            self.ctx.scenes.quit()
            return
        self.step -= 1
        self.answers = self.answers[: max(0, self.step - 1)]
        self.focus = 0

    def key_words(self) -> str:
        if self.step == 0:  # on the name, SPACE types a space: say what does choose
            return "Type, or arrows and ENTER on a letter; Done: next"
        return super().key_words()

    def question(self) -> str:
        if self.step == 0:
            return "Welcome! What is the player's name?"
        if self.step <= len(STEPS):
            return STEPS[self.step - 1][0]
        return "No puck is paired yet. You can practise with the keyboard: hold SPACE to move."

    def draw(self, surface: pygame.Surface) -> None:
        step = f"Step {self.step + 1} of {self.steps}"
        self.draw_question(surface, step, self.question(), top=300)
        theme = self.ctx.theme
        if self.step == 0:
            self.grid.draw(surface, theme, 150)
        if self.note:
            y = 40 if self.step == 0 else 560
            widgets.text(surface, theme, self.note, theme.body(), (640, y), theme.palette.accent,
                         "midtop")  # fmt: skip
        widgets.stop_hint(surface, theme, "Esc: back")


class ProfilesScene(ChoiceScreen):
    """Who is playing today? One button per patient, plus a new one."""

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.store = open_ctx_store(ctx)
        # big buttons beat a long list
        self.patients = list_patients(self.store)[:5] if self.store is not None else []

    def rows(self) -> list[str]:
        return [p.name for p in self.patients] + ["Someone new", "Therapist (PIN)"]

    def choose(self, index: int) -> None:
        if index < len(self.patients) and self.store is not None:
            use_patient(self.ctx, self.store, self.patients[index])
            self.ctx.scenes.go("menu")
        elif index == len(self.patients):
            self.ctx.scenes.go("first_run")
        else:
            self.ctx.scenes.go("therapist_pin")

    def back(self) -> None:
        if self.ctx.records is None:
            self.ctx.scenes.quit()
        else:
            self.ctx.scenes.go("menu")

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_question(surface, "RepQuest", "Who is playing today?", top=200)
        widgets.stop_hint(surface, self.ctx.theme, "Esc: back")
