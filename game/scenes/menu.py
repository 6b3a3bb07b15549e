"""The main menu: start, choose the exercise, choose the look, quit — arrows and one key.

Left/right change the value of the focused row (and so does SPACE on those rows), so someone who
can only press one key and the arrows can set everything. Esc here quits the game.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.games_catalogue import GAME_IDS, get_game, unlocked
from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene
from game.theme import THEME_KINDS, Theme

if TYPE_CHECKING:
    from game.context import SessionContext

START, EXERCISE, LOOK, GAME, HISTORY, PUCKS, PLAYERS, QUIT = range(8)


class MenuScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.focus = START

    def labels(self) -> list[str]:
        look = "Child" if self.ctx.theme.child else "Adult"
        return [
            "Start",
            f"‹  Exercise: {self.ctx.exercise_name()}  ›",
            f"‹  Look: {look}  ›",
            self._game_label(),
            "My progress",
            "Pucks",
            "Players and therapist",
            "Quit",
        ]

    def _game_label(self) -> str:
        rewards = self.ctx.rewards
        game = get_game(self.ctx.game_id)
        name = game.child_name if self.ctx.theme.child else game.name
        if not unlocked(game, rewards.total_reps):
            return f"‹  {name}: opens in {game.unlock_reps - rewards.total_reps} reps  ›"
        return f"‹  Game: {name}  ›"

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        a = event.action
        if a is Action.UP:
            self.focus = (self.focus - 1) % len(self.labels())
        elif a is Action.DOWN:
            self.focus = (self.focus + 1) % len(self.labels())
        elif a in (Action.LEFT, Action.RIGHT):
            self._change(-1 if a is Action.LEFT else 1)
        elif a is Action.SELECT:
            if self.focus == START:
                if unlocked(get_game(self.ctx.game_id), self.ctx.rewards.total_reps):
                    self.ctx.scenes.go("intro")
            elif self.focus in (EXERCISE, LOOK, GAME):
                self._change(1)
            elif self.focus == HISTORY:
                self.ctx.scenes.go("history")
            elif self.focus == PUCKS:
                self.ctx.scenes.go("pucks")
            elif self.focus == PLAYERS:
                self.ctx.scenes.go("profiles")
            else:
                self.ctx.scenes.quit()
        elif a is Action.STOP:
            self.ctx.scenes.quit()

    def _change(self, step: int) -> None:
        ctx = self.ctx
        if self.focus == EXERCISE:
            ids = ctx.exercise_ids
            here = ids.index(ctx.exercise.id) if ctx.exercise.id in ids else 0
            ctx.set_exercise(ids[(here + step) % len(ids)])
        elif self.focus == GAME:
            here = GAME_IDS.index(ctx.game_id)
            ctx.set_game(GAME_IDS[(here + step) % len(GAME_IDS)])
        elif self.focus == LOOK:
            kind = THEME_KINDS[(THEME_KINDS.index(ctx.theme.kind) + step) % len(THEME_KINDS)]
            ctx.theme = Theme(kind, ctx.theme.size, ctx.theme.neglected_side)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        widgets.text(surface, theme, "RepQuest", theme.title(), (640, 40), pal.accent, "midtop")
        tagline = "Let's move and play!" if theme.child else "Every movement counts."
        widgets.text(surface, theme, tagline, theme.body(), (640, 132), pal.text, "midtop")
        widgets.button_list(surface, theme, self.labels(), self.focus, top=176, height=56, gap=6)
        widgets.stop_hint(surface, theme)
        widgets.key_hint(surface, theme, "Arrows to move, SPACE to choose")
        widgets.sound_badge(surface, theme, self.ctx.sound.audible, self.ctx.sound.available)
