"""The fatigue check on the rest screen: "How does your arm feel?" and three big choices.

Fine → the next set when the patient is ready. A bit tired → the next set is the last one (or,
when it already is, the session ends here). Sore → the session ends now, with a word about
telling the therapist. Every answer is kept with the session as what it is (fine, tired, sore:
`progress.feelings`), so pain reaches the therapist and the next session is no harder.
It is part of the rest screen (not a screen of its own) so resting and answering are one
step, and SPACE on the first, focused choice still starts the next set as before.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import pygame

from game import widgets
from game.actions import Action, ActionEvent
from game.patient_session import feel
from progress.feelings import FINE, SORE, TIRED

if TYPE_CHECKING:
    from game.context import SessionContext

STOPPED_TIRED = "tired"  # `stopped_by` when the patient is too tired to go on
STOPPED_SORE = "sore"  # `stopped_by` when it hurts (also stored as a feeling: `progress.feelings`)


class Feeling(enum.Enum):
    FINE = 0
    TIRED = 1
    STOP = 2


LABELS_ADULT = ("Fine: next set", "A bit tired: last set", "Sore: stop now")
LABELS_CHILD = ("Great! Next set", "A bit tired: one more", "It hurts: stop now")
ANSWER = {0: FINE, 1: TIRED, 2: SORE}  # Feeling value → the stored answer


class FatigueCheck:
    """The question's state and its three choices; the rest scene draws it and passes actions."""

    def __init__(self, ctx: SessionContext) -> None:
        self.ctx = ctx
        self.focus = Feeling.FINE
        self.shortened = False

    def labels(self) -> list[str]:
        labels = list(LABELS_CHILD if self.ctx.theme.child else LABELS_ADULT)
        if self.shortened:
            labels[Feeling.TIRED.value] = "OK: next set is the last"
        if self.last_set_next:
            labels[Feeling.FINE.value] = (
                "Fine: last set" if not self.ctx.theme.child else "Great! Last set"
            )
            if not self.shortened:
                labels[Feeling.TIRED.value] = "A bit tired: finish now"
        return labels

    @property
    def last_set_next(self) -> bool:
        p = self.ctx.progress
        return p.sets_done + 1 >= p.plan.sets

    def handle(self, event: ActionEvent) -> Feeling | None:
        """Move the focus, or return the choice made (None when only the focus moved)."""
        if not event.down:
            return None
        if event.action in (Action.UP, Action.DOWN):
            step = -1 if event.action is Action.UP else 1
            self.focus = Feeling((self.focus.value + step) % len(Feeling))
            return None
        if event.action is not Action.SELECT:
            return None
        choice = self.focus
        if not (choice is Feeling.TIRED and self.shortened):  # "OK" again is no new answer
            feel(self.ctx, ANSWER[choice.value])
        if choice is Feeling.TIRED and self.last_set_next and not self.shortened:
            self.ctx.finish_session(STOPPED_TIRED)  # no set left to drop: end here, kindly
            return Feeling.STOP
        if choice is Feeling.TIRED:
            self.ctx.tired()  # this block's next set is today's last
            self.shortened = True
            self.focus = Feeling.FINE  # the next step is to start that last set, when ready
        elif choice is Feeling.STOP:
            self.ctx.finish_session(STOPPED_SORE)
        return choice

    def draw(self, surface: pygame.Surface, top: float) -> None:
        theme = self.ctx.theme
        question = "How does your arm feel?"
        widgets.text(surface, theme, question, theme.heading(), (640, top), None, "midtop")
        widgets.button_list(
            surface, theme, self.labels(), self.focus.value, top + 80, width=700, height=80, gap=14
        )
