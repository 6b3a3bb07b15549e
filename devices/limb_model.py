"""A simulated limb segment carrying a puck: what an accelerometer on it would read.

Pure maths, no clock and no keys: the keyboard simulator (and tests) drive it with a held/released
effort signal, and it returns gravity in the puck frame, the linear acceleration of the movement,
sensor noise and a little physiological tremor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRAVITY_M_S2 = 9.80665


@dataclass(frozen=True)
class LimbMotion:
    """How the puck turns during one exercise's movement, in the puck frame.

    `rest_up` is the accelerometer reading at rest (the "up" direction in puck axes, unit vector);
    the puck turns about `axis` (puck axes) by up to `range_deg`, sitting `lever_m` from the joint
    along `lever_dir` (puck axes, pointing from the joint to the puck).
    """

    rest_up: tuple[float, float, float] = (0.0, 0.0, 1.0)
    axis: tuple[float, float, float] = (1.0, 0.0, 0.0)
    range_deg: float = 60.0
    lever_m: float = 0.15
    lever_dir: tuple[float, float, float] = (0.0, 1.0, 0.0)
    # A tap exercise: pressing the key knocks the puck (a short push into its face, this many g)
    # instead of turning it; `tap_on_release` knocks when the key is let go (a partner puck).
    tap_g: float = 0.0
    tap_on_release: bool = False


@dataclass(frozen=True)
class MovementProfile:
    """Who is moving: pace, share of the range they reach, jerkiness and tremor."""

    name: str
    move_time_s: float  # rest to the top of the reachable range
    range_fraction: float
    jerk: float  # 0 smooth .. 1 very jerky (velocity modulated)
    tremor_g: float
    noise_g: float = 0.01


HEALTHY = MovementProfile("typical", move_time_s=0.8, range_fraction=1.0, jerk=0.0, tremor_g=0.003)
IMPAIRED = MovementProfile("impaired", move_time_s=1.6, range_fraction=0.5, jerk=0.5, tremor_g=0.01)
PROFILES = {p.name: p for p in (HEALTHY, IMPAIRED)}

# Second-order smoothing of the rate-limited position: muscles do not change speed instantly.
_SMOOTHING_TAU_S = 0.12
_TREMOR_HZ = 5.5
_TAP_S = 0.08  # a finger's knock on a puck lasts a few tens of milliseconds


def rotate(vectors: np.ndarray, axis: np.ndarray, angles_rad: np.ndarray) -> np.ndarray:
    """Rodrigues rotation of each row of `vectors` about unit `axis` by `angles_rad`."""
    cos = np.cos(angles_rad)[:, None]
    sin = np.sin(angles_rad)[:, None]
    v = np.broadcast_to(vectors, (len(angles_rad), 3))
    cross = np.cross(axis, v)
    dot = (v @ axis)[:, None]
    return v * cos + cross * sin + axis * dot * (1.0 - cos)


def _unit(v: tuple[float, float, float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    return a / np.linalg.norm(a)


class LimbSimulation:
    """Integrates the limb position from an effort signal, one sample period at a time."""

    def __init__(
        self,
        motion: LimbMotion,
        profile: MovementProfile = HEALTHY,
        rate_hz: float = 50.0,
        seed: int = 0,
    ) -> None:
        self.motion = motion
        self.profile = profile
        self.dt_s = 1.0 / rate_hz
        self._rng = np.random.default_rng(seed)
        self._target = 0.0  # rate-limited position, fraction of the range
        self._pos = 0.0  # smoothed position
        self._vel = 0.0  # d(pos)/dt, fraction per second
        self._t_s = 0.0
        self._tremor_phase = float(self._rng.uniform(0, 2 * np.pi))
        self._jerk_phase = float(self._rng.uniform(0, 2 * np.pi))
        self._was_held = False
        self._tap_t_s: float | None = None  # time since the current knock began

    @property
    def position(self) -> float:
        """Where the limb is, as a fraction of the exercise's full range (0 rest)."""
        return self._pos

    def step(self, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Advance one sample per entry of `held`; return (accel_g (N, 3), gyro_dps (N, 3))."""
        n = len(held)
        pos = np.empty(n)
        vel = np.empty(n)
        acc = np.empty(n)
        speed = self.profile.range_fraction / self.profile.move_time_s
        omega = 1.0 / _SMOOTHING_TAU_S
        tap = np.zeros(n)
        for i in range(n):
            if self.motion.tap_g > 0:
                tap[i] = self._tap(bool(held[i]))
            goal = self.profile.range_fraction if held[i] else 0.0
            # Jerky movers speed up and hesitate at ~2 Hz instead of gliding.
            wobble = 1.0 + self.profile.jerk * np.sin(
                2 * np.pi * 2.0 * self._t_s + self._jerk_phase
            )
            step = speed * max(wobble, 0.05) * self.dt_s
            self._target += float(np.clip(goal - self._target, -step, step))
            # Critically damped follower of the rate-limited target.
            a = omega * omega * (self._target - self._pos) - 2.0 * omega * self._vel
            self._vel += a * self.dt_s
            self._pos += self._vel * self.dt_s
            self._t_s += self.dt_s
            pos[i], vel[i], acc[i] = self._pos, self._vel, a
        accel, gyro = self._sensor_readings(pos, vel, acc)
        if self.motion.tap_g > 0:  # the knock pushes the puck into the table: along -z
            accel[:, 2] -= tap
        return accel, gyro

    def _tap(self, held: bool) -> float:
        """The knock's acceleration (g) for one sample: a half-sine starting on the key edge."""
        pressed, released = held and not self._was_held, self._was_held and not held
        if released if self.motion.tap_on_release else pressed:
            self._tap_t_s = 0.0
        self._was_held = held
        if self._tap_t_s is None or self._tap_t_s >= _TAP_S:
            return 0.0
        value = self.motion.tap_g * float(np.sin(np.pi * (self._tap_t_s + self.dt_s) / _TAP_S))
        self._tap_t_s += self.dt_s
        return max(value, 0.0)

    def _sensor_readings(
        self, pos: np.ndarray, vel: np.ndarray, acc: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        m = self.motion
        axis = _unit(m.axis)
        range_rad = np.deg2rad(m.range_deg)
        angle = pos * range_rad
        # The puck turns by +angle, so the fixed "up" direction turns by -angle in puck axes.
        up = rotate(_unit(m.rest_up), axis, -angle)
        lever = rotate(_unit(m.lever_dir), axis, -angle)
        tangential = np.cross(axis, lever)
        ang_vel = vel * range_rad
        ang_acc = acc * range_rad
        linear_g = (
            m.lever_m * ang_acc[:, None] * tangential - m.lever_m * (ang_vel**2)[:, None] * lever
        ) / GRAVITY_M_S2
        n = len(pos)
        t = self._t_s - self.dt_s * np.arange(n - 1, -1, -1)
        tremor = self.profile.tremor_g * np.sin(2 * np.pi * _TREMOR_HZ * t + self._tremor_phase)
        accel = up + linear_g + tremor[:, None] * np.array([0.6, 0.3, 0.74])
        accel += self._rng.normal(0.0, self.profile.noise_g, size=(n, 3))
        gyro = np.rad2deg(ang_vel)[:, None] * axis + self._rng.normal(0.0, 0.5, size=(n, 3))
        return accel, gyro
