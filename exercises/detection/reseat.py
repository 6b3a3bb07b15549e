"""Noticing a re-seated puck: it now rests at a pose the calibrated movement never visited.

A puck taken off and strapped on again (or moved to the other arm) sits differently, so the learned
movement plane and rest no longer fit and counting goes wrong quietly. The watch compares each
gravity direction with the poses seen while calibrating; when the nearest is more than
`threshold_deg` away on average over `smoothing_s` (a pose held, not a quick swing past), the
calibration is stale and the game can offer to calibrate again.
"""

from __future__ import annotations

import numpy as np

from exercises.detection.calibration import Calibration
from exercises.detection.filters import ExponentialSmoother

RESEAT_DEG = 30.0
SMOOTHING_S = 2.0


class ReseatWatch:
    """Streams unit gravity directions; `reseated` turns True (and stays) when the pose is off."""

    def __init__(
        self,
        calibration: Calibration,
        rate_hz: float,
        threshold_deg: float = RESEAT_DEG,
        smoothing_s: float = SMOOTHING_S,
    ) -> None:
        poses = calibration.poses or (calibration.ref_dir,)
        self._poses = np.asarray(poses, dtype=np.float64)
        # Without the calibration's poses, only its rest is known: allow the whole range past it.
        extra = 0.0 if calibration.poses else abs(calibration.range_deg)
        self.threshold_deg = threshold_deg + extra
        self._smooth = ExponentialSmoother(rate_hz, smoothing_s)
        self.reseated = False
        self.off_deg = 0.0  # the smoothed angle to the nearest calibrated pose

    def update(self, up: np.ndarray) -> bool:
        if self.reseated or len(up) == 0 or not np.any(self._poses):
            return self.reseated
        # Every pose at once, each product summed in `dot_rows`' order (bit for bit the same).
        p = self._poses.T
        cos = np.max(up[:, 0:1] * p[0] + up[:, 1:2] * p[1] + up[:, 2:3] * p[2], axis=1)
        off = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        smooth = self._smooth(off)
        self.off_deg = float(smooth[-1])
        self.reseated = bool(np.any(smooth > self.threshold_deg))
        return self.reseated


def sample_poses(up: np.ndarray, rate_hz: float, every_s: float = 0.25) -> tuple:
    """Gravity directions every `every_s` of the calibration samples (kept in the Calibration)."""
    step = max(1, int(every_s * rate_hz))
    return tuple(tuple(float(x) for x in row) for row in up[::step])
