"""The pure parts of the games: the adaptation staircase and the rewards rules."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from exercises.adaptation import AdaptationError, Staircase
from exercises.games_catalogue import GAME_IDS, GameError, get_game
from game.rewards import (
    BONUS_MAX_GAP,
    RewardBook,
    Rewards,
    level_for,
    reps_to_next_level,
    unlocks_between,
)
from game.sound import tick_wave, woohoo_wave


@pytest.mark.parametrize("skill", [0.2, 0.5, 0.8])
def test_staircase_holds_success_between_80_and_90_percent(skill: float) -> None:
    """A simulated patient whose chance of success falls as the level rises: whatever their
    skill, the staircase settles where about 85 % of trials succeed."""
    rng = random.Random(1)
    stair = Staircase(easiest=0.55, hardest=0.25)
    results = []
    for _ in range(3000):
        p_success = 1 / (1 + math.exp((stair.level - skill) / 0.08))
        success = rng.random() < p_success
        results.append(success)
        value = stair.record(success)
        assert 0.25 <= value <= 0.55  # never outside the bounds
    assert 0.80 <= float(np.mean(results[1000:])) <= 0.90


def test_staircase_steps_and_bounds() -> None:
    stair = Staircase(easiest=5.0, hardest=2.5, level=0.0)
    stair.record(False)
    assert stair.level == 0.0 and stair.value == 5.0  # cannot get easier than easiest
    stair.record(True)
    assert stair.level == pytest.approx(stair.down_step * 0.15 / 0.85)
    assert stair.success_rate == 0.5
    for _ in range(500):
        stair.record(True)
    assert stair.level == 1.0 and stair.value == 2.5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"target": 0.3}, "target"), ({"level": 2.0}, "level"), ({"window": 0}, "window")],
)
def test_staircase_rejects_bad_settings(kwargs: dict, field: str) -> None:
    with pytest.raises(AdaptationError, match=field):
        Staircase(1.0, 0.0, **kwargs)


def test_games_catalogue() -> None:
    assert GAME_IDS == ("rep_rush", "target", "garden", "glide", "rhythm")
    assert get_game("glide").child_name == "Bird Flight"
    with pytest.raises(GameError, match="rep_rush, target"):
        get_game("pong")


def test_levels_and_unlocks_by_total_reps() -> None:
    assert level_for(0) == 1 and level_for(29) == 1 and level_for(30) == 2
    assert reps_to_next_level(25) == 5
    assert unlocks_between(50, 70) == ["Glide"]
    assert unlocks_between(0, 10) == []
    assert "Pond" in unlocks_between(299, 300)


def test_personal_bests_and_unlocks_celebrate_once_with_woohoo() -> None:
    book = RewardBook(total_reps=58, best_score={("wrist_extension", "glide"): 100},
                      best_range_deg={"wrist_extension": 40.0})  # fmt: skip
    rewards = Rewards(book, "glide", "wrist_extension")
    first = rewards.on_rep(range_deg=30.0, session_score=50)
    assert [c.kind for c in first] in ([], ["bonus"])
    second = rewards.on_rep(range_deg=45.0, session_score=120)  # rep 60: Glide unlocks
    kinds = [c.kind for c in second]
    assert {"unlock", "best_score", "best_reach"} <= set(kinds)
    assert all(c.woohoo for c in second)
    third = rewards.on_rep(range_deg=50.0, session_score=200)
    assert not {"best_score", "best_reach"} & {c.kind for c in third}  # once per session
    assert "Glide" in second[kinds.index("unlock")].adult


def test_bonus_is_partial_reinforcement() -> None:
    rewards = Rewards(RewardBook(total_reps=5000), "rep_rush", "wrist_extension", seed=4)
    bonuses = [bool(rewards.on_rep(10.0, 0)) for _ in range(400)]
    share = sum(bonuses) / len(bonuses)
    assert 0.2 <= share <= 0.45  # some reps, not every rep
    gaps = np.diff(np.flatnonzero(bonuses))
    assert gaps.max() <= BONUS_MAX_GAP


def test_woohoo_and_tick_are_clean_waves() -> None:
    for make, dur_s in ((woohoo_wave, 1.5), (tick_wave, 0.12)):
        wave = make(22050)
        assert len(wave) == pytest.approx(dur_s * 22050, abs=2)
        assert np.isfinite(wave).all() and 0.5 < np.abs(wave).max() <= 0.9 + 1e-9
