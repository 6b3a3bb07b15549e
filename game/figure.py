"""The "watch and imagine" figure: a side view of a person whose arm does the exercise slowly.

Watching a movement and imagining it (motor imagery / action observation) is part of stroke
rehabilitation. The drawing is procedural: thick rounded lines for the body and arm, so it scales
to any window and works for every exercise from its `DemoPose` (which joint turns, from where to
where, in degrees from pointing forward/right, up positive).
"""

from __future__ import annotations

import math

import pygame

from exercises.catalogue import DemoPose
from game.theme import Theme

CYCLE_S = 5.0  # one slow out-and-back
_ZOOM = {"wrist": 1.35}  # closer view for movements too small to see on the whole figure
UPPER_ARM = 120.0  # design px
FOREARM = 110.0
HAND = 66.0

# Rest pose of the segments not moving, by joint: (upper arm, forearm, hand) absolute angles.
_REST = {
    "wrist": (-100.0, 0.0, 0.0),  # forearm resting forward on a table
    "elbow": (-90.0, -90.0, -90.0),
    "shoulder": (-90.0, -90.0, -90.0),
}


def demo_angle_deg(pose: DemoPose, t_s: float) -> float:
    """The moving segment's angle at time `t_s`: hold, ease out, hold, ease back (CYCLE_S)."""
    phase = (t_s % CYCLE_S) / CYCLE_S
    # 10 % hold at rest, 40 % out, 10 % hold at the top, 40 % back.
    if phase < 0.1:
        amount = 0.0
    elif phase < 0.5:
        amount = 0.5 - 0.5 * math.cos(math.pi * (phase - 0.1) / 0.4)
    elif phase < 0.6:
        amount = 1.0
    else:
        amount = 0.5 + 0.5 * math.cos(math.pi * (phase - 0.6) / 0.4)
    return pose.rest_deg + (pose.moved_deg - pose.rest_deg) * amount


def segment_angles(pose: DemoPose, angle_deg: float) -> tuple[float, float, float]:
    """Absolute angles (upper arm, forearm, hand); segments beyond the moving joint follow it."""
    upper, fore, _hand = _REST.get(pose.joint, _REST["shoulder"])
    if pose.joint == "shoulder":
        return angle_deg, angle_deg, angle_deg
    if pose.joint == "elbow":
        return upper, angle_deg, angle_deg
    return upper, fore, angle_deg


