"""Frame time of every game at 1280×720 with two pucks streaming, on the SDL dummy driver.

    python -m bench.frame_time          (also part of `make bench`)

Each game plays `PLAY_S` seconds of game time through the real app: the keyboard simulator with
its second (trunk) puck streams both pucks at 100 Hz, a scripted player lifts and lowers the limb
(a rep every ~2.4 s, so rewards, sparkles and confetti are drawn too), and every frame — input,
both pucks read, detector, fixed-step updates, drawing, `display.flip()` — is timed with
`perf_counter`. Game time runs on a ManualClock, so the numbers are CPU cost per frame, not
waiting. The budget at 60 fps is 16.7 ms.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from bench.summary import load_1min, load_note
from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from exercises.games_catalogue import GAME_IDS
from exercises.session_plan import SetPlan
from game.autoplay import key_event, start_player

SIZE = (1280, 720)
PUCK_HZ = 100.0
PLAY_S = 30.0
BUDGET_MS = 1000 / 60
THEMES = ("adult", "child")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(game_id: str, theme_kind: str, play_s: float = PLAY_S) -> dict[str, float]:
    screen = pygame.display.set_mode(SIZE)
    clock = ManualClock()
    sim = KeyboardSimulator(second_puck=True, rate_hz=PUCK_HZ, time_func=clock)
    plan = SetPlan("wrist_extension", reps_per_set=8, sets=3, rest_s=5)
    player = start_player(
        sim, plan, theme_kind=theme_kind, first_scene="game", game_id=game_id, clock=clock
    )
    player.surface = screen
    frames_ms: list[float] = []
    cpu_ms: list[float] = []  # this thread's CPU time: what other programs cannot inflate
    step = 0
    start_s = clock()
    while clock() - start_s < play_s:
        phase = step % 144  # 1.2 s held, 1.2 s released: one rep every 2.4 s
        events = []
        if phase == 0:
            events = [key_event(pygame.K_SPACE, True)]
        elif phase == 72:
            events = [key_event(pygame.K_SPACE, False)]
        start, start_cpu = time.perf_counter(), time.thread_time()
        player.frame(events)
        pygame.display.flip()
        frames_ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.thread_time() - start_cpu) * 1000)
        step += 1
    ctx = player.app.ctx
    return {
        "frames": len(frames_ms),
        "reps": ctx.progress.total_reps,
        "p50_ms": round(statistics.median(frames_ms), 2),
        "p99_ms": round(_percentile(frames_ms, 0.99), 2),
        "max_ms": round(max(frames_ms), 2),
        "cpu_p99_ms": round(_percentile(cpu_ms, 0.99), 2),
        "cpu_max_ms": round(max(cpu_ms), 2),
    }


def run(play_s: float = PLAY_S, game_ids: tuple[str, ...] = GAME_IDS) -> dict[str, Any]:
    load_before = load_1min()
    pygame.init()
    try:
        games = {f"{g}/{t}": measure(g, t, play_s) for g in game_ids for t in THEMES}
    finally:
        pygame.quit()
    worst = max(r["p99_ms"] for r in games.values())
    return {"size": list(SIZE), "pucks": 2, "puck_hz": PUCK_HZ, "play_s": play_s,
            "budget_ms": round(BUDGET_MS, 1), "worst_p99_ms": worst,
            "within_budget": worst <= BUDGET_MS, "load_1min": [load_before, load_1min()],
            "games": games}  # fmt: skip


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Frame time at {result['size'][0]}×{result['size'][1]}, {result['pucks']} pucks "
        f"streaming at {result['puck_hz']:.0f} Hz, SDL dummy driver ({result['play_s']:.0f} s of "
        f"play per game; budget {result['budget_ms']} ms; CPU = this thread's CPU time)",
        "",
        "| game / look | frames | reps | p50 ms | p99 ms | max ms | CPU p99 ms | CPU max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in result["games"].items():
        lines.append(
            f"| {name} | {r['frames']} | {r['reps']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['max_ms']} | {r['cpu_p99_ms']} | {r['cpu_max_ms']} |"
        )
    lines.append(
        f"\nworst p99: {result['worst_p99_ms']} ms (within budget: {result['within_budget']}); "
        f"{load_note(result['load_1min'])}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
