"""What the detector tells the rest of the program: one `RepEvent` per completed repetition."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FLAG_TOO_FAST = "too_fast"
FLAG_PARTIAL = "partial"
FLAG_COMPENSATED = "compensated"


@dataclass(frozen=True)
class RepEvent:
    """One repetition, out and back, timed on the sample clock (`SampleBlock.t_s` times).

    `range_deg` is how far the limb went from its rest level (degrees of the exercise's feature);
    `range_fraction` is that as a share of the target range (1.0 = reached the target).
    """

    exercise_id: str
    puck_id: str
    t_start_s: float
    t_peak_s: float
    t_end_s: float
    range_deg: float
    range_fraction: float
    peak_speed_dps: float
    smoothness: float | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration_s(self) -> float:
        return self.t_end_s - self.t_start_s

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with rounded numbers (used by the CLI and the store)."""
        out = asdict(self)
        out["flags"] = list(self.flags)
        out["duration_s"] = self.duration_s
        for key, value in out.items():
            if isinstance(value, float):
                out[key] = round(value, 4)
        return out
