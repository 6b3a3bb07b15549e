"""The flow every game shares: reps → tally, score and rewards → set done → fatigue check → rest.

A game subclasses `GameScene`, says what a rep does in its world (`on_game_rep`), moves its world
(`update_world`) and paints it (`draw_world`). It reads the limb only through the detector's
`progress` and the `RepEvent`s handed to it, never keys or samples, so every game plays the same
with a real puck, a replay or the keyboard simulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.events import FLAG_COMPENSATED, RepEvent
from exercises.session_plan import Outcome
from game.actions import Action, ActionEvent
from game.effects import Confetti, Sparkle
from game.games.common import TextCache, celebration_banner, footer, top_bar
from game.rewards import BONUS_POINTS, Celebration
from game.scene import Scene
from game.scenes.hud import SIM_HINT
from game.scoring import NOT_COUNTED, NOT_COUNTED_CHILD, RepScore

if TYPE_CHECKING:
    from game.context import SessionContext

CELEBRATE_S = 3.5  # confetti time after a set, before the rest and the fatigue check
BANNER_S = 2.6  # how long a celebration's words stay up
RESEATED = "The puck seems to have moved. Press ENTER to set it up again"
RESEATED_CHILD = "Your puck moved! Press ENTER to set it up again"


class GameScene(Scene):
    """A game: the shared flow. Subclasses override the three `*_world` / `on_game_rep` hooks."""

    uses_motion = True
    hint = SIM_HINT
    instruction = ("", "")  # (adult, child): what to do, one short line in the top bar

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.feedback = "Let's go!" if ctx.theme.child else "Ready when you are"
        self.sparkle = Sparkle(seed=5)
        self.confetti = Confetti(seed=7)
        self.celebrate_until_s: float | None = None
        self.texts = TextCache(ctx.theme)
        self.banner_words = ""
        self.banner_since_s = -99.0
        self.celebrations: list[Celebration] = []  # all of this scene's, for tests and results

    # --- flow ----------------------------------------------------------------------------------
    def on_enter(self) -> None:
        progress = self.ctx.progress
        if progress.done:
            self.ctx.scenes.go(self.ctx.end_block())
        elif progress.resting:
            self.ctx.scenes.go("rest")

    def handle_action(self, event: ActionEvent) -> None:
        if event.action is Action.LEAN:
            self.ctx.lean(event.down)
        if event.down and event.action is Action.SELECT and self.ctx.detector.reseated:
            self.ctx.recalibrate()  # the next few reps teach it again, and they count
            self.feedback = "Thanks! Go!" if self.ctx.theme.child else "Thank you! Keep going"
        if event.down and event.action is Action.STOP:
            self.ctx.finish_session()
            self.ctx.scenes.go("results")

    def on_reps(self, events: list[RepEvent]) -> None:
        ctx = self.ctx
        for event in events:
            outcome = ctx.progress.add_rep(event)
            if outcome is Outcome.EXTRA:
                if FLAG_COMPENSATED in event.flags and not ctx.progress.resting:
                    self.feedback = NOT_COUNTED_CHILD if ctx.theme.child else NOT_COUNTED
                continue  # moving during the celebration: stored, and no new reward
            rep = ctx.score.add(event)
            self.feedback = rep.feedback
            self.on_game_rep(event, rep)
            loud = self._celebrate(ctx.rewards.on_rep(event.range_deg, ctx.score.score))
            if outcome in (Outcome.SET_DONE, Outcome.SESSION_DONE):
                ctx.sound.fanfare()
                self.confetti.launch(ctx.theme.palette.celebrate)
                self.celebrate_until_s = self.time_s + CELEBRATE_S
                self.feedback = self.set_done_words(outcome)
            elif not loud:
                ctx.sound.chime()

    def _celebrate(self, celebrations: list[Celebration]) -> bool:
        """Show (and for the big ones, sing) what this rep earned; True if "woo hoo" played."""
        loud = False
        for c in celebrations:
            self.celebrations.append(c)
            if c.kind == "bonus":
                self.ctx.score.score += BONUS_POINTS
            self.banner_words = c.words(self.ctx.theme.child)
            self.banner_since_s = self.time_s
            if c.woohoo and not loud:
                self.ctx.sound.woohoo()
                self.sparkle.burst(640, 180, self.ctx.theme.palette.celebrate, 30, (280, 40))
                loud = True
        return loud

    def set_done_words(self, outcome: Outcome) -> str:
        child = self.ctx.theme.child
        if outcome is Outcome.SESSION_DONE:
            return "All sets done! Amazing!" if child else "All sets done. Well done!"
        return "Set done! Woohoo!" if child else "Set done. Well done!"

    def update(self, dt_s: float) -> None:
        super().update(dt_s)
        self.sparkle.update(dt_s)
        self.confetti.update(dt_s)
        if self.ctx.detector.reseated:
            self.feedback = RESEATED_CHILD if self.ctx.theme.child else RESEATED
        self.update_world(dt_s)
        if self.celebrate_until_s is not None and self.time_s >= self.celebrate_until_s:
            self.celebrate_until_s = None
            if self.ctx.progress.done:  # the next block's intro, or the results
                self.ctx.scenes.go(self.ctx.end_block())
            else:
                self.ctx.scenes.go("rest")  # the rest screen asks how the arm feels

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_world(surface)
        self.confetti.draw(surface, self.ctx.theme)  # behind the words: it never hides them
        top_bar(surface, self.ctx, self.texts, self.feedback)
        theme = self.ctx.theme
        words = self.instruction[1 if theme.child else 0]
        self.texts.draw(surface, words, theme.hint(), (700, 50), theme.palette.text, "center")
        age_s = self.time_s - self.banner_since_s
        if self.banner_words and age_s < BANNER_S:
            celebration_banner(surface, self.ctx.theme, self.texts, self.banner_words, age_s)
        self.sparkle.draw(surface, self.ctx.theme)
        footer(surface, self.ctx, self.texts, self.hint)

    @property
    def playing(self) -> bool:
        """True while a set is being played (not celebrating its end)."""
        return self.celebrate_until_s is None

    # --- the game's own part -------------------------------------------------------------------
    def on_game_rep(self, event: RepEvent, rep: RepScore) -> None:
        """A counted rep, already scored: what it does in this game's world."""

    def update_world(self, dt_s: float) -> None:
        """Move the world by one fixed step."""

    def draw_world(self, surface: pygame.Surface) -> None:
        """Paint the world (the top bar, banner, effects and footer are drawn over it)."""
