"""The main menu: start, choose the exercise, choose the look, quit — arrows and one key.

Left/right change the value of the focused row (and so does SPACE on those rows), so someone who
can only press one key and the arrows can set everything. Esc (or Quit) asks first, and a second
Esc closes the game: a stray key never ends it. The player is greeted by name; after a session
that was cut short (a crash, a power cut) the menu says so, once, with the reps that were kept.
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
        self.asking_quit = False
        self.notice = "" if ctx.cut_short_told else cut_short_notice(ctx)
        ctx.cut_short_told = True

    def labels(self) -> list[str]:
        look = "Child" if self.ctx.theme.child else "Adult"
        return [
            "Start today's plan" if self.ctx.therapy_plan is not None else "Start",
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
        if self.asking_quit:  # Esc again closes; anything else stays
            self.asking_quit = False
            if a is Action.STOP:
                self.ctx.scenes.quit()
            return
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
                self.asking_quit = True
        elif a is Action.STOP:
            self.asking_quit = True

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
        title = self.title()
        font = theme.title() if theme.title().size(title)[0] <= theme.px(1000) else theme.heading()
        widgets.text(surface, theme, title, font, (640, 40), pal.accent, "midtop")
        widgets.text(surface, theme, self.tagline(), theme.body(), (640, 132), pal.text, "midtop")
        widgets.button_list(surface, theme, self.labels(), self.focus, top=180, height=56, gap=6)
        widgets.stop_hint(surface, theme, "Esc: close")
        widgets.key_hint(surface, theme, "Arrows to move, SPACE to choose")
        widgets.sound_badge(surface, theme, self.ctx.sound.audible, self.ctx.sound.available)
        if self.asking_quit:
            widgets.banner(surface, theme, "Close RepQuest?",
                           "Press Esc again to close. Any other key: stay.")  # fmt: skip

    def title(self) -> str:
        records = self.ctx.records
        if records is None:
            return "RepQuest"
        name = records.name if len(records.name) <= 24 else records.name[:23] + "…"
        return f"Hello, {name}!" if self.ctx.theme.child else f"Hello, {name}"

    def tagline(self) -> str:
        """A cut-short session first (once), else today's plan, else a word of welcome."""
        if self.notice:
            return self.notice
        plan = self.ctx.therapy_plan
        if plan is not None:
            block = plan.blocks[0]
            more = f" + {len(plan.blocks) - 1} more" if len(plan.blocks) > 1 else ""
            return f"Today: {block.sets} × {block.reps} {self.ctx.exercise_name()}{more}"
        return "Let's move and play!" if self.ctx.theme.child else "Every movement counts."


def cut_short_notice(ctx: SessionContext) -> str:
    """ "Last time was cut short: 7 reps kept." when the player's last session was interrupted."""
    records = ctx.records
    if records is None:
        return ""
    row = records.store.conn.execute(
        "SELECT s.status, (SELECT count(*) FROM reps r WHERE r.session_id = s.id AND r.counted = 1)"
        " FROM sessions s WHERE s.patient_id = ? ORDER BY s.id DESC LIMIT 1",
        (records.patient_id,),
    ).fetchone()
    if row is None or row[0] != "interrupted":
        return ""
    kept = "1 rep was" if row[1] == 1 else f"{row[1]} reps were"
    return f"Last time was cut short. {kept} kept."
