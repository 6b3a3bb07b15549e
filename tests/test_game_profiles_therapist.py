"""First run, profiles, the neglected side and therapist mode, played through the real App with
real key, text and mouse events (SDL dummy drivers) on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from exercises.plan import parse_plan
from game.autoplay import AutoPlayer, start_player
from game.scenes.menu import MenuScene
from game.scenes.therapist import TherapistScene
from progress.patients import list_patients
from progress.pin import MAX_TRIES, has_pin, set_pin
from progress.plans import current_plan, save_plan
from progress.store import open_store

SHOTS = Path(__file__).resolve().parents[1] / "tests" / "_shots"


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def typed(text: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.TEXTINPUT, text=text)


def press(player: AutoPlayer, *keys: int) -> None:
    for key in keys:
        player.press(key)


def player_at(scene: str, data_dir: Path) -> AutoPlayer:
    player = start_player(first_scene="menu")
    player.app.ctx.data_dir = data_dir
    player.app.ctx.scenes.go(scene)
    player.frame()
    return player


def test_first_run_asks_for_the_first_patient_in_a_few_screens(tmp_path: Path) -> None:
    player = player_at("first_run", tmp_path)
    player.frame([typed("Anna"), typed(" Mariax")])  # typed text goes in…
    press(player, pygame.K_BACKSPACE)  # …Backspace deletes
    press(player, pygame.K_RETURN)  # the focus rests on Done after typing: ENTER moves on
    press(player, pygame.K_SPACE)  # weaker side: Left
    press(player, pygame.K_DOWN, pygame.K_SPACE)  # a child
    press(player, pygame.K_DOWN, pygame.K_SPACE)  # misses the left side
    press(player, pygame.K_SPACE)  # no puck paired: use the keyboard
    player.frame()
    assert isinstance(player.app.scene, MenuScene)
    ctx = player.app.ctx
    assert ctx.records is not None and ctx.records.name == "Anna Maria"
    assert ctx.theme.child and ctx.theme.neglected_side == "left"
    with open_store(tmp_path) as store:
        (anna,) = list_patients(store)
    assert (anna.affected_side, anna.age_group, anna.neglected_side) == ("left", "child", "left")


def test_a_neglected_side_moves_the_layout_toward_the_seen_side(tmp_path: Path) -> None:
    player = player_at("menu", tmp_path)
    theme = player.app.ctx.theme
    plain = player.surface.copy()
    player.app.scene.draw(plain)
    theme.neglected_side = "left"
    assert theme.x(640) > 640 and theme.x(44) > 200  # the stop sign comes into view too
    leaning = player.surface.copy()
    player.app.scene.draw(leaning)

    def focus_centre_x(surface: pygame.Surface) -> float:
        """Mean x of the focused button's accent-coloured pixels (row 1)."""
        accent = theme.palette.accent
        xs = [x for x in range(0, 1280, 4) if surface.get_at((x, 204))[:3] == accent]
        return sum(xs) / len(xs)

    assert focus_centre_x(leaning) > focus_centre_x(plain) + 100
    theme.neglected_side = "right"
    assert theme.x(640) < 640


def test_patients_never_mixed_and_the_plan_sets_the_game(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        save_plan(store, parse_plan(PLAN.replace("Ann", "Bo")))
        save_plan(store, parse_plan(PLAN))
    player = player_at("profiles", tmp_path)
    press(player, pygame.K_SPACE)  # Ann (first by name)
    ctx = player.app.ctx
    assert ctx.records is not None and ctx.records.name == "Ann"
    assert ctx.exercise.id == "elbow_flexion" and ctx.plan.reps_per_set == 6
    assert ctx.game_id == "glide"


PLAN = """
[patient]
name = "Ann"
affected_side = "right"
age_group = "adult"

[[blocks]]
exercise = "elbow_flexion"
reps = 6
game = "glide"
"""


def test_therapist_mode_needs_the_pin_and_edits_a_plan(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        save_plan(store, parse_plan(PLAN))
        set_pin(store, "2468")  # by the therapist, at the command line (`pin set`)
    player = player_at("therapist_pin", tmp_path)
    player.frame([typed("2468")])
    press(player, pygame.K_RETURN)
    player.frame()
    scene = player.app.scene
    assert isinstance(scene, TherapistScene)
    press(player, pygame.K_SPACE)  # open Ann
    for _ in range(8):  # name, side, age, neglect, goal, minutes, exercise, sets → reps
        player.press(pygame.K_DOWN)
    press(player, pygame.K_RIGHT, pygame.K_RIGHT)  # 6 → 8 reps
    scene.row_rects = []
    scene.draw(player.surface)  # the editor, with the mouse: click the right end of "sets"
    sets_rect = next(r for i, r in scene.row_rects if scene.rows()[i][0] == "sets:0")
    player.frame(
        [
            pygame.event.Event(
                pygame.MOUSEBUTTONDOWN, pos=(sets_rect.right - 8, sets_rect.centery), button=1
            )
        ]
    )
    scene.focus = [k for k, _ in scene.rows()].index("save")
    press(player, pygame.K_SPACE)
    assert scene.editing is None and "Saved" in scene.note
    with open_store(tmp_path) as store:
        stored = current_plan(store, list_patients(store)[0].id)
    assert stored is not None and stored.plan.blocks[0].reps == 8
    assert stored.plan.blocks[0].sets == 4


def test_no_one_chooses_the_pin_in_the_game(tmp_path: Path) -> None:
    player = player_at("therapist_pin", tmp_path)
    for _ in range(2):  # what choosing a PIN used to take: it opens nothing now
        player.frame([typed("1357")])
        press(player, pygame.K_RETURN)
    assert not isinstance(player.app.scene, TherapistScene)
    assert player.app.scene.no_pin  # type: ignore[attr-defined]
    with open_store(tmp_path) as store:
        assert not has_pin(store)


def test_wrong_pins_lock_therapist_mode(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        set_pin(store, "1357")
    player = player_at("therapist_pin", tmp_path)
    for _ in range(MAX_TRIES):
        player.frame([typed("0000")])
        press(player, pygame.K_RETURN)
    player.frame([typed("1357")])
    press(player, pygame.K_RETURN)
    assert "wait 5 min" in player.app.scene.note  # type: ignore[attr-defined]
    assert not isinstance(player.app.scene, TherapistScene)


def test_every_exercise_has_an_intro_screen() -> None:
    """Trunk, leg and tap exercises have no arm figure: their intro says where the puck goes."""
    from exercises.catalogue import load_catalogue
    from exercises.session_plan import SetPlan

    for exercise_id in load_catalogue():
        player = start_player(plan=SetPlan(exercise_id, 5, 2, 30), first_scene="intro")
        player.frame()  # draws the intro: it must not raise for any exercise


def test_a_device_given_on_the_command_line_skips_the_pairing_question(tmp_path: Path) -> None:
    player = player_at("first_run", tmp_path)
    player.app.ctx.device_chosen = True  # `play --device keyboard`
    player.frame([typed("Bea")])
    press(player, pygame.K_RETURN, pygame.K_SPACE, pygame.K_SPACE, pygame.K_SPACE)
    player.frame()
    assert isinstance(player.app.scene, MenuScene)  # no "pair a puck?" step
