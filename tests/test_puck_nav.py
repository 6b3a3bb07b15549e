"""The puck as a remote: tilt to move the focus, hold still to choose, tap, long hold to stop —
on synthetic puck samples, and through the real app on the menu with a Source that tilts."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pygame
import pytest

from devices.clock import ManualClock
from devices.samples import SampleBlock
from devices.source import Source, SourceInfo, SourceState, SourceStatus
from exercises.session_plan import SetPlan
from game.actions import Action
from game.app import App, make_context
from game.autoplay import AutoPlayer
from game.puck_nav import DWELL_S, LONG_HOLD_S, PuckNavigator
from game.scenes.intro import IntroScene
from game.scenes.menu import MenuScene
from game.sound import Sound

RATE_HZ = 50.0


def gravity(tilt_deg: float) -> np.ndarray:
    a = math.radians(tilt_deg)
    return np.array([math.sin(a), 0.0, math.cos(a)])


def block(t0_s: float, seconds: float, tilt_deg: float, knock_g: float = 0.0) -> SampleBlock:
    n = round(seconds * RATE_HZ)
    t_s = t0_s + np.arange(n) / RATE_HZ
    accel = np.tile(gravity(tilt_deg), (n, 1))
    if knock_g:
        accel[n // 2] += np.array([0.0, 0.0, knock_g])
    return SampleBlock("puck-1", t_s, accel, None)


def feed(
    nav: PuckNavigator, plan: list[tuple[float, float]], knock_at: int = -1, t0_s: float = 0.0
) -> list[Action]:
    """(seconds, tilt_deg) steps from `t0_s`; returns every action, in order."""
    t_s, actions = t0_s, []
    for i, (seconds, tilt) in enumerate(plan):
        nav.update(block(t_s, seconds, tilt, knock_g=1.5 if i == knock_at else 0.0))
        actions += nav.take_actions()
        t_s += seconds
    return actions


def test_tilt_and_back_moves_the_focus_then_holding_still_chooses() -> None:
    nav = PuckNavigator()
    actions = feed(nav, [(1.0, 0), (1.2, 40), (1.0, 0)])
    assert actions == [Action.DOWN]
    assert 0 < nav.dwell_fraction < 1
    assert feed(nav, [(DWELL_S, 0)], t0_s=3.2) == [Action.SELECT]


def test_a_quick_swing_or_a_puck_lying_still_does_nothing() -> None:
    nav = PuckNavigator()
    assert feed(nav, [(1.0, 0), (0.3, 50), (10.0, 0)]) == []  # a rep made while resting


def test_a_knock_chooses_and_a_long_hold_stops() -> None:
    assert feed(PuckNavigator(), [(1.0, 0), (0.4, 0)], knock_at=1) == [Action.SELECT]
    nav = PuckNavigator()
    assert feed(nav, [(1.0, 0), (LONG_HOLD_S + 0.2, 45), (1.0, 0)]) == [Action.STOP]
    game = PuckNavigator()
    game.in_game = True  # in a game: tilts are reps, only the (longer) hold stops
    assert feed(game, [(1.0, 0), (1.2, 40), (1.0, 0), (DWELL_S, 0), (LONG_HOLD_S, 45)]) == []


class TiltingPuck(Source):
    """A puck on the ManualClock that follows a script of (until_s, tilt_deg)."""

    def __init__(self, clock: ManualClock, script: list[tuple[float, float]]) -> None:
        self._clock = clock
        self._script = script
        self._start_s = clock()
        self._sent = 0

    @property
    def info(self) -> SourceInfo:
        return SourceInfo("puck-1", "serial", "test puck", RATE_HZ, ("ax_g", "ay_g", "az_g"))

    @property
    def status(self) -> SourceStatus:
        return SourceStatus(SourceState.STREAMING, "streaming")

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def read(self) -> list[SampleBlock]:
        due = int((self._clock() - self._start_s) * RATE_HZ)
        blocks = []
        while self._sent < due:
            t_s = self._sent / RATE_HZ
            tilt = next((deg for until_s, deg in self._script if t_s < until_s), 0.0)
            blocks.append(block(self._start_s + t_s, 1 / RATE_HZ, tilt))
            self._sent += 1
        return blocks


@pytest.fixture
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def test_the_menu_works_with_the_puck_alone(pg: None) -> None:
    clock = ManualClock()
    # Two tilts move the focus twice (Start → Exercise → Look); "Look" is chosen by holding still.
    script = [(1.0, 0), (2.2, 40), (3.2, 0), (4.4, 40)]
    puck = TiltingPuck(clock, script)
    ctx = make_context(puck, SetPlan("wrist_extension"), (640, 360), "adult", Sound())
    player = AutoPlayer(App(ctx, time_func=clock), clock, pygame.Surface((640, 360)))
    player.wait(5.5)
    menu = player.app.scene
    assert isinstance(menu, MenuScene) and menu.focus == 2
    assert ctx.theme.kind == "adult"
    player.wait(DWELL_S)
    assert ctx.theme.kind == "child"  # SELECT on "Look" changed it
    assert not isinstance(player.app.scene, IntroScene)
