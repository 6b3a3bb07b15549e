"""Every game, played for real: a full set on a replayed recording and on the keyboard simulator,
through the real scenes on off-screen surfaces, asserting reps, score and the end screen.

Plus the games' own rules (fed real `RepEvent`s), the fatigue check, the time cap, the garden
that persists across sessions in a real SQLite file, and the CLI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from devices.clock import ManualClock
from devices.replay import ReplaySource
from exercises.events import RepEvent
from exercises.games_catalogue import GAME_IDS
from exercises.session_plan import SetPlan
from game.app import App
from game.autoplay import start_player
from game.games.garden import GardenScene
from game.games.glide import Gate, GlideScene
from game.games.rhythm import RhythmScene
from game.games.target import HIT_POINTS, TargetScene
from game.headless import play_headless
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from progress.recorder import PatientRecords
from progress.store import open_store
from tests.conftest import REPO_ROOT

SPAR_FILE = "S1_FEL_R.csv"  # forward elevation, right arm: 20 clear reps


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def end_screen_words(app: App) -> tuple[str, dict[str, str]]:
    scene = app.scene
    assert isinstance(scene, ResultsScene)
    return scene.praise(), dict(scene.rows())


@pytest.mark.parametrize("game_id", GAME_IDS)
def test_every_game_plays_a_full_set_on_a_replayed_recording(game_id: str, spar_dir: Path) -> None:
    clock = ManualClock()
    source = ReplaySource(spar_dir / SPAR_FILE, time_func=clock)
    seen: list[App] = []
    summary = play_headless(
        source, SetPlan("auto", reps_per_set=6, sets=1), game_id, clock=clock, size=(640, 360),
        on_frame=lambda app, surface: seen.append(app) if not seen else None,
    )  # fmt: skip
    assert summary["game"] == game_id
    assert summary["reps"] == 6 and summary["completed"] and summary["stopped_by"] == "plan done"
    assert summary["score"] >= 6 * 10
    praise, rows = end_screen_words(seen[0])
    assert rows["Reps"] == "6" and rows["Sets"] == "1 of 1"
    assert praise == "You finished every set. Well done!"


@pytest.mark.parametrize("game_id", GAME_IDS)
@pytest.mark.parametrize("theme_kind", ["adult", "child"])
def test_every_game_plays_a_full_set_on_the_keyboard_simulator(
    game_id: str, theme_kind: str
) -> None:
    plan = SetPlan("wrist_extension", reps_per_set=4, sets=1)
    player = start_player(plan=plan, theme_kind=theme_kind, first_scene="game", game_id=game_id)
    ctx = player.app.ctx
    assert type(player.app.scene).__name__.lower().startswith(game_id.replace("_", "")[:4])
    for _ in range(12):
        if ctx.progress.done:
            break
        player.rep()
    assert ctx.progress.total_reps == 4
    assert player.until(lambda: isinstance(player.app.scene, ResultsScene), 6)
    praise, rows = end_screen_words(player.app)
    assert rows["Reps"] == "4"
    assert ctx.last_summary is not None and ctx.last_summary["score"] == ctx.score.score >= 40
    assert "Amazing" in praise if theme_kind == "child" else "Well done" in praise


def rep_event(range_fraction: float = 1.0, t_s: float = 0.0, duration_s: float = 2.0) -> RepEvent:
    return RepEvent("wrist_extension", "sim-1", t_s, t_s + duration_s / 2, t_s + duration_s,
                    60.0 * range_fraction, range_fraction, 90.0, -1.8)  # fmt: skip


def game_on(game_id: str, **plan: float) -> tuple[object, object]:
    player = start_player(plan=SetPlan("wrist_extension", reps_per_set=20, sets=1, **plan),
                          first_scene="game", game_id=game_id)  # fmt: skip
    player.frame()
    return player, player.app.scene


def test_target_hits_score_and_narrow_the_band_misses_say_which_way() -> None:
    player, scene = game_on("target")
    assert isinstance(scene, TargetScene)
    target_fraction = player.app.ctx.detector.settings.target_fraction
    half_before, score_before = scene.half, player.app.ctx.score.score
    scene.on_reps([rep_event(scene.centre / target_fraction)])  # peak right on the centre
    assert scene.hits == 1 and scene.half < half_before
    assert player.app.ctx.score.score - score_before >= HIT_POINTS + 10
    scene.on_reps([rep_event(0.1)])  # far short of any target
    assert scene.hits == 1 and scene.tries == 2
    assert scene.feedback == "A little higher next time"
    assert scene.half > half_before - 0.01  # a miss widens it again


def test_rhythm_rewards_reps_on_the_beat_and_never_hurrying() -> None:
    player, scene = game_on("rhythm", rep_tempo_s=3.0)
    assert isinstance(scene, RhythmScene)
    assert scene.period_s == pytest.approx(3.0 + 0.4 * 1.5)  # from the plan's tempo
    scene.on_reps([rep_event(duration_s=3.0)])
    for _ in range(4):  # four reps exactly one beat apart
        player.wait(scene.period_s)
        scene.on_reps([rep_event(duration_s=3.0)])
    assert scene.on_beat == 5
    trials = scene.adapt.trials
    player.wait(0.8)
    scene.on_reps([rep_event(duration_s=0.8)])  # hurried
    assert scene.adapt.trials == trials and scene.feedback == "A little slower, with the beat"
    assert scene.period_s >= 3.0  # never faster than the plan's tempo


def test_glide_gates_pass_when_the_flyer_is_in_the_opening() -> None:
    _, scene = game_on("glide")
    assert isinstance(scene, GlideScene)
    scene.flyer = 0.7
    hit, miss = Gate(300, 0.7, 0.1), Gate(300, 0.1, 0.1)
    scene._judge(hit)
    scene._judge(miss)
    assert (hit.passed, miss.passed) == (True, False)
    assert scene.gates_passed == 1 and scene.adapt.trials == 2


def test_garden_grows_across_sessions_from_stored_reps(tmp_path: Path, spar_dir: Path) -> None:
    store = open_store(tmp_path)
    records = PatientRecords.for_patient(store, "Ana")
    totals = []
    for _ in range(2):
        clock = ManualClock()
        source = ReplaySource(spar_dir / SPAR_FILE, time_func=clock)
        first: list[int] = []  # the garden's total reps as the session starts

        def keep(app: App, _surface: pygame.Surface, first: list = first) -> None:
            if isinstance(app.scene, GardenScene) and not first:
                first.append(app.scene.shown_total)

        plan = SetPlan("auto", reps_per_set=5, sets=1)
        summary = play_headless(
            source, plan, "garden", clock=clock, size=(320, 180), records=records, on_frame=keep
        )
        totals.append((first[0], summary["total_reps"], summary["score"]))
    store.close()
    (start1, end1, score1), (start2, end2, _) = totals
    assert start1 == 0 and end1 == 5
    assert start2 == 5 and end2 == 10  # the second session's garden starts where the first ended
    again = open_store(tmp_path)
    scores = [json.loads(r[0])["score"] for r in again.conn.execute(
        "SELECT summary_json FROM sessions ORDER BY id")]  # fmt: skip
    again.close()
    assert scores[0] == score1


def test_fatigue_check_shortens_or_ends_the_session() -> None:
    player = start_player(plan=SetPlan("wrist_extension", reps_per_set=2, sets=3, rest_s=30),
                          first_scene="game", game_id="target")  # fmt: skip
    ctx = player.app.ctx
    while not ctx.progress.resting:
        player.rep()
    assert player.until(lambda: isinstance(player.app.scene, RestScene), 6)
    player.press(pygame.K_DOWN)
    player.press(pygame.K_SPACE)  # "a bit tired": the next set is the last
    assert ctx.progress.plan.sets == 2 and isinstance(player.app.scene, RestScene)
    player.press(pygame.K_SPACE)  # start it
    while not ctx.progress.done:
        player.rep()
    assert player.until(lambda: isinstance(player.app.scene, ResultsScene), 6)
    assert ctx.last_summary is not None and ctx.last_summary["completed"]

    player = start_player(plan=SetPlan("wrist_extension", reps_per_set=2, sets=3, rest_s=30),
                          first_scene="game")  # fmt: skip
    ctx = player.app.ctx
    while not ctx.progress.resting:
        player.rep()
    assert player.until(lambda: isinstance(player.app.scene, RestScene), 6)
    player.press(pygame.K_UP)  # wraps round to "sore: stop now"
    player.press(pygame.K_SPACE)
    assert isinstance(player.app.scene, ResultsScene)
    assert ctx.last_summary is not None and ctx.last_summary["stopped_by"] == "sore"
    assert player.app.scene.praise() == "Thank you. Rest now."


def test_time_cap_ends_a_game_kindly() -> None:
    player = start_player(first_scene="game", game_id="glide")
    player.app.ctx.time_cap_s = 5.0
    player.rep()
    player.wait(3.0)
    assert isinstance(player.app.scene, ResultsScene)
    summary = player.app.ctx.last_summary
    assert summary is not None and summary["stopped_by"] == "time cap"


def test_cli_games_and_a_headless_game_session(tmp_path: Path, spar_dir: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "main.py", *args, "--data-dir", str(tmp_path)]
        return subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)

    games = run("games", "--json")
    assert games.returncode == 0
    assert [g["id"] for g in json.loads(games.stdout)] == list(GAME_IDS)
    device = f"replay:{spar_dir / SPAR_FILE}@5"
    done = run("session", "--headless", "--game", "rhythm", "--device", device,
               "--exercise", "auto", "--reps", "4", "--sets", "2", "--rest-s", "5")  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["game"] == "rhythm" and summary["reps"] == 8 and summary["completed"]
    assert summary["end_screen"] == "results" and summary["score"] > 0
    bad = run("session", "--headless", "--game", "pong")
    assert bad.returncode == 2 and "game 'pong' is not one of" in bad.stderr
