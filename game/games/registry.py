"""Game id → scene. The scene registry's "game" builds `GAME_SCENES[ctx.game_id]`, so the flow
(calibration → game → rest with the fatigue check → game …) is the same for every game.
"""

from __future__ import annotations

from game.games.garden import GardenScene
from game.games.glide import GlideScene
from game.games.rhythm import RhythmScene
from game.games.target import TargetScene
from game.scene import SceneFactory
from game.scenes.rep_rush import RepRushScene

GAME_SCENES: dict[str, SceneFactory] = {
    "rep_rush": RepRushScene,
    "glide": GlideScene,
    "rhythm": RhythmScene,
    "garden": GardenScene,
    "target": TargetScene,
}
