"""History numbers on a known two-week history, the history screen, and the game storing reps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pygame
import pytest

from game.autoplay import start_player
from game.scenes.history import HistoryScene
from game.scenes.menu import HISTORY, MenuScene
from game.scenes.rep_rush import RepRushScene
from game.scenes.results import ResultsScene
from progress.history import History
from progress.recorder import PatientRecords
from progress.store import open_store
from tests.progress_sample import TODAY, TZ, training_days, write_sample_history


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("history") / "data"
    write_sample_history(data_dir).close()
    return data_dir


@pytest.fixture
def records(sample_dir: Path) -> Iterator[PatientRecords]:
    store = open_store(sample_dir, now=today_evening)
    yield PatientRecords.for_patient(store, "Anna", create=False)
    store.close()


def today_evening() -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, 18, 0, tzinfo=TZ)


@pytest.fixture
def history(records: PatientRecords) -> History:
    return records.history()


def test_days_streak_and_adherence(history: History) -> None:
    days = list(training_days())
    assert sorted(history.days_trained) == days
    # Mon 10 trained, Tue 11 missed (scheduled), Wed 12 – Fri 14 trained: three in a row.
    assert history.streak_days() == 3
    # First session Mon 3 Mar; weekdays to Fri 14 Mar: 10 scheduled, 2 missed.
    assert history.adherence() == (8, 10)
    week = history.week()
    assert [d.day.day for d in week] == list(range(10, 17))
    assert [d.trained for d in week] == [True, False, True, True, True, False, False]
    assert [d.scheduled for d in week] == [True] * 5 + [False] * 2
    assert [d.is_today for d in week] == [False] * 4 + [True, False, False]


def test_a_rest_day_and_today_not_yet_trained_do_not_break_the_streak(history: History) -> None:
    later = History(history.patient, date(2025, 3, 17), history.sessions, history.reps,
                    history.plan)  # fmt: skip
    assert later.streak_days() == 3  # Sat, Sun unscheduled; Mon not trained yet
    broken = History(history.patient, date(2025, 3, 18), history.sessions, history.reps,
                     history.plan)  # fmt: skip
    assert broken.streak_days() == 0  # Monday, a training day, was missed


def test_bests_trends_and_flags(history: History) -> None:
    bests = {b.exercise_id: b for b in history.personal_bests()}
    wrist = [r.range_deg for r in history.reps if r.exercise_id == "wrist_extension"]
    assert bests["wrist_extension"].range_deg == max(wrist)
    assert bests["wrist_extension"].reps_in_session == 20
    trend = history.trend("range_deg")["wrist_extension"]
    assert len(trend) == len(list(training_days()))
    assert trend[-1][1] > trend[0][1]  # the sample's range grows
    assert history.trend("no_such_field") == {}
    shares = history.flag_shares()
    too_fast = sum("too_fast" in r.event["flags"] for r in history.reps)
    assert shares["too_fast"] == pytest.approx(too_fast / len(history.reps))
    assert shares["compensated"] == 0.0
    assert history.plan is not None and history.plan.weekdays == frozenset(range(5))


@pytest.fixture
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def test_history_screen_is_reachable_from_the_menu_and_shows_the_numbers(
    pg: None, records: PatientRecords
) -> None:
    player = start_player()
    player.app.ctx.records = records
    player.frame()
    assert isinstance(player.app.scene, MenuScene)
    for _ in range(HISTORY):
        player.press(pygame.K_DOWN)
    player.press(pygame.K_SPACE)
    scene = player.app.scene
    assert isinstance(scene, HistoryScene)
    assert scene.exercises[0] == "wrist_extension"  # the exercise chosen in the menu first
    before = pygame.image.tobytes(player.surface, "RGB")
    player.press(pygame.K_RIGHT)
    assert scene.exercises[scene.shown] == "elbow_flexion"
    assert pygame.image.tobytes(player.surface, "RGB") != before  # the range panel changed
    player.press(pygame.K_ESCAPE)
    assert isinstance(player.app.scene, MenuScene)
    assert player.app.running


def test_history_screen_without_data_says_so(pg: None, tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        player = start_player()
        player.app.ctx.records = PatientRecords.for_patient(store, "Newcomer")
        player.app.ctx.scenes.go("history")
        player.frame()
        scene = player.app.scene
        assert isinstance(scene, HistoryScene)
        assert scene.history is not None and scene.history.reps == []
        player.press(pygame.K_SPACE)
        assert isinstance(player.app.scene, MenuScene)


def test_the_game_stores_each_rep_and_the_finished_session(pg: None, tmp_path: Path) -> None:
    from tests.test_game_scenes import play_to_game

    with open_store(tmp_path / "data") as store:
        records = PatientRecords.for_patient(store, "Player")
        player = start_player()
        player.app.ctx.records = records
        player.app.ctx.new_session()  # the context was made before records were attached
        play_to_game(player)
        assert isinstance(player.app.scene, RepRushScene)
        counted = player.app.ctx.progress.total_reps
        assert counted >= 3  # calibration reps count
        stored = store.conn.execute("SELECT count(*) FROM reps WHERE counted = 1").fetchone()[0]
        assert stored == counted  # each rep is on disk as soon as it is counted
        player.press(pygame.K_ESCAPE)  # stop: the results screen, the session closed
        assert player.until(lambda: isinstance(player.app.scene, ResultsScene), 5)
        status, origin, summary = store.conn.execute(
            "SELECT status, origin, summary_json FROM sessions"
        ).fetchone()
        assert (status, origin) == ("completed", "game")
        assert f'"reps": {counted}' in summary
        assert len(records.history().reps) == counted
