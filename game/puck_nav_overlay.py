"""What the puck remote is doing, drawn over any screen: the dwell and long-hold timers.

Only shown with a real puck (the keyboard has its own hints) and only while a timer runs, so the
patient sees "hold still to choose" filling up, or "keep holding to stop" — never a surprise.
"""

from __future__ import annotations

import math

import pygame

from game import widgets
from game.puck_nav import PuckNavigator
from game.theme import Theme

SHOW_HOLD_AFTER = 0.35  # the stop ring appears once a third of the long hold has passed


def puck_nav_overlay(surface: pygame.Surface, theme: Theme, nav: PuckNavigator) -> None:
    if nav.dwell_fraction > 0:
        words, fraction = "Hold still to choose", nav.dwell_fraction
    elif nav.hold_fraction > SHOW_HOLD_AFTER:
        words, fraction = "Keep holding to stop", nav.hold_fraction
    else:
        return
    pal = theme.palette
    panel = widgets.rect(theme, 400, 596, 480, 64)
    pygame.draw.rect(surface, pal.panel, panel, border_radius=theme.px(18))
    pygame.draw.rect(surface, pal.text, panel, theme.px(3), border_radius=theme.px(18))
    centre = (panel.left + theme.px(36), panel.centery)
    ring = pygame.Rect(0, 0, theme.px(44), theme.px(44))
    ring.center = centre
    pygame.draw.circle(surface, pal.text_muted, centre, theme.px(22), theme.px(3))
    end = -math.pi / 2 + 2 * math.pi * fraction  # the ring fills clockwise as time runs
    pygame.draw.arc(surface, pal.accent, ring, -end, math.pi / 2, theme.px(8))
    widgets.text(surface, theme, words, theme.hint(), (460, 628), pal.text, "midleft")
