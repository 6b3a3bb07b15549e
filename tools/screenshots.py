"""Save PNGs of every screen, played through the real game with a scripted player.

    python tools/screenshots.py [FOLDER]        (default: shots/ in the temp folder)

Works headless (SDL_VIDEODRIVER=dummy) and under a real X server (xvfb-run). The keyboard
simulator and the real detector make the reps, on a fake clock so it takes seconds, not minutes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from exercises.games_catalogue import GAME_IDS
from exercises.session_plan import SetPlan
from game.app import App, make_context
from game.autoplay import AutoPlayer, key_event, start_player
from game.rewards import RewardBook, Rewards
from game.sound import Sound
from game.theme import THEME_KINDS


def _player(size: tuple[int, int], exercise_id: str, theme_kind: str = "adult") -> AutoPlayer:
    clock = ManualClock()
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    plan = SetPlan(exercise_id, reps_per_set=10, sets=3, rest_s=60)
    ctx = make_context(sim, plan, size, theme_kind, Sound())
    app = App(ctx, time_func=clock)
    return AutoPlayer(app, clock, pygame.display.get_surface())


def _save(player: AutoPlayer, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    pygame.image.save(player.surface, str(path))
    pygame.display.flip()
    print(path)


def shoot_flow(folder: Path, exercise_id: str, theme_kind: str, prefix: str = "") -> None:
    """Menu → intro → calibration → game → set done → rest → results, saving each screen."""
    pygame.display.set_mode((1280, 720))
    p = _player((1280, 720), exercise_id, theme_kind)
    ctx = p.app.ctx
    p.frame()
    _save(p, folder, f"{prefix}menu")
    p.press(pygame.K_SPACE)  # Start
    p.wait(7.4)  # the demo plays once, then the prompt; 7.4 s shows the arm near the top
    _save(p, folder, f"{prefix}intro")
    p.press(pygame.K_SPACE)
    p.wait(3.2)
    p.rep()
    p.frame([])
    p.hold(pygame.K_SPACE, 0.5)
    p.frame([key_event(pygame.K_SPACE, True)])
    p.wait(0.3)
    _save(p, folder, f"{prefix}calibration")
    p.frame([key_event(pygame.K_SPACE, False)])
    p.until(lambda: type(p.app.scene).__name__ == "RepRushScene", 40)
    while ctx.progress.reps_in_set < 6:
        p.rep()
    p.hold(pygame.K_SPACE, 1.2)
    p.until(lambda: ctx.progress.reps_in_set >= 7, 5)
    p.wait(0.1)
    _save(p, folder, f"{prefix}game")
    while not ctx.progress.resting:
        p.rep()
    p.wait(0.6)
    _save(p, folder, f"{prefix}set_done")
    p.until(lambda: type(p.app.scene).__name__ == "RestScene", 10)
    p.wait(15.2)
    _save(p, folder, f"{prefix}rest")
    p.press(pygame.K_SPACE)
    for _ in range(4):
        p.rep()
    p.press(pygame.K_ESCAPE)
    p.wait(0.2)
    _save(p, folder, f"{prefix}results")


def shoot_games(folder: Path) -> None:
    """Every game in both looks, mid-set (after a few reps, limb half raised), and a rest."""
    pygame.display.set_mode((1280, 720))
    for game_id in GAME_IDS:
        for theme_kind in THEME_KINDS:
            plan = SetPlan("shoulder_flexion", reps_per_set=8, sets=2, rest_s=30)
            p = start_player(plan=plan, theme_kind=theme_kind, first_scene="game", game_id=game_id)
            p.surface = pygame.display.get_surface()
            for _ in range(5):
                p.rep()
            p.hold(pygame.K_SPACE, 0.6)
            p.frame([key_event(pygame.K_SPACE, True)])
            p.wait(0.35)
            _save(p, folder, f"game_{game_id}_{theme_kind}")
    p.frame([key_event(pygame.K_SPACE, False)])
    ctx = p.app.ctx
    for theme_kind in THEME_KINDS:  # a garden after weeks of reps: flowers, pond, blossom trees
        plan = SetPlan("shoulder_flexion", reps_per_set=8, sets=2, rest_s=30)
        g = start_player(plan=plan, theme_kind=theme_kind, first_scene="game", game_id="garden")
        g.surface = pygame.display.get_surface()
        g.app.ctx.rewards = Rewards(RewardBook(total_reps=745), "garden", "shoulder_flexion")
        g.app.ctx.scenes.go("game")
        for _ in range(3):
            g.rep()
        g.hold(pygame.K_SPACE, 0.9)
        _save(g, folder, f"game_garden_745_reps_{theme_kind}")
    while not ctx.progress.resting:
        p.rep()
    p.until(lambda: type(p.app.scene).__name__ == "RestScene", 10)
    p.wait(3.0)
    _save(p, folder, "child_rest_fatigue_check")


def shoot_menu(folder: Path, size: tuple[int, int], name: str) -> None:
    pygame.display.set_mode(size)
    p = _player(size, "wrist_extension")
    p.frame()
    _save(p, folder, name)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(tempfile.gettempdir()) / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    pygame.init()
    try:
        shoot_flow(folder, "wrist_extension", "adult")
        shoot_flow(folder, "elbow_flexion", "child", prefix="child_")
        shoot_menu(folder, (1920, 1080), "menu_1080p")
        shoot_games(folder)
    finally:
        pygame.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
