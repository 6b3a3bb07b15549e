"""Rep Rush's rules, apart from drawing: combo for a steady pace, score, and kind feedback.

A steady pace is the goal, not speed: a rep whose duration is within ±30 % of the previous one
grows the combo. Every rep scores (effort is praised); feedback never shames.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercises.events import FLAG_COMPENSATED, FLAG_PARTIAL, FLAG_TOO_FAST, RepEvent

STEADY_TOLERANCE = 0.30
POINTS_PER_REP = 10
# SPARC of the reach at or above this is a smooth rep (a bell-shaped reach scores -1.4 to -2;
# hesitant reaches after a stroke -3 and below).
SMOOTH_SPARC = -2.0

KEEP_STILL = "Good. Keep your body still as you move"
NOT_COUNTED = "Let's try that one again, keeping your body still"
NOT_COUNTED_CHILD = "Try again, still like a statue!"
_PRAISE_ADULT = ("Nice and slow", "Good, steady rep", "Well done", "Lovely control")
_PRAISE_CHILD = ("Super!", "Nice and slow!", "Awesome!", "You rock!")


@dataclass
class RepScore:
    """What one rep earned, for the feedback line and the animations."""

    points: int
    combo: int
    feedback: str
    best: bool


@dataclass
class ScoreKeeper:
    """Score and combo across a whole session (kept through rests: a pause is not a penalty)."""

    child: bool = False
    score: int = 0
    combo: int = 0
    best_reach: float = 0.0
    _last_duration_s: float | None = None
    _praise_index: int = 0

    def add(self, event: RepEvent) -> RepScore:
        steady = (
            self._last_duration_s is not None
            and abs(event.duration_s - self._last_duration_s)
            <= STEADY_TOLERANCE * self._last_duration_s
        )
        self.combo = self.combo + 1 if steady else 1
        self._last_duration_s = event.duration_s
        points = POINTS_PER_REP * self.combo
        self.score += points
        best = self.best_reach > 0 and event.range_deg > self.best_reach * 1.02
        self.best_reach = max(self.best_reach, event.range_deg)
        return RepScore(points, self.combo, self.feedback(event, best), best)

    def feedback(self, event: RepEvent, best: bool) -> str:
        """Plain, kind words for this rep: a tip when there is one, praise otherwise."""
        if FLAG_COMPENSATED in event.flags:
            return "Keep your body still like a statue!" if self.child else KEEP_STILL
        if FLAG_PARTIAL in event.flags:
            return "A little further next time!" if self.child else "A little further next time"
        if FLAG_TOO_FAST in event.flags:
            return "Slow like a snail next time!" if self.child else "Good. Try a little slower"
        if best:
            return "Your best reach yet!" if self.child else "Your best reach today"
        if event.smoothness is not None and event.smoothness >= SMOOTH_SPARC:
            return "Smooth as butter!" if self.child else "Nice and smooth"
        praise = _PRAISE_CHILD if self.child else _PRAISE_ADULT
        self._praise_index += 1
        return praise[(self._praise_index - 1) % len(praise)]
