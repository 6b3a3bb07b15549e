"""A scripted player: drives an `App` on a fake clock with real key events.

Used by the screenshot tool and the tests, so both go through the real path — key events → actions
→ keyboard simulator → detector → rep events → scenes — without waiting in real time.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from exercises.session_plan import SetPlan
from game.app import STEP_S, App, make_context
from game.sound import Sound


def key_event(key: int, down: bool = True) -> pygame.event.Event:
    kind = pygame.KEYDOWN if down else pygame.KEYUP
    return pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0, repeat=False)


class AutoPlayer:
    """Steps an `App` frame by frame on a `ManualClock`, pressing keys as a player would."""

    def __init__(self, app: App, clock: ManualClock, surface: pygame.Surface) -> None:
        self.app = app
        self.clock = clock
        self.surface = surface

    def frame(self, events: list[pygame.event.Event] | None = None) -> None:
        self.clock.advance(STEP_S)
        self.app.frame(self.surface, events or [])

    def wait(self, seconds: float) -> None:
        for _ in range(round(seconds / STEP_S)):
            self.frame()

    def press(self, key: int) -> None:
        """A quick tap: down in one frame, up in the next."""
        self.frame([key_event(key, True)])
        self.frame([key_event(key, False)])

    def hold(self, key: int, seconds: float) -> None:
        self.frame([key_event(key, True)])
        self.wait(seconds)
        self.frame([key_event(key, False)])

    def rep(self, up_s: float = 1.2, down_s: float = 1.2, key: int = pygame.K_SPACE) -> None:
        """One simulated rep: hold the lift key, then let go and wait for the limb to come back."""
        self.hold(key, up_s)
        self.wait(down_s)

    def until(self, condition: Callable[[], bool], limit_s: float = 60.0) -> bool:
        """Run frames until `condition()` is true (True) or `limit_s` passes (False)."""
        for _ in range(round(limit_s / STEP_S)):
            if condition():
                return True
            self.frame()
        return bool(condition())


def start_player(
    source: KeyboardSimulator | None = None,
    plan: SetPlan | None = None,
    *,
    size: tuple[int, int] = (1280, 720),
    theme_kind: str = "adult",
    sound: Sound | None = None,
    first_scene: str = "menu",
    clock: ManualClock | None = None,
    game_id: str | None = None,
) -> AutoPlayer:
    """A started keyboard simulator, context and `App` on one fake clock, drawing on a Surface.

    pygame (at least its font module) must be initialised. The surface is an off-screen
    `pygame.Surface` of `size`, so no window is needed.
    """
    clock = clock or ManualClock()
    if source is None:
        source = KeyboardSimulator(time_func=clock)
    source.start()
    plan = plan or SetPlan("wrist_extension", reps_per_set=10, sets=3, rest_s=60)
    ctx = make_context(source, plan, size, theme_kind, sound if sound is not None else Sound())
    if game_id is not None:
        ctx.set_game(game_id)
    app = App(ctx, time_func=clock, first_scene=first_scene)
    return AutoPlayer(app, clock, pygame.Surface(size))
