"""The game loop: events → actions, device → detector → rep events, fixed-step updates, drawing.

pygame owns the main thread and the loop never blocks on I/O: `Source.read()` is non-blocking and
drained once per frame. Scene logic advances in fixed steps (`STEP_S`) whatever the frame rate, so
timers and animations behave the same on a slow laptop, in tests, and at 60 fps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pygame

from devices.source import Source
from exercises.session_plan import SetPlan
from game import widgets
from game.actions import LIMB_KEYS, Action, ActionEvent, action_for_event
from game.context import DEFAULT_REPS, DEFAULT_REST_S, DEFAULT_SETS, SessionContext
from game.patient_session import use_patient
from game.puck_nav_overlay import puck_nav_overlay
from game.scene import Scene, SceneStack
from game.scenes import SCENES
from game.sound import Sound
from game.theme import Theme
from progress.patients import get_patient
from progress.recorder import PatientRecords

STEP_S = 1.0 / 60.0
MAX_FRAME_S = 0.25  # after a long hitch, do not replay seconds of updates at once
FPS = 60
TIME_CAP = "time cap"  # `stopped_by` when the session reached its time cap
LOST_KEY = pygame.K_p  # keyboard simulator: the puck stops talking / comes back


class App:
    """One running game: the scene stack, the context and the clock. Tests drive `frame()`."""

    def __init__(
        self,
        ctx: SessionContext,
        time_func: Callable[[], float] = time.monotonic,
        first_scene: str = "menu",
    ) -> None:
        self.ctx = ctx
        self._time = time_func
        self._last_s = time_func()
        self._accumulator_s = 0.0
        self.frames = 0
        self.paused = False
        ctx.scenes.go(first_scene)
        ctx.scenes.apply(ctx)

    @property
    def scene(self) -> Scene:
        scene = self.ctx.scenes.current
        assert scene is not None
        return scene

    @property
    def running(self) -> bool:
        return not self.ctx.scenes.quit_requested

    def frame(
        self, surface: pygame.Surface, events: list[pygame.event.Event] | None = None
    ) -> None:
        """One frame: input, device, updates, drawing onto `surface`."""
        for event in pygame.event.get() if events is None else events:
            self._handle_event(event)
        self._switch_if_requested()

        scene = self.scene
        nav = self.ctx.navigator
        if nav is not None:
            nav.in_game = scene.uses_motion
        reps = self.ctx.read_reps(detect=scene.uses_motion or scene.feeds_detector)
        if reps:
            scene.on_reps(reps)  # before drawing: the count jumps in this very frame
        if nav is not None:  # the puck as a remote: the same actions as the keys
            for action in nav.take_actions():
                self.scene.handle_action(ActionEvent(action))
                self._switch_if_requested()
        self._check_time_cap()
        problem = self.ctx.source_problem() if scene.uses_motion else None
        self.paused = problem is not None

        now_s = self._time()
        self._accumulator_s += min(max(now_s - self._last_s, 0.0), MAX_FRAME_S)
        self._last_s = now_s
        while self._accumulator_s >= STEP_S:
            self._accumulator_s -= STEP_S
            self.ctx.time_s += STEP_S
            if not self.paused:
                self.scene.update(STEP_S)
        self._switch_if_requested()

        self.scene.draw(surface)
        if nav is not None:
            puck_nav_overlay(surface, self.ctx.theme, nav)
        if problem is not None:
            widgets.banner(
                surface,
                self.ctx.theme,
                "Paused",
                f"{problem.message} Your reps so far are kept.",
            )
        self.frames += 1

    def _check_time_cap(self) -> None:
        """A game past the session's time cap ends kindly, as if the player had stopped."""
        ctx = self.ctx
        if self.scene.uses_motion and ctx.duration_s() >= ctx.time_cap_s:
            ctx.finish_session(TIME_CAP)
            ctx.scenes.go("results")
            self._switch_if_requested()

    def _handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.ctx.scenes.quit()
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            surface = pygame.display.get_surface()
            if surface is not None:
                self.ctx.theme.resize(surface.get_size())
            return
        if event.type == pygame.KEYDOWN and event.key == LOST_KEY and self.ctx.keyboard_sim:
            self.ctx.keyboard_sim.toggle_lost()  # try the "puck lost" pause by hand
            return
        if event.type in (pygame.KEYDOWN, pygame.KEYUP) and event.key in LIMB_KEYS:
            sim = self.ctx.keyboard_sim
            if sim is not None and self.scene.uses_motion:
                sim.set_held(event.type == pygame.KEYDOWN)
        if event.type == pygame.TEXTINPUT:  # typed text (names, PIN) for screens that take it
            self.scene.handle_text(event.text)
            return
        if event.type == pygame.MOUSEBUTTONDOWN and getattr(event, "button", 1) == 1:
            self.scene.handle_click(event.pos)
            return
        action = action_for_event(event)
        if action is None:
            return
        if action.action is Action.MUTE:
            if action.down:
                self.ctx.sound.toggle_mute()
            return
        self.scene.handle_action(action)

    def _switch_if_requested(self) -> None:
        if self.ctx.scenes.apply(self.ctx):
            sim = self.ctx.keyboard_sim
            if sim is not None:
                sim.set_held(False)  # a new screen starts with the limb at rest


