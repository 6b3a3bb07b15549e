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
FEATURE_TAP = "tap"  # a knock of a finger on the puck (a short spike of acceleration)
FEATURE_ALTERNATE_TAPS = "alternate_taps"  # taps on two pucks in turn: one rep = there and back
FEATURES = (FEATURE_TILT, FEATURE_GYRO, FEATURE_AUTO, FEATURE_TAP, FEATURE_ALTERNATE_TAPS)
TAP_FEATURES = (
    FEATURE_TAP,
    FEATURE_ALTERNATE_TAPS,
)  # counted by detection.taps, not tilt
SENSORS = ("accel", "gyro")
# Which sensors each feature cannot do without (the exercise file must list them).
FEATURE_SENSORS = {
    FEATURE_TILT: ("accel",),
    FEATURE_GYRO: ("gyro",),
    FEATURE_AUTO: ("accel",),
    FEATURE_TAP: ("accel",),
    FEATURE_ALTERNATE_TAPS: ("accel",),
}
DEFAULT_COMPENSATION_DEG = 15.0
# Where a puck sits, for the placement picture (game/placement.py draws a dot there).
PUCK_SITES = (
    "hand", "wrist", "forearm", "upper_arm", "chest", "back", "thigh", "shin", "foot", "table",
)  # fmt: skip
# A second puck either watches for compensation (trunk / other hand: it should stay still) or is
# a partner in the movement (bilateral raise, alternate taps): then it is never a compensation.
SECOND_PUCK_ROLES = ("watch", "partner")
DEMO_JOINTS = ("wrist", "elbow", "shoulder", "none")  # "none": the intro shows the placement only


class ExerciseError(ValueError):
    """An exercise file or id that cannot be used; the message names the field and the fix."""


@dataclass(frozen=True)
class SimulatorPose:
    """How the keyboard simulator moves the puck for this exercise (puck axes, see LimbMotion)."""

    rest_up: tuple[float, float, float]
    axis: tuple[float, float, float]
    lever_m: float
    lever_dir: tuple[float, float, float]
    tap_g: float = 0.0  # > 0: pressing the key knocks the puck this hard instead of turning it
    tap_on_release: bool = False  # the knock comes when the key is let go (the partner puck)


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
    puck_site: str = "forearm"  # where the (first) puck sits, for the placement picture
    pucks: int = 1  # pucks the exercise needs: 2 for bilateral and alternate-tap exercises
    second_puck: str = "watch"  # see SECOND_PUCK_ROLES
    second_site: str | None = None  # where the second puck sits (pucks = 2)
    sim_partner: SimulatorPose | None = None  # how the simulator moves the partner puck

    @property
    def counts_all_pucks(self) -> bool:
        """True when the detector needs every puck's stream (alternate taps), not just one."""
        return self.feature == FEATURE_ALTERNATE_TAPS

    @property
    def partner_moves(self) -> bool:
        """True when the second puck moves by design, so it must not flag compensation."""
        return self.second_puck == "partner"


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
    joint = _require(demo, "joint", str, f"{where} [demo]")
    _one_of(joint, DEMO_JOINTS, "joint", f"{where} [demo]")
    pucks, second_role, second_site, partner = _two_pucks(data, feature, where)
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
        sim=_sim_pose(sim, f"{where} [sim]"),
        demo=DemoPose(
            joint=joint,
            rest_deg=float(_require(demo, "rest_deg", number, f"{where} [demo]")),
            moved_deg=float(_require(demo, "moved_deg", number, f"{where} [demo]")),
        ),
        compensation_deg=compensation_deg,
        puck_site=_one_of(data.get("puck_site", "forearm"), PUCK_SITES, "puck_site", where),
        pucks=pucks,
        second_puck=second_role,
        second_site=second_site,
        sim_partner=partner,
    )


def _one_of(value: Any, allowed: tuple[str, ...], key: str, where: str) -> str:
    if value not in allowed:
        raise ExerciseError(f"{where}: {key} '{value}' is not one of {', '.join(allowed)}")
    return str(value)


def _sim_pose(sim: dict[str, Any], where: str) -> SimulatorPose:
    tap_g = sim.get("tap_g", 0.0)
    if isinstance(tap_g, bool) or not isinstance(tap_g, int | float) or not 0 <= tap_g <= 8:
        raise ExerciseError(f"{where}: tap_g must be a number from 0 to 8 (g), got {tap_g}")
    return SimulatorPose(
        rest_up=_vector(sim, "rest_up", where),
        axis=_vector(sim, "axis", where),
        lever_m=float(_require(sim, "lever_m", (int, float), where)),
        lever_dir=_vector(sim, "lever_dir", where),
        tap_g=float(tap_g),
        tap_on_release=bool(sim.get("tap_on_release", False)),
    )


def _two_pucks(
    data: dict[str, Any], feature: str, where: str
) -> tuple[int, str, str | None, SimulatorPose | None]:
    """The second-puck fields: how many pucks, the second one's role, site and simulator pose."""
    pucks = data.get("pucks", 1)
    if pucks not in (1, 2) or isinstance(pucks, bool):
        raise ExerciseError(f"{where}: pucks must be 1 or 2, got {pucks}")
    if feature == FEATURE_ALTERNATE_TAPS and pucks != 2:
        raise ExerciseError(f"{where}: feature 'alternate_taps' needs pucks = 2, got {pucks}")
    role = _one_of(data.get("second_puck", "watch"), SECOND_PUCK_ROLES, "second_puck", where)
    if pucks == 1:
        return 1, role, None, None
    site = _one_of(data.get("second_site"), PUCK_SITES, "second_site", where)
    partner = data.get("sim_partner")
    if role == "partner" and not isinstance(partner, dict):
        raise ExerciseError(f"{where}: a partner second puck needs a [sim_partner] table")
    pose = _sim_pose(partner, f"{where} [sim_partner]") if isinstance(partner, dict) else None
    return 2, role, site, pose


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
