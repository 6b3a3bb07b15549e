"""Pieces shared by the screens that count reps (calibration and Rep Rush)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game import widgets

if TYPE_CHECKING:
    from game.context import SessionContext

SIM_HINT = "Hold SPACE to lift, let go to lower"


def gauge(
    surface: pygame.Surface,
    ctx: SessionContext,
    last_reach: float | None,
    x: float = 1030,
) -> pygame.Rect:
    """The live range gauge at the right: where the limb is now, and the goal line."""
    det = ctx.detector
    return widgets.range_gauge(
        surface,
        ctx.theme,
        (x, 110, 70, 470),
        det.progress,
        det.settings.target_fraction,
        last_reach,
    )


def footer(surface: pygame.Surface, ctx: SessionContext) -> None:
    """Esc hint bottom-left; with the keyboard simulator, how to move, bottom-right."""
    widgets.stop_hint(surface, ctx.theme)
    if ctx.keyboard_sim is not None:
        widgets.key_hint(surface, ctx.theme, SIM_HINT)
    widgets.sound_badge(surface, ctx.theme, ctx.sound.audible, ctx.sound.available)


def reach_fraction(ctx: SessionContext, range_fraction: float) -> float:
    """A rep's reach on the gauge's scale (the gauge's goal line sits at the target fraction)."""
    return range_fraction * ctx.detector.settings.target_fraction
