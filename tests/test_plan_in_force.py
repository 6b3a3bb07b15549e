"""One plan in force, end to end: saved in therapist mode, followed after a restart, played in
the window (keyboard simulator, real detector, real SQLite), and learnt from by progression —
and a "sore" answer keeps the next session from getting harder.

Everything goes through real key and text events into the real App; the "restart" closes the
store and starts the game as `play` does (`game.app.start_context`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from exercises.progression import Targets, next_targets, success_rate
from game.app import App, start_context
from game.autoplay import AutoPlayer, key_event, start_player
from game.scenes.menu import MenuScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.scenes.therapist import TherapistScene
from progress.patients import save_patient
from progress.pin import set_pin
from progress.plans import plan_in_force
from progress.recorder import PatientRecords
from progress.store import open_store


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def go_to(player: AutoPlayer, scene: TherapistScene, kind: str) -> None:
    for _ in range(len(scene.rows())):
        if scene.rows()[scene.focus][0] == kind:
            return
        player.press(pygame.K_DOWN)
    raise AssertionError(f"no row {kind}")


def save_plan_in_therapist_mode(data_dir: Path) -> None:
    """The therapist's visit: 2 sets × 6 reps, Target, 15 s rest, for Ann."""
    with open_store(data_dir) as store:
        save_patient(store, "Ann", "right", "adult")
        set_pin(store, "2468")
    player = start_player(first_scene="menu")
    player.app.ctx.data_dir = data_dir
    player.app.ctx.scenes.go("therapist_pin")
    player.frame()
    player.frame([pygame.event.Event(pygame.TEXTINPUT, text="2468")])
    player.press(pygame.K_RETURN)
    player.frame()
    scene = player.app.scene
    assert isinstance(scene, TherapistScene)
    player.press(pygame.K_SPACE)  # open Ann
    assert scene.editing is not None
    block = scene.editing["blocks"][0]
    assert (block["sets"], block["reps"]) == (3, 5)  # what the game runs with no plan, too
    go_to(player, scene, "sets:0")
    player.press(pygame.K_LEFT)  # 3 → 2 sets
    go_to(player, scene, "reps:0")
    player.press(pygame.K_RIGHT)  # 5 → 6 reps
    go_to(player, scene, "rest_s:0")
    for _ in range(3):
        player.press(pygame.K_LEFT)  # 60 → 15 s
    go_to(player, scene, "game:0")
    player.press(pygame.K_RIGHT)  # Rep Rush → Target
    go_to(player, scene, "save")
    player.press(pygame.K_SPACE)
    assert scene.editing is None and "Saved: Ann, 12 reps a session" in scene.note
    store = scene.store
    assert store is not None
    store.close()


def restart_as_play_does(data_dir: Path) -> tuple[AutoPlayer, PatientRecords]:
    """A new run with the one patient, started exactly as `main.py play` starts the window."""
    store = open_store(data_dir)
    records = PatientRecords.for_patient(store, "Ann", create=False)
    clock = ManualClock()
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    ctx = start_context(sim, "wrist_extension", None, (1280, 720), records, data_dir)
    app = App(ctx, time_func=clock, first_scene="menu")
    return AutoPlayer(app, clock, pygame.Surface((1280, 720))), records


def play_the_plan(player: AutoPlayer, answer_presses: int) -> dict:
    """Start today's plan, do every rep, say "fine" at each rest; at the end, answer by moving
    `answer_presses` to the right (0 fine, 2 sore). Returns the session summary."""
    ctx = player.app.ctx
    player.press(pygame.K_SPACE)  # Start today's plan → intro
    player.press(pygame.K_SPACE)  # → calibration
    for _ in range(400):
        scene = player.app.scene
        if isinstance(scene, ResultsScene):
            break
        if isinstance(scene, RestScene):
            player.press(pygame.K_SPACE)  # "Fine: next set"
            continue
        player.rep()
    else:
        raise AssertionError("the plan never ended")
    summary = dict(ctx.last_summary or {})
    for _ in range(answer_presses):
        player.press(pygame.K_RIGHT)
    player.press(pygame.K_SPACE)
    player.frame()
    assert isinstance(player.app.scene, MenuScene)
    return summary


