"""One scene per screen (arcade's `View`): enter, take actions and rep events, update, draw.

Scenes move between each other by *name* through the `SceneStack`, so scene modules never import
each other and the flow (menu → intro → calibration → game → rest → results) lives in one table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.actions import ActionEvent

if TYPE_CHECKING:
    from exercises.events import RepEvent
    from game.context import SessionContext


class Scene:
    """A screen. Subclasses override what they need; the defaults do nothing."""

    #: True on screens that count reps: the detector runs, SPACE/UP move the simulated limb, and a
    #: stalled or lost puck pauses the scene.
    uses_motion = False
    #: True on screens that keep the detector listening without pausing or moving the limb (rest).
    feeds_detector = False

    def __init__(self, ctx: SessionContext) -> None:
        self.ctx = ctx
        self.time_s = 0.0  # time this scene has been updated (frozen while paused)

    def on_enter(self) -> None:
        """Called once when the scene becomes the current one."""

    def handle_action(self, event: ActionEvent) -> None:
        """A key press or release, already turned into an action."""

    def handle_text(self, text: str) -> None:
        """Typed characters (a name, a PIN); most screens take none."""

    def handle_click(self, pos: tuple[int, int]) -> None:
        """A left click at real pixel `pos` (therapist screens take the mouse too)."""

    def on_reps(self, events: list[RepEvent]) -> None:
        """Reps the detector found this frame; called before `draw`, so feedback is immediate."""

    def update(self, dt_s: float) -> None:
        """Advance animations and timers by one fixed step."""
        self.time_s += dt_s

    def draw(self, surface: pygame.Surface) -> None:
        """Paint the whole screen."""


SceneFactory = Callable[["SessionContext"], Scene]


class SceneStack:
    """The scenes in play, top is current. Changes requested during a frame apply at its end."""

    def __init__(self, registry: dict[str, SceneFactory]) -> None:
        self._registry = registry
        self._stack: list[Scene] = []
        self._pending: list[tuple[str, str | None]] = []
        self.quit_requested = False

    @property
    def current(self) -> Scene | None:
        return self._stack[-1] if self._stack else None

    def go(self, name: str) -> None:
        """Replace the current scene with a new scene called `name`."""
        self._check(name)
        self._pending.append(("replace", name))

    def push(self, name: str) -> None:
        self._check(name)
        self._pending.append(("push", name))

    def pop(self) -> None:
        self._pending.append(("pop", None))

    def quit(self) -> None:
        self.quit_requested = True

    def _check(self, name: str) -> None:
        if name not in self._registry:
            raise KeyError(f"no scene called '{name}' (known: {', '.join(self._registry)})")

    def apply(self, ctx: SessionContext) -> bool:
        """Carry out requested changes; True if the current scene changed."""
        changed = False
        while self._pending:
            op, name = self._pending.pop(0)
            if op == "pop":
                if len(self._stack) > 1:
                    self._stack.pop()
                    changed = True
                continue
            assert name is not None
            scene = self._registry[name](ctx)
            if op == "replace" and self._stack:
                self._stack.pop()
            self._stack.append(scene)
            scene.on_enter()
            changed = True
        return changed
