"""The state machine that turns a feature angle into repetitions.

A rep is: rise from the latest low point (the trough) by more than `out_fraction` of the patient's
typical range, then come back down by most of it. Thresholds are measured from the rep's own trough
and peak, not from a fixed rest level, so a slowly drifting feature (a strap that slips, gyro bias,
a patient who settles into a new posture) keeps counting. The typical range follows the patient:
it is the median of the last few reps, and it shrinks when several swings in a row fall short
(fatigue, a smaller comfortable range). Reps quicker than `min_rep_s` are tremor or a knock;
slower than `max_rep_s`, drift. With a known rep period, a second bump sooner than
`refractory_fraction` of it after a counted rep is part of the same rep (a band row that bounces,
a hesitant return, a tilt jolted by the arm's own acceleration): a rep takes about a period. Not
when the limb came back and rested in between: then the rep was done, and a quick one follows. The
period follows the patient's pace as it drifts, within bounds set by the learned period.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

_HISTORY = 5  # reps remembered for the adaptive rest and range
_REST_DWELL_SHARE = 0.25  # ...unless the limb rested this share of the period before it
_REST_DWELL_MAX_S = 0.6  # ...or this long: a real pause at rest ends a rep, whatever the period
_PAUSE_SHARE = 1.5  # a rep-to-rep interval this much longer than the period had a pause in it
_PACE_DRIFT = 1.5  # the pace may drift this far (either way) from the learned rep period
_TOP_SHARE = 0.8  # a rise this share of the typical range reached the top of the range
_SHORT_SWINGS = 3  # this many short swings in a row (and no rep) shrink the range toward them


@dataclass(frozen=True)
class CounterSettings:
    # A rep has started for real once it is this share of the range above its trough. Chosen
    # on SPAR and Physio together (bench.accuracy, leave-one-corpus-out beside it): patients'
    # small reps are often under half their best, and the range only shrinks after a few.
    out_fraction: float = 0.35
    back_fraction: float = 0.3  # ...and ends when it is back within this share of its own rise
    rest_fraction: float = 0.15  # within this share of the trough the limb is at rest (rep start)
    min_range_deg: float = 8.0  # smaller swings are never reps, whatever the calibration says
    min_rep_s: float = 0.2  # after the low-pass, tremor and knocks are gone; fast flicks are not
    max_rep_s: float = 20.0
    refractory_fraction: float = 0.6  # of the current rep period: closer peaks are one rep
    short_swing_fraction: float = 0.15  # swings above this share of the range may shrink it

    def __post_init__(self) -> None:
        if not 0 < self.rest_fraction < self.back_fraction < self.out_fraction < 1:
            raise ValueError("need 0 < rest_fraction < back_fraction < out_fraction < 1")
        if not 0 < self.min_rep_s < self.max_rep_s:
            raise ValueError("need 0 < min_rep_s < max_rep_s")
        if self.min_range_deg <= 0:
            raise ValueError("min_range_deg must be > 0")
        if not 0 <= self.refractory_fraction < 1:
            raise ValueError("need 0 <= refractory_fraction < 1")
        if not 0 < self.short_swing_fraction < self.out_fraction:
            raise ValueError("need 0 < short_swing_fraction < out_fraction")


@dataclass(frozen=True)
class CountedRep:
    """A rep as the counter sees it, in feature degrees; the detector dresses it as a RepEvent."""

    t_start_s: float
    t_peak_s: float
    t_end_s: float
    rest_deg: float
    peak_deg: float
    top_deg: float  # the adaptive top of the range when the rep ended
    peak_speed_dps: float


class RepCounter:
    """Per-sample counter with adaptive rest and range. State carries across calls."""

    def __init__(
        self,
        rest_deg: float,
        top_deg: float,
        settings: CounterSettings,
        period_s: float | None = None,
        absolute: bool = True,
    ) -> None:
        """`absolute`: the feature's level means a pose (tilt), so a stream that starts high
        starts mid-rep; an integrated gyro angle starts at 0 wherever the limb is, so it cannot."""
        if top_deg <= rest_deg:
            raise ValueError(f"top_deg ({top_deg}) must be above rest_deg ({rest_deg})")
        self.settings = settings
        self.period_s = period_s  # follows the patient's pace (see `_follow_pace`)
        self.absolute = absolute
        self._learned_period_s = period_s
        self._intervals: deque[float] = deque(maxlen=_HISTORY)
        span = max(top_deg - rest_deg, settings.min_range_deg)
        self._rests: deque[float] = deque([rest_deg], maxlen=_HISTORY)
        self._spans: deque[float] = deque([span], maxlen=_HISTORY)
        self._short: list[float] = []  # consecutive swings that fell short of a rep
        self._rest = rest_deg
        self._span = span
        self._out = False
        self._trough = np.inf  # lowest point since the last rep (or short swing) ended
        self._hump = -np.inf  # highest point since that trough, while not out
        self._t_left_rest: float | None = None
        self._rep_trough = 0.0
        self._peak = -np.inf
        self._t_peak = 0.0
        self._peak_speed = 0.0
        self._last_peak_t: float | None = None
        self._last_end_t = -np.inf  # when the last counted rep ended
        self._prev: tuple[float, float] | None = None  # (t_s, angle_deg) of the previous sample
        self.progress = 0.0

    @property
    def rest_deg(self) -> float:
        return self._rest

    @property
    def top_deg(self) -> float:
        return self._rest + self._span

    def update(self, t_s: np.ndarray, angle_deg: np.ndarray) -> list[CountedRep]:
        s = self.settings
        reps: list[CountedRep] = []
        for t, a in zip(t_s.tolist(), angle_deg.tolist(), strict=True):
            speed = 0.0
            if self._prev is not None and t > self._prev[0]:
                speed = abs(a - self._prev[1]) / (t - self._prev[0])
            first = self._prev is None
            self._prev = (t, a)
            span = self._span
            if first and self.absolute and a - self._rest > s.out_fraction * span:
                # The stream starts mid-rep (a recording cut part-way, a patient who starts with
                # the limb raised): the way back from here finishes a rep that started at rest.
                self._out, self._rep_trough = True, self._rest
                self._peak, self._t_peak, self._peak_speed = a, t, speed
                self._t_left_rest = t
            if not self._out:
                if a < self._trough:
                    self._trough, self._hump = a, a
                self._hump = max(self._hump, a)
                rise = a - self._trough
                if rise < s.rest_fraction * span or self._t_left_rest is None:
                    self._t_left_rest = t
                if rise > s.out_fraction * span:
                    self._out = True
                    self._rep_trough = self._trough
                    self._peak, self._t_peak, self._peak_speed = a, t, speed
                elif self._hump - a > 0.5 * (self._hump - self._trough) and self._hump - (
                    self._trough
                ) > max(s.short_swing_fraction * span, s.min_range_deg):
                    self._short_swing(self._hump - self._trough)
                    self._trough, self._hump = a, a
                    self._t_left_rest = t
                base = self._trough
            else:
                if a > self._peak:
                    self._peak, self._t_peak = a, t
                self._peak_speed = max(self._peak_speed, speed)
                rise = self._peak - self._rep_trough
                if self._peak - a > (1.0 - s.back_fraction) * min(span, rise):
                    rep = self._finish_rep(t)
                    if rep is not None:
                        reps.append(rep)
                    self._trough, self._hump = a, a
                base = self._rep_trough
            self.progress = min(max((a - base) / self._span, 0.0), 1.0)
        return reps

    def finish(self, t_end: float | None = None) -> list[CountedRep]:
        """End of stream: a rep that reached the top of the range (or is on its way back) counts,
        as the patient did the work; the recording just stopped before the limb was back."""
        if not self._out or self._prev is None:
            return []
        t, a = self._prev
        rise = self._peak - self._rep_trough
        if rise < _TOP_SHARE * self._span and self._peak - a < 0.5 * min(self._span, rise):
            return []
        rep = self._finish_rep(t if t_end is None else t_end)
        self._trough, self._hump = a, a
        return [] if rep is None else [rep]

    def _short_swing(self, size: float) -> None:
        """A swing that rose and fell back short of a rep: several in a row shrink the range."""
        self._short.append(size)
        if len(self._short) >= _SHORT_SWINGS:
            self._spans = deque(self._short, maxlen=_HISTORY)
            self._span = max(float(np.median(self._spans)), self.settings.min_range_deg)
            self._short = []

    def _follow_pace(self, interval_s: float) -> None:
        """The rep period drifts (fatigue, a patient who warms up): follow the median of the last
        few rep-to-rep intervals. A pause between reps is not a slower pace, so intervals much
        longer than the period are left out; the learned period bounds how far it may drift, so a
        run of double bumps cannot halve it."""
        assert self.period_s is not None and self._learned_period_s is not None
        if interval_s > _PAUSE_SHARE * self.period_s:
            return
        self._intervals.append(interval_s)
        if len(self._intervals) >= 3:
            learned = self._learned_period_s
            pace = float(np.median(self._intervals))
            self.period_s = min(max(pace, learned / _PACE_DRIFT), learned * _PACE_DRIFT)

    def _finish_rep(self, t_end: float) -> CountedRep | None:
        s = self.settings
        t_start = self._t_left_rest if self._t_left_rest is not None else t_end
        duration = t_end - t_start
        self._out = False
        self._t_left_rest = t_end
        if not s.min_rep_s <= duration <= s.max_rep_s:
            return None
        if self._last_peak_t is not None and self.period_s is not None:
            interval = self._t_peak - self._last_peak_t
            rested_s = t_start - self._last_end_t
            min_rest_s = min(_REST_DWELL_SHARE * self.period_s, _REST_DWELL_MAX_S)
            if interval < s.refractory_fraction * self.period_s and rested_s < min_rest_s:
                return None  # too soon after the rep just counted to be a new one: its 2nd bump
            self._follow_pace(interval)
        self._last_peak_t = self._t_peak
        self._last_end_t = t_end
        self._short = []
        rest_before = self._rep_trough
        self._rests.append(self._rep_trough)
        self._spans.append(self._peak - self._rep_trough)
        self._rest = float(np.median(self._rests))
        self._span = max(float(np.median(self._spans)), s.min_range_deg)
        return CountedRep(
            t_start,
            self._t_peak,
            t_end,
            rest_before,
            self._peak,
            rest_before + self._span,
            self._peak_speed,
        )
