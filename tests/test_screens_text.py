"""Every screen, in both looks, at 1280×720 and 1920×1080: no text outside its box, no text over
other text (or under a celebration panel), no character the font has no glyph for — and no file
or database I/O while a screen draws.

The screens are the real scenes on a real SQLite history (two weeks of sessions, a plan, a PIN),
drawn on SDL's dummy driver. Text is seen through `game.text_audit`, the one place all text is
drawn. I/O is seen through Python's audit hooks (file opens, directory listings, new SQLite
connections) and SQLite's own trace of every statement run on the store's connection.
Set REPQUEST_SHOTS=DIR to also save each screen as a PNG.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame
import pytest

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from exercises.catalogue import load_catalogue
from exercises.games_catalogue import GAME_IDS
from exercises.plan import parse_plan
from exercises.session_plan import Outcome, SetPlan
from game.app import App, make_context
from game.autoplay import AutoPlayer
from game.sound import Sound
from game.text_audit import auditing
from game.theme import THEME_KINDS, Theme
from progress.pin import set_pin
from progress.plans import save_plan
from progress.recorder import PatientRecords
from progress.store import Store
from tests.progress_sample import write_sample_history

SIZES = ((1280, 720), (1920, 1080))
IO_EVENTS = ("open", "os.listdir", "os.scandir", "sqlite3.connect")
PLAN = """
[patient]
name = "Anna"
affected_side = "left"
age_group = "adult"

[[blocks]]
exercise = "wrist_extension"
sets = 2
reps = 6
game = "target"

