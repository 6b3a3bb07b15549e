"""Exercises are data: one TOML file each in `exercises/catalogue/`, loaded into frozen dataclasses.

Adding an exercise means adding a file, not code. Loading validates every field and names the
file and field in its error, so a therapist-edited or hand-made file fails loudly and clearly.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
AUTO_ID = "auto"
FEATURE_TILT = "tilt"  # the gravity direction's tilt in the movement plane (accelerometer)
FEATURE_GYRO = "gyro"  # rotation about the puck's main turning axis, integrated (gyroscope)
FEATURE_AUTO = "auto"  # learned: tilt, or gyro when the puck has one and it shows the reps better
FEATURES = (FEATURE_TILT, FEATURE_GYRO, FEATURE_AUTO)
SENSORS = ("accel", "gyro")
# Which sensors each feature cannot do without (the exercise file must list them).
FEATURE_SENSORS = {FEATURE_TILT: ("accel",), FEATURE_GYRO: ("gyro",), FEATURE_AUTO: ("accel",)}
DEFAULT_COMPENSATION_DEG = 15.0


class ExerciseError(ValueError):
    """An exercise file or id that cannot be used; the message names the field and the fix."""


@dataclass(frozen=True)
class SimulatorPose:
    """How the keyboard simulator moves the puck for this exercise (puck axes, see LimbMotion)."""

    rest_up: tuple[float, float, float]
    axis: tuple[float, float, float]
    lever_m: float
    lever_dir: tuple[float, float, float]


@dataclass(frozen=True)
class DemoPose:
    """The side-view animation of "watch and imagine": which segment turns, from where to where.

    Angles are in the picture plane, degrees from pointing forward (right on screen), up positive.
    """

    joint: str  # wrist | elbow | shoulder
    rest_deg: float
    moved_deg: float


@dataclass(frozen=True)
class Exercise:
    """One movement the plan can ask for, with everything the detector, game and simulator need."""

    id: str
    name: str
    child_name: str
    body_part: str
    placement: str
    feature: str  # how the movement is measured: tilt, gyro or auto (see FEATURES)
    sensors: tuple[str, ...]  # what the puck must have for this feature (see FEATURE_SENSORS)
    range_deg: float  # default comfortable range, until calibration measures the patient's own
    min_rep_s: float  # anything quicker is tremor or a knock, not a rep
    max_rep_s: float  # anything slower is drift or a change of posture
    instructions: tuple[str, ...]
    safety: str
    sim: SimulatorPose
    demo: DemoPose
    # A second puck (other hand or trunk) turning more than this during a rep flags it compensated.
    compensation_deg: float = DEFAULT_COMPENSATION_DEG


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        raise ExerciseError(f"{where}: missing field '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ExerciseError(f"{where}: field '{key}' has the wrong type ({type(value).__name__})")
    return value


def _vector(data: dict[str, Any], key: str, where: str) -> tuple[float, float, float]:
    value = _require(data, key, list, where)
    if len(value) != 3 or not all(isinstance(v, int | float) for v in value):
        raise ExerciseError(f"{where}: field '{key}' must be three numbers, got {value}")
    if not any(value):
        raise ExerciseError(f"{where}: field '{key}' must not be all zeros")
    return (float(value[0]), float(value[1]), float(value[2]))


def parse_exercise(data: dict[str, Any], where: str) -> Exercise:
    """Build an `Exercise` from parsed TOML; errors name `where` and the field."""
    number = (int, float)
    feature = _require(data, "feature", str, where)
    if feature not in FEATURES:
        raise ExerciseError(f"{where}: feature '{feature}' is not one of {', '.join(FEATURES)}")
    range_deg = float(_require(data, "range_deg", number, where))
    min_rep_s = float(_require(data, "min_rep_s", number, where))
    max_rep_s = float(_require(data, "max_rep_s", number, where))
    if not 0 < range_deg <= 360:
        raise ExerciseError(f"{where}: range_deg must be in (0, 360], got {range_deg}")
    if not 0 < min_rep_s < max_rep_s:
        raise ExerciseError(
            f"{where}: need 0 < min_rep_s < max_rep_s, got {min_rep_s}, {max_rep_s}"
        )
    sensors = tuple(_require(data, "sensors", list, where))
    unknown = [x for x in sensors if x not in SENSORS]
    if unknown:
        raise ExerciseError(f"{where}: sensors {unknown} unknown; use some of {', '.join(SENSORS)}")
    missing = [x for x in FEATURE_SENSORS[feature] if x not in sensors]
    if missing:
        raise ExerciseError(f"{where}: feature '{feature}' needs sensors {missing} in 'sensors'")
    compensation_deg = float(data.get("compensation_deg", DEFAULT_COMPENSATION_DEG))
    if isinstance(data.get("compensation_deg"), bool) or not 0 < compensation_deg <= 90:
        raise ExerciseError(f"{where}: compensation_deg must be in (0, 90], got {compensation_deg}")
    sim = _require(data, "sim", dict, where)
    demo = _require(data, "demo", dict, where)
    return Exercise(
        id=_require(data, "id", str, where),
        name=_require(data, "name", str, where),
        child_name=_require(data, "child_name", str, where),
        body_part=_require(data, "body_part", str, where),
        placement=_require(data, "placement", str, where),
        feature=feature,
        sensors=sensors,
        range_deg=range_deg,
        min_rep_s=min_rep_s,
        max_rep_s=max_rep_s,
        instructions=tuple(_require(data, "instructions", list, where)),
        safety=_require(data, "safety", str, where),
        sim=SimulatorPose(
            rest_up=_vector(sim, "rest_up", f"{where} [sim]"),
            axis=_vector(sim, "axis", f"{where} [sim]"),
            lever_m=float(_require(sim, "lever_m", number, f"{where} [sim]")),
            lever_dir=_vector(sim, "lever_dir", f"{where} [sim]"),
        ),
        demo=DemoPose(
            joint=_require(demo, "joint", str, f"{where} [demo]"),
            rest_deg=float(_require(demo, "rest_deg", number, f"{where} [demo]")),
            moved_deg=float(_require(demo, "moved_deg", number, f"{where} [demo]")),
        ),
        compensation_deg=compensation_deg,
    )


@cache
def load_catalogue(directory: Path = CATALOGUE_DIR) -> dict[str, Exercise]:
    """Every exercise in `directory`, by id, in file-name order."""
    exercises: dict[str, Exercise] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ExerciseError(f"{path.name}: not valid TOML ({exc})") from exc
        exercise = parse_exercise(data, path.name)
        if exercise.id in exercises:
            raise ExerciseError(f"{path.name}: id '{exercise.id}' is used twice")
        exercises[exercise.id] = exercise
    return exercises


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id (`auto` included), or an error listing the ones that exist."""
    catalogue = load_catalogue()
    if exercise_id in catalogue:
        return catalogue[exercise_id]
    known = ", ".join([*catalogue, AUTO_ID])
    raise ExerciseError(f"unknown exercise '{exercise_id}' — choose one of: {known}")
