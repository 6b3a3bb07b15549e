"""The game window follows a whole therapist plan: every block's intro, calibration, game and
rests, then one results screen and one stored session with every block's sets. Played through the
real App with real key events on a ManualClock, stored in a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from exercises.plan import TherapyPlan, check_plan
from game.autoplay import AutoPlayer, key_event, start_player
from game.scenes.intro import IntroScene
from game.scenes.profile import FirstRunScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from progress.recorder import PatientRecords
from progress.store import open_store


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def two_blocks(sets: int = 2) -> TherapyPlan:
    block = {"sets": sets, "reps": 3, "rest_s": 5, "game": "rep_rush", "min_rep_s": 0.4}
    return check_plan(
        {
            "patient": {"name": "Ada", "affected_side": "left", "age_group": "adult"},
            "blocks": [
                {"exercise": "wrist_extension", **block},
                {"exercise": "elbow_flexion", **block, "sets": 1},
            ],
        }
    )


def player_with_plan(tmp_path: Path, plan: TherapyPlan) -> AutoPlayer:
    player = start_player(first_scene="menu")
    ctx = player.app.ctx
    ctx.records = PatientRecords.for_patient(open_store(tmp_path), "Ada")
    ctx.use_plan(plan)
    return player


def reps_until(player: AutoPlayer, scene: type, limit: int = 12) -> int:
    """Do reps until `scene` is showing; how many it took."""
    for n in range(limit):
        if player.until(lambda: isinstance(player.app.scene, scene), 4.0):
            return n
        player.rep()
    raise AssertionError(f"no {scene.__name__} after {limit} reps")


def start_block(player: AutoPlayer) -> None:
    """From the intro: SPACE, then the calibration's countdown."""
    assert isinstance(player.app.scene, IntroScene)
    player.press(pygame.K_SPACE)
    player.wait(3.2)


def results_summary(player: AutoPlayer) -> dict:
    scene = player.app.scene
    assert isinstance(scene, ResultsScene)
    return scene.summary


def stored_sets(tmp_path: Path) -> list[tuple[int, int, str, int, int]]:
    with open_store(tmp_path) as store:
        rows = store.conn.execute(
            "SELECT session_id, block_index, exercise_id, set_index, reps_done FROM sets "
            "ORDER BY block_index, set_index"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_the_window_plays_every_block_of_the_plan(tmp_path: Path) -> None:
    player = player_with_plan(tmp_path, two_blocks())
    ctx = player.app.ctx
    ctx.scenes.go("intro")
    player.frame()
    assert isinstance(player.app.scene, IntroScene)
    assert player.app.scene.step_text() == "Exercise 1 of 2"
    start_block(player)
    reps_until(player, RestScene)  # set 1 of block 1 (calibration reps count)
    player.press(pygame.K_SPACE)  # fine: next set
    reps_until(player, IntroScene)  # set 2 → block 2's intro
    intro = player.app.scene
    assert isinstance(intro, IntroScene)
    assert ctx.exercise.id == "elbow_flexion" and intro.step_text() == "Exercise 2 of 2"
    assert ctx.game_id == "rep_rush" and ctx.plan.sets == 1
    start_block(player)
    reps_until(player, ResultsScene)
    results = player.app.scene
    assert isinstance(results, ResultsScene)
    summary = results.summary
    assert [b["exercise"] for b in summary["blocks"]] == ["wrist_extension", "elbow_flexion"]
    assert [b["reps"] for b in summary["blocks"]] == [6, 3]
    assert summary["reps"] == 9 and summary["completed"] and summary["stopped_by"] == "plan done"
    assert results.block_lines()[1].startswith("2. ") and "3 reps" in results.block_lines()[1]
    sets = stored_sets(tmp_path)
    assert len({s[0] for s in sets}) == 1  # one stored session
    assert [(s[1], s[2], s[3], s[4]) for s in sets] == [
        (0, "wrist_extension", 0, 3), (0, "wrist_extension", 1, 3), (1, "elbow_flexion", 0, 3),
    ]  # fmt: skip
    with open_store(tmp_path) as store:
        status, done = store.conn.execute("SELECT status, plan_done FROM sessions").fetchone()
    assert (status, done) == ("completed", 1)


def test_a_bit_tired_makes_this_set_the_last_of_the_plan(tmp_path: Path) -> None:
    player = player_with_plan(tmp_path, two_blocks(sets=3))
    player.app.ctx.scenes.go("intro")
    player.frame()
    start_block(player)
    reps_until(player, RestScene)
    player.press(pygame.K_DOWN)
    player.press(pygame.K_SPACE)  # a bit tired: the next set is the last one
    player.press(pygame.K_SPACE)  # start it
    reps_until(player, ResultsScene)  # no second block
    summary = results_summary(player)
    assert [b["exercise"] for b in summary["blocks"]] == ["wrist_extension"]
    assert summary["reps"] == 6 and summary["stopped_by"] == "tired"
    assert not summary["completed"]


def test_the_time_cap_ends_the_plan_in_its_second_block(tmp_path: Path) -> None:
    player = player_with_plan(tmp_path, two_blocks(sets=1))
    ctx = player.app.ctx
    ctx.scenes.go("intro")
    player.frame()
    start_block(player)
    reps_until(player, IntroScene)
    ctx.time_cap_s = ctx.duration_s() + 15.0  # the cap runs over the whole session
    start_block(player)
    player.wait(4.0)  # the detector settles on the limb at rest
    player.rep()
    player.rep()  # the detector counts its first reps once it has learnt the movement
    assert player.until(lambda: isinstance(player.app.scene, ResultsScene), 10.0)
    summary = results_summary(player)
    assert summary["stopped_by"] == "time cap"
    assert [b["reps"] for b in summary["blocks"]] == [3, 2]
    assert {s[1] for s in stored_sets(tmp_path)} == {0, 1}


def test_a_name_entered_with_arrows_and_one_key_on_the_letter_grid(tmp_path: Path) -> None:
    player = start_player(first_scene="menu")
    player.app.ctx.data_dir = tmp_path
    player.app.ctx.scenes.go("first_run")
    player.frame()
    scene = player.app.scene
    assert isinstance(scene, FirstRunScene)
    keys = [pygame.K_DOWN, pygame.K_SPACE]  # "H" (second row, first key)
    keys += [pygame.K_DOWN, pygame.K_DOWN, pygame.K_RIGHT, pygame.K_SPACE]  # "w" (fourth row)
    keys += [pygame.K_SPACE]  # "w" again
    for key in keys:
        player.press(key)
    assert scene.name == "Hww"
    player.press(pygame.K_BACKSPACE)  # Backspace deletes too
    # A real SPACE key sends the text " " as well: that types a space, not the focused letter.
    player.frame([key_event(pygame.K_SPACE), pygame.event.Event(pygame.TEXTINPUT, text=" ")])
    player.frame([key_event(pygame.K_SPACE, down=False)])
    assert scene.name == "Hw "
    # After typing the focus rests on Done; Delete is just left of it.
    for key in (pygame.K_LEFT, pygame.K_SPACE, pygame.K_SPACE):
        player.press(key)
    assert scene.name == "H" and scene.step == 0
    player.press(pygame.K_RIGHT)
    player.press(pygame.K_SPACE)  # Done
    assert scene.step == 1
