"""The unit of motion data that flows from every device to the detector."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SampleBlock:
    """N >= 1 consecutive samples from one puck.

    `t_s` is the host monotonic clock in seconds (device clock, when present, only spaces samples
    inside a packet). `accel_g` includes gravity and is in the puck frame: x right, y forward,
    z up out of the face, so a puck lying face up reads (0, 0, +1). Gaps in `t_s` are real gaps.
    """

    puck_id: str
    t_s: np.ndarray
    accel_g: np.ndarray
    gyro_dps: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = self.t_s.shape[0] if self.t_s.ndim == 1 else -1
        if n < 1:
            raise ValueError(
                f"SampleBlock needs a 1-D t_s with at least one sample, got {self.t_s.shape}"
            )
        if self.accel_g.shape != (n, 3):
            raise ValueError(f"accel_g must be ({n}, 3), got {self.accel_g.shape}")
        if self.gyro_dps is not None and self.gyro_dps.shape != (n, 3):
            raise ValueError(f"gyro_dps must be ({n}, 3) or None, got {self.gyro_dps.shape}")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    def slice(self, start: int, stop: int) -> SampleBlock:
        """Samples [start, stop) as a new block (views, no copy)."""
        gyro = None if self.gyro_dps is None else self.gyro_dps[start:stop]
        return SampleBlock(self.puck_id, self.t_s[start:stop], self.accel_g[start:stop], gyro)

    @staticmethod
    def concat(blocks: list[SampleBlock]) -> SampleBlock:
        """Join blocks of one puck in order; gyro is kept only if every block has it."""
        if not blocks:
            raise ValueError("concat needs at least one block")
        has_gyro = all(b.gyro_dps is not None for b in blocks)
        return SampleBlock(
            blocks[0].puck_id,
            np.concatenate([b.t_s for b in blocks]),
            np.concatenate([b.accel_g for b in blocks]),
            np.concatenate([b.gyro_dps for b in blocks]) if has_gyro else None,
        )
