"""The soak's recording: a long home session of two pucks at 100 Hz, labelled with its reps.

The arm puck is the keyboard simulator's limb model (gravity, sensor noise, tremor) pressed like
a patient doing sets of wrist extensions at a varying pace with rests between sets; the trunk
puck sits still on the sternum. Both are written in the recording format (DESIGN.md) with
`reps=N` in the metadata: N is how many reps were made, the label the soak checks against.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.recording import RecordingWriter
from devices.samples import SampleBlock
from exercises.catalogue import get_exercise
from exercises.simulation import limb_motion_for

EXERCISE = "wrist_extension"
RATE_HZ = 100.0
REPS_PER_SET = 20
REST_S = 30.0
STEP_S = 0.1  # how often the simulator is read while generating


@dataclass(frozen=True)
class SoakRecording:
    arm: Path
    trunk: Path
    reps: int
    sets: int
    seconds: float


def make_recording(folder: Path, minutes: float, seed: int = 0) -> SoakRecording:
    """Write `arm.csv` and `trunk.csv` covering `minutes` of sets and rests into `folder`."""
    rng = random.Random(seed)
    clock = ManualClock(start_s=0.0)
    sim = KeyboardSimulator(rate_hz=RATE_HZ, second_puck=True, seed=seed, time_func=clock)
    sim.set_motion(limb_motion_for(get_exercise(EXERCISE)))
    sim.start()
    blocks: dict[str, list[SampleBlock]] = {}

    def run_for(seconds: float) -> None:
        for _ in range(max(1, round(seconds / STEP_S))):
            clock.advance(STEP_S)
            for block in sim.read():
                blocks.setdefault(block.puck_id, []).append(block)

    end_s = minutes * 60.0
    reps = sets = 0
    run_for(2.0)
    while clock() + REPS_PER_SET * 3.2 <= end_s:  # room for one more whole set
        for _ in range(REPS_PER_SET):
            sim.set_held(True)
            run_for(rng.uniform(0.9, 1.6))  # the pace varies from rep to rep
            sim.set_held(False)
            run_for(rng.uniform(1.4, 1.6))
            reps += 1
        sets += 1
        run_for(REST_S)
    run_for(max(2.0, end_s - clock()))
    arm_id, trunk_id = sorted(blocks)
    paths = {arm_id: folder / "arm.csv", trunk_id: folder / "trunk.csv"}
    for puck_id, path in paths.items():
        meta = {"puck": "arm" if puck_id == arm_id else "trunk", "rate_hz": f"{RATE_HZ:g}"}
        meta.update(exercise=EXERCISE, reps=str(reps if puck_id == arm_id else 0))
        with path.open("w", encoding="utf-8") as stream:
            writer = RecordingWriter(stream, meta)
            for block in blocks[puck_id]:
                writer.write(block)
    return SoakRecording(paths[arm_id], paths[trunk_id], reps, sets, clock())
