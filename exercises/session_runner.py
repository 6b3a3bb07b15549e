"""A whole session with no window: Source → detector → sets, for scripts, tests and CI.

Rests follow the plan in *signal* time (the samples' own clock), so a replay at @10 rests ten times
faster in wall-clock time but the detector and the plan see the session as the patient lived it.
Reps made while resting are kept as extra reps, not counted toward a set.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.source import Source
from exercises.catalogue import Exercise
from exercises.detection.detector import RepDetector
from exercises.events import RepEvent
from exercises.session_plan import Outcome, SessionProgress, SetPlan

# Nobody presses keys in a headless run: with the keyboard simulator, do not wait forever.
KEYBOARD_HEADLESS_LIMIT_S = 10.0


def headless_wall_limit_s(max_seconds: float | None, source: Source) -> float | None:
    """The wall-clock limit of a headless run: the one asked for, else 10 s for the keyboard."""
    if max_seconds is None and source.info.kind == "keyboard":
        return KEYBOARD_HEADLESS_LIMIT_S
    return max_seconds


@dataclass
class HeadlessSession:
    """Runs one `SetPlan` on one Source until the plan is done, the source ends or time is up."""

    source: Source
    exercise: Exercise
    plan: SetPlan
    max_wall_s: float | None = None  # give up after this much wall-clock time
    poll_s: float = 0.01
    time_func: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    on_rep: Callable[[RepEvent, Outcome, SessionProgress], None] | None = None
    # A plan runs several blocks on one source (exercises.plan_runner): it starts and stops the
    # source itself, and each block ignores the samples before its start (the rest between blocks).
    own_source: bool = True
    start_t_s: float | None = None

    def run(self) -> dict[str, Any]:
        progress = SessionProgress(self.plan)
        detector = RepDetector(self.exercise, rate_hz=self.source.info.rate_hz or 50.0)
        puck_id = self.source.info.id
        first_t_s: float | None = None
        last_t_s: float | None = None
        rest_until_t_s: float | None = None
        stopped_by = "plan done"
        wall_start_s = self.time_func()
        if self.own_source:
            self.source.start()
        try:
            while not progress.done:
                blocks = [
                    b
                    for b in self.source.read()
                    if (b.puck_id == puck_id or self.exercise.counts_all_pucks)
                    and (self.start_t_s is None or b.t_s[-1] >= self.start_t_s)
                ]
                for block in blocks:
                    first_t_s = float(block.t_s[0]) if first_t_s is None else first_t_s
                    last_t_s = float(block.t_s[-1])
                    if rest_until_t_s is not None and last_t_s >= rest_until_t_s:
                        progress.start_next_set()
                        rest_until_t_s = None
                    for event in detector.update(block):
                        rest_until_t_s = self._record(progress, event, rest_until_t_s)
                if progress.done:
                    break
                if self.source.finished:
                    for event in detector.finish():
                        rest_until_t_s = self._record(progress, event, rest_until_t_s)
                    stopped_by = "source ended"
                    break
                if (
                    self.max_wall_s is not None
                    and self.time_func() - wall_start_s > self.max_wall_s
                ):
                    stopped_by = "time limit"
                    break
                if not blocks:
                    self.sleep(self.poll_s)
        except KeyboardInterrupt:
            stopped_by = "stopped by the user"
        finally:
            if self.own_source:
                self.source.stop()
        if not progress.done:
            progress.end_early()
        duration_s = 0.0 if first_t_s is None or last_t_s is None else last_t_s - first_t_s
        summary = progress.summary(duration_s)
        summary["stopped_by"] = stopped_by
        summary["device"] = self.source.info.kind
        summary["wall_s"] = round(self.time_func() - wall_start_s, 2)
        return summary

    def _record(
        self, progress: SessionProgress, event: RepEvent, rest_until_t_s: float | None
    ) -> float | None:
        outcome = progress.add_rep(event)
        if self.on_rep is not None:
            self.on_rep(event, outcome, progress)
        if outcome is Outcome.SET_DONE:
            return event.t_end_s + self.plan.rest_s
        return rest_until_t_s
