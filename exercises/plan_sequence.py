"""Following a therapist plan block after block: which block is next, and the session's totals.

Shared by the headless runner (`exercises.plan_runner`) and the game window (`game.context`), so
both walk a plan the same way: blocks in order, the therapist's minimum rep duration as the
exercise's "too fast" limit, a plan cut short when the patient is tired, and one summary for the
whole session with a line per block. Pure: no clock, no device, no window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from exercises.catalogue import Exercise, get_exercise
from exercises.plan import Block, TherapyPlan

PLAN_DONE = "plan done"


def block_exercise(block: Block) -> Exercise:
    """The block's exercise, with the therapist's minimum rep duration as its "too fast" limit."""
    return replace(get_exercise(block.exercise), min_rep_s=block.min_rep_s)


@dataclass
class PlanCursor:
    """Where a session is in its plan. `end_after_current` cuts the plan short (a tired patient:
    the block in progress is the last one today)."""

    plan: TherapyPlan
    index: int = 0
    last_index: int = -1  # the last block to play; -1: the plan's last block

    def __post_init__(self) -> None:
        if self.last_index < 0:
            self.last_index = len(self.plan.blocks) - 1

    @property
    def block(self) -> Block:
        return self.plan.blocks[self.index]

    @property
    def is_last(self) -> bool:
        return self.index >= self.last_index

    @property
    def count(self) -> int:
        """How many blocks this session plays (fewer once cut short)."""
        return self.last_index + 1

    def advance(self) -> Block | None:
        """Move to the next block and return it; None when the (possibly shortened) plan is over."""
        if self.is_last:
            return None
        self.index += 1
        return self.block

    def end_after_current(self) -> None:
        self.last_index = self.index


def combine_blocks(
    plan: TherapyPlan, blocks: list[dict[str, Any]], stopped_by: str, device: str
) -> dict[str, Any]:
    """One summary for the session from its blocks' summaries (each `SessionProgress.summary`)."""
    done = len(blocks) == len(plan.blocks) and all(b["completed"] for b in blocks)
    return {
        "patient": plan.patient.name,
        "reps": sum(b["reps"] for b in blocks),
        "sets": sum(b["sets"] for b in blocks),
        "reps_planned": plan.planned_reps,
        "goal_reps": plan.goal_reps,
        "completed": done,
        "duration_s": round(sum(b["duration_s"] for b in blocks), 2),
        "best_range_deg": max((b["best_range_deg"] for b in blocks), default=0.0),
        "extra_reps": sum(b["extra_reps"] for b in blocks),
        "stopped_by": stopped_by,
        "device": device,
        "blocks": blocks,
    }
