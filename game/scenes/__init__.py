"""The screens of the game, by name: the flow refers to scenes by these names only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.scene import Scene, SceneFactory
from game.scenes.calibration import CalibrationScene
from game.scenes.history import HistoryScene
from game.scenes.intro import IntroScene
from game.scenes.menu import MenuScene
from game.scenes.profile import FirstRunScene, ProfilesScene
from game.scenes.pucks import PucksScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.scenes.therapist import TherapistScene
from game.scenes.therapist_pin import TherapistPinScene

if TYPE_CHECKING:
    from game.context import SessionContext


def game_scene(ctx: SessionContext) -> Scene:
    """The game chosen for this session (`ctx.game_id`): every game is the flow's "game"."""
    from game.games.registry import GAME_SCENES  # the games import scenes' helpers: load late

    return GAME_SCENES[ctx.game_id](ctx)


SCENES: dict[str, SceneFactory] = {
    "menu": MenuScene,
    "intro": IntroScene,
    "calibration": CalibrationScene,
    "game": game_scene,
    "rest": RestScene,
    "results": ResultsScene,
    "history": HistoryScene,
    "pucks": PucksScene,
    "first_run": FirstRunScene,
    "profiles": ProfilesScene,
    "therapist_pin": TherapistPinScene,
    "therapist": TherapistScene,
}

__all__ = ["SCENES"]
