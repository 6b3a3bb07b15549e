"""Exercise intro: what to do, where the puck goes, and a slow "watch and imagine" demonstration.

The figure plays one slow cycle (about 5 s) before the prompt to begin appears, so the movement is
seen at least once; after that there is no time limit. SPACE early is accepted too: a returning
patient should not be made to wait.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game import widgets
from game.actions import Action, ActionEvent
from game.figure import CYCLE_S, draw_figure
from game.scene import Scene
from game.text_audit import draw_text
from game.theme import Theme

if TYPE_CHECKING:
    from game.context import SessionContext

ARM_JOINTS = ("wrist", "elbow", "shoulder")  # the joints the "watch and imagine" figure can move
TITLE_W = 630  # design px: the title stays in the left column, clear of the figure's caption
TITLE_SIZES = (76, 64, 56, 48, 44, 40, 36)  # the largest that fits is used
SAFETY_BOTTOM = 660  # the safety line shows here when it fits (always on the calibration screen)
# (where the puck goes, what to do, the figure's caption, before the safety line)
ADULT_WORDS = ("Where the puck goes", "What to do", "Watch, and imagine doing it", "Safety:")
CHILD_WORDS = ("Put your puck here", "Let's do it!", "Watch, then copy it in your head!",
               "Be careful:")  # fmt: skip


def fitting_font(theme: Theme, words: str, width: float) -> pygame.font.Font:
    """The biggest bold title size at which `words` fits `width` design px on one line."""
    for size in TITLE_SIZES:
        font = theme.font(size, bold=True)
        if font.size(words)[0] <= theme.px(width):
            return font
    return theme.font(TITLE_SIZES[-1], bold=True)


class IntroScene(Scene):
    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)

    @property
    def ready(self) -> bool:
        """True once the demonstration has played once: the prompt to begin is shown."""
        return self.time_s >= CYCLE_S

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        if event.action is Action.SELECT:
            self.ctx.scenes.go("calibration")
        elif event.action in (Action.STOP, Action.BACK):
            if self.ctx.blocks_done:  # stopping between a plan's blocks ends today's session
                self.ctx.finish_session()
                self.ctx.scenes.go("results")
            else:
                self.ctx.scenes.go("menu")

    def step_text(self) -> str:
        """Which exercise of today's plan this is ("Exercise 2 of 3"); empty for one exercise."""
        cursor = self.ctx.cursor
        if cursor is None or cursor.count < 2:
            return ""
        return f"Exercise {cursor.index + 1} of {cursor.count}"

    def draw(self, surface: pygame.Surface) -> None:
        ctx = self.ctx
        theme = ctx.theme
        pal = theme.palette
        ex = ctx.exercise
        widgets.backdrop(surface, theme)
        step = self.step_text()
        if step:
            widgets.text(surface, theme, step, theme.body(), (60, 8), pal.text)
        title_font = fitting_font(theme, ctx.exercise_name(), TITLE_W)
        widgets.text(surface, theme, ctx.exercise_name(), title_font, (60, 44 if step else 24),
                     pal.accent)  # fmt: skip
        words = CHILD_WORDS if theme.child else ADULT_WORDS
        y = 148.0 if step else 128.0
        widgets.text(surface, theme, words[0], theme.font(36, bold=True), (60, y))
        y = widgets.paragraph(surface, theme, ex.placement, theme.body(), (60, y + 46), 640)
        y += 14
        widgets.text(surface, theme, words[1], theme.font(36, bold=True), (60, y))
        y += 50
        for i, line in enumerate(ex.instructions[:3], start=1):
            num = widgets.rect(theme, 60, y + 2, 44, 44)
            pygame.draw.circle(surface, pal.accent, num.center, num.width // 2)
            font = theme.font(32, bold=True)
            draw_text(surface, font, str(i), pal.accent_text, "center", num.center, num)
            y = widgets.paragraph(surface, theme, line, theme.body(), (118, y), 580)
            y += 6
        safety = f"{words[3]} {ex.safety}"
        lines = len(widgets.wrap(safety, theme.hint(), theme.px(640)))
        if y + 8 + lines * theme.hint().get_linesize() / theme.scale <= SAFETY_BOTTOM:
            widgets.paragraph(surface, theme, safety, theme.hint(), (60, y + 8), 640, pal.accent)

        shown = ex.demo.joint in ARM_JOINTS
        if shown:
            draw_figure(surface, theme, ex.demo, self.time_s, origin=(930, 250))
        else:  # the arm figure cannot show trunk, leg or tap movements: say where the puck goes
            spot = f"The puck goes on the {ex.puck_site.replace('_', ' ')}"
            widgets.paragraph(
                surface, theme, spot, theme.heading(), (940, 260), 440, None, "center"
            )
        caption = words[2] if shown else "Read, then imagine doing it"
        widgets.text(surface, theme, caption, theme.body(), (940, 18), pal.text, "midtop")
        if self.ready:
            prompt = widgets.rect(theme, 700, 600, 480, 64)
            pygame.draw.rect(surface, pal.accent, prompt, border_radius=theme.px(32))
            font = theme.font(36, bold=True)
            draw_text(surface, font, "Press SPACE to begin", pal.accent_text, "center",
                      prompt.center, prompt)  # fmt: skip
        widgets.stop_hint(surface, theme)