[[blocks]]
exercise = "elbow_flexion"
"""


class IoCounter:
    """Counts I/O while `counting` is on: audit events and SQL statements on watched stores."""

    def __init__(self) -> None:
        self.counting = False
        self.seen: list[str] = []
        sys.addaudithook(self._hook)  # hooks cannot be removed: it is a no-op when not counting

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.counting and event in IO_EVENTS:
            self.seen.append(f"{event} {args[:1]}")

    def watch(self, store: Store) -> None:
        store.conn.set_trace_callback(self._sql)

    def _sql(self, statement: str) -> None:
        if self.counting:
            self.seen.append(f"SQL {statement[:60]}")


IO = IoCounter()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    pygame.init()
    data_dir = tmp_path_factory.mktemp("screens")
    store = write_sample_history(data_dir, "Anna")
    save_plan(store, parse_plan(PLAN))
    set_pin(store, "2468")
    IO.watch(store)
    yield store
    store.close()
    pygame.quit()


@dataclass
class Screen:
    name: str
    setup: Callable[[AutoPlayer], None]


def player_for(store: Store, kind: str, size: tuple[int, int]) -> AutoPlayer:
    clock = ManualClock()
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    ctx = make_context(sim, SetPlan("wrist_extension", 10, 3, 60), size, kind, Sound())
    row = store.conn.execute("SELECT id FROM patients WHERE name = 'Anna'").fetchone()
    ctx.records = PatientRecords(store, row[0], "Anna")
    ctx.data_dir = store.path.parent
    ctx.set_game(ctx.game_id)
    app = App(ctx, time_func=clock, first_scene="menu")
    return AutoPlayer(app, clock, pygame.Surface(size))


def go(name: str, then: Callable[[AutoPlayer], None] | None = None) -> Callable[[AutoPlayer], None]:
    def setup(p: AutoPlayer) -> None:
        p.app.ctx.scenes.go(name)
        p.frame()
        if then is not None:
            then(p)

    return setup


def set_attrs(**values: Any) -> Callable[[AutoPlayer], None]:
    def then(p: AutoPlayer) -> None:
        for key, value in values.items():
            setattr(p.app.scene, key, value)

    return then


def press(*keys: int) -> Callable[[AutoPlayer], None]:
    def then(p: AutoPlayer) -> None:
        for key in keys:
            p.press(key)

    return then


def a_game(game_id: str, banner: bool) -> Callable[[AutoPlayer], None]:
    def setup(p: AutoPlayer) -> None:
        ctx = p.app.ctx
        ctx.set_game(game_id)
        ctx.progress.reps_in_set = ctx.plan.reps_per_set - 1  # about to finish the set
        ctx.scenes.go("game")
        p.wait(0.5)
        if banner:  # a celebration with confetti, over a full count
            scene: Any = p.app.scene
            ctx.progress.reps_in_set = ctx.plan.reps_per_set
            scene.banner_words = "Bonus +25" if not ctx.theme.child else "Super bonus! +25"
            scene.banner_since_s = scene.time_s
            scene.feedback = scene.set_done_words(Outcome.SET_DONE)
            scene.confetti.launch(ctx.theme.palette.celebrate)
            p.wait(0.6)

    return setup


def with_plan(p: AutoPlayer) -> None:
    from game.patient_session import follow_plan_in_force

    follow_plan_in_force(p.app.ctx)


def results_of_plan(p: AutoPlayer) -> None:
    with_plan(p)
    go("results")(p)


SCREENS = [
    Screen("menu", go("menu")),
    Screen("menu_plan", lambda p: (with_plan(p), go("menu")(p))),
    Screen("menu_quit", go("menu", press(pygame.K_ESCAPE))),
    Screen("first_run_name", go("first_run")),
    *[
        Screen(
            f"first_run_step{n}",
            go("first_run", set_attrs(step=n, answers=["left", "adult"][: n - 1])),
        )
        for n in (1, 2, 3, 4)
    ],
    Screen("profiles", go("profiles")),
    Screen(
        "pin",
        go("therapist_pin", lambda p: p.frame([pygame.event.Event(pygame.TEXTINPUT, text="246")])),
    ),
    Screen("pin_none", go("therapist_pin", set_attrs(no_pin=True))),
    Screen("therapist", go("therapist")),
    Screen("therapist_editor", go("therapist", press(pygame.K_SPACE, *[pygame.K_DOWN] * 12))),
    Screen("pucks", go("pucks")),
    Screen("history", go("history")),
    Screen("intro_plan", lambda p: (with_plan(p), go("menu")(p), go("intro")(p))),
    Screen("calibration_countdown", go("calibration")),
    Screen("calibration", go("calibration", lambda p: p.wait(3.5))),
    *[Screen(f"game_{g}", a_game(g, False)) for g in GAME_IDS],
    *[Screen(f"game_{g}_celebrating", a_game(g, True)) for g in GAME_IDS],
    Screen("rest", lambda p: (a_game("rep_rush", False)(p), _finish_set(p), go("rest")(p))),
    Screen("results", lambda p: (a_game("rep_rush", False)(p), _finish_set(p), go("results")(p))),
    Screen("results_plan", results_of_plan),
]


def _finish_set(p: AutoPlayer) -> None:
    ctx = p.app.ctx
    while not ctx.progress.resting and not ctx.progress.done:
        p.rep()


def check_draw(p: AutoPlayer, label: str) -> list[str]:
    """Draw the current scene twice (fonts load the first time), the second time watched."""
    scene = p.app.scene
    surface = p.surface
    with auditing():
        scene.draw(surface)  # fonts and glyph tables load here, outside the count
    with auditing() as audit:
        IO.seen.clear()
        IO.counting = True
        try:
            scene.draw(surface)
        finally:
            IO.counting = False
    shots = os.environ.get("REPQUEST_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(Path(shots) / f"{label}.png"))
    problems = [f"{label}: {problem}" for problem in audit.problems()]
    problems += [f"{label}: I/O while drawing: {io}" for io in IO.seen]
    if not audit.drawn:
        problems.append(f"{label}: no text seen at all (is text bypassing game.text_audit?)")
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("kind", THEME_KINDS)
def test_every_screen_shows_its_text_whole_apart_and_in_the_font(
    store: Store, kind: str, size: tuple[int, int]
) -> None:
    problems: list[str] = []
    for screen in SCREENS:
        p = player_for(store, kind, size)
        screen.setup(p)
        problems += check_draw(p, f"{kind}_{size[1]}p_{screen.name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", THEME_KINDS)
def test_every_exercise_intro_fits(store: Store, kind: str) -> None:
    problems: list[str] = []
    for exercise_id in load_catalogue():
        for size in SIZES:
            p = player_for(store, kind, size)
            p.app.ctx.set_exercise(exercise_id)
            go("intro", lambda q: q.wait(6.0))(p)
            problems += check_draw(p, f"{kind}_{size[1]}p_intro_{exercise_id}")
    assert not problems, "\n".join(problems)


def test_the_audit_can_fail(store: Store) -> None:
    """The checks are real: text off the edge, text on text, and a missing glyph are each caught."""
    p = player_for(store, "adult", (1280, 720))
    theme: Theme = p.app.ctx.theme
    from game import widgets

    with auditing() as audit:
        widgets.text(p.surface, theme, "Off the edge", theme.body(), (1270, 300))
        widgets.text(p.surface, theme, "One", theme.body(), (100, 100))
        widgets.text(p.surface, theme, "Two", theme.body(), (110, 110))
        widgets.text(p.surface, theme, "PIN ●", theme.body(), (100, 400))
    found = "\n".join(audit.problems())
    assert "outside its box" in found and "overlaps" in found and "no glyph" in found
    assert "'●'" in found


def test_drawing_with_io_is_caught(store: Store) -> None:
    """A draw() that reads the store is reported (the check cannot pass by accident)."""
    p = player_for(store, "adult", (1280, 720))
    go("menu")(p)
    scene = p.app.scene
    original = scene.draw

    def reading_draw(surface: pygame.Surface) -> None:
        store.conn.execute("SELECT count(*) FROM sessions").fetchone()
        original(surface)

    scene.draw = reading_draw  # type: ignore[method-assign]
    problems = check_draw(p, "io_probe")
    assert any("I/O while drawing: SQL" in problem for problem in problems)
