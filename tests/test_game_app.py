"""The entry point and the loop: `run()` opens a window, plays, and returns 0."""

from __future__ import annotations

import time

import pygame
import pytest

from devices.keyboard_sim import KeyboardSimulator
from devices.source import SourceState
from exercises.session_plan import SetPlan
from game.actions import Action, action_for_event
from game.app import run
from game.autoplay import key_event


def test_run_plays_frames_and_returns_zero() -> None:
    sim = KeyboardSimulator()
    assert run(sim, max_frames=5) == 0
    assert sim.status.state is SourceState.STOPPED  # run stops what it started


def test_run_quits_on_esc_from_the_menu() -> None:
    pygame.init()
    for _ in range(2):  # the first Esc asks, the second closes
        pygame.event.post(key_event(pygame.K_ESCAPE, True))
    started_s = time.monotonic()
    # Without Esc this would run all 300 frames: five seconds at 60 fps.
    assert run(KeyboardSimulator(), exercise_id="elbow_flexion", max_frames=300) == 0
    assert time.monotonic() - started_s < 2.5


def test_run_accepts_a_plan_and_another_size() -> None:
    plan = SetPlan("shoulder_flexion", reps_per_set=5, sets=1, rest_s=0)
    assert (
        run(
            KeyboardSimulator(),
            exercise_id="shoulder_flexion",
            plan=plan,
            size=(1920, 1080),
            max_frames=3,
        )
        == 0
    )


def test_run_without_an_audio_device_does_not_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise pygame.error("no audio device")

    monkeypatch.setattr(pygame.mixer, "init", fail)
    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    assert run(KeyboardSimulator(), max_frames=3) == 0


def test_keys_become_actions_and_held_keys_do_not_repeat() -> None:
    down = action_for_event(key_event(pygame.K_RETURN, True))
    assert down is not None and down.action is Action.SELECT and down.down
    up = action_for_event(key_event(pygame.K_ESCAPE, False))
    assert up is not None and up.action is Action.STOP and not up.down
    assert action_for_event(key_event(pygame.K_q, True)) is None
    repeat = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, repeat=True)
    assert action_for_event(repeat) is None
