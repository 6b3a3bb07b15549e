"""The therapist's plan editor as data: the rows it shows, what ← → do to them, the plan it saves.

Every field of a stored plan comes into the form and goes back out, shown or not (minutes and
weekly schedule, compensated reps), so saving never drops what a plan file set. The rows cover
what a therapist sets per exercise — sets, reps and how far progression may move them, rest,
target range and its bounds, the shortest rep, the game — and the session's goal, in plain words
with units ("3 sets", "target 36°", "rest 60 s"). No pygame here: the scene draws the rows.
"""

from __future__ import annotations

from typing import Any

from exercises.catalogue import AUTO_ID, get_exercise, load_catalogue
from exercises.games_catalogue import GAME_IDS, get_game
from exercises.plan import (
    AGE_GROUPS,
    DEFAULT_REST_S,
    DEFAULT_SETS,
    LIMITS,
    SIDES,
    START_REPS,
    TherapyPlan,
)

NEGLECT = (None, "left", "right")
EXERCISES = [e for e in load_catalogue() if e != AUTO_ID]
TAP_FEATURES = ("tap", "alternate_taps")
# field → (lowest, highest, step); range fields step by a share of the exercise's range instead.
STEPPED: dict[str, tuple[float, float, float]] = {
    "sets": (*LIMITS["sets"], 1),
    "reps": (*LIMITS["reps"], 1),
    "min_reps": (*LIMITS["reps"], 1),
    "max_reps": (*LIMITS["reps"], 1),
    "rest_s": (*LIMITS["rest_s"], 15),
    "min_rep_s": (*LIMITS["min_rep_s"], 0.1),
    "goal_reps": (*LIMITS["goal_reps"], 10),
    "minutes": (*LIMITS["minutes"], 5),
}
RANGE_FIELDS = ("target_range_deg", "min_range_deg", "max_range_deg")
BLOCK_ROWS = (
    "exercise", "sets", "reps", "min_reps", "max_reps", "rest_s", "target_range_deg",
    "min_range_deg", "max_range_deg", "min_rep_s", "game",
)  # fmt: skip


def cycle(values: list[Any] | tuple[Any, ...], value: Any, step: int) -> Any:
    i = values.index(value) if value in values else 0
    return values[(i + step) % len(values)]


def unit(exercise_id: str) -> str:
    """The unit of a target range: degrees, or a tap's strength for tap exercises."""
    return " (tap strength)" if get_exercise(exercise_id).feature in TAP_FEATURES else "°"


def new_block(exercise_id: str = "wrist_extension") -> dict[str, Any]:
    """A block with the plan file's defaults (the range fields follow the exercise)."""
    block: dict[str, Any] = {
        "exercise": exercise_id, "sets": DEFAULT_SETS, "reps": START_REPS,
        "rest_s": DEFAULT_REST_S, "game": "rep_rush", "count_compensated": True,
    }  # fmt: skip
    reset_to_exercise(block)
    return block


def reset_to_exercise(block: dict[str, Any]) -> None:
    """Targets and pace from the (new) exercise: 80 % of its range, half to 1.5× as bounds."""
    ex = get_exercise(block["exercise"])
    target = round(0.8 * ex.range_deg, 2)
    block.update(
        target_range_deg=target,
        min_rep_s=ex.min_rep_s,
        min_range_deg=round(0.5 * target, 2),
        max_range_deg=round(1.5 * target, 2),
    )
    block["min_reps"] = min(block["reps"], START_REPS)
    block["max_reps"] = max(block["reps"], 10)


def form_for(plan: TherapyPlan | None, patient: Any) -> dict[str, Any]:
    """The editor's fields for a patient (None: a new one) and their plan (None: defaults)."""
    session: dict[str, Any] = {"minutes": 30, "goal_reps": 300, "weekly_schedule": "daily"}
    blocks = [new_block()]
    if plan is not None:
        session = {"minutes": plan.minutes, "goal_reps": plan.goal_reps,
                   "weekly_schedule": list(plan.weekly_schedule)}  # fmt: skip
        blocks = []
        for b in plan.blocks:
            fields = {k: getattr(b, k) for k in ("exercise", "sets", "reps", "rest_s", "game",
                      "count_compensated", "target_range_deg", "min_rep_s")}  # fmt: skip
            bounds = b.bounds
            fields.update(
                min_reps=bounds.min_reps,
                max_reps=bounds.max_reps,
                min_range_deg=bounds.min_range_deg,
                max_range_deg=bounds.max_range_deg,
            )
            blocks.append(fields)
    return {
        "id": None if patient is None else patient.id,
        "name": "" if patient is None else patient.name,
        "side": (patient and patient.affected_side) or "left",
        "age": (patient and patient.age_group) or "adult",
        "neglect": patient.neglected_side if patient else None,
        "session": session,
        "blocks": blocks,
    }


