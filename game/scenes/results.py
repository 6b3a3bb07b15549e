"""Results: what was done, in big plain numbers, and praise for the effort — whatever the count.

It ends with the question every session ends with, "How does your arm feel?" (fine / tired /
sore), kept with the session for the therapist (`progress.feelings`); ← → choose, SPACE answers
and goes to the menu, Esc goes to the menu without an answer. A patient who already said "sore"
on the rest screen is not asked again: they are asked to tell their therapist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.catalogue import get_exercise
from game import widgets
from game.actions import Action, ActionEvent
from game.patient_session import feel, follow_plan_in_force
from game.rewards import level_for
from game.scene import Scene
from progress.feelings import ANSWERS

if TYPE_CHECKING:
    from game.context import SessionContext


def minutes_text(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


FEEL_LABELS = ("Fine", "Tired", "Sore")
FEEL_LABELS_CHILD = ("Great", "Tired", "It hurts")
SORE_STOP = "sore"  # `stopped_by` when the patient stopped because it hurts


class ResultsScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.summary = ctx.last_summary or ctx.finish_session()
        self.ask = self.summary.get("stopped_by") != SORE_STOP
        self.focus = 0
        self.rects: list[pygame.Rect] = []
        book = ctx.rewards.book.total_reps  # read when the session started: add this one's reps
        self.total_reps = book + int(self.summary["reps"]) if "blocks" not in self.summary else 0

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        if event.action in (Action.LEFT, Action.RIGHT, Action.UP, Action.DOWN) and self.ask:
            step = -1 if event.action in (Action.LEFT, Action.UP) else 1
            self.focus = (self.focus + step) % len(ANSWERS)
        elif event.action is Action.SELECT:
            if self.ask:
                feel(self.ctx, ANSWERS[self.focus])
            self.leave()
        elif event.action in (Action.STOP, Action.BACK):
            self.leave()

    def handle_click(self, pos: tuple[int, int]) -> None:
        for i, r in enumerate(self.rects):
            if r.collidepoint(pos):
                self.focus = i
                feel(self.ctx, ANSWERS[i])
                self.leave()

    def leave(self) -> None:
        """To the menu, with the plan in force read again: progression has learnt from this
        session, and a "sore" answer keeps the next one from being harder."""
        if self.ctx.records is not None:
            follow_plan_in_force(self.ctx)
        else:
            self.ctx.use_plan(self.ctx.therapy_plan, self.ctx.plan_id)  # from the first block
        self.ctx.scenes.go("menu")

    def praise(self) -> str:
        s = self.summary
        child = self.ctx.theme.child
        if s.get("stopped_by") == SORE_STOP:
            return "Thank you for telling us. Rest now." if child else "Thank you. Rest now."
        if s.get("stopped_by") == "tired":
            return "Rest well. You did great!" if child else "Good choice to rest. Well done."
        if s.get("stopped_by") == "time cap":
            return (
                "Time's up for today. Super work!"
                if child
                else "That's plenty for today. Well done."
            )
        if s["completed"]:
            return "You did every set. Amazing!" if child else "You finished every set. Well done!"
        if s["reps"] > 0:
            return "Great moving! Every rep helps." if child else "Good work. Every rep counts."
        return "Thanks for trying! See you soon." if child else "Thank you for coming. Rest well."

    def rows(self) -> list[tuple[str, str]]:
        s = self.summary
        if "blocks" in s:  # a whole plan: the totals here, a line per exercise below
            return [
                ("Reps", f"{s['reps']} of {s['reps_planned']}"),
                ("Time", minutes_text(s["duration_s"])),
            ]
        return [
            ("Reps", str(s["reps"])),
            ("Sets", sets_text(s)),
            ("Best range", f"{s['best_range_deg']:.0f}°"),
            ("Time", minutes_text(s["duration_s"])),
        ]

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        widgets.text(
            surface, theme, self.praise(), theme.heading(), (640, 30), pal.accent, "midtop"
        )
        y = 120
        for label, value in self.rows():
            box = widgets.rect(theme, 300, y, 680, 72)
            pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(16))
            widgets.text(surface, theme, label, theme.body(), (340, y + 36), pal.text, "midleft")
            widgets.text(surface, theme, value, theme.font(52, bold=True), (940, y + 36),
                         pal.text, "midright")  # fmt: skip
            y += 82
        y = self.draw_blocks(surface, y)
        if self.ctx.score.score and "blocks" not in self.summary:
            words = f"Score {self.ctx.score.score}  ·  Level {level_for(self.total_reps)}"
            words += f"  ·  {self.total_reps} reps in all"
            widgets.text(surface, theme, words, theme.body(), (640, 452), pal.text, "midtop")
        if self.ask:
            question = "How does your arm feel?"
            widgets.text(surface, theme, question, theme.font(40, bold=True), (640, 510),
                         pal.text, "midtop")  # fmt: skip
            labels = FEEL_LABELS_CHILD if theme.child else FEEL_LABELS
            self.rects = widgets.button_row(surface, theme, list(labels), self.focus, 566)
            hint = "Left/Right choose, SPACE answers"
        else:
            words = "If it still hurts, tell your therapist."
            widgets.text(surface, theme, words, theme.font(40, bold=True), (640, 540),
                         pal.accent, "midtop")  # fmt: skip
            hint = "SPACE: menu"
        widgets.stop_hint(surface, theme, "Esc: menu")
        widgets.key_hint(surface, theme, hint)

    def block_lines(self) -> list[str]:
        """One line per exercise of the plan: its name, reps and sets ("1. Wrist lift: 10 reps,
        2 of 2 sets")."""
        child = self.ctx.theme.child
        lines = []
        for i, b in enumerate(self.summary.get("blocks", []), start=1):
            ex = get_exercise(b["exercise"])
            name = ex.child_name if child else ex.name
            lines.append(f"{i}. {name}: {b['reps']} reps, sets {sets_text(b)}")
        return lines

    def draw_blocks(self, surface: pygame.Surface, top: int) -> int:
        theme = self.ctx.theme
        y = top
        for line in self.block_lines():
            widgets.text(surface, theme, line, theme.body(), (300, y), theme.palette.text)
            y += 44
        return y


def sets_text(summary: dict) -> str:
    """Full sets of planned, plus the reps of a set stopped part-way ("1 of 3 + 4 reps")."""
    text = f"{summary['sets']} of {summary['sets_planned']}"
    partial = len(summary["reps_per_set"]) > summary["sets"]
    return f"{text} + {summary['reps_per_set'][-1]} reps" if partial else text
