"""The streaming rep detector: `SampleBlock`s in, `RepEvent`s and a live `progress` out.

Pipeline per puck: low-pass the accelerometer (state carried across blocks) → unit gravity
direction → a 1-D feature angle (tilt in the movement plane, or the gyro's integrated rotation when
the exercise says so or, in `auto`, when that is the clearer signal) → the hysteresis `RepCounter`
→ `RepEvent`s with their quality (`exercises.detection.quality`).

Until it has a calibration the detector learns one from the patient's first movements
(`learning`). The samples it learned from are then counted too: the patient's first reps
are real reps. Learning happens at fixed points of *signal* time, so the same input gives the same
reps however it is chunked. Once calibrated it watches for a re-seated puck (`reseat`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from devices.samples import SampleBlock
from exercises.catalogue import Exercise
from exercises.detection.calibration import (
    FEATURE_LOOP,
    FEATURE_TILT,
    Calibration,
    dot_rows,
    unit_rows,
)
from exercises.detection.filters import LeakyIntegrator, StreamingLowPass
from exercises.detection.learning import LearnSettings, learn, tilt_feature
from exercises.detection.loops import LoopCounter, LoopPhase
from exercises.detection.quality import describe_rep
from exercises.detection.rep_counter import CountedRep, CounterSettings, RepCounter
from exercises.detection.resample import RATE_HZ, UniformResampler
from exercises.detection.reseat import ReseatWatch, sample_poses
from exercises.detection.taps import make_tap_detector
from exercises.events import RepEvent

# A rep's end may sit this far (degrees of gravity direction) from its start, or this share of
# the rep's own size if more: a rep that moved the puck further for good was not a rep.
_RETURN_MIN_DEG = 12.0
_RETURN_SHARE = 0.6


@dataclass(frozen=True)
class DetectorSettings:
    # Human movement lives below ~3 Hz, but every Hz of cut-off below ~6 adds delay to the rep event
    # (a 2nd-order Butterworth delays a slow movement by ~0.225/cutoff_hz s: 75 ms at 3 Hz, 38 ms
    # at 6 Hz). Tremor (4-8 Hz) that gets through is far smaller than the counter's hysteresis.
    lowpass_hz: float = 6.0
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
        # Movement features run on the resampler's grid, whatever the puck's rate; the declared
        # rate only sets up the tap features, which look at raw knocks (see `update`).
        self.nominal_rate_hz = rate_hz
        self.rate_hz = RATE_HZ
        self.settings = settings or DetectorSettings()
        self.counter_settings = counter_settings or CounterSettings(max_rep_s=exercise.max_rep_s)
        self._initial_calibration = calibration
        self.reset()

    def reset(self) -> None:
        """Forget everything but the constructor's arguments (a calibration given there stays)."""
        s = self.settings
        self._resample = UniformResampler(self.rate_hz)
        self._lowpass = StreamingLowPass(s.lowpass_hz, self.rate_hz)
        self._integrator = LeakyIntegrator(self.rate_hz, s.gyro_leak_s)
        self._calibration: Calibration | None = None
        self._counter: RepCounter | LoopCounter | None = None
        self._reseat: ReseatWatch | None = None
        self._loop: LoopPhase | None = None
        self._trace_t_s = np.zeros(0)
        self._trace_deg = np.zeros(0)
        self._trace_up = np.zeros((0, 3))
        self._trace_rate_dps = np.zeros(0)
        self._angle_deg = 0.0
        self._progress = 0.0
        self._reps = 0
        self._puck_id = ""
        self._taps = make_tap_detector(self.exercise, self.nominal_rate_hz)  # see taps.py
        self._start_learning()
        if self._initial_calibration is not None:
            self._use(self._initial_calibration)

    def recalibrate(self) -> None:
        """Learn the movement again from the next reps (after a re-seated puck); the reps counted
        so far stay counted, and the reps made while learning count once it has learned."""
        self._calibration = None
        self._counter = None
        self._reseat = None
        self._loop = None
        self._start_learning()

    def _start_learning(self) -> None:
        self._buffer: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self._trimmed = False  # the buffer no longer starts where the stream (or learning) did
        self._next_learn_t_s: float | None = None
        self._first_up: np.ndarray | None = None

    # --- results -------------------------------------------------------------------------------
    @property
    def calibration(self) -> Calibration | None:
        """The movement model in use; None while still learning it."""
        return self._calibration

    @property
    def learning(self) -> bool:
        return self._calibration is None and self._taps is None

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
    def reseated(self) -> bool:
        """True once the puck rests at a pose the calibration never saw: offer to calibrate again
        (`recalibrate()`)."""
        return self._reseat is not None and self._reseat.reseated

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
        if self._taps is not None:
            return self._tapped(self._taps.update(block))
        uniform = self._resample(block)
        if uniform is None:
            return []
        block = uniform
        up = unit_rows(self._lowpass(np.asarray(block.accel_g, dtype=np.float64)))
        gyro = None if block.gyro_dps is None else np.asarray(block.gyro_dps, dtype=np.float64)
        t_s = np.asarray(block.t_s, dtype=np.float64)
        self._puck_id = block.puck_id
        if self._calibration is not None:
            return self._count(t_s, up, gyro)
        return self._learn_then_count(t_s, up, gyro)

    def finish(self) -> list[RepEvent]:
        """End of stream: if still learning, learn from what there is and count it. A rep that
        reached the top, or is on its way back, when the stream stops counts."""
        if self._taps is not None:
            return self._tapped(self._taps.finish())
        events = self._try_learn(final=True) if self._calibration is None and self._buffer else []
        if self._counter is None:
            return events
        return events + self._dress(self._counter.finish())

    def _tapped(self, events: list[RepEvent]) -> list[RepEvent]:
        assert self._taps is not None
        self._progress = self._taps.progress
        self._reps += len(events)
        return events

    # --- learning ------------------------------------------------------------------------------
    def _learn_then_count(
        self, t_s: np.ndarray, up: np.ndarray, gyro: np.ndarray | None
    ) -> list[RepEvent]:
        if self._first_up is None:
            self._first_up = up[0].copy()
            self._next_learn_t_s = float(t_s[0]) + self.settings.learn_min_s
        tilt_from_start = np.degrees(np.arccos(np.clip(up[-1] @ self._first_up, -1.0, 1.0)))
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
            events += self._try_learn(final=False)
            start = split
            if self._calibration is not None:
                g = None if gyro is None else gyro[start:]
                events += self._count(t_s[start:], up[start:], g)
                break
            self._next_learn_t_s += self.settings.learn_step_s
        return events

    def _learn_settings(self) -> LearnSettings:
        s = self.settings
        return LearnSettings(
            self.rate_hz,
            2 * self.counter_settings.min_rep_s,
            s.max_period_s,
            s.min_periodicity,
            s.gyro_leak_s,
            s.lowpass_hz,
        )

    def _try_learn(self, final: bool) -> list[RepEvent]:
        t_s = np.concatenate([b[0] for b in self._buffer])
        up = np.concatenate([b[1] for b in self._buffer])
        has_gyro = all(b[2] is not None for b in self._buffer)
        gyro = np.concatenate([b[2] for b in self._buffer]) if has_gyro else None
        calibration, angle = learn(up, gyro, self.exercise.feature, self._learn_settings())
        calibration = replace(calibration, poses=sample_poses(up, self.rate_hz))
        min_range = max(
            self.counter_settings.min_range_deg,
            self.settings.min_learn_fraction * self.exercise.range_deg,
        )
        if calibration.range_deg >= min_range:
            counter = self._new_counter(calibration)
            rhythm = (
                calibration.period_s is not None
                or t_s[-1] - t_s[0] >= self.settings.learn_patience_s
            )
            if final or (rhythm and counter.update(t_s, angle)):
                # Learned: replay the buffer through the live pipeline so its reps count.
                self._use(calibration)
                self._buffer = []
                if calibration.feature != FEATURE_TILT:
                    assert gyro is not None
                    angle = self._gyro_feature(gyro)
                assert self._reseat is not None
                self._reseat.update(up)
                return self._dress(self._run_counter(t_s, angle, up, gyro))
        # Keep only a recent window: old stillness teaches nothing about the movement.
        keep_from = t_s[-1] - self.settings.learn_window_s
        if t_s[0] < keep_from:
            keep = t_s >= keep_from
            self._buffer = [(t_s[keep], up[keep], None if gyro is None else gyro[keep])]
            self._trimmed = True
        return []

    def _new_counter(self, calibration: Calibration) -> RepCounter | LoopCounter:
        if calibration.feature == FEATURE_LOOP:
            return LoopCounter(
                calibration.range_deg,
                self.exercise.min_rep_s,
                self.counter_settings.max_rep_s,
                calibration.period_s,
            )
        return RepCounter(
            calibration.rest_deg,
            calibration.top_deg,
            self.counter_settings,
            calibration.period_s,
            # A tilt stream that starts high started mid-rep; a trimmed buffer starts nowhere.
            absolute=calibration.feature == FEATURE_TILT and not self._trimmed,
        )

    def _use(self, calibration: Calibration) -> None:
        self._calibration = calibration
        self._counter = self._new_counter(calibration)
        self._reseat = ReseatWatch(calibration, self.rate_hz)
        self._move = np.asarray(calibration.move_dir)
        self._integrator.reset()
        self._gyro_lowpass = StreamingLowPass(self.settings.lowpass_hz, self.rate_hz)
        self._loop = None if calibration.loop is None else LoopPhase(calibration.loop, self.rate_hz)

    # --- counting ------------------------------------------------------------------------------
    def _count(self, t_s: np.ndarray, up: np.ndarray, gyro: np.ndarray | None) -> list[RepEvent]:
        assert self._calibration is not None and self._reseat is not None
        self._reseat.update(up)
        if self._calibration.feature == FEATURE_TILT:
            angle = tilt_feature(self._calibration, up)
        else:
            if gyro is None:
                raise ValueError("this calibration uses the gyroscope, but the block has no gyro")
            angle = self._gyro_feature(gyro)
        return self._dress(self._run_counter(t_s, angle, up, gyro))

    def _gyro_feature(self, gyro: np.ndarray) -> np.ndarray:
        """The gyro's feature under the calibration in use: rotation about its axis, integrated;
        or, for a loop, the loop's columns (`LoopPhase`)."""
        if self._loop is not None:
            return self._loop(self._gyro_lowpass(gyro))
        return self._integrator(dot_rows(gyro, self._move))

    def _run_counter(
        self, t_s: np.ndarray, feature: np.ndarray, up: np.ndarray, gyro: np.ndarray | None
    ) -> list[CountedRep]:
        assert self._counter is not None
        reps = self._counter.update(t_s, feature)
        # A loop's feature has columns; its first is the angle turned.
        angle = feature if feature.ndim == 1 else feature[:, 0]
        if self._loop is None:
            self._angle_deg = float(angle[-1] - self._counter.rest_deg)
        else:
            self._angle_deg = self._counter.progress * self._counter.top_deg
        self._progress = self._counter.progress
        # Keep the recent feature angle: a rep's smoothness is measured over its whole duration.
        self._trace_t_s = np.concatenate([self._trace_t_s, t_s])
        self._trace_deg = np.concatenate([self._trace_deg, angle])
        self._trace_up = np.concatenate([self._trace_up, up])
        assert self._calibration is not None
        spin = self._calibration.feature not in (FEATURE_TILT, FEATURE_LOOP) and gyro is not None
        rate_dps = dot_rows(gyro, self._move) if spin else np.zeros(len(t_s))  # type: ignore[arg-type]
        self._trace_rate_dps = np.concatenate([self._trace_rate_dps, rate_dps])
        return [rep for rep in reps if self._came_back(rep)]

    def _came_back(self, rep: CountedRep) -> bool:
        """A rep ends where it started. A posture shift, or a puck picked up and put down on
        another face, turns the puck for good; the leaky integrated gyro angle then decays back
        to zero and looks like a return. So a tilt rep's gravity direction at its end must be
        near the one at its start, and a gyro rep's raw (unleaked) rotation over the rep must
        be small beside the rep itself. Loops come round by construction."""
        assert self._calibration is not None
        if self._calibration.feature == FEATURE_LOOP:
            return True
        i, j = np.searchsorted(self._trace_t_s, [rep.t_start_s, rep.t_end_s])
        j = min(j, len(self._trace_t_s) - 1)
        i = min(i, j)
        if self._calibration.feature == FEATURE_TILT:
            cos = float(self._trace_up[i] @ self._trace_up[j])
            moved_deg = float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
        else:
            moved_deg = abs(float(np.sum(self._trace_rate_dps[i:j]))) / self.rate_hz
        size_deg = abs(rep.peak_deg - rep.rest_deg)
        return moved_deg <= max(_RETURN_MIN_DEG, _RETURN_SHARE * size_deg)

    def _dress(self, reps: list[CountedRep]) -> list[RepEvent]:
        s = self.settings
        events = [
            describe_rep(
                rep,
                self.exercise.id,
                self._puck_id,
                max(rep.top_deg - rep.rest_deg, self.counter_settings.min_range_deg)
                * s.target_fraction,
                self.exercise.min_rep_s,
                self._trace_t_s,
                self._trace_deg,
                self.rate_hz,
            )
            for rep in reps
        ]
        self._reps += len(events)
        if len(self._trace_t_s):
            keep = self._trace_t_s >= self._trace_t_s[-1] - self.counter_settings.max_rep_s - 1.0
            self._trace_t_s, self._trace_deg = self._trace_t_s[keep], self._trace_deg[keep]
            self._trace_up = self._trace_up[keep]
            self._trace_rate_dps = self._trace_rate_dps[keep]
        return events
