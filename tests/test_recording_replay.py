"""The recording format and the replay Source: strict reading, raw writing, the file's time base."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from devices.clock import ManualClock
from devices.keyboard_sim import KeyboardSimulator
from devices.recording import RecordingError, RecordingWriter, read_recording
from devices.replay import ReplaySource
from devices.samples import SampleBlock
from devices.source import SourceState

HEADER = "t_s,ax_g,ay_g,az_g\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rec.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_keeps_values_and_metadata(tmp_path: Path, clock: ManualClock) -> None:
    sim = KeyboardSimulator(time_func=clock)
    sim.start()
    clock.advance(2.0)
    blocks = sim.read()
    out = io.StringIO()
    writer = RecordingWriter(out, {"puck": "left", "rate_hz": "50"})
    for b in blocks:
        writer.write(b)
    rec = read_recording(write(tmp_path, out.getvalue()))
    original = SampleBlock.concat(blocks)
    assert rec.metadata == {"puck": "left", "rate_hz": "50"}
    assert rec.block.puck_id == "left"
    assert np.allclose(rec.block.accel_g, original.accel_g, atol=1e-5)
    assert rec.block.gyro_dps is not None
    assert np.allclose(rec.block.t_s, original.t_s, atol=1e-6)
    assert rec.rate_hz == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("time,x,y,z\n0,0,0,1\n", "header is 'time,x,y,z'"),
        (HEADER, "no samples"),
        (HEADER + "0,0,0,1\n0.02,0,zero,1\n", "rec.csv:3: '0.02,0,zero,1' is not a row of numbers"),
        (HEADER + "0,0,0,1\n0.02,0,1\n", "rec.csv:3: 3 values where the header has 4"),
        (HEADER + "0,0,0,1\n0.02,nan,0,1\n", "rec.csv:3: ax_g is NaN"),
        (HEADER + "0,0,0,1\n0,0,0,1\n", "rec.csv:3: t_s 0 repeats the time of the row before"),
    ],
)
def test_malformed_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RecordingError, match=message.replace("(", r"\(")):
        read_recording(write(tmp_path, text))


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no such file"):
        read_recording(tmp_path / "absent.csv")


def make_recording(tmp_path: Path, seconds: float = 2.0, rate_hz: float = 50.0) -> Path:
    n = int(seconds * rate_hz)
    rows = [f"{10 + i / rate_hz:.4f},0,{i / n:.4f},1" for i in range(n)]
    return write(tmp_path, HEADER + "\n".join(rows) + "\n")


def test_replay_delivers_at_speed_with_the_files_time_base(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = make_recording(tmp_path)
    source = ReplaySource(path, speed=10.0, time_func=clock)
    start_s = clock()
    source.start()
    clock.advance(0.1)  # 1 s of recording at @10
    t = np.concatenate([b.t_s for b in source.read()])
    assert len(t) == 51
    assert t[0] == pytest.approx(start_s)
    assert np.allclose(np.diff(t), 0.02)  # the movement keeps its true speed
    assert source.status.state is SourceState.STREAMING
    clock.advance(1.0)
    rest = source.read()
    assert sum(len(b) for b in rest) == 49
    assert source.finished and source.read() == []


def test_replay_loops_without_overlap(tmp_path: Path, clock: ManualClock) -> None:
    source = ReplaySource(make_recording(tmp_path, seconds=1.0), loop=True, time_func=clock)
    source.start()
    t = []
    for _ in range(35):
        clock.advance(0.1)
        t += [b.t_s for b in source.read()]
    times = np.concatenate(t)
    assert len(times) == 176  # 3.5 s at 50 Hz
    assert np.allclose(np.diff(times), 0.02)
    assert not source.finished


def test_bad_speed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="speed"):
        ReplaySource(make_recording(tmp_path), speed=0)
