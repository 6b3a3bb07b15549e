"""The hysteresis state machine that turns a feature angle into repetitions.

A rep is: leave rest, pass the "out" threshold, come back under the "back" threshold. Thresholds
are fractions of the patient's range (rest to top), and the range follows the patient: rest and top
are medians of the last few reps, so fatigue, a drifting strap or growing confidence move them.
Reps quicker than `min_rep_s` are tremor or a knock; slower than `max_rep_s`, drift.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

_HISTORY = 5  # reps remembered for the adaptive rest and top


@dataclass(frozen=True)
class CounterSettings:
    out_fraction: float = 0.55  # a rep has started for real once past this share of the range
    back_fraction: float = 0.3  # ...and ends when it comes back under this share
    rest_fraction: float = 0.15  # under this share the limb is at rest (marks a rep's start time)
    min_range_deg: float = 8.0  # smaller swings are never reps, whatever the calibration says
    min_rep_s: float = 0.3
    max_rep_s: float = 20.0

    def __post_init__(self) -> None:
        if not 0 < self.rest_fraction < self.back_fraction < self.out_fraction < 1:
            raise ValueError("need 0 < rest_fraction < back_fraction < out_fraction < 1")
        if not 0 < self.min_rep_s < self.max_rep_s:
            raise ValueError("need 0 < min_rep_s < max_rep_s")
        if self.min_range_deg <= 0:
            raise ValueError("min_range_deg must be > 0")


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
    """Per-sample hysteresis counter with adaptive rest and top. State carries across calls."""

    def __init__(self, rest_deg: float, top_deg: float, settings: CounterSettings) -> None:
        if top_deg <= rest_deg:
            raise ValueError(f"top_deg ({top_deg}) must be above rest_deg ({rest_deg})")
        self.settings = settings
        self._rests: deque[float] = deque([rest_deg], maxlen=_HISTORY)
        self._tops: deque[float] = deque([top_deg], maxlen=_HISTORY)
        self._rest = rest_deg
        self._top = top_deg
        self._out = False
        self._t_left_rest: float | None = None
        self._trough = np.inf
        self._peak = -np.inf
        self._t_peak = 0.0
        self._peak_speed = 0.0
        self._prev: tuple[float, float] | None = None  # (t_s, angle_deg) of the previous sample
        self.progress = 0.0

    @property
    def rest_deg(self) -> float:
        return self._rest

    @property
    def top_deg(self) -> float:
        return self._top

    def _span(self) -> float:
        return max(self._top - self._rest, self.settings.min_range_deg)

    def update(self, t_s: np.ndarray, angle_deg: np.ndarray) -> list[CountedRep]:
        s = self.settings
        reps: list[CountedRep] = []
        rest, span = self._rest, self._span()
        for t, a in zip(t_s.tolist(), angle_deg.tolist(), strict=True):
            speed = 0.0
            if self._prev is not None and t > self._prev[0]:
                speed = abs(a - self._prev[1]) / (t - self._prev[0])
            self._prev = (t, a)
            x = (a - rest) / span
            if not self._out:
                self._trough = min(self._trough, a)
                if x < s.rest_fraction or self._t_left_rest is None:
                    self._t_left_rest = t
                if x > s.out_fraction:
                    self._out = True
                    self._peak, self._t_peak, self._peak_speed = a, t, speed
                    self._rests.append(self._trough)
            else:
                if a > self._peak:
                    self._peak, self._t_peak = a, t
                self._peak_speed = max(self._peak_speed, speed)
                if x < s.back_fraction:
                    rep = self._finish_rep(t)
                    if rep is not None:
                        reps.append(rep)
                    rest, span = self._rest, self._span()
            self.progress = min(max(x, 0.0), 1.0)
        return reps

    def _finish_rep(self, t_end: float) -> CountedRep | None:
        s = self.settings
        t_start = self._t_left_rest if self._t_left_rest is not None else t_end
        duration = t_end - t_start
        rest_before = self._rest
        self._out = False
        self._trough = np.inf
        self._t_left_rest = t_end
        if not s.min_rep_s <= duration <= s.max_rep_s:
            return None
        self._tops.append(self._peak)
        self._rest = float(np.median(self._rests))
        self._top = max(float(np.median(self._tops)), self._rest + s.min_range_deg)
        return CountedRep(
            t_start, self._t_peak, t_end, rest_before, self._peak, self._top, self._peak_speed
        )