def plan_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form as a plan dict, ready for `exercises.plan.check_plan`."""
    patient = {"name": form["name"], "affected_side": form["side"], "age_group": form["age"]}
    if form["neglect"]:
        patient["neglected_side"] = form["neglect"]
    return {"patient": patient, "session": dict(form["session"]), "blocks": form["blocks"]}


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" if n == 1 else f"{n:g} {word}s"


def block_label(field: str, b: dict[str, Any], number: int) -> str:
    u = unit(b["exercise"])
    words = {
        "exercise": f"{number}. {get_exercise(b['exercise']).name}",
        "sets": _plural(b["sets"], "set"),
        "reps": f"{_plural(b['reps'], 'rep')} a set",
        "min_reps": f"reps may drop to {b['min_reps']}",
        "max_reps": f"reps may grow to {b['max_reps']}",
        "rest_s": f"rest {b['rest_s']:g} s between sets",
        "target_range_deg": f"target {b['target_range_deg']:g}{u}",
        "min_range_deg": f"target may drop to {b['min_range_deg']:g}{u}",
        "max_range_deg": f"target may grow to {b['max_range_deg']:g}{u}",
        "min_rep_s": f"a rep takes at least {b['min_rep_s']:.1f} s",
        "game": f"game: {get_game(b['game']).name}",
    }[field]
    return words


def rows(form: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, label) pairs; kind says what SELECT and ← → do ("reps:0": block 0's reps)."""
    s = form["session"]
    out = [
        ("name", f"Name: {form['name']}_"),
        ("side", f"‹ Weaker side: {form['side']} ›"),
        ("age", f"‹ Age group: {form['age']} ›"),
        ("neglect", f"‹ Misses a side: {form['neglect'] or 'no'} ›"),
        ("goal_reps", f"‹ Goal: {s['goal_reps']} reps a session ›"),
        ("minutes", f"‹ Session up to {s['minutes']} min ›"),
    ]
    for i, b in enumerate(form["blocks"]):
        out += [(f"{f}:{i}", f"‹ {block_label(f, b, i + 1)} ›") for f in BLOCK_ROWS]
    actions = [("add", "Add an exercise"), ("drop", "Remove the last exercise")]
    return [*out, *actions, ("save", "Save"), ("cancel", "Cancel")]


def change(form: dict[str, Any], kind: str, step: int) -> None:
    """← (step -1) or → (+1) on the row `kind`."""
    if kind == "side":
        form["side"] = cycle(SIDES, form["side"], step)
    elif kind == "age":
        form["age"] = cycle(AGE_GROUPS, form["age"], step)
    elif kind == "neglect":
        form["neglect"] = cycle(NEGLECT, form["neglect"], step)
    elif kind in ("goal_reps", "minutes"):
        low, high, size = STEPPED[kind]
        form["session"][kind] = int(min(high, max(low, form["session"][kind] + step * size)))
    elif ":" in kind:
        field, index = kind.split(":")
        _change_block(form["blocks"][int(index)], field, step)


def _change_block(block: dict[str, Any], field: str, step: int) -> None:
    if field == "exercise":
        block["exercise"] = cycle(EXERCISES, block["exercise"], step)
        reset_to_exercise(block)
    elif field == "game":
        block["game"] = cycle(GAME_IDS, block["game"], step)
    elif field in RANGE_FIELDS:
        size = max(1.0, round(get_exercise(block["exercise"]).range_deg / 20))
        size = 0.1 if unit(block["exercise"]) != "°" else size
        block[field] = round(min(360.0, max(0.1, block[field] + step * size)), 2)
        _keep_inside(block, "target_range_deg", "min_range_deg", "max_range_deg", field)
    else:
        low, high, size = STEPPED[field]
        value = min(high, max(low, block[field] + step * size))
        block[field] = round(value, 1) if field == "min_rep_s" else value
        if field in ("reps", "min_reps", "max_reps"):
            _keep_inside(block, "reps", "min_reps", "max_reps", field)


def _keep_inside(block: dict[str, Any], value: str, low: str, high: str, moved: str) -> None:
    """The bounds follow a value moved past them, and a bound moved past the value takes it
    along: the therapist never meets "must lie within" for a change they just made."""
    if moved == value:
        block[low] = min(block[low], block[value])
        block[high] = max(block[high], block[value])
    elif moved == low:
        block[low] = min(block[low], block[high])
        block[value] = max(block[value], block[low])
    else:
        block[high] = max(block[high], block[low])
        block[value] = min(block[value], block[high])
