"""In-session adaptation: a weighted up-down staircase that holds the success rate near 85 %.

Motor learning works best when a task is "not too easy, not too difficult": a success rate of
80–90 %. After each trial (a gate, a beat, a target) the difficulty `level` (0 easiest, 1 hardest)
steps up a little after a success and down more after a miss. With up step = down step × (1−p)/p
the level settles where the success rate is p (Kaernbach 1991, "Simple adaptive testing with the
weighted up-down method"). The level maps linearly onto a game's knob between the `easiest` and
`hardest` values the plan allows, so adaptation never leaves the therapist's bounds.

Pure and deterministic: no clock, no randomness, no pygame.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

TARGET_SUCCESS = 0.85  # the middle of the 80–90 % band
DOWN_STEP = 0.08  # level change after a miss (easier)
WINDOW = 20  # trials in the reported success rate


class AdaptationError(ValueError):
    """Bad controller settings; the message names the field and what is allowed."""


@dataclass
class Staircase:
    """Difficulty for one game knob. `record(success)` after each trial; read `value`."""

    easiest: float
    hardest: float
    level: float = 0.25  # start on the easy side: the first minutes should feel good
    target: float = TARGET_SUCCESS
    down_step: float = DOWN_STEP
    window: int = WINDOW
    _recent: deque[bool] = field(init=False, repr=False)
    trials: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        if not 0.5 <= self.target < 1.0:
            raise AdaptationError(f"target success is {self.target}: use 0.5 to 0.99")
        if not 0.0 <= self.level <= 1.0:
            raise AdaptationError(f"level is {self.level}: use 0 (easiest) to 1 (hardest)")
        if not 0.0 < self.down_step <= 0.5:
            raise AdaptationError(f"down_step is {self.down_step}: use above 0 up to 0.5")
        if self.window < 1:
            raise AdaptationError(f"window is {self.window}: use 1 or more trials")
        self._recent = deque(maxlen=self.window)

    @property
    def up_step(self) -> float:
        """Level change after a success: small, so the level settles at `target` success."""
        return self.down_step * (1.0 - self.target) / self.target

    @property
    def value(self) -> float:
        """The knob's value at the current level, always between `easiest` and `hardest`."""
        return self.easiest + (self.hardest - self.easiest) * self.level

    @property
    def success_rate(self) -> float | None:
        """Share of successes in the last `window` trials (None before the first trial)."""
        return sum(self._recent) / len(self._recent) if self._recent else None

    def record(self, success: bool) -> float:
        """One trial's result; returns the new knob value."""
        self.trials += 1
        self._recent.append(success)
        step = self.up_step if success else -self.down_step
        self.level = min(1.0, max(0.0, self.level + step))
        return self.value
