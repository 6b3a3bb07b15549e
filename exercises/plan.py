"""The therapist's plan, as a TOML file: who, how long, how often, and the blocks of a session.

A plan is validated as a whole before anything uses it: `parse_plan` collects *every* problem,
each naming the field, the value and what is allowed, and raises them together, so a therapist
fixes a file in one go and nothing is ever saved from an invalid file. Defaults follow clinical
practice (the seed documents): start an exercise at no more than 5 reps and grow to 10, 2–3 sets
with rests of at most 5 minutes, daily, aiming at ~300 reps a session (Lang 2016).

The file format is documented in `examples/plans/README.md`; `exercises.plan_toml` writes it back.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from typing import Any

from exercises.catalogue import AUTO_ID, load_catalogue
from exercises.games_catalogue import DEFAULT_GAME, GAME_IDS
from exercises.session_plan import SetPlan

SIDES = ("left", "right", "both")
NEGLECTED_SIDES = ("left", "right")
AGE_GROUPS = ("adult", "child")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

START_REPS = 5  # a new exercise starts at no more than 5 reps per set…
MAX_REPS = 10  # …and grows to 10 as the patient gets used to it
DEFAULT_SETS = 3
DEFAULT_REST_S = 60.0
GOAL_REPS = 300  # high-dose sessions aim at ~300 reps (Lang 2016)
DEFAULT_MINUTES = 30
TARGET_SHARE = 0.8  # the default target: this share of the exercise's default range
BOUND_LOW, BOUND_HIGH = 0.5, 1.5  # default progression bounds around the first target

# Allowed ranges, in one table: the checks and their messages come from it.
LIMITS: dict[str, tuple[float, float]] = {
    "sets": (1, 5),
    "reps": (1, 30),
    "rest_s": (0, 300),  # breaks of at most 5 minutes
    "min_rep_s": (0.2, 10),
    "target_range_deg": (0.1, 360),
    "minutes": (5, 120),
    "goal_reps": (1, 2000),
}
INTEGER_FIELDS = ("sets", "reps", "minutes", "goal_reps", "min_reps", "max_reps")
MAX_BLOCKS = 20

PATIENT_FIELDS = ("name", "affected_side", "age_group", "neglected_side")
SESSION_FIELDS = ("minutes", "goal_reps", "weekly_schedule")
BLOCK_FIELDS = (
    "exercise", "sets", "reps", "rest_s", "target_range_deg", "min_rep_s", "game",
    "count_compensated", "min_reps", "max_reps", "min_range_deg", "max_range_deg",
)  # fmt: skip
TOP_FIELDS = ("patient", "session", "blocks")


class PlanFileError(ValueError):
    """A plan that cannot be used; `problems` lists every problem, one line each."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        super().__init__(f"{where}: " + "; ".join(problems))


@dataclass(frozen=True)
class PatientInfo:
    name: str
    affected_side: str
    age_group: str
    neglected_side: str | None = None


@dataclass(frozen=True)
class Bounds:
    """How far progression may move a block: reps per set and target range (feature units)."""

    min_reps: int
    max_reps: int
    min_range_deg: float
    max_range_deg: float


@dataclass(frozen=True)
class Block:
    """One exercise of the session: its sets, reps, rests, target and game."""

    exercise: str
    sets: int
    reps: int
    rest_s: float
    target_range_deg: float  # a rep reaching this range (feature units) is a success
    min_rep_s: float  # a rep quicker than this is too fast (not a success)
    game: str
    count_compensated: bool
    bounds: Bounds

    def set_plan(self) -> SetPlan:
        """The `SetPlan` the game and the headless runner follow for this block."""
        return SetPlan(self.exercise, self.reps, self.sets, self.rest_s, self.count_compensated)


@dataclass(frozen=True)
class TherapyPlan:
    patient: PatientInfo
    minutes: int
    goal_reps: int
    weekly_schedule: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def planned_reps(self) -> int:
        return sum(b.sets * b.reps for b in self.blocks)

    def with_targets(self, targets: list[tuple[int, float]]) -> TherapyPlan:
        """This plan with each block's (reps, target range) replaced, as progression moved them."""
        blocks = tuple(
            replace(b, reps=reps, target_range_deg=target)
            for b, (reps, target) in zip(self.blocks, targets, strict=True)
        )
        return replace(self, blocks=blocks)

    def to_json(self) -> dict[str, Any]:
        """The parsed plan as stored in `plans.plan_json` (and read by the history screen)."""
        from dataclasses import asdict

        out = asdict(self)
        out["weekly_schedule"] = list(self.weekly_schedule)
        return out


