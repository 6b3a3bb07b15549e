"""A whole therapist plan with no window: its blocks in order, each with its sets, reps and rests.

Each block is a `HeadlessSession` on the same source (so a replay runs on, block after block): a new
detector learns the block's exercise from its first reps, sets are separated by the block's rest,
and the next block starts after the block's rest too — in signal time, like every headless rest.
A block whose source ends or whose time runs out ends the plan there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.source import Source
from exercises.events import RepEvent
from exercises.plan import Block, TherapyPlan
from exercises.plan_sequence import PLAN_DONE, PlanCursor, block_exercise, combine_blocks
from exercises.session_plan import Outcome, SessionProgress
from exercises.session_runner import HeadlessSession

RepHook = Callable[[RepEvent, Outcome, SessionProgress], None]


@dataclass
class PlanSession:
    source: Source
    plan: TherapyPlan
    max_wall_s: float | None = None
    time_func: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    on_block: Callable[[int, Block], None] | None = None  # a block is about to start
    on_rep: RepHook | None = None

    def run(self) -> dict[str, Any]:
        wall_start_s = self.time_func()
        summaries: list[dict[str, Any]] = []
        start_t_s: float | None = None
        stopped_by = PLAN_DONE
        cursor = PlanCursor(self.plan)
        self.source.start()
        try:
            block: Block | None = cursor.block
            while block is not None:
                i = cursor.index
                if self.on_block is not None:
                    self.on_block(i, block)
                left_s = None
                if self.max_wall_s is not None:
                    left_s = max(0.0, self.max_wall_s - (self.time_func() - wall_start_s))
                session = HeadlessSession(
                    self.source, block_exercise(block), block.set_plan(), max_wall_s=left_s,
                    poll_s=0.01, time_func=self.time_func, sleep=self.sleep, on_rep=self.on_rep,
                    own_source=False, start_t_s=start_t_s,
                )  # fmt: skip
                summary = session.run()
                summary["block"] = i
                summary["game"] = block.game
                summary["target_range_deg"] = block.target_range_deg
                summaries.append(summary)
                if summary["stopped_by"] != PLAN_DONE:
                    stopped_by = summary["stopped_by"]
                    break
                last_t_s = max(e["t_end_s"] for e in summary["events"])
                start_t_s = last_t_s + block.rest_s
                block = cursor.advance()
        finally:
            self.source.stop()
        return self._summary(summaries, stopped_by, wall_start_s)

    def _summary(
        self, blocks: list[dict[str, Any]], stopped_by: str, wall_start_s: float
    ) -> dict[str, Any]:
        summary = combine_blocks(self.plan, blocks, stopped_by, self.source.info.kind)
        summary["wall_s"] = round(self.time_func() - wall_start_s, 2)
        return summary
