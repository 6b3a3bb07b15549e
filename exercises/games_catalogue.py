"""The games, as data: one list that the plan checker, the menu and `main.py games` all read.

Game ids are fixed (therapist plans name them). A game is unlocked when the patient's total counted
reps reach `unlock_reps`; a therapist's plan or `session --game` may still pick any game.
Adaptation bounds say how far in-session adaptation may move each game's difficulty knob
(`exercises.adaptation`): `easiest` and `hardest` are values of that knob, in its unit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GameInfo:
    id: str
    name: str  # adult name
    child_name: str
    description: str
    trains: str  # what it trains, in plain words
    unlock_reps: int  # total counted reps (all sessions) that unlock it
    knob: str  # what adaptation changes, with its unit
    easiest: float
    hardest: float


GAMES: tuple[GameInfo, ...] = (
    GameInfo(
        "rep_rush", "Rep Rush", "Rep Rush",
        "Every rep fills the counter; a steady pace builds a combo.",
        "repetitions at a steady pace", 0, "none", 0.0, 0.0,
    ),
    GameInfo(
        "target", "Target", "Balloon Pop",
        "Reach the marked height, then come back down.",
        "accuracy of range", 0, "target band half-width, share of range", 0.20, 0.06,
    ),
    GameInfo(
        "garden", "Garden", "Magic Garden",
        "Every rep helps the garden grow; it keeps growing from one day to the next.",
        "many reps, day after day", 0, "none", 0.0, 0.0,
    ),
    GameInfo(
        "glide", "Glide", "Bird Flight",
        "Your arm's height steers through the gates: up to rise, down to sink.",
        "range and control", 60, "gate opening, share of range", 0.55, 0.25,
    ),
    GameInfo(
        "rhythm", "Rhythm", "Moon Dance",
        "Move with the slow beat: out and back on each beat.",
        "steady, unhurried movement", 150, "seconds per rep", 5.0, 2.5,
    ),
)  # fmt: skip

GAME_IDS: tuple[str, ...] = tuple(g.id for g in GAMES)
DEFAULT_GAME = "rep_rush"


class GameError(ValueError):
    """An unknown game id; the message lists the ids there are."""


def get_game(game_id: str) -> GameInfo:
    for game in GAMES:
        if game.id == game_id:
            return game
    raise GameError(f"game '{game_id}' is not one of: {', '.join(GAME_IDS)}")


def unlocked(game: GameInfo, total_reps: int) -> bool:
    return total_reps >= game.unlock_reps
