"""Circular movements (pendulum circles, arm or wrist circles, stirring a pot): one turn, one rep.

A circle has no rest end. The tilt from rest stays about the same all the way round, and the
rotation integrated about one axis drifts, so neither shows one clean bump per turn. The gyroscope
shows a circle plainly: its rate vector goes once round an ellipse per turn, always the same way.
So does the orientation it integrates to, and that is the loop followed here: the gyro's rate in
the ellipse's plane, integrated (leakily, so bias cannot drift it) into how far the puck is
turned each way, each axis scaled by its spread so the ellipse reads as a circle. Its phase,
unwrapped and counted in the patient's direction, is the rep feature: each full turn is a rep.
Orientation rather than rate, because a limb that starts from still moves outward first: the rate
vector then turns an extra quarter turn at each start and each stop, while the orientation
spirals out from the centre and its phase is the circle's own.

A movement is taken for a loop only when all of these hold in the learning window, so an
out-and-back movement (which swings to and fro along a line, or round a figure of eight) keeps
the bump counter:
- the rate vector's spread across its second axis is at least `MIN_ROUNDNESS` of the first;
- at least `MIN_ONE_WAY` of the phase travel goes the same way round;
- it turns once per rep period (the period of the whole movement, from its autocorrelation).

Phase only moves while the orientation is well away from the loop's centre (`RADIUS_GATE` of its
spread). Integrating divides a rate by its frequency, so a tremor (4-8 Hz) that is as strong in
rate as the exercise is a small wobble in orientation: a resting, trembling limb never turns the
phase. A turn quicker than the exercise's minimum rep time starts the turn again instead of
counting.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from exercises.detection.calibration import dot_rows, principal_axis, vector3
from exercises.detection.filters import RotationAngle
from exercises.detection.rep_counter import CountedRep

MIN_ROUNDNESS = 0.5
MIN_ONE_WAY = 0.95
MIN_TURNS = 2.0  # a loop must be seen going round at least this often before it is trusted
TURN_RATE_TOLERANCE = 0.3  # turns per period within 1 ± this
RADIUS_GATE = 0.4  # of the normalised loop radius (a circle reads about 1.4)
_HISTORY = 5  # turns remembered for the typical loop size
_FINISH_SHARE = 0.5  # at the end of a stream, a turn this far round counts
_MAX_TURN_SAMPLES = 4096  # rate samples kept for a turn's size (a long pause mid-turn is cut)


@dataclass(frozen=True)
class LoopShape:
    """The loop one turn goes round: the plane of the gyro's rate vector (puck coordinates) and
    the spread of the orientation integrated in it."""

    centre_dps: tuple[float, float, float]  # the mean rate (bias, and any steady turning)
    axis_u: tuple[float, float, float]
    axis_v: tuple[float, float, float]
    leak_s: float  # the orientation forgets over this time (about a rep period)
    spread_u_deg: float = 1.0
    spread_v_deg: float = 1.0
    direction: float = 1.0  # +1 or -1: which way round the patient turns


def find_loop(gyro_dps: np.ndarray, period_s: float | None, rate_hz: float) -> LoopShape | None:
    """The loop the (low-passed) rate vector goes round, or None when the movement is not one."""
    if period_s is None or len(gyro_dps) < 3:
        return None
    centre = gyro_dps.mean(axis=0)
    centred = gyro_dps - centre
    axis_u = principal_axis(gyro_dps)
    rest = centred - np.outer(centred @ axis_u, axis_u)
    axis_v = principal_axis(rest)
    axis_v = axis_v - (axis_v @ axis_u) * axis_u
    if np.linalg.norm(axis_v) < 1e-9:
        return None
    axis_v /= np.linalg.norm(axis_v)
    spread_u = float(np.std(centred @ axis_u))
    if spread_u <= 0 or float(np.std(centred @ axis_v)) < MIN_ROUNDNESS * spread_u:
        return None
    plane = LoopShape(vector3(centre), vector3(axis_u), vector3(axis_v), period_s)
    turned = LoopPhase(plane, rate_hz).orientation_deg(gyro_dps)
    spreads = np.std(turned, axis=0)
    if not np.all(spreads > 0):
        return None
    trial = replace(plane, spread_u_deg=float(spreads[0]), spread_v_deg=float(spreads[1]))
    steps = LoopPhase(trial, rate_hz).steps(gyro_dps)
    travel = float(np.abs(steps).sum())
    turns = float(steps.sum()) / (2 * np.pi)
    if travel <= 0 or abs(turns) < MIN_TURNS:
        return None
    if abs(float(steps.sum())) < (2 * MIN_ONE_WAY - 1) * travel:
        return None  # share one way = (travel + |sum|) / (2 travel)
    moving_s = float(np.count_nonzero(steps)) / rate_hz
    if abs(abs(turns) * period_s / moving_s - 1.0) > TURN_RATE_TOLERANCE:
        return None
    return replace(trial, direction=1.0 if turns > 0 else -1.0)


def loop_size_deg(speed_dps: np.ndarray, turn_s: float) -> float:
    """How far the puck swings across a loop (deg): the rotation between opposite sides of the
    turn. Going round at angular rate `speed` for a turn of `turn_s`, the puck's orientation
    sweeps a circle of radius speed / (2 pi / turn_s), so its diameter is speed * turn_s / pi.
    The gyro measures it whatever the puck's tilt, and arm acceleration does not disturb it."""
    moving = speed_dps[speed_dps > 0]
    return float(np.median(moving)) * turn_s / np.pi if len(moving) else 0.0


