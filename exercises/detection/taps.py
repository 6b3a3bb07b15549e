"""Taps: a finger knocking on a puck, and alternate taps between two pucks ~20 cm apart.

A knock is a short spike of acceleration against the puck's slow gravity reading, so it is found
by how far each sample differs from a 1 Hz low-pass of the accelerometer (state carried across
blocks, so chunking never changes the count). A knock starts above a threshold (a share of the
exercise's expected knock, `range_deg`, which for tap features is in g) and ends below half of
it; bounces closer than `refractory_s` are the same knock.

For `alternate_taps` one rep is a knock on one puck followed by a knock on the other: there and
back across the table. Knocks from the two pucks are paired in time order, only once both pucks
have streamed past them, so a puck whose blocks arrive late cannot swap the order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from devices.samples import SampleBlock
from exercises.catalogue import FEATURE_ALTERNATE_TAPS, TAP_FEATURES, Exercise
from exercises.detection.filters import StreamingLowPass
from exercises.events import FLAG_TOO_FAST, RepEvent


@dataclass(frozen=True)
class TapSettings:
    gravity_hz: float = 1.0  # the slow gravity estimate a knock stands out from
    threshold_fraction: float = 0.4  # of the expected knock (the exercise's range, g)
    min_threshold_g: float = 0.25  # above tremor, sensor noise and a hand resting on the puck
    release_fraction: float = 0.5  # of the threshold: below it the knock is over
    refractory_s: float = 0.15  # a bounce this soon after a knock is the same knock


@dataclass(frozen=True)
class Knock:
    puck_id: str
    t_start_s: float
    t_peak_s: float
    t_end_s: float
    peak_g: float


class _PuckKnocks:
    """Finds knocks in one puck's stream, sample by sample."""

    def __init__(self, puck_id: str, rate_hz: float, threshold_g: float, s: TapSettings) -> None:
        self.puck_id = puck_id
        self._gravity = StreamingLowPass(s.gravity_hz, rate_hz)
        self._on_g = threshold_g
        self._off_g = threshold_g * s.release_fraction
        self._refractory_s = s.refractory_s
        self._start: float | None = None
        self._peak = (0.0, 0.0)  # (t_s, g)
        self._last_end_s = -np.inf
        self.latest_t_s = -np.inf
        self.level_g = 0.0  # the latest deviation from gravity, g

    def update(self, t_s: np.ndarray, accel: np.ndarray) -> list[Knock]:
        deviation = np.linalg.norm(accel - self._gravity(accel), axis=1)
        knocks: list[Knock] = []
        for t, g in zip(t_s.tolist(), deviation.tolist(), strict=True):
            if self._start is None:
                if g >= self._on_g and t - self._last_end_s >= self._refractory_s:
                    self._start, self._peak = t, (t, g)
            elif g > self._peak[1]:
                self._peak = (t, g)
            elif g < self._off_g:
                t_peak_s, peak_g = self._peak
                knocks.append(Knock(self.puck_id, self._start, t_peak_s, t, peak_g))
                self._start, self._last_end_s = None, t
        self.latest_t_s = float(t_s[-1])
        self.level_g = float(deviation[-1])
        return knocks


class TapDetector:
    """Counts `tap` or `alternate_taps` reps; `RepDetector` hands tap exercises to it."""

    def __init__(self, exercise: Exercise, rate_hz: float, settings: TapSettings | None = None):
        if exercise.feature not in TAP_FEATURES:
            raise ValueError(f"exercise '{exercise.id}' is not a tap exercise ({exercise.feature})")
        self.exercise = exercise
        self.rate_hz = rate_hz
        self.settings = settings or TapSettings()
        self.expected_g = exercise.range_deg  # for tap features the "range" is the knock, in g
        self.threshold_g = max(
            self.settings.min_threshold_g, self.settings.threshold_fraction * self.expected_g
        )
        self._pucks: dict[str, _PuckKnocks] = {}
        self._waiting: list[Knock] = []  # knocks not yet paired in time order
        self._first: Knock | None = None  # the first knock of an alternate-tap pair
        self._last_rep_end_s: float | None = None
        self.progress = 0.0

    @property
    def alternate(self) -> bool:
        return self.exercise.feature == FEATURE_ALTERNATE_TAPS

    def update(self, block: SampleBlock) -> list[RepEvent]:
        puck = self._pucks.get(block.puck_id)
        if puck is None:
            puck = _PuckKnocks(block.puck_id, self.rate_hz, self.threshold_g, self.settings)
            self._pucks[block.puck_id] = puck
        t_s = np.asarray(block.t_s, dtype=np.float64)
        self._waiting += puck.update(t_s, np.asarray(block.accel_g, dtype=np.float64))
        self.progress = min(1.0, puck.level_g / self.expected_g)
        ready_until_s = min(p.latest_t_s for p in self._pucks.values())
        return self._take(lambda k: k.t_end_s <= ready_until_s)

    def finish(self) -> list[RepEvent]:
        return self._take(lambda k: True)

    def _take(self, ready: Callable[[Knock], bool]) -> list[RepEvent]:
        now = sorted((k for k in self._waiting if ready(k)), key=lambda k: k.t_peak_s)
        self._waiting = [k for k in self._waiting if not ready(k)]
        events: list[RepEvent] = []
        for knock in now:
            event = self._pair(knock) if self.alternate else self._event(knock, knock)
            if event is not None:
                events.append(event)
        return events

    def _pair(self, knock: Knock) -> RepEvent | None:
        """Alternate taps: a knock on the other puck than the pair's first one closes a rep."""
        first = self._first
        too_slow = first is not None and knock.t_end_s - first.t_start_s > self.exercise.max_rep_s
        if first is None or first.puck_id == knock.puck_id or too_slow:
            self._first = knock  # a new pair starts (the same puck twice restarts it)
            return None
        self._first = None
        return self._event(first, knock)

    def _event(self, first: Knock, last: Knock) -> RepEvent:
        # Too fast: a pair of taps closer than min_rep_s, or a single tap that soon after the last.
        since_s = np.inf if self._last_rep_end_s is None else first.t_start_s - self._last_rep_end_s
        pace_s = last.t_end_s - first.t_start_s if self.alternate else since_s
        flags = (FLAG_TOO_FAST,) if pace_s < self.exercise.min_rep_s else ()
        self._last_rep_end_s = last.t_end_s
        peak_g = min(first.peak_g, last.peak_g)
        return RepEvent(
            exercise_id=self.exercise.id,
            puck_id=last.puck_id,
            t_start_s=first.t_start_s,
            t_peak_s=last.t_peak_s,
            t_end_s=last.t_end_s,
            range_deg=peak_g,  # the feature's unit: g of the (weaker) knock
            range_fraction=peak_g / self.expected_g,
            peak_speed_dps=0.0,
            flags=flags,
        )


def make_tap_detector(exercise: Exercise, rate_hz: float) -> TapDetector | None:
    """A `TapDetector` for tap exercises; None for every other feature."""
    return TapDetector(exercise, rate_hz) if exercise.feature in TAP_FEATURES else None
