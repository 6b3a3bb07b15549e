"""Progression between sessions: keep the success rate at 80–90 % within the therapist's bounds.

A rep is a *success* when it reaches the block's target range and is not quicker than its minimum
rep duration. FitMi's users persevered best when early success was "high but not perfect", so:

- above 90 %: harder. First more reps per set (5 → 10, one at a time, up to `max_reps`), then a
  larger target range (one step at a time, up to `max_range_deg`);
- below 80 %: easier. First a smaller target range (down to `min_range_deg`), then fewer reps
  (down to `min_reps`);
- 80–90 %, or too few attempts to judge: unchanged.

Nothing here reads the store: `progress.plans` gathers the attempts and keeps the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exercises.events import FLAG_TOO_FAST
from exercises.plan import Block

SUCCESS_LOW = 0.80
SUCCESS_HIGH = 0.90
MIN_ATTEMPTS = 5  # fewer reps than this in a session say too little to change anything
RANGE_STEP_SHARE = 0.1  # one step of the target range: 10 % of the current target


@dataclass(frozen=True)
class Targets:
    """What progression moves: reps per set and the target range (the block's feature units)."""

    reps: int
    target_range_deg: float


def is_success(event: dict[str, Any], block: Block, target_range_deg: float) -> bool:
    """A stored rep (`RepEvent.to_json()`) that reached the target, at a safe pace."""
    too_fast = FLAG_TOO_FAST in event.get("flags", []) or event["duration_s"] < block.min_rep_s
    return float(event["range_deg"]) >= target_range_deg and not too_fast


def success_rate(events: list[dict[str, Any]], block: Block, target: Targets) -> float | None:
    """Successes out of attempts, or None when there are too few attempts to judge."""
    if len(events) < MIN_ATTEMPTS:
        return None
    hits = sum(is_success(e, block, target.target_range_deg) for e in events)
    return hits / len(events)


def next_targets(block: Block, current: Targets, rate: float | None) -> tuple[Targets, str]:
    """The targets for the next session, and why, in plain words (shown to the therapist)."""
    b = block.bounds
    step = max(RANGE_STEP_SHARE * current.target_range_deg, 0.01)
    if rate is None:
        return current, "too few reps to judge: unchanged"
    if rate > SUCCESS_HIGH:
        if current.reps < b.max_reps:
            return Targets(current.reps + 1, current.target_range_deg), "success high: one more rep"
        if current.target_range_deg < b.max_range_deg:
            larger = round(min(current.target_range_deg + step, b.max_range_deg), 2)
            return Targets(current.reps, larger), "success high: a little further"
        return current, "success high, at the therapist's upper bounds: unchanged"
    if rate < SUCCESS_LOW:
        if current.target_range_deg > b.min_range_deg:
            smaller = round(max(current.target_range_deg - step, b.min_range_deg), 2)
            return Targets(current.reps, smaller), "success low: a little less far"
        if current.reps > b.min_reps:
            return Targets(current.reps - 1, current.target_range_deg), "success low: one rep fewer"
        return current, "success low, at the therapist's lower bounds: unchanged"
    return current, "success in the 80–90 % band: unchanged"
