"""The session context: everything scenes share, passed to them explicitly (no globals).

It owns the choice of exercise and plan, and rebuilds the detector and the session tally when they
change, so the simulator, the detector and the plan always agree on which exercise is played.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from devices.keyboard_sim import KeyboardSimulator
from devices.source import Source, SourceState, SourceStatus
from exercises.catalogue import Exercise, get_exercise, load_catalogue
from exercises.detection.compensation import CompensationGuard
from exercises.detection.detector import RepDetector
from exercises.events import RepEvent
from exercises.games_catalogue import DEFAULT_GAME, GAME_IDS, get_game
from exercises.plan import Block, TherapyPlan
from exercises.plan_sequence import PLAN_DONE, PlanCursor, block_exercise, combine_blocks
from exercises.session_plan import SetPlan
from exercises.simulation import limb_motion_for, partner_motion_for
from game.puck_nav import PuckNavigator
from game.rewards import Rewards
from game.rewards_store import load_book
from game.scene import SceneStack
from game.scoring import ScoreKeeper
from game.sound import Sound
from game.theme import Theme
from progress.recorder import PatientRecords, RecordedProgress

DEFAULT_REPS = 10
DEFAULT_SETS = 3
DEFAULT_REST_S = 60.0
DEFAULT_TIME_CAP_S = 30 * 60.0  # UX.md: often tired after 20-30 minutes


@dataclass
class SessionContext:
    """Shared state of one run of the game: device, exercise, detector, tally, looks and sound."""

    source: Source
    plan: SetPlan
    theme: Theme
    sound: Sound
    scenes: SceneStack
    time_s: float = 0.0  # game time, advanced by the fixed-step loop
    session_start_s: float = 0.0
    last_summary: dict[str, Any] | None = None
    records: PatientRecords | None = None  # where sessions are stored; None: not stored
    data_dir: Path | None = None  # the patient data folder (remembered pucks); None: not saved
    game_id: str = DEFAULT_GAME
    time_cap_s: float = DEFAULT_TIME_CAP_S  # a session in play ends itself after this long
    stopped_by: str | None = None  # why the session ended early (shown on the results screen)
    block_start_s: float = 0.0  # when the block in play started (a plan has several)
    # The therapist's plan being followed block after block (None: the menu's one exercise).
    therapy_plan: TherapyPlan | None = None
    cursor: PlanCursor | None = field(default=None, init=False)
    blocks_done: list[dict[str, Any]] = field(default_factory=list, init=False)
    rewards: Rewards = field(init=False)
    detector: RepDetector = field(init=False)
    guard: CompensationGuard = field(init=False)  # watches a second puck (trunk / other hand)
    progress: RecordedProgress = field(init=False)
    score: ScoreKeeper = field(init=False)
    exercise: Exercise = field(init=False)
    _primary_puck: str | None = field(default=None, init=False)
    # Menus by puck alone (tilt, hold still, tap; long hold stops): None with the keyboard.
    navigator: PuckNavigator | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.source.info.kind != "keyboard":
            self.navigator = PuckNavigator()
        self.set_exercise(self.plan.exercise_id)

    # --- choices -------------------------------------------------------------------------------
    @property
    def exercise_ids(self) -> list[str]:
        return list(load_catalogue())

    @property
    def block(self) -> Block | None:
        """The plan's block in play (None without a therapist plan)."""
        return None if self.cursor is None else self.cursor.block

    def use_plan(self, plan: TherapyPlan | None) -> None:
        """Follow `plan` from its first block (None: play the one exercise chosen in the menu)."""
        self.therapy_plan = plan
        self.cursor = None if plan is None else PlanCursor(plan)
        if self.cursor is None:
            self.new_session()
        else:
            self._start_block()

    def _start_block(self) -> None:
        block = self.block
        assert block is not None
        self.plan = block.set_plan()
        self.game_id = block.game if block.game in GAME_IDS else DEFAULT_GAME
        self.set_exercise(block.exercise)

    def set_exercise(self, exercise_id: str) -> None:
        """Play `exercise_id` from now on: new plan, fresh detector and tally, simulator moved.

        Choosing an exercise other than the plan's block (in the menu) leaves the plan: free play.
        """
        block = self.block
        if block is not None and block.exercise != exercise_id:
            self.therapy_plan, self.cursor, block = None, None, None
        self.exercise = get_exercise(exercise_id) if block is None else block_exercise(block)
        if self.plan.exercise_id != exercise_id:
            self.plan = replace(self.plan, exercise_id=exercise_id)
        if isinstance(self.source, KeyboardSimulator):
            partner = partner_motion_for(self.exercise)  # two-puck exercises move both
            self.source.set_motion(limb_motion_for(self.exercise), partner)
        self.new_session()

    def new_session(self) -> None:
        """Start counting from zero (a new detector learns the patient's movement again)."""
        self.detector = RepDetector(self.exercise, rate_hz=self.source.info.rate_hz)
        self.guard = CompensationGuard(self.exercise.compensation_deg, self.source.info.rate_hz)
        block_index = 0 if self.cursor is None else self.cursor.index
        later_block = block_index > 0
        previous = getattr(self, "progress", None)
        recorder = None
        if later_block and previous is not None and previous.recorder is not None:
            recorder = previous.recorder.for_block(self.plan, block_index)  # same session
        elif self.records is not None:  # stored rep by rep as the scenes add them
            recorder = self.records.recorder(self.plan, origin="game", device=self.source.info)
        self.progress = RecordedProgress(self.plan, recorder=recorder)
        self.score = ScoreKeeper(child=self.theme.child)
        self.stopped_by = None
        self.set_game(self.game_id)
        if not later_block:  # a plan's session (and its time cap) runs on across its blocks
            self.session_start_s = self.time_s
            self.blocks_done = []
        self.block_start_s = self.time_s
        self.last_summary = None
        self._primary_puck = None

    def set_game(self, game_id: str) -> None:
        """Play `game_id` (checked against the catalogue), with rewards read from the store."""
        self.game_id = get_game(game_id).id
        self.rewards = Rewards(load_book(self.records), self.game_id, self.exercise.id)

    def exercise_name(self) -> str:
        return self.exercise.child_name if self.theme.child else self.exercise.name

    # --- the device ----------------------------------------------------------------------------
    @property
    def keyboard_sim(self) -> KeyboardSimulator | None:
        return self.source if isinstance(self.source, KeyboardSimulator) else None

    def source_problem(self) -> SourceStatus | None:
        """The status to show when the puck is not streaming (and will stream again), else None."""
        status = self.source.status
        if status.state is SourceState.STREAMING or self.source.finished:
            return None
        return status

    def read_reps(self, detect: bool) -> list[RepEvent]:
        """Drain the source (always, so no backlog builds up) and, if `detect`, run the detector.

        Only the first puck seen is counted: one detector per puck and exercise, and the game
        follows one limb. Any other puck (trunk or other hand) feeds the compensation guard, which
        flags reps during which it moved.
        """
        events: list[RepEvent] = []
        for block in self.source.read():
            if self._primary_puck is None:
                self._primary_puck = block.puck_id
            if block.puck_id == self._primary_puck and self.navigator is not None:
                self.navigator.update(block)
            if block.puck_id != self._primary_puck and not self.exercise.counts_all_pucks:
                if not self.exercise.partner_moves:  # a partner puck moves by design
                    self.guard.update(block)
            elif detect:
                events.extend(self.detector.update(block))
        return [self.guard.check(event) for event in events]

    def lean(self, held: bool) -> None:
        """The keyboard simulator's second puck (trunk) leans while held; pucks ignore it."""
        sim = self.keyboard_sim
        if sim is not None:
            sim.set_second_held(held)

    def recalibrate(self) -> None:
        """Learn the movement again (the puck was re-seated); reps so far are kept."""
        self.detector.recalibrate()

    # --- the session ---------------------------------------------------------------------------
    def duration_s(self) -> float:
        return max(0.0, self.time_s - self.session_start_s)

    def tired(self) -> None:
        """ "A bit tired": the next set is today's last — of this block, and of the plan."""
        self.progress.shorten(self.progress.sets_done + 1)
        if self.cursor is not None:
            self.cursor.end_after_current()

    def end_block(self) -> str:
        """The block's last set is done: start the next block and return the scene to show
        ("intro"), or finish the session when the plan is over ("results")."""
        if self.cursor is None or self.cursor.is_last:
            self.finish_session()
            return "results"
        self._close_block()
        self.cursor.advance()
        self._start_block()
        return "intro"

    def _close_block(self) -> dict[str, Any]:
        """The block's tally (a set in progress counts as far as it got), kept with the others."""
        self.progress.end_early()
        summary = self.progress.summary(self.time_s - self.block_start_s)
        summary.update(game=self.game_id, score=self.score.score)
        if self.cursor is not None:
            summary.update(
                block=self.cursor.index, target_range_deg=self.cursor.block.target_range_deg
            )
        self.blocks_done.append(summary)
        return summary

    def finish_session(self, stopped_by: str | None = None) -> dict[str, Any]:
        """Close the tally (a set in progress counts as far as it got) and keep the summary.

        The summary names the game and its score, so high scores per game can be read back; with
        a therapist plan it is the whole session's, with a line per block (`blocks`).
        """
        self.stopped_by = stopped_by or self.stopped_by
        summary = self._close_block()
        if self.therapy_plan is None or self.cursor is None:
            done = PLAN_DONE if self.progress.done else "stopped by the player"
        else:
            summary = combine_blocks(
                self.therapy_plan, self.blocks_done, PLAN_DONE, self.source.info.kind
            )
            summary.update(game=self.game_id, score=sum(b["score"] for b in self.blocks_done))
            cut = self.cursor.count < len(self.therapy_plan.blocks)
            done = PLAN_DONE if summary["completed"] else "stopped by the player"
            done = "tired" if cut and self.progress.done else done
        summary["stopped_by"] = self.stopped_by or done
        self.last_summary = summary
        self.progress.finish(summary)
        return summary