class LoopPhase:
    """Streams low-passed gyro blocks into the loop feature: columns of turned angle (deg, grows
    one full turn per rep) and the rate vector's size in the loop's plane (deg/s; 0 where the
    phase is gated off). State carries across blocks."""

    def __init__(self, shape: LoopShape, rate_hz: float) -> None:
        self.shape = shape
        # Leaky, and with drift slower than a few turns taken off (a bias the centre missed).
        self._turn_u = RotationAngle(rate_hz, shape.leak_s, shape.leak_s)
        self._turn_v = RotationAngle(rate_hz, shape.leak_s, shape.leak_s)
        self._previous_phase: float | None = None
        self._turned_rad = 0.0

    def _rate_in_plane(self, gyro_dps: np.ndarray) -> np.ndarray:
        centred = gyro_dps - np.asarray(self.shape.centre_dps)
        return np.column_stack(
            [dot_rows(centred, np.asarray(self.shape.axis_u)),
             dot_rows(centred, np.asarray(self.shape.axis_v))]
        )  # fmt: skip

    def orientation_deg(self, gyro_dps: np.ndarray) -> np.ndarray:
        """(N, 2) how far the puck is turned along the loop's two axes (deg), leakily integrated
        from the rate."""
        return self._orientation(self._rate_in_plane(gyro_dps))

    def _orientation(self, rate: np.ndarray) -> np.ndarray:
        return np.column_stack([self._turn_u(rate[:, 0]), self._turn_v(rate[:, 1])])

    def steps(self, gyro_dps: np.ndarray) -> np.ndarray:
        """Phase change (rad, + in the patient's direction) into each sample; 0 where the
        orientation is too near the loop's centre to say where round the loop it is."""
        return self._steps(self._rate_in_plane(gyro_dps))

    def _steps(self, rate: np.ndarray) -> np.ndarray:
        if len(rate) == 0:
            return np.zeros(0)
        turned = self._orientation(rate)
        u = turned[:, 0] / self.shape.spread_u_deg
        v = turned[:, 1] / self.shape.spread_v_deg
        phase = np.arctan2(v, u)
        before = phase[0] if self._previous_phase is None else self._previous_phase
        self._previous_phase = float(phase[-1])
        step = np.angle(np.exp(1j * np.diff(np.concatenate([[before], phase]))))
        return np.asarray(np.where(np.hypot(u, v) > RADIUS_GATE, step, 0.0) * self.shape.direction)

    def __call__(self, gyro_dps: np.ndarray) -> np.ndarray:
        rate = self._rate_in_plane(gyro_dps)
        steps = self._steps(rate)
        # Summed in sample order from the running total, so the result is the same bit for bit
        # however the stream is cut into blocks.
        turned = np.cumsum(np.concatenate([[self._turned_rad], steps]))[1:]
        if len(turned):
            self._turned_rad = float(turned[-1])
        speed = np.hypot(rate[:, 0], rate[:, 1])
        return np.column_stack([np.degrees(turned), np.where(steps != 0.0, speed, 0.0)])


