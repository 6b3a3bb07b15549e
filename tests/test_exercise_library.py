"""The exercise library: every exercise is complete data, and the keyboard simulator's synthetic
movement of its feature is counted right by the real detector."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from devices.limb_model import IMPAIRED
from exercises.catalogue import (
    AUTO_ID,
    FEATURE_ALTERNATE_TAPS,
    PUCK_SITES,
    ExerciseError,
    get_exercise,
    load_catalogue,
    parse_exercise,
)
from exercises.detection.compensation import CompensationGuard
from exercises.detection.detector import RepDetector
from tests.conftest import REPO_ROOT
from tests.sim_driver import press_reps
from tests.test_keyboard_sim import count

LIBRARY = [e.id for e in load_catalogue().values() if e.id != AUTO_ID]

# The movements issue #5 asks for, each by the id that provides it.
ASKED_FOR = {
    "wrist extension": "wrist_extension",
    "wrist flexion": "wrist_flexion",
    "radial deviation": "wrist_radial_deviation",
    "ulnar deviation": "wrist_ulnar_deviation",
    "finger tap on the puck": "finger_tap",
    "grip-and-lift": "grip_lift",
    "puck flip": "puck_flip",
    "forearm pronation / supination": "forearm_rotation",
    "elbow curl": "elbow_flexion",
    "extension push": "elbow_extension_push",
    "shoulder forward flexion": "shoulder_flexion",
    "abduction": "shoulder_abduction",
    "external rotation": "shoulder_external_rotation",
    "reach forward": "reach_forward",
    "reach across": "reach_across",
    "circles": "shoulder_circles",
    "trunk side lean": "trunk_side_lean",
    "forward lean": "trunk_forward_lean",
    "trunk rotation": "trunk_rotation",
    "knee extension": "knee_extension",
    "hip march": "hip_march",
    "ankle dorsiflexion": "ankle_dorsiflexion",
    "heel raise": "heel_raise",
    "sit-to-stand": "sit_to_stand",
    "leg abduction": "leg_abduction",
    "alternate taps": "alternate_taps",
    "bilateral raise": "bilateral_raise",
}


def test_the_library_has_every_movement_asked_for() -> None:
    assert len(LIBRARY) >= 24
    missing = [what for what, eid in ASKED_FOR.items() if eid not in LIBRARY]
    assert missing == []


@pytest.mark.parametrize("exercise_id", LIBRARY)
def test_every_exercise_is_counted_from_its_simulated_movement(exercise_id: str) -> None:
    exercise = get_exercise(exercise_id)
    assert exercise.name and exercise.child_name and exercise.safety
    assert exercise.puck_site in PUCK_SITES and len(exercise.instructions) >= 2
    assert count(exercise_id, press_reps(exercise, 5, seed=len(exercise_id))) == 5


@pytest.mark.parametrize(
    "exercise_id", ["ankle_dorsiflexion", "trunk_side_lean", "wrist_radial_deviation", "hip_march"]
)
def test_small_movements_of_an_impaired_mover_still_count(exercise_id: str) -> None:
    blocks = press_reps(get_exercise(exercise_id), 6, hold_s=2.2, release_s=2.5, profile=IMPAIRED)
    assert count(exercise_id, blocks) == 6


def test_alternate_taps_need_the_other_puck() -> None:
    """Tapping the same puck again and again is not an alternate tap: no rep."""
    exercise = get_exercise("alternate_taps")
    blocks = press_reps(exercise, 6)
    first = blocks[0].puck_id
    assert count(exercise.id, [b for b in blocks if b.puck_id == first]) == 0
    detector = RepDetector(exercise)
    events = [e for b in blocks for e in detector.update(b)] + detector.finish()
    assert len(events) == 6
    assert all(e.t_start_s < e.t_end_s for e in events)
    assert {e.puck_id for e in events} != {first}  # each rep ends on the second puck


def test_finger_taps_stay_silent_without_a_knock() -> None:
    exercise = get_exercise("finger_tap")
    assert count(exercise.id, press_reps(exercise, 0, lead_in_s=20.0)) == 0


def test_a_partner_puck_is_not_compensation() -> None:
    """Both arms rise in a bilateral raise: the second puck moves by design."""
    exercise = get_exercise("bilateral_raise")
    assert exercise.partner_moves and exercise.pucks == 2
    blocks = press_reps(exercise, 4)
    first = blocks[0].puck_id
    guard = CompensationGuard(exercise.compensation_deg)
    for block in blocks:
        if block.puck_id != first:
            guard.update(block)
    assert guard.moved_deg(0.0, 1e9) > exercise.compensation_deg  # it moved…
    assert count(exercise.id, blocks) == 4  # …and the reps of the affected arm still count


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"feature": "alternate_taps"}, "needs pucks = 2"),
        ({"puck_site": "elbowpit"}, "puck_site 'elbowpit' is not one of"),
        ({"pucks": 3}, "pucks must be 1 or 2"),
        ({"pucks": 2, "second_site": "table", "second_puck": "partner"}, "[sim_partner]"),
        ({"demo": {"joint": "toe", "rest_deg": 0, "moved_deg": 0}}, "joint 'toe'"),
    ],
)
def test_bad_exercise_files_name_the_field(change: dict, message: str) -> None:
    import tomllib

    text = (REPO_ROOT / "exercises" / "catalogue" / "finger_tap.toml").read_text()
    data = {**tomllib.loads(text), **change}
    with pytest.raises(ExerciseError, match=None) as info:
        parse_exercise(data, "x.toml")
    assert message in str(info.value) and "x.toml" in str(info.value)


def test_exercises_json_lists_the_library() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), "exercises", "--json"],
        capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(LIBRARY) <= set(rows)
    taps = rows["alternate_taps"]
    assert taps["feature"] == FEATURE_ALTERNATE_TAPS and taps["pucks"] == 2
    assert taps["placement"] and taps["instructions"] and taps["safety"]
