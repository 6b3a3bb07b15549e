"""The compensation guard: a rep made by moving something else is flagged `compensated`.

A second puck on the trunk (or the other hand) should stay still while the exercising limb works;
leaning the trunk while reaching is the classic cheat, and it trains the wrong movement. The guard
keeps the second puck's recent gravity direction (low-passed, so tremor and knocks do not count)
and, for each rep, measures how far it turned from where it was when the rep started. Beyond the
exercise's `compensation_deg` the rep is flagged; the session plan decides whether it counts.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from devices.samples import SampleBlock
from exercises.detection.calibration import dot_rows, unit_rows
from exercises.detection.filters import StreamingLowPass
from exercises.events import FLAG_COMPENSATED, RepEvent

LOWPASS_HZ = 2.0  # a lean is slow; tremor and knocks of the second puck are not compensation
KEEP_S = 30.0  # history kept: longer than any rep


class CompensationGuard:
    """Watches one second puck; `check(event)` flags a rep during which it turned too far."""

    def __init__(self, threshold_deg: float, rate_hz: float = 50.0) -> None:
        if not threshold_deg > 0:
            raise ValueError(f"threshold_deg must be > 0, got {threshold_deg}")
        self.threshold_deg = threshold_deg
        self._lowpass = StreamingLowPass(LOWPASS_HZ, rate_hz)
        self._t_s = np.zeros(0)
        self._up = np.zeros((0, 3))

    def update(self, block: SampleBlock) -> None:
        """Feed the second puck's samples (any chunking)."""
        up = unit_rows(self._lowpass(np.asarray(block.accel_g, dtype=np.float64)))
        self._t_s = np.concatenate([self._t_s, np.asarray(block.t_s, dtype=np.float64)])
        self._up = np.concatenate([self._up, up])
        keep = self._t_s >= self._t_s[-1] - KEEP_S
        self._t_s, self._up = self._t_s[keep], self._up[keep]

    def moved_deg(self, t_start_s: float, t_end_s: float) -> float:
        """How far (deg) the second puck turned during [t_start_s, t_end_s] from its pose at the
        start; 0 when it sent nothing for that time."""
        inside = (self._t_s >= t_start_s) & (self._t_s <= t_end_s)
        if not np.any(inside):
            return 0.0
        up = self._up[inside]
        cos = np.clip(dot_rows(up, up[0]), -1.0, 1.0)
        return float(np.degrees(np.arccos(cos.min())))

    def check(self, event: RepEvent) -> RepEvent:
        """`event`, flagged `compensated` if the second puck moved beyond the threshold."""
        if FLAG_COMPENSATED in event.flags:
            return event
        if self.moved_deg(event.t_start_s, event.t_end_s) <= self.threshold_deg:
            return event
        return replace(event, flags=(*event.flags, FLAG_COMPENSATED))