def make_context(
    source: Source,
    plan: SetPlan,
    size: tuple[int, int] = (1280, 720),
    theme_kind: str = "adult",
    sound: Sound | None = None,
    records: PatientRecords | None = None,
    data_dir: Path | None = None,
) -> SessionContext:
    """A session context with a fresh scene stack (pygame.font must be initialised)."""
    return SessionContext(
        source=source,
        plan=plan,
        theme=Theme(theme_kind, size),
        sound=sound if sound is not None else Sound(),
        scenes=SceneStack(SCENES),
        records=records,
        data_dir=data_dir,
    )


def start_context(
    source: Source,
    exercise_id: str,
    plan: SetPlan | None,
    size: tuple[int, int],
    records: PatientRecords | None,
    data_dir: Path | None,
) -> SessionContext:
    """The context `play` starts with: the patient's look and plan in force when there is a
    patient (as on choosing them in the game), else `plan` or the defaults for `exercise_id`."""
    plan = plan or SetPlan(exercise_id, DEFAULT_REPS, DEFAULT_SETS, DEFAULT_REST_S)
    if plan.exercise_id != exercise_id:
        plan = SetPlan(exercise_id, plan.reps_per_set, plan.sets, plan.rest_s)
    ctx = make_context(source, plan, size, records=records, data_dir=data_dir)
    if records is not None:
        use_patient(ctx, records.store, get_patient(records.store, records.patient_id))
    return ctx


def run(
    source: Source,
    *,
    exercise_id: str = "wrist_extension",
    plan: SetPlan | None = None,
    size: tuple[int, int] = (1280, 720),
    max_frames: int | None = None,
    records: PatientRecords | None = None,
    data_dir: Path | None = None,
    first_scene: str = "menu",
    device_chosen: bool = False,
) -> int:
    """Open the window and play until the player quits (or `max_frames` frames). Returns 0.

    Starts `source` and stops it at the end (`stop()` is idempotent, so a caller's `with` is fine).
    """
    pygame.init()
    try:
        screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        pygame.display.set_caption("RepQuest")
        source.start()
        ctx = start_context(source, exercise_id, plan, screen.get_size(), records, data_dir)
        ctx.device_chosen = device_chosen
        app = App(ctx, first_scene=first_scene)
        clock = pygame.time.Clock()
        while app.running and (max_frames is None or app.frames < max_frames):
            screen = pygame.display.get_surface() or screen
            app.frame(screen)
            pygame.display.flip()
            clock.tick(FPS)
        return 0
    finally:
        source.stop()
        pygame.quit()
