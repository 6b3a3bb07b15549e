"""Mind the unseen side (UX.md 5): with a neglected side set, the layout leans toward the seen side.

Every screen is laid out on a 1280×720 design canvas. When the profile records a neglected side,
horizontal design positions are squeezed into the `SEEN_SHARE` of the screen on the side the
patient sees, so the counter, prompts, buttons and the menu focus sit there; sizes do not shrink,
so text stays as large as ever. The theme applies this (`Theme.x`) and the drawing helpers in
`game.widgets` use it, so every screen gets it without knowing about it.
"""

from __future__ import annotations

DESIGN_W = 1280.0
SEEN_SHARE = 0.8  # the layout uses this share of the width, on the seen side


def seen_x(neglected_side: str | None, design_x: float) -> float:
    """Where design x `design_x` goes (design px) for a patient neglecting `neglected_side`."""
    if neglected_side == "left":  # the patient sees the right: everything moves right
        return DESIGN_W * (1 - SEEN_SHARE) + SEEN_SHARE * design_x
    if neglected_side == "right":
        return SEEN_SHARE * design_x
    return design_x