def _step(p: tuple[float, float], angle_deg: float, length: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return p[0] + length * math.cos(a), p[1] - length * math.sin(a)  # screen y grows downward


def draw_figure(
    surface: pygame.Surface,
    theme: Theme,
    pose: DemoPose,
    t_s: float,
    origin: tuple[float, float] = (900, 230),
    area: tuple[float, float, float, float] = (700, 70, 560, 520),
) -> None:
    """Draw the figure with its shoulder at design point `origin`, animated at time `t_s`.

    A small movement (the wrist) is shown closer: the picture is magnified around the wrist and
    clipped to `area` (design px), so the hand's lift is big enough to see from a distance while
    the whole person stays in view.
    """
    pal = theme.palette
    body = pal.text_muted
    arm = pal.accent
    zoom = _ZOOM.get(pose.joint, 1.0)
    rest_elbow = _step(origin, _REST["wrist"][0], UPPER_ARM)
    focus = _step(rest_elbow, 0.0, FOREARM) if zoom != 1.0 else origin
    centre = (area[0] + area[2] * 0.47, area[1] + area[3] * 0.62) if zoom != 1.0 else origin
    width = theme.px(30 * zoom)
    old_clip = surface.get_clip()
    surface.set_clip(pygame.Rect(*(theme.px(v) for v in area)))

    def pt(p: tuple[float, float]) -> tuple[int, int]:
        return (
            theme.px(centre[0] + (p[0] - focus[0]) * zoom),
            theme.px(centre[1] + (p[1] - focus[1]) * zoom),
        )

    def size(v: float) -> int:
        return theme.px(v * zoom)

    def limb(a: tuple[float, float], b: tuple[float, float], color: tuple[int, int, int]) -> None:
        pygame.draw.line(surface, color, pt(a), pt(b), width)
        for end in (a, b):
            pygame.draw.circle(surface, color, pt(end), width // 2)

    shoulder = origin
    hip = (origin[0] - 10, origin[1] + 210)
    head = (origin[0] + 6, origin[1] - 70)
    # Chair and table, so "sit tall" and "forearm on the table" have something to refer to.
    seat_y = hip[1] + 14
    pygame.draw.line(
        surface, pal.panel, pt((hip[0] - 90, seat_y)), pt((hip[0] + 70, seat_y)), width
    )
    pygame.draw.line(
        surface, pal.panel, pt((hip[0] - 90, seat_y)), pt((hip[0] - 90, seat_y - 230)), width
    )
    pygame.draw.line(
        surface, pal.panel, pt((hip[0] + 60, seat_y)), pt((hip[0] + 60, seat_y + 90)), width
    )
    pygame.draw.line(
        surface, pal.panel, pt((hip[0] - 80, seat_y)), pt((hip[0] - 80, seat_y + 90)), width
    )

    angle = demo_angle_deg(pose, t_s)
    upper_deg, fore_deg, hand_deg = segment_angles(pose, angle)
    elbow = _step(shoulder, upper_deg, UPPER_ARM)
    wrist = _step(elbow, fore_deg, FOREARM)
    fingers = _step(wrist, hand_deg, HAND)
    if pose.joint == "wrist":
        table_y = wrist[1] + 26
        pygame.draw.line(
            surface, pal.panel, pt((elbow[0] - 40, table_y)), pt((wrist[0] + 4, table_y)), width
        )

    limb(shoulder, hip, body)  # torso
    legs_knee = (hip[0] + 120, hip[1])
    limb(hip, legs_knee, body)
    limb(legs_knee, (legs_knee[0], legs_knee[1] + 130), body)
    pygame.draw.circle(surface, body, pt(head), size(44))
    # Eye and nose: shows which way the person faces (right), so "forward" is clear.
    pygame.draw.circle(surface, pal.background, pt((head[0] + 22, head[1] - 6)), size(6))
    limb(shoulder, elbow, arm)
    limb(elbow, wrist, arm)
    limb(wrist, fingers, arm)

    # The puck, where the exercise straps it: a dark square with a light rim, drawn on top.
    on = {"wrist": (wrist, fingers), "elbow": (elbow, wrist), "shoulder": (shoulder, elbow)}
    a, b = on.get(pose.joint, (shoulder, elbow))
    share = 0.45 if pose.joint == "wrist" else 0.7
    puck = (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)
    box = pygame.Rect(0, 0, size(28), size(28))
    box.center = pt(puck)
    pygame.draw.rect(surface, (0, 0, 0), box, border_radius=size(8))
    pygame.draw.rect(surface, pal.text, box, width=size(4), border_radius=size(8))

    # A curved arrow along the path of the moving joint's tip shows the direction of travel.
    pivot = {"wrist": wrist, "elbow": elbow, "shoulder": shoulder}[pose.joint]
    length = {"wrist": HAND, "elbow": FOREARM + HAND, "shoulder": UPPER_ARM + FOREARM + HAND}
    radius = length[pose.joint] + 34
    lo, hi = sorted((pose.rest_deg, pose.moved_deg))
    points = [pt(_step(pivot, lo + (hi - lo) * k / 24, radius)) for k in range(25)]
    pygame.draw.lines(surface, pal.text_muted, False, points, size(4))
    tip = _step(pivot, pose.moved_deg, radius)
    back = _step(pivot, pose.moved_deg - math.copysign(8, pose.moved_deg - pose.rest_deg), radius)
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    head_pts = [
        pt((tip[0] + ux * 12, tip[1] + uy * 12)),
        pt((tip[0] - ux * 14 - uy * 14, tip[1] - uy * 14 + ux * 14)),
        pt((tip[0] - ux * 14 + uy * 14, tip[1] - uy * 14 - ux * 14)),
    ]
    pygame.draw.polygon(surface, pal.text_muted, head_pts)
    surface.set_clip(old_clip)
