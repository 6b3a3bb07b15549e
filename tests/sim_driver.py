"""Drives a KeyboardSimulator with synthetic key presses on a fake clock, like a person would."""

from __future__ import annotations

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.limb_model import HEALTHY, MovementProfile
from devices.samples import SampleBlock
from exercises.catalogue import Exercise
from exercises.simulation import limb_motion_for, partner_motion_for

FRAME_S = 1 / 60


def press_reps(
    exercise: Exercise,
    presses: int,
    hold_s: float = 1.0,
    release_s: float = 1.4,
    profile: MovementProfile = HEALTHY,
    lead_in_s: float = 1.0,
    seed: int = 0,
) -> list[SampleBlock]:
    """Blocks a game would read at 60 fps while a person presses the move key `presses` times."""
    clock = ManualClock()
    two = exercise.pucks == 2
    sim = KeyboardSimulator(profile=profile, second_puck=two, seed=seed, time_func=clock)
    sim.set_motion(limb_motion_for(exercise), partner_motion_for(exercise))
    sim.start()
    blocks: list[SampleBlock] = []

    def run_for(duration_s: float) -> None:
        for _ in range(round(duration_s / FRAME_S)):
            clock.advance(FRAME_S)
            blocks.extend(sim.read())

    run_for(lead_in_s)
    for _ in range(presses):
        sim.set_held(True)
        run_for(hold_s)
        sim.set_held(False)
        run_for(release_s)
    run_for(1.0)
    return blocks
