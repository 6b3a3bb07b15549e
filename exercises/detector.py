"""The streaming rep detector: `SampleBlock`s in, `RepEvent`s and a live `progress` out.

Pipeline per puck: low-pass the accelerometer (state carried across blocks) → unit gravity
direction → a 1-D feature angle (tilt in the movement plane, or the gyro's integrated rotation when
that is the clearer signal) → the hysteresis `RepCounter`.

Until it has a calibration the detector learns one from the patient's first movements. The samples
it learned from are then counted too: the patient's first reps are real reps. Learning happens at
fixed points of *signal* time, so the same input gives the same reps however it is chunked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from devices.samples import SampleBlock
from exercises.calibration import (
    FEATURE_GYRO,
    FEATURE_TILT,
    Calibration,
    ac_at,
    autocorrelation,
    dominant_period,
    dot_rows,
    gyro_axis,
    learn_gyro,
    learn_tilt,
    tilt_angle_deg,
    unit_rows,
)
from exercises.catalogue import Exercise
from exercises.events import FLAG_PARTIAL, FLAG_TOO_FAST, RepEvent
from exercises.filters import LeakyIntegrator, StreamingLowPass
from exercises.rep_counter import CountedRep, CounterSettings, RepCounter


@dataclass(frozen=True)
class DetectorSettings:
    lowpass_hz: float = 3.0  # human movement lives below ~3 Hz; tremor (4-8 Hz) and knocks above
    gyro_leak_s: float = 8.0  # the integrated gyro angle forgets its bias over this time
    learn_min_s: float = 6.0  # signal time before the first attempt to learn
    learn_step_s: float = 2.0  # later attempts, every this much signal time
    learn_window_s: float = 30.0  # learn from at most this much recent signal
    min_learn_fraction: float = 0.2  # a movement smaller than this share of the exercise's range
    target_fraction: float = 0.8  # the target is this share of the comfortable range
    max_period_s: float = 12.0  # slowest rep rhythm looked for while learning
    min_periodicity: float = 0.3  # autocorrelation needed to trust the learned rep period
    learn_patience_s: float = 20.0  # until then, wait for a clear rep rhythm before learning


class RepDetector:
    """Counts one exercise's reps from one puck. `update()` per block; `finish()` at the end."""

    def __init__(
        self,
        exercise: Exercise,
        rate_hz: float = 50.0,
        calibration: Calibration | None = None,
        settings: DetectorSettings | None = None,
        counter_settings: CounterSettings | None = None,
    ) -> None:
        if not rate_hz > 0:
            raise ValueError(f"rate_hz must be > 0, got {rate_hz}")
        self.exercise = exercise
        self.rate_hz = rate_hz
        self.settings = settings or DetectorSettings()
        self.counter_settings = counter_settings or CounterSettings(max_rep_s=exercise.max_rep_s)
        self._initial_calibration = calibration
        self.reset()

    def reset(self) -> None:
        """Forget everything but the constructor's arguments (a calibration given there stays)."""
        s = self.settings
        self._lowpass = StreamingLowPass(s.lowpass_hz, self.rate_hz)
        self._integrator = LeakyIntegrator(self.rate_hz, s.gyro_leak_s)
        self._calibration: Calibration | None = None
        self._counter: RepCounter | None = None
        self._buffer: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self._next_learn_t_s: float | None = None
        self._first_up: np.ndarray | None = None
        self._angle_deg = 0.0
        self._progress = 0.0
        self._reps = 0
        if self._initial_calibration is not None:
            self._use(self._initial_calibration)

    # --- results -------------------------------------------------------------------------------
    @property
    def calibration(self) -> Calibration | None:
        """The movement model in use; None while still learning it."""
        return self._calibration

    @property
    def learning(self) -> bool:
        return self._calibration is None

    @property
    def progress(self) -> float:
        """Where the limb is in the comfortable range, 0 (rest) to 1 (top). Games steer by it."""
        return self._progress

    @property
    def angle_deg(self) -> float:
        """The latest feature angle from rest, in degrees."""
        return self._angle_deg

    @property
    def reps(self) -> int:
        return self._reps

    @property
    def target_deg(self) -> float:
        """The range a rep should reach, degrees from rest (before calibration: the default)."""
        if self._counter is None:
            return self.exercise.range_deg * self.settings.target_fraction
        span = max(
            self._counter.top_deg - self._counter.rest_deg, self.counter_settings.min_range_deg
        )
        return span * self.settings.target_fraction

    # --- input ---------------------------------------------------------------------------------
    def update(self, block: SampleBlock) -> list[RepEvent]:
        up = unit_rows(self._lowpass(np.asarray(block.accel_g, dtype=np.float64)))
        gyro = None if block.gyro_dps is None else np.asarray(block.gyro_dps, dtype=np.float64)
        t_s = np.asarray(block.t_s, dtype=np.float64)
        if self._calibration is not None:
            return self._count(block.puck_id, t_s, up, gyro)
        return self._learn_then_count(block.puck_id, t_s, up, gyro)

    def finish(self) -> list[RepEvent]:
        """End of stream: if still learning, learn from what there is and count it. A rep on its
        way back when the stream stops counts."""
        if self._calibration is None:
            if not self._buffer:
                return []
            events = self._try_learn(self._puck_id, final=True)
        else:
            events = []
        if self._counter is None:
            return events
        return events + self._dress(self._puck_id, self._counter.finish())

    # --- learning ------------------------------------------------------------------------------
    def _learn_then_count(
        self, puck_id: str, t_s: np.ndarray, up: np.ndarray, gyro: np.ndarray | None
    ) -> list[RepEvent]:
        self._puck_id = puck_id
        if self._first_up is None:
            self._first_up = up[0].copy()
            self._next_learn_t_s = float(t_s[0]) + self.settings.learn_min_s
        first_up = self._first_up
        tilt_from_start = np.degrees(np.arccos(np.clip(up[-1] @ first_up, -1.0, 1.0)))
        self._angle_deg = float(tilt_from_start)
        self._progress = float(min(tilt_from_start / self.exercise.range_deg, 1.0))
        events: list[RepEvent] = []
        start = 0
        while start < len(t_s):
            assert self._next_learn_t_s is not None
            split = start + int(np.searchsorted(t_s[start:], self._next_learn_t_s, "left"))
            if split > start:
                g = None if gyro is None else gyro[start:split]
                self._buffer.append((t_s[start:split], up[start:split], g))
            if split >= len(t_s):
                break
            events += self._try_learn(puck_id, final=False)
            start = split
            if self._calibration is not None:
                g = None if gyro is None else gyro[start:]
                events += self._count(puck_id, t_s[start:], up[start:], g)
                break
            self._next_learn_t_s += self.settings.learn_step_s
        return events

    def _try_learn(self, puck_id: str, final: bool) -> list[RepEvent]:
        t_s = np.concatenate([b[0] for b in self._buffer])
        up = np.concatenate([b[1] for b in self._buffer])
        has_gyro = all(b[2] is not None for b in self._buffer)
        gyro = np.concatenate([b[2] for b in self._buffer]) if has_gyro else None
        calibration, gyro_angle = self._learn(up, gyro)
        min_range = max(
            self.counter_settings.min_range_deg,
            self.settings.min_learn_fraction * self.exercise.range_deg,
        )
        if calibration.range_deg >= min_range:
            counter = self._new_counter(calibration)
            angle = self._feature(calibration, up, gyro_angle)
            rhythm = (
                calibration.period_s is not None
                or t_s[-1] - t_s[0] >= self.settings.learn_patience_s
            )
            if final or (rhythm and counter.update(t_s, angle)):
                # Learned: replay the buffer through the live pipeline so its reps count.
                self._use(calibration)
                self._buffer = []
                if calibration.feature == FEATURE_GYRO:
                    assert gyro is not None
                    self._integrator.reset()
                    angle = self._integrator(dot_rows(gyro, np.asarray(calibration.move_dir)))
                return self._dress(puck_id, self._run_counter(t_s, angle))
        # Keep only a recent window: old stillness teaches nothing about the movement.
        keep_from = t_s[-1] - self.settings.learn_window_s
        if t_s[0] < keep_from:
            keep = t_s >= keep_from
            self._buffer = [(t_s[keep], up[keep], None if gyro is None else gyro[keep])]
        return []

    def _learn(
        self, up: np.ndarray, gyro: np.ndarray | None
    ) -> tuple[Calibration, np.ndarray | None]:
        tilt = learn_tilt(up, self.rate_hz)
        tilt_angle = self._feature(tilt, up, None)
        use_gyro = gyro is not None and self.exercise.feature == "auto"
        # The rep period is when the whole movement repeats: the gravity direction and the
        # rotation together. One feature alone can repeat twice per rep (a double bump).
        whole = autocorrelation(up)
        if use_gyro and gyro is not None:
            whole = 0.5 * (whole + autocorrelation(gyro))
        min_period_s = 2 * self.counter_settings.min_rep_s
        period_s, score = dominant_period(
            whole, self.rate_hz, min_period_s, self.settings.max_period_s
        )
        if period_s is None or score < self.settings.min_periodicity:
            period_s = None
        tilt = replace(tilt, period_s=period_s)
        if not use_gyro:
            return tilt, None
        assert gyro is not None
        axis = gyro_axis(gyro)
        gyro_angle = LeakyIntegrator(self.rate_hz, self.settings.gyro_leak_s)(gyro @ axis)
        spin = replace(learn_gyro(gyro_angle, axis, self.rate_hz), period_s=period_s)
        if self._clarity(gyro_angle, period_s) > self._clarity(tilt_angle, period_s):
            signed = gyro_angle if spin.move_dir == tuple(axis) else -gyro_angle
            return spin, signed
        return tilt, None

    def _clarity(self, angle: np.ndarray, period_s: float | None) -> float:
        """How well one feature shows the rep rhythm (its autocorrelation at the rep period)."""
        ac = autocorrelation(angle)
        if period_s is None:
            min_period_s = 2 * self.counter_settings.min_rep_s
            return dominant_period(ac, self.rate_hz, min_period_s, self.settings.max_period_s)[1]
        return ac_at(ac, period_s, self.rate_hz)

    def _new_counter(self, calibration: Calibration) -> RepCounter:
        return RepCounter(
            calibration.rest_deg, calibration.top_deg, self.counter_settings, calibration.period_s
        )

    def _use(self, calibration: Calibration) -> None:
        self._calibration = calibration
        self._counter = self._new_counter(calibration)
        self._ref = np.asarray(calibration.ref_dir)
        self._move = np.asarray(calibration.move_dir)

    # --- counting ------------------------------------------------------------------------------
    def _feature(
        self, calibration: Calibration, up: np.ndarray, gyro_angle: np.ndarray | None
    ) -> np.ndarray:
        if calibration.feature == FEATURE_TILT:
            ref, move = np.asarray(calibration.ref_dir), np.asarray(calibration.move_dir)
            return tilt_angle_deg(up, ref, move, _centre_deg(calibration))
        assert gyro_angle is not None
        return gyro_angle

    def _count(
        self, puck_id: str, t_s: np.ndarray, up: np.ndarray, gyro: np.ndarray | None
    ) -> list[RepEvent]:
        assert self._calibration is not None
        if self._calibration.feature == FEATURE_TILT:
            angle = tilt_angle_deg(up, self._ref, self._move, _centre_deg(self._calibration))
        else:
            if gyro is None:
                raise ValueError("this calibration uses the gyroscope, but the block has no gyro")
            angle = self._integrator(dot_rows(gyro, self._move))
        return self._dress(puck_id, self._run_counter(t_s, angle))

    def _run_counter(self, t_s: np.ndarray, angle: np.ndarray) -> list[CountedRep]:
        assert self._counter is not None
        reps = self._counter.update(t_s, angle)
        self._angle_deg = float(angle[-1] - self._counter.rest_deg)
        self._progress = self._counter.progress
        return reps

    def _dress(self, puck_id: str, reps: list[CountedRep]) -> list[RepEvent]:
        events = []
        for rep in reps:
            range_deg = rep.peak_deg - rep.rest_deg
            target = max(rep.top_deg - rep.rest_deg, self.counter_settings.min_range_deg)
            fraction = range_deg / (target * self.settings.target_fraction)
            flags = []
            if rep.t_end_s - rep.t_start_s < self.exercise.min_rep_s:
                flags.append(FLAG_TOO_FAST)
            if fraction < 1.0:
                flags.append(FLAG_PARTIAL)
            events.append(
                RepEvent(
                    exercise_id=self.exercise.id,
                    puck_id=puck_id,
                    t_start_s=rep.t_start_s,
                    t_peak_s=rep.t_peak_s,
                    t_end_s=rep.t_end_s,
                    range_deg=range_deg,
                    range_fraction=fraction,
                    peak_speed_dps=rep.peak_speed_dps,
                    flags=tuple(flags),
                )
            )
        self._reps += len(events)
        return events


def _centre_deg(calibration: Calibration) -> float:
    """Mid-range of a tilt calibration: the tilt angle wraps half a turn away from it."""
    return 0.5 * (calibration.rest_deg + calibration.top_deg)
