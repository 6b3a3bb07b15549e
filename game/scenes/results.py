"""Results: what was done, in big plain numbers, and praise for the effort — whatever the count."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from exercises.catalogue import get_exercise
from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene

if TYPE_CHECKING:
    from game.context import SessionContext


def minutes_text(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class ResultsScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.summary = ctx.last_summary or ctx.finish_session()

    def handle_action(self, event: ActionEvent) -> None:
        if event.down and event.action in (Action.SELECT, Action.STOP, Action.BACK):
            self.ctx.use_plan(self.ctx.therapy_plan)  # from the first block again
            self.ctx.scenes.go("menu")

    def praise(self) -> str:
        s = self.summary
        child = self.ctx.theme.child
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
            surface, theme, self.praise(), theme.heading(), (640, 40), pal.accent, "midtop"
        )
        y = 150
        for label, value in self.rows():
            box = widgets.rect(theme, 300, y, 680, 86)
            pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(16))
            widgets.text(surface, theme, label, theme.body(), (340, y + 43), pal.text, "midleft")
            widgets.text(
                surface,
                theme,
                value,
                theme.font(56, bold=True),
                (940, y + 43),
                pal.text,
                "midright",
            )
            y += 100
        y = self.draw_blocks(surface, y)
        if self.ctx.score.score and "blocks" not in self.summary:
            rewards = self.ctx.rewards
            words = f"Score {self.ctx.score.score}  ·  Level {rewards.level}"
            words += f"  ·  {rewards.total_reps} reps in all"
            widgets.text(surface, theme, words, theme.body(), (640, 560), pal.text, "midtop")
        widgets.text(
            surface,
            theme,
            "Press SPACE for the menu",
            theme.font(36, bold=True),
            (640, 620),
            pal.accent,
            "midtop",
        )
        widgets.stop_hint(surface, theme)

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
            y += 46
        return y


def sets_text(summary: dict) -> str:
    """Full sets of planned, plus the reps of a set stopped part-way ("1 of 3 + 4 reps")."""
    text = f"{summary['sets']} of {summary['sets_planned']}"
    partial = len(summary["reps_per_set"]) > summary["sets"]
    return f"{text} + {summary['reps_per_set'][-1]} reps" if partial else text
