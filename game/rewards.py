"""Rewards beyond the single rep: levels, unlocks, personal bests and the occasional bonus.

Everything persistent is *derived* from what the store already holds (counted reps and finished
sessions' summaries, see `game.rewards_store`), so nothing new has to be saved and a crash never
loses a reward. Rewards are about effort: they only ever go up, and nothing is taken away.

Partial reinforcement: a bonus comes on a variable schedule (about one rep in four, never more
than `BONUS_MAX_GAP` reps apart), so not every rep gets a fanfare and the next one might.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from exercises.games_catalogue import GAMES

# Total counted reps (all sessions, all games) at which each level starts: quick at first, so a
# new patient sees a level in the first session, then roughly a week of training per level.
LEVEL_REPS = (0, 30, 100, 250, 500, 800, 1200, 1700, 2300, 3000, 4000, 5000, 6500, 8000, 10000)
# Looks for the garden unlocked by total reps (the "themes" of the build game).
GARDEN_LOOKS = (("Pond", 300), ("Blossom trees", 700), ("Night sky", 1500))
BONUS_CHANCE = 0.25
BONUS_MAX_GAP = 7
BONUS_POINTS = 25


@dataclass(frozen=True)
class RewardBook:
    """What the patient has done before this session (read from the store at session start)."""

    total_reps: int = 0
    best_score: dict[tuple[str, str], int] = field(default_factory=dict)  # (exercise, game)
    best_range_deg: dict[str, float] = field(default_factory=dict)  # per exercise


@dataclass(frozen=True)
class Celebration:
    """Something to celebrate now: words for each theme, and whether it earns the "woo hoo"."""

    kind: str  # level | unlock | best_score | best_reach | bonus
    adult: str
    child: str
    woohoo: bool

    def words(self, child: bool) -> str:
        return self.child if child else self.adult


def level_for(total_reps: int) -> int:
    """1-based level for a number of total reps."""
    return sum(1 for start in LEVEL_REPS if total_reps >= start)


def reps_to_next_level(total_reps: int) -> int | None:
    """Reps still needed for the next level (None at the top level)."""
    for start in LEVEL_REPS:
        if start > total_reps:
            return start - total_reps
    return None


def unlocks_between(before: int, after: int) -> list[str]:
    """Names of the games and garden looks unlocked by going from `before` to `after` reps."""
    names = [g.name for g in GAMES if before < g.unlock_reps <= after]
    return names + [name for name, reps in GARDEN_LOOKS if before < reps <= after]


def garden_looks(total_reps: int) -> list[str]:
    return [name for name, reps in GARDEN_LOOKS if total_reps >= reps]


class Rewards:
    """This session's rewards for one game and exercise, on top of the stored `book`."""

    def __init__(self, book: RewardBook, game_id: str, exercise_id: str, seed: int = 11) -> None:
        self.book = book
        self.game_id = game_id
        self.exercise_id = exercise_id
        self.session_reps = 0
        self.bonus_points = 0
        self._rng = random.Random(seed)
        self._since_bonus = 0
        self._best_score_done = False
        self._best_reach_done = False
        self.celebrated: list[Celebration] = []  # everything celebrated this session, in order

    @property
    def total_reps(self) -> int:
        return self.book.total_reps + self.session_reps

    @property
    def level(self) -> int:
        return level_for(self.total_reps)

    @property
    def stored_best_score(self) -> int | None:
        return self.book.best_score.get((self.exercise_id, self.game_id))

    def on_rep(self, range_deg: float, session_score: int) -> list[Celebration]:
        """A counted rep (its reach) and the session's score after it: what to celebrate."""
        before = self.total_reps
        self.session_reps += 1
        out: list[Celebration] = []
        if level_for(self.total_reps) > level_for(before):
            lvl = level_for(self.total_reps)
            out.append(Celebration("level", f"Level {lvl}", f"Level {lvl}! Woo hoo!", True))
        for name in unlocks_between(before, self.total_reps):
            out.append(Celebration("unlock", f"New: {name}", f"You unlocked {name}!", True))
        best = self.stored_best_score
        if not self._best_score_done and best is not None and session_score > best:
            self._best_score_done = True
            out.append(Celebration("best_score", "New high score", "New high score!", True))
        reach = self.book.best_range_deg.get(self.exercise_id)
        if not self._best_reach_done and reach is not None and range_deg > reach * 1.02:
            self._best_reach_done = True
            out.append(
                Celebration("best_reach", "Your furthest reach yet", "Your best reach ever!", True)
            )
        if not out and self._bonus_now():
            self.bonus_points += BONUS_POINTS
            words = f"Bonus +{BONUS_POINTS}"
            out.append(Celebration("bonus", words, f"Bonus star! +{BONUS_POINTS}", False))
        self.celebrated.extend(out)
        return out

    def _bonus_now(self) -> bool:
        self._since_bonus += 1
        if self._since_bonus >= BONUS_MAX_GAP or self._rng.random() < BONUS_CHANCE:
            self._since_bonus = 0
            return True
        return False
