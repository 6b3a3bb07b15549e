"""The bridge from an exercise's data to the keyboard simulator's limb model."""

from __future__ import annotations

from devices.limb_model import LimbMotion
from exercises.catalogue import TAP_FEATURES, Exercise, SimulatorPose


def _motion(pose: SimulatorPose, range_deg: float) -> LimbMotion:
    return LimbMotion(
        rest_up=pose.rest_up,
        axis=pose.axis,
        range_deg=range_deg,
        lever_m=pose.lever_m,
        lever_dir=pose.lever_dir,
        tap_g=pose.tap_g,
        tap_on_release=pose.tap_on_release,
    )


def limb_motion_for(exercise: Exercise) -> LimbMotion:
    """How the keyboard simulator should move the puck for `exercise`.

    A tap exercise's range is in g, not degrees: its puck does not turn, it is knocked.
    """
    tapped = exercise.feature in TAP_FEATURES
    return _motion(exercise.sim, 0.0 if tapped else exercise.range_deg)


def partner_motion_for(exercise: Exercise) -> LimbMotion | None:
    """How the simulator moves the second puck when it is part of the movement, else None."""
    if exercise.sim_partner is None or not exercise.partner_moves:
        return None
    tapped = exercise.feature in TAP_FEATURES
    return _motion(exercise.sim_partner, 0.0 if tapped else exercise.range_deg)