class _Checker:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, field: str, value: Any, allowed: str) -> None:
        shown = "(missing)" if value is _MISSING else repr(value)
        self.problems.append(f"{field} = {shown}: {allowed}")

    def table(self, data: Any, field: str, allowed_keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.add(field, data, "must be a table ([" + field + "])")
            return {}
        for key in data:
            if key not in allowed_keys:
                self.add(
                    f"{field}.{key}", data[key], f"unknown field; use {', '.join(allowed_keys)}"
                )
        return data

    def choice(self, data: dict[str, Any], field: str, key: str, allowed: tuple[str, ...]) -> Any:
        value = data.get(key, _MISSING)
        if value not in allowed:
            self.add(f"{field}.{key}", value, f"use one of {', '.join(allowed)}")
            return allowed[0]
        return value

    def number(self, data: dict[str, Any], field: str, key: str, default: float) -> float:
        value = data.get(key, default)
        low, high = LIMITS[key]
        whole = key in INTEGER_FIELDS
        kind = "a whole number" if whole else "a number"
        ok_type = isinstance(value, int) if whole else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type or not low <= value <= high:
            self.add(f"{field}.{key}", value, f"use {kind} from {low:g} to {high:g}")
            return default
        return value


_MISSING = object()


def parse_plan(text: str, where: str = "plan") -> TherapyPlan:
    """Parse and validate a plan file's text; raises `PlanFileError` with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanFileError(where, [f"not valid TOML ({exc})"]) from exc
    return check_plan(data, where)


def check_plan(data: dict[str, Any], where: str = "plan") -> TherapyPlan:
    """Validate a parsed plan (a dict as from TOML); raises `PlanFileError` with every problem."""
    c = _Checker()
    c.table(data, "plan", TOP_FIELDS)
    patient = _patient(c, data.get("patient", _MISSING))
    session = c.table(data.get("session", {}), "session", SESSION_FIELDS)
    minutes = int(c.number(session, "session", "minutes", DEFAULT_MINUTES))
    goal_reps = int(c.number(session, "session", "goal_reps", GOAL_REPS))
    schedule = _schedule(c, session.get("weekly_schedule", list(WEEKDAYS)))
    raw_blocks = data.get("blocks", _MISSING)
    if not isinstance(raw_blocks, list) or not 1 <= len(raw_blocks) <= MAX_BLOCKS:
        count = len(raw_blocks) if isinstance(raw_blocks, list) else raw_blocks
        c.add("blocks", count, f"give 1 to {MAX_BLOCKS} [[blocks]] tables")
        raw_blocks = []
    blocks = tuple(_block(c, raw, i + 1) for i, raw in enumerate(raw_blocks))
    if c.problems:
        raise PlanFileError(where, c.problems)
    return TherapyPlan(patient, minutes, goal_reps, schedule, tuple(b for b in blocks if b))


def _patient(c: _Checker, raw: Any) -> PatientInfo:
    if raw is _MISSING:
        c.add("patient", raw, "add a [patient] table with name, affected_side and age_group")
        return PatientInfo("?", SIDES[0], AGE_GROUPS[0])
    data = c.table(raw, "patient", PATIENT_FIELDS)
    name = data.get("name", _MISSING)
    if not isinstance(name, str) or not name.strip() or len(name) > 60 or not name.isprintable():
        c.add("patient.name", name, "give the patient's name (1 to 60 printable characters)")
        name = "?"
    side = c.choice(data, "patient", "affected_side", SIDES)
    age = c.choice(data, "patient", "age_group", AGE_GROUPS)
    neglected = data.get("neglected_side")
    if neglected is not None:
        neglected = c.choice(data, "patient", "neglected_side", NEGLECTED_SIDES)
    return PatientInfo(" ".join(name.split()), side, age, neglected)


def _schedule(c: _Checker, value: Any) -> tuple[str, ...]:
    if value == "daily":
        return WEEKDAYS
    days = [str(v).lower()[:3] for v in value] if isinstance(value, list) else None
    if not days or any(d not in WEEKDAYS for d in days) or len(set(days)) != len(days):
        allowed = f'"daily" or a list of different days from {", ".join(WEEKDAYS)}'
        c.add("session.weekly_schedule", value, allowed)
        return WEEKDAYS
    return tuple(d for d in WEEKDAYS if d in days)


def _block(c: _Checker, raw: Any, n: int) -> Block | None:
    field = f"blocks[{n}]"
    data = c.table(raw, field, BLOCK_FIELDS)
    exercise_id = data.get("exercise", _MISSING)
    catalogue = load_catalogue()
    if exercise_id not in catalogue or exercise_id == AUTO_ID:
        known = ", ".join(e for e in catalogue if e != AUTO_ID)
        c.add(f"{field}.exercise", exercise_id, f"use an exercise id: {known}")
        return None
    exercise = catalogue[exercise_id]
    field = f"{field} ({exercise_id})"
    first = len(c.problems)
    sets = int(c.number(data, field, "sets", DEFAULT_SETS))
    reps = int(c.number(data, field, "reps", START_REPS))
    rest_s = float(c.number(data, field, "rest_s", DEFAULT_REST_S))
    target = float(c.number(data, field, "target_range_deg", TARGET_SHARE * exercise.range_deg))
    min_rep_s = float(c.number(data, field, "min_rep_s", exercise.min_rep_s))
    game = data.get("game", DEFAULT_GAME)
    if game not in GAME_IDS:
        c.add(f"{field}.game", game, f"use one of {', '.join(GAME_IDS)}")
    compensated = data.get("count_compensated", True)
    if not isinstance(compensated, bool):
        c.add(f"{field}.count_compensated", compensated, "use true or false")
    bounds = _bounds(c, data, field, reps, target)
    if len(c.problems) > first:
        return None
    return Block(
        exercise_id, sets, reps, rest_s, target, min_rep_s, game, bool(compensated), bounds
    )


def _bounds(c: _Checker, data: dict[str, Any], field: str, reps: int, target: float) -> Bounds:
    """Progression bounds; by default reps may go from min(reps, 5) to max(reps, 10), and the
    target range from half to one and a half times the first target."""
    values = {
        "min_reps": data.get("min_reps", min(reps, START_REPS)),
        "max_reps": data.get("max_reps", max(reps, MAX_REPS)),
        "min_range_deg": data.get("min_range_deg", round(BOUND_LOW * target, 2)),
        "max_range_deg": data.get("max_range_deg", min(round(BOUND_HIGH * target, 2), 360.0)),
    }
    for key, value in values.items():
        whole = key in INTEGER_FIELDS
        ok = isinstance(value, int) if whole else isinstance(value, int | float)
        if isinstance(value, bool) or not ok or value <= 0:
            c.add(f"{field}.{key}", value, f"use a {'whole ' if whole else ''}number above 0")
            return Bounds(reps, reps, target, target)
    if not values["min_reps"] <= reps <= values["max_reps"]:
        allowed = f"reps ({reps}) must lie within min_reps ({values['min_reps']}) and max_reps"
        c.add(f"{field}.max_reps", values["max_reps"], allowed)
    if not values["min_range_deg"] <= target <= values["max_range_deg"]:
        allowed = f"target_range_deg ({target:g}) must lie within min_range_deg and max_range_deg"
        c.add(f"{field}.min_range_deg..max_range_deg",
              [values["min_range_deg"], values["max_range_deg"]], allowed)  # fmt: skip
    return Bounds(
        int(values["min_reps"]),
        int(values["max_reps"]),
        float(values["min_range_deg"]),
        float(values["max_range_deg"]),
    )


def plan_from_json(data: dict[str, Any]) -> TherapyPlan:
    """A plan stored as `TherapyPlan.to_json()`, back as a `TherapyPlan` (trusted: it was valid)."""
    blocks = tuple(Block(**{**b, "bounds": Bounds(**b["bounds"])}) for b in data["blocks"])
    return TherapyPlan(
        PatientInfo(**data["patient"]),
        int(data["minutes"]),
        int(data["goal_reps"]),
        tuple(data["weekly_schedule"]),
        blocks,
    )