def test_the_saved_plan_is_what_the_window_plays_and_progression_learns(tmp_path: Path) -> None:
    save_plan_in_therapist_mode(tmp_path)
    player, records = restart_as_play_does(tmp_path)
    ctx = player.app.ctx
    player.frame()
    menu = player.app.scene
    assert isinstance(menu, MenuScene) and menu.labels()[0] == "Start today's plan"
    assert ctx.game_id == "target"
    assert (ctx.plan.sets, ctx.plan.reps_per_set, ctx.plan.rest_s) == (2, 6, 15.0)

    summary = play_the_plan(player, answer_presses=0)
    assert summary["game"] == "target" and summary["reps"] == 12 and summary["completed"]
    store = records.store
    session = store.conn.execute(
        "SELECT id, plan_id, origin FROM sessions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    stored = plan_in_force(store, records.patient_id)
    assert stored is not None and session[1] == stored.id and session[2] == "game"
    sets = store.conn.execute(
        "SELECT set_index, reps_planned, reps_done FROM sets WHERE session_id = ? ORDER BY 1",
        (session[0],),
    ).fetchall()
    assert sets == [(0, 6, 6), (1, 6, 6)]
    assert store.conn.execute("SELECT answer FROM feelings").fetchall() == [("fine",), ("fine",)]

    # The progression step, worked out here from the stored reps by the rule itself:
    block = stored.plan.blocks[0]
    events = [
        {"range_deg": r[0], "duration_s": r[1], "flags": []}
        for r in store.conn.execute(
            "SELECT range_deg, duration_s FROM reps WHERE session_id = ? AND counted = 1",
            (session[0],),
        )
    ]
    first = stored.plan  # as the therapist wrote it
    saved = Targets(6, block.target_range_deg)
    expected, why = next_targets(block, saved, success_rate(events, block, saved))
    assert (expected.reps, expected.target_range_deg) != (6, block.target_range_deg)
    assert stored.targets[0] == expected and why in stored.notes[0]
    assert first.blocks[0].reps == 6  # the therapist's file is kept as written
    # ...and the window follows the moved plan at once, for the next session:
    assert (ctx.plan.reps_per_set, ctx.plan.sets) == (expected.reps, 2)
    records.store.close()


def test_after_a_sore_session_the_next_is_no_harder(tmp_path: Path) -> None:
    save_plan_in_therapist_mode(tmp_path)
    player, records = restart_as_play_does(tmp_path)
    player.frame()
    before = plan_in_force(records.store, records.patient_id)
    assert before is not None
    play_the_plan(player, answer_presses=2)  # "Sore" at the end
    after = plan_in_force(records.store, records.patient_id)
    assert after is not None
    old, new = before.targets[0], after.targets[0]
    assert new.reps <= old.reps and new.target_range_deg <= old.target_range_deg
    assert "sore" in after.notes[0] or new != old
    rows = records.store.conn.execute("SELECT answer FROM feelings ORDER BY id").fetchall()
    assert rows[-1] == ("sore",)
    records.store.close()


def test_sore_on_the_rest_screen_stops_and_is_stored_as_sore(tmp_path: Path) -> None:
    save_plan_in_therapist_mode(tmp_path)
    player, records = restart_as_play_does(tmp_path)
    player.frame()
    player.press(pygame.K_SPACE)
    player.press(pygame.K_SPACE)
    for _ in range(20):  # calibration, then the first set of 6
        if isinstance(player.app.scene, RestScene):
            break
        player.rep()
    assert isinstance(player.app.scene, RestScene)
    player.frame([key_event(pygame.K_UP)])  # wraps round to "Sore: stop now"
    player.frame([key_event(pygame.K_UP, False)])
    player.press(pygame.K_SPACE)
    scene = player.app.scene
    assert isinstance(scene, ResultsScene) and not scene.ask  # not asked twice
    assert scene.summary["stopped_by"] == "sore"
    answers = records.store.conn.execute("SELECT answer FROM feelings").fetchall()
    assert answers == [("sore",)]
    records.store.close()
