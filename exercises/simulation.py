"""The bridge from an exercise's data to the keyboard simulator's limb model."""

from __future__ import annotations

from devices.limb_model import LimbMotion
from exercises.catalogue import Exercise


def limb_motion_for(exercise: Exercise) -> LimbMotion:
    """How the keyboard simulator should move the puck for `exercise`."""
    sim = exercise.sim
    return LimbMotion(
        rest_up=sim.rest_up,
        axis=sim.axis,
        range_deg=exercise.range_deg,
        lever_m=sim.lever_m,
        lever_dir=sim.lever_dir,
    )
