"""The game's screens, played through the real path: keys → simulator → detector → scenes.

Every test drives `App.frame()` on a fake clock with real pygame key events, draws on an
off-screen 1280×720 Surface, and asserts on what the player would see (pixels, words) and on the
session tally.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pygame
import pytest

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.samples import SampleBlock
from devices.source import SourceState, SourceStatus
from exercises.session_plan import SetPlan
from game.autoplay import AutoPlayer, key_event, start_player
from game.scenes.calibration import CalibrationScene
from game.scenes.intro import IntroScene
from game.scenes.menu import MenuScene
from game.scenes.rep_rush import COUNTER_AREA, RepRushScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def region(player: AutoPlayer, design_rect: tuple[float, float, float, float]) -> bytes:
    theme = player.app.ctx.theme
    x, y, w, h = design_rect
    area = pygame.Rect(theme.px(x), theme.px(y), theme.px(w), theme.px(h))
    return pygame.image.tobytes(player.surface.subsurface(area), "RGB")


def play_to_game(player: AutoPlayer) -> None:
    """Start → intro → calibration (3 reps) → Rep Rush."""
    player.frame()
    player.press(pygame.K_SPACE)
    assert isinstance(player.app.scene, IntroScene)
    player.press(pygame.K_SPACE)
    assert isinstance(player.app.scene, CalibrationScene)
    for _ in range(12):
        if isinstance(player.app.scene, RepRushScene):
            return
        player.rep()
    assert player.until(lambda: isinstance(player.app.scene, RepRushScene), 5)


def test_menu_arrows_change_exercise_and_look_and_esc_quits() -> None:
    player = start_player()
    ctx = player.app.ctx
    player.frame()
    assert isinstance(player.app.scene, MenuScene)
    before = region(player, (200, 236, 880, 120))
    player.press(pygame.K_DOWN)
    player.press(pygame.K_RIGHT)
    assert ctx.exercise.id != "wrist_extension"
    assert ctx.plan.exercise_id == ctx.exercise.id
    assert region(player, (200, 236, 880, 120)) != before  # focus and name moved, on screen
    player.press(pygame.K_DOWN)
    player.press(pygame.K_RIGHT)
    assert ctx.theme.kind == "child"
    player.press(pygame.K_ESCAPE)  # asks first: a stray Esc never closes the game
    assert player.app.running and player.app.scene.asking_quit  # type: ignore[attr-defined]
    player.press(pygame.K_SPACE)  # stay
    assert player.app.running and isinstance(player.app.scene, MenuScene)
    player.press(pygame.K_ESCAPE)
    player.press(pygame.K_ESCAPE)  # a second Esc closes
    assert not player.app.running


def test_intro_shows_the_prompt_after_the_demo_and_the_figure_moves() -> None:
    player = start_player(first_scene="intro")
    scene = player.app.scene
    assert isinstance(scene, IntroScene)
    figure = (700, 80, 560, 500)
    player.frame()
    first = region(player, figure)
    player.wait(2.0)
    assert region(player, figure) != first  # the arm is moving
    assert not scene.ready
    prompt = (700, 600, 480, 64)
    without = region(player, prompt)
    player.wait(3.5)
    assert scene.ready
    assert region(player, prompt) != without
    player.press(pygame.K_ESCAPE)
    assert isinstance(player.app.scene, MenuScene)


def test_calibration_counts_three_real_reps_toward_set_one() -> None:
    player = start_player(first_scene="calibration")
    ctx = player.app.ctx
    scene = player.app.scene
    assert isinstance(scene, CalibrationScene)
    player.wait(3.2)
    assert not scene.counting_down
    gauge = (1000, 100, 240, 500)
    still = region(player, gauge)
    player.hold(pygame.K_SPACE, 0.8)
    assert ctx.detector.progress > 0.3  # the live gauge follows the held key
    assert region(player, gauge) != still
    player.wait(1.0)
    while ctx.progress.total_reps < 3:
        player.rep()
    assert scene.reps >= 3
    assert ctx.progress.set_index == 0
    assert player.until(lambda: isinstance(player.app.scene, RepRushScene), 5)
    assert ctx.progress.reps_in_set == scene.reps  # calibration reps count toward set 1


def test_rep_rush_counter_goes_up_and_feedback_is_drawn_in_the_same_frame() -> None:
    player = start_player()
    play_to_game(player)
    ctx = player.app.ctx
    scene = player.app.scene
    assert isinstance(scene, RepRushScene)
    start = ctx.progress.reps_in_set
    assert scene.counter_text == f"{start} / 10"
    changes = 0
    previous_reps, previous_pixels = start, region(player, COUNTER_AREA)
    for _ in range(4):  # hold 1.2 s, release 1.2 s, looking at every frame
        for i in range(round(2.4 * 60)):
            if i in (0, 72):
                player.frame([key_event(pygame.K_SPACE, i == 0)])
            else:
                player.frame()
            pixels = region(player, COUNTER_AREA)
            if ctx.progress.reps_in_set != previous_reps:
                # The frame whose input produced the rep already shows it.
                assert pixels != previous_pixels
                assert scene.counter_text == f"{ctx.progress.reps_in_set} / 10"
                changes += 1
            previous_reps, previous_pixels = ctx.progress.reps_in_set, pixels
    assert ctx.progress.reps_in_set >= start + 3
    assert changes >= 3
    assert ctx.score.score > 0
    assert ctx.score.combo >= 2  # the simulator keeps a steady pace
    assert scene.feedback


def test_esc_from_the_game_shows_results_with_what_was_done() -> None:
    player = start_player()
    play_to_game(player)
    ctx = player.app.ctx
    player.rep()
    done = ctx.progress.total_reps
    assert done >= 4
    player.press(pygame.K_ESCAPE)
    scene = player.app.scene
    assert isinstance(scene, ResultsScene)
    assert scene.summary["reps"] == done
    assert dict(scene.rows())["Reps"] == str(done)
    player.press(pygame.K_SPACE)
    assert isinstance(player.app.scene, MenuScene)


def test_a_finished_set_celebrates_then_rests_and_space_skips_the_rest() -> None:
    player = start_player(plan=SetPlan("wrist_extension", reps_per_set=4, sets=2, rest_s=30))
    play_to_game(player)
    ctx = player.app.ctx
    while not ctx.progress.resting:
        player.rep()
    scene = player.app.scene
    assert isinstance(scene, RepRushScene)
    assert scene.confetti.active
    assert player.until(lambda: isinstance(player.app.scene, RestScene), 6)
    rest = player.app.scene
    assert isinstance(rest, RestScene)
    first = rest.remaining_s
    heading = (100, 80, 1080, 110)
    pixels = region(player, heading)
    player.wait(2.0)
    assert rest.remaining_s < first - 1.5
    assert region(player, heading) != pixels  # "0:28" is drawn, not just computed
    player.press(pygame.K_SPACE)
    game = player.app.scene
    assert isinstance(game, RepRushScene)
    assert ctx.progress.set_index == 1 and ctx.progress.reps_in_set == 0
    assert game.counter_text == "0 / 4"


def test_rest_waits_for_the_player_when_time_is_up() -> None:
    plan = SetPlan("wrist_extension", reps_per_set=3, sets=2, rest_s=2)
    player = start_player(plan=plan, first_scene="calibration")
    ctx = player.app.ctx
    player.wait(3.2)
    for _ in range(12):
        if isinstance(player.app.scene, RestScene):
            break
        player.rep()
    assert isinstance(player.app.scene, RestScene)  # the 3 calibration reps finished set 1
    player.wait(5.0)
    assert isinstance(player.app.scene, RestScene)  # no one is rushed into the next set
    player.press(pygame.K_ESCAPE)
    assert isinstance(player.app.scene, ResultsScene)
    assert ctx.last_summary is not None and ctx.last_summary["sets"] == 1


class StallingSimulator(KeyboardSimulator):
    """A simulator whose link the test can cut: it then reports STALLED and delivers nothing."""

    stalled = False

    @property
    def status(self) -> SourceStatus:
        if self.stalled:
            return SourceStatus(
                SourceState.STALLED, "The blue puck stopped talking. Bring it closer."
            )
        return super().status

    def read(self) -> list[SampleBlock]:
        blocks = super().read()  # keep the clock moving, as a real puck out of range would
        return [] if self.stalled else blocks


def test_a_stalled_puck_pauses_the_game_with_a_banner_and_keeps_the_count() -> None:
    clock = ManualClock()
    source = StallingSimulator(time_func=clock)
    player = start_player(source, clock=clock)
    play_to_game(player)
    ctx = player.app.ctx
    count = ctx.progress.total_reps
    scene = player.app.scene
    banner = (140, 190, 1000, 340)
    normal = region(player, banner)
    source.stalled = True
    player.frame()
    assert player.app.paused
    paused_pixels = region(player, banner)
    assert paused_pixels != normal
    frozen_at = scene.time_s
    player.wait(1.0)
    assert scene.time_s == frozen_at  # the game waits for the puck
    assert ctx.progress.total_reps == count
    source.stalled = False
    player.frame()
    assert not player.app.paused
    assert player.app.scene is scene
    for _ in range(3):
        player.rep()
    assert ctx.progress.total_reps > count


def test_child_theme_plays_the_same_game() -> None:
    player = start_player(theme_kind="child")
    play_to_game(player)
    assert player.app.ctx.exercise_name() == player.app.ctx.exercise.child_name
    player.rep()
    assert player.app.ctx.progress.total_reps >= 4


def test_celebrations_do_not_flash() -> None:
    """WCAG 2.3.1: the screen's brightness must not swing up and down more than 3 times a second."""
    player = start_player(plan=SetPlan("wrist_extension", reps_per_set=4, sets=2, rest_s=30))
    play_to_game(player)
    ctx = player.app.ctx
    while ctx.progress.reps_in_set < 3:
        player.rep()
    player.hold(pygame.K_SPACE, 1.2)
    brightness = []
    for _ in range(round(3.0 * 60)):  # the last rep lands, then sparkles and confetti
        player.frame()
        small = pygame.transform.smoothscale(player.surface, (64, 36))
        brightness.append(pygame.transform.average_color(small)[:3])
    assert ctx.progress.resting  # the set was finished during the window
    lum = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b in brightness]
    swings = [b - a for a, b in itertools.pairwise(lum) if abs(b - a) > 10]
    assert len(swings) <= 3, swings


def test_p_makes_the_simulated_puck_go_silent_and_come_back() -> None:
    """The "puck lost" pause can be tried by hand with the keyboard simulator."""
    player = start_player(first_scene="game")
    player.frame()
    player.press(pygame.K_p)
    problem = player.app.ctx.source_problem()
    assert player.app.paused and problem is not None and "press P" in problem.message
    frozen = player.app.scene.time_s
    player.wait(0.5)
    assert player.app.scene.time_s == frozen  # the game waits, the count is kept
    player.press(pygame.K_p)
    player.wait(0.2)
    assert not player.app.paused and player.app.scene.time_s > frozen
