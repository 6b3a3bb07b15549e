"""The screens of the game, by name: the flow refers to scenes by these names only."""

from __future__ import annotations

from game.scene import SceneFactory
from game.scenes.calibration import CalibrationScene
from game.scenes.history import HistoryScene
from game.scenes.intro import IntroScene
from game.scenes.menu import MenuScene
from game.scenes.pucks import PucksScene
from game.scenes.rep_rush import RepRushScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene

SCENES: dict[str, SceneFactory] = {
    "menu": MenuScene,
    "intro": IntroScene,
    "calibration": CalibrationScene,
    "game": RepRushScene,
    "rest": RestScene,
    "results": ResultsScene,
    "history": HistoryScene,
    "pucks": PucksScene,
}

__all__ = ["SCENES"]
