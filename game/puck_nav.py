"""Menus with the puck alone: tilt to move the focus, hold still to choose, tap to choose at once,
and a long hold to stop — built once here, so every screen gets it (UX.md 1).

It reads the puck's gravity direction, not the rep detector, so it works before calibration and
whatever the exercise. A tilt away from the rest pose by more than `TILT_ON_DEG`, held for
`TILT_HOLD_S`, and back is one "next" (a quick swing, such as a rep made while resting, is not).
After a "next", holding still for `DWELL_S` chooses the focused item (a puck lying untouched never
chooses anything). A sharp knock chooses at once. Holding a tilt for `LONG_HOLD_S` (`GAME_HOLD_S`
in a game, where holding is part of a slow rep) stops, like Esc. The app turns these into the
same `ActionEvent`s as the keys; scenes never know.
"""

from __future__ import annotations

import math

import numpy as np

from devices.samples import SampleBlock
from game.actions import Action

TILT_ON_DEG = 25.0
TILT_OFF_DEG = 12.0
TILT_HOLD_S = 0.8  # a "next" is a tilt held this long: quicker swings (reps made while resting)
DWELL_S = 3.0
LONG_HOLD_S = 6.0
GAME_HOLD_S = 8.0
TAP_G = 0.8  # a knock: |acceleration| leaves 1 g by this much for a moment
TAP_REFRACTORY_S = 1.0
LOWPASS_S = 0.1  # time constant of the gravity estimate
REST_LEARN_S = 0.3
RELEARN_S = 30.0  # tilted this long without coming back: the puck was put down another way


class PuckNavigator:
    """Turns one puck's samples into UP/DOWN/SELECT/STOP actions. `update()` per block."""

    def __init__(self) -> None:
        self.in_game = False  # set by the app: in a game only the long hold acts
        self.rest: np.ndarray | None = None
        self.angle_deg = 0.0
        self._g: np.ndarray | None = None
        self._t0_s: float | None = None
        self._t_s = 0.0
        self._tilt_since_s: float | None = None
        self._hold_fired = False
        self._armed_since_s: float | None = None
        self._last_tap_s = -1e9
        self._actions: list[Action] = []

    @property
    def dwell_fraction(self) -> float:
        """How far the hold-still-to-choose timer has run (0 when not armed)."""
        if self._armed_since_s is None or self.in_game:
            return 0.0
        return min(1.0, (self._t_s - self._armed_since_s) / DWELL_S)

    @property
    def hold_fraction(self) -> float:
        """How far the long-hold-to-stop timer has run (0 when not tilted)."""
        if self._tilt_since_s is None or self._hold_fired:
            return 0.0
        limit_s = GAME_HOLD_S if self.in_game else LONG_HOLD_S
        return min(1.0, (self._t_s - self._tilt_since_s) / limit_s)

    def take_actions(self) -> list[Action]:
        """Actions found since the last call."""
        out, self._actions = self._actions, []
        return out

    def update(self, block: SampleBlock) -> None:
        for t_s, accel in zip(block.t_s, np.asarray(block.accel_g, dtype=float), strict=True):
            self._sample(float(t_s), accel)

    def _sample(self, t_s: float, accel: np.ndarray) -> None:
        dt_s = 0.0 if self._t0_s is None else max(0.0, t_s - self._t_s)
        if self._t0_s is None:
            self._t0_s = t_s
        self._t_s = t_s
        magnitude = float(np.linalg.norm(accel))
        if magnitude < 1e-6:
            return
        if abs(magnitude - 1.0) > TAP_G and t_s - self._last_tap_s > TAP_REFRACTORY_S:
            self._last_tap_s = t_s
            if not self.in_game:
                self._actions.append(Action.SELECT)
                self._armed_since_s = None
            return
        alpha = 1.0 if self._g is None else min(1.0, dt_s / LOWPASS_S)
        self._g = accel if self._g is None else self._g + alpha * (accel - self._g)
        direction = self._g / max(float(np.linalg.norm(self._g)), 1e-9)
        if self.rest is None:
            if t_s - self._t0_s >= REST_LEARN_S:
                self.rest = direction
            return
        cos = float(np.clip(np.dot(direction, self.rest), -1.0, 1.0))
        self.angle_deg = math.degrees(math.acos(cos))
        self._track_tilt(t_s, direction)

    def _track_tilt(self, t_s: float, direction: np.ndarray) -> None:
        assert self.rest is not None
        if self._tilt_since_s is None:
            if self.angle_deg > TILT_ON_DEG:
                self._tilt_since_s = t_s
                self._hold_fired = False
                self._armed_since_s = None
            else:
                rest = self.rest + 0.002 * (direction - self.rest)  # follow slow drift at rest
                self.rest = rest / np.linalg.norm(rest)
                armed = self._armed_since_s
                if armed is not None and not self.in_game and t_s - armed >= DWELL_S:
                    self._actions.append(Action.SELECT)
                    self._armed_since_s = None
            return
        held_s = t_s - self._tilt_since_s
        limit_s = GAME_HOLD_S if self.in_game else LONG_HOLD_S
        if not self._hold_fired and held_s >= limit_s:
            self._actions.append(Action.STOP)
            self._hold_fired = True
        if self.angle_deg < TILT_OFF_DEG:
            if not self._hold_fired and not self.in_game and held_s >= TILT_HOLD_S:
                self._actions.append(Action.DOWN)
                self._armed_since_s = t_s
            self._tilt_since_s = None
        elif held_s >= RELEARN_S:
            self.rest = direction  # put down in a new pose: that is the new rest
            self._tilt_since_s = None
