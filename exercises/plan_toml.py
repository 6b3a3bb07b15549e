"""Writing a `TherapyPlan` back as the TOML file a therapist reads and edits.

Used when a plan is made or changed on screen (therapist mode) and by `plan export` when the plan
was not imported from a file. Every field is written, so the file documents itself; parsing the
output gives the same plan (a test checks the round trip).
"""

from __future__ import annotations

from exercises.catalogue import get_exercise
from exercises.plan import TherapyPlan


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else f"{value:.1f}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


def plan_to_toml(plan: TherapyPlan) -> str:
    """The plan as a TOML file (comments name what each block is, for a human reader)."""
    p = plan.patient
    lines = ["# RepQuest therapist plan (python main.py plan check FILE)", "", "[patient]"]
    lines.append(f"name = {_value(p.name)}")
    lines.append(f"affected_side = {_value(p.affected_side)}")
    lines.append(f"age_group = {_value(p.age_group)}")
    if p.neglected_side:
        lines.append(f"neglected_side = {_value(p.neglected_side)}")
    lines += ["", "[session]", f"minutes = {plan.minutes}", f"goal_reps = {plan.goal_reps}"]
    lines.append(f"weekly_schedule = {_value(list(plan.weekly_schedule))}")
    for b in plan.blocks:
        lines += ["", f"# {get_exercise(b.exercise).name}", "[[blocks]]"]
        for key in ("exercise", "sets", "reps", "rest_s", "target_range_deg", "min_rep_s"):
            lines.append(f"{key} = {_value(getattr(b, key))}")
        lines.append(f"game = {_value(b.game)}")
        lines.append(f"count_compensated = {_value(b.count_compensated)}")
        for key in ("min_reps", "max_reps", "min_range_deg", "max_range_deg"):
            lines.append(f"{key} = {_value(getattr(b.bounds, key))}")
    return "\n".join(lines) + "\n"