class LoopCounter:
    """Counts full turns of the loop feature (`LoopPhase` columns). Same face as `RepCounter`:
    `update`, `finish`, `rest_deg`, `top_deg`, `progress`, `period_s`.

    A rep's size is how far the puck swung across the loop (`loop_size_deg`); the typical size
    is the median of the last few turns."""

    def __init__(
        self, size_deg: float, min_rep_s: float, max_rep_s: float, period_s: float | None
    ) -> None:
        self.period_s = period_s
        self._min_rep_s = min_rep_s
        self._max_rep_s = max_rep_s
        self._sizes: deque[float] = deque([size_deg], maxlen=_HISTORY)
        self._start_deg: float | None = None  # turned angle where the current turn began
        self._new_turn()
        self._last: tuple[float, float] | None = None  # (t_s, turned_deg) of the latest sample
        self.progress = 0.0

    def _new_turn(self) -> None:
        self._t_moving: float | None = None  # when the limb first moved in this turn
        self._moving_s = 0.0  # time spent moving in it (a pause mid-turn is not part of it)
        self._t_half: float | None = None
        self._speeds: deque[float] = deque(maxlen=_MAX_TURN_SAMPLES)
        self._peak_speed = 0.0

    @property
    def rest_deg(self) -> float:
        return 0.0

    @property
    def top_deg(self) -> float:
        return float(np.median(self._sizes))

    def update(self, t_s: np.ndarray, feature: np.ndarray) -> list[CountedRep]:
        reps: list[CountedRep] = []
        for t, (turned, speed) in zip(t_s.tolist(), feature.tolist(), strict=True):
            previous_t = t if self._last is None else self._last[0]
            self._last = (t, turned)
            if self._start_deg is None:
                self._start_deg = turned
            if speed > 0:  # the phase moved into this sample
                if self._t_moving is None:
                    self._t_moving = previous_t
                self._moving_s += t - previous_t
                self._speeds.append(speed)
                self._peak_speed = max(self._peak_speed, speed)
            done = turned - self._start_deg
            if self._t_half is None and done >= 180.0:
                self._t_half = t
            if done >= 360.0:
                rep = self._end_turn(t, turned, counted_to=self._start_deg + 360.0)
                if rep is not None:
                    reps.append(rep)
            elif done < 0.0:  # turned back past where the turn began: begin it here
                self._start_deg = turned
                self._new_turn()
            self.progress = min(max((turned - self._start_deg) / 360.0, 0.0), 1.0)
        return reps

    def finish(self) -> list[CountedRep]:
        """End of stream: a turn at least half way round counts (the recording stopped, not the
        patient)."""
        if self._last is None or self._start_deg is None:
            return []
        t, turned = self._last
        if turned - self._start_deg < _FINISH_SHARE * 360.0:
            return []
        rep = self._end_turn(t, turned, counted_to=turned)
        return [] if rep is None else [rep]

    def _end_turn(self, t: float, turned: float, counted_to: float) -> CountedRep | None:
        moving_s = self._moving_s
        t_start = self._t_moving if self._t_moving is not None else t
        t_half = self._t_half if self._t_half is not None else t
        size = loop_size_deg(np.asarray(self._speeds), moving_s)
        speed = self._peak_speed
        self._new_turn()
        if not self._min_rep_s <= moving_s <= self._max_rep_s:
            self._start_deg = turned  # a spin of tremor, or a stall: start the turn again here
            return None
        self._start_deg = counted_to
        self._sizes.append(size)
        return CountedRep(t_start, t_half, t, 0.0, size, self.top_deg, speed)
