"""Keys become actions at one place, so scenes never see a key code.

One hand is enough (UX.md): arrows plus SPACE or ENTER, Esc to stop. A puck could later produce the
same actions (tilt to move focus, hold still to choose) without any scene changing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pygame


class Action(enum.Enum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    SELECT = "select"
    BACK = "back"
    STOP = "stop"
    MUTE = "mute"
    LEAN = "lean"  # keyboard simulator: hold to lean the trunk (the second puck moves)


@dataclass(frozen=True)
class ActionEvent:
    """An action starting (`down`) or ending (key released): games that need holding use both."""

    action: Action
    down: bool = True


KEY_ACTIONS: dict[int, Action] = {
    pygame.K_UP: Action.UP,
    pygame.K_DOWN: Action.DOWN,
    pygame.K_LEFT: Action.LEFT,
    pygame.K_RIGHT: Action.RIGHT,
    pygame.K_SPACE: Action.SELECT,
    pygame.K_RETURN: Action.SELECT,
    pygame.K_KP_ENTER: Action.SELECT,
    pygame.K_BACKSPACE: Action.BACK,
    pygame.K_ESCAPE: Action.STOP,
    pygame.K_m: Action.MUTE,
    pygame.K_l: Action.LEAN,
}

# Holding one of these moves the keyboard simulator's limb (on screens that count reps).
LIMB_KEYS = frozenset({pygame.K_SPACE, pygame.K_UP})


def action_for_event(event: pygame.event.Event) -> ActionEvent | None:
    """The action a key press or release means, or None for any other event or key."""
    if event.type not in (pygame.KEYDOWN, pygame.KEYUP):
        return None
    action = KEY_ACTIONS.get(event.key)
    if action is None:
        return None
    if event.type == pygame.KEYDOWN and getattr(event, "repeat", False):
        return None  # a key held down is one choice, not many
    return ActionEvent(action, down=event.type == pygame.KEYDOWN)
