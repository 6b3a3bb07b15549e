"""Sets, reps and rests: turning a stream of `RepEvent`s into a session's progress.

Shared by the game and the headless runner, so both follow a plan the same way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from exercises.events import FLAG_COMPENSATED, RepEvent


class PlanError(ValueError):
    """A set plan that cannot be followed; the message names the field and what is allowed."""


@dataclass(frozen=True)
class SetPlan:
    """One exercise block: `sets` sets of `reps_per_set`, with `rest_s` of rest between sets.

    `count_compensated`: whether a rep flagged `compensated` (the second puck moved) still counts
    toward the set; when False it is stored as an extra rep and the game reminds kindly.
    """

    exercise_id: str
    reps_per_set: int = 10
    sets: int = 3
    rest_s: float = 60.0
    count_compensated: bool = True
    rep_tempo_s: float | None = None  # the rhythm game's beat (seconds per rep); None: its own

    def __post_init__(self) -> None:
        if self.rep_tempo_s is not None and not 1.5 <= self.rep_tempo_s <= 12:
            raise PlanError(f"rep tempo is {self.rep_tempo_s} s: use 1.5 to 12 seconds per rep")
        if not 1 <= self.reps_per_set <= 500:
            raise PlanError(
                f"reps per set is {self.reps_per_set}: use a whole number from 1 to 500"
            )
        if not 1 <= self.sets <= 20:
            raise PlanError(f"sets is {self.sets}: use a whole number from 1 to 20")
        if not 0 <= self.rest_s <= 600:
            raise PlanError(f"rest is {self.rest_s} s: use 0 to 600 seconds")


class Outcome(enum.Enum):
    """What one rep did to the session."""

    REP = "rep"  # counted toward the current set
    SET_DONE = "set_done"  # ...and finished the set: time to rest
    SESSION_DONE = "session_done"  # ...and finished the last set
    # Stored, not counted to a set: done while resting or after the end, or compensated when the
    # plan does not count compensated reps.
    EXTRA = "extra"


@dataclass
class SessionProgress:
    """The running tally of a session that follows one `SetPlan`."""

    plan: SetPlan
    set_index: int = 0  # 0-based set in progress (or just finished, while resting)
    reps_in_set: int = 0
    resting: bool = False
    events: list[RepEvent] = field(default_factory=list)
    extra_events: list[RepEvent] = field(default_factory=list)
    reps_per_set_done: list[int] = field(default_factory=list)  # full sets only
    partial_set_reps: int = 0  # reps of the set that was in progress when the patient stopped

    @property
    def done(self) -> bool:
        return len(self.reps_per_set_done) >= self.plan.sets

    @property
    def total_reps(self) -> int:
        return len(self.events)

    @property
    def sets_done(self) -> int:
        """Full sets finished (a set stopped part-way is not counted here)."""
        return len(self.reps_per_set_done)

    @property
    def best_range_deg(self) -> float:
        return max((e.range_deg for e in self.events), default=0.0)

    def add_rep(self, event: RepEvent) -> Outcome:
        uncounted = FLAG_COMPENSATED in event.flags and not self.plan.count_compensated
        if self.resting or self.done or uncounted:
            self.extra_events.append(event)
            return Outcome.EXTRA
        self.events.append(event)
        self.reps_in_set += 1
        if self.reps_in_set < self.plan.reps_per_set:
            return Outcome.REP
        self.reps_per_set_done.append(self.reps_in_set)
        if self.done:
            return Outcome.SESSION_DONE
        self.resting = True
        return Outcome.SET_DONE

    def start_next_set(self) -> None:
        """End the rest: the next set starts at zero reps."""
        if not self.resting:
            return
        self.resting = False
        self.set_index += 1
        self.reps_in_set = 0

    def shorten(self, sets: int) -> None:
        """The patient is tired: plan `sets` sets in all — never fewer than are already done,
        never more than planned. With every planned set done the session is done."""
        keep = min(self.plan.sets, max(sets, self.sets_done, 1))
        self.plan = replace(self.plan, sets=keep)

    def end_early(self) -> None:
        """The patient stopped: the reps of the set in progress are kept as a partial set."""
        if not self.resting and not self.done:
            self.partial_set_reps = self.reps_in_set
        self.resting = False

    def summary(self, duration_s: float) -> dict[str, Any]:
        """The JSON summary printed by `session --headless` and shown on the results screen."""
        return {
            "exercise": self.plan.exercise_id,
            "reps": self.total_reps,
            "sets": self.sets_done,
            "sets_planned": self.plan.sets,
            "reps_per_set": list(self.reps_per_set_done)
            + ([self.partial_set_reps] if self.partial_set_reps else []),
            "reps_per_set_planned": self.plan.reps_per_set,
            "completed": self.done,
            "duration_s": round(duration_s, 2),
            "best_range_deg": round(self.best_range_deg, 1),
            "extra_reps": len(self.extra_events),
            "events": [e.to_json() for e in self.events],
        }
