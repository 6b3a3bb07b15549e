"""The recording format (DESIGN.md): `#` metadata lines, a header, one raw row per sample.

    # puck=left, rate_hz=50, exercise=wrist_extension
    t_s,ax_g,ay_g,az_g[,gx_dps,gy_dps,gz_dps]

Reading is strict, because a recording is evidence: a malformed row is an error that names the file
and line, never a silently skipped sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np

from devices.pucks.reading import ACCEL_LIMIT_G, GYRO_LIMIT_DPS
from devices.samples import SampleBlock

ACCEL_COLUMNS = ("t_s", "ax_g", "ay_g", "az_g")
GYRO_COLUMNS = ("gx_dps", "gy_dps", "gz_dps")


class RecordingError(ValueError):
    """A recording file that cannot be read; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Recording:
    """One puck stream loaded whole: metadata plus the samples as one block."""

    path: Path
    metadata: dict[str, str]
    block: SampleBlock

    @property
    def rate_hz(self) -> float:
        """Rate estimated from the timestamps (nominal rates lie)."""
        t = self.block.t_s
        if len(t) < 2:
            return float(self.metadata.get("rate_hz", 0) or 0)
        return float((len(t) - 1) / (t[-1] - t[0]))


def parse_metadata_line(line: str) -> dict[str, str]:
    """`# key=value, key=value` → dict; pieces without `=` are ignored (free comments)."""
    out: dict[str, str] = {}
    for piece in line.lstrip("#").split(","):
        key, sep, value = piece.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def read_recording(path: str | Path, puck_id: str | None = None) -> Recording:
    """Load a recording CSV, raising `RecordingError` on anything malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecordingError(f"{path}: no such file — check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordingError(f"{path}: cannot be read as a text CSV ({exc})") from exc

    metadata: dict[str, str] = {}
    header: list[str] | None = None
    rows: list[list[float]] = []
    line_of_row: list[int] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            metadata.update(parse_metadata_line(line))
            continue
        if header is None:
            header = [c.strip() for c in line.split(",")]
            _check_header(path, line_no, header)
            continue
        rows.append(_parse_row(path, line_no, line, header))
        line_of_row.append(line_no)

    if header is None:
        raise RecordingError(f"{path}: no header line — expected '{','.join(ACCEL_COLUMNS)}'")
    if not rows:
        raise RecordingError(f"{path}: the header is there but no samples follow")
    data = np.asarray(rows, dtype=np.float64)
    t_s = data[:, 0]
    steps = np.diff(t_s)
    if np.any(steps <= 0):
        bad = int(np.argmax(steps <= 0)) + 1
        what = "repeats the time of the row before" if steps[bad - 1] == 0 else "goes back in time"
        raise RecordingError(
            f"{path}:{line_of_row[bad]}: t_s {t_s[bad]:g} {what} ({t_s[bad - 1]:g}) — "
            "t_s must increase from row to row"
        )
    gyro = data[:, 4:7] if len(header) == 7 else None
    pid = puck_id or metadata.get("puck") or path.stem
    return Recording(path, metadata, SampleBlock(pid, t_s, data[:, 1:4], gyro))


def _check_header(path: Path, line_no: int, header: list[str]) -> None:
    expected_short = list(ACCEL_COLUMNS)
    expected_long = list(ACCEL_COLUMNS + GYRO_COLUMNS)
    if header not in (expected_short, expected_long):
        raise RecordingError(
            f"{path}:{line_no}: header is '{','.join(header)}' — expected "
            f"'{','.join(expected_short)}' optionally followed by ',{','.join(GYRO_COLUMNS)}'"
        )


def _parse_row(path: Path, line_no: int, line: str, header: list[str]) -> list[float]:
    cells = line.split(",")
    n_columns = len(header)
    if len(cells) != n_columns:
        raise RecordingError(
            f"{path}:{line_no}: {len(cells)} values where the header has {n_columns} — "
            "fix or delete that row"
        )
    try:
        values = [float(c) for c in cells]
    except ValueError:
        raise RecordingError(
            f"{path}:{line_no}: '{line[:60]}' is not a row of numbers — fix or delete that row"
        ) from None
    for name, value in zip(header, values, strict=True):
        if math.isnan(value):
            raise RecordingError(f"{path}:{line_no}: {name} is NaN (not a number) — {FIX}")
        if math.isinf(value):
            raise RecordingError(f"{path}:{line_no}: {name} is infinite ({value}) — {FIX}")
        limit, unit = LIMITS.get(name, (math.inf, ""))
        if abs(value) > limit:
            raise RecordingError(
                f"{path}:{line_no}: {name} = {value:g} is beyond ±{limit:g} {unit}, more than a "
                f"motion sensor measures — {FIX}"
            )
    return values


def rate_metadata(nominal_hz: float, measured_hz: float | None) -> dict[str, str]:
    """Metadata for a recording's rate: the rate the puck was measured at and, when that is far
    from its protocol's nominal rate, a note saying so (the file's timestamps are the truth)."""
    if measured_hz is None:
        return {}
    out = {"measured_rate_hz": f"{measured_hz:.1f}"}
    if abs(measured_hz - nominal_hz) > 0.2 * nominal_hz:
        out["rate_note"] = f"streams at {measured_hz:.0f} Hz (nominal {nominal_hz:g} Hz)"
    return out


FIX = "fix or delete that row"
LIMITS = {
    **{name: (ACCEL_LIMIT_G, "g") for name in ACCEL_COLUMNS[1:]},
    **{name: (GYRO_LIMIT_DPS, "deg/s") for name in GYRO_COLUMNS},
}


@dataclass
class RecordingWriter:
    """Appends blocks to an open text stream in the recording format, raw (no filtering)."""

    stream: TextIO
    metadata: dict[str, str] = field(default_factory=dict)
    _with_gyro: bool | None = None

    def write(self, block: SampleBlock) -> int:
        """Appends the block's rows; returns how many were written."""
        if self._with_gyro is None:
            self._with_gyro = block.gyro_dps is not None
            if self.metadata:
                meta = ", ".join(f"{k}={v}" for k, v in self.metadata.items())
                self.stream.write(f"# {meta}\n")
            columns = ACCEL_COLUMNS + (GYRO_COLUMNS if self._with_gyro else ())
            self.stream.write(",".join(columns) + "\n")
        for i in range(len(block)):
            ax, ay, az = block.accel_g[i]
            row = f"{block.t_s[i]:.6f},{ax:.5f},{ay:.5f},{az:.5f}"
            if self._with_gyro:
                if block.gyro_dps is None:
                    raise ValueError("this recording has gyro columns but the block has no gyro")
                gx, gy, gz = block.gyro_dps[i]
                row += f",{gx:.3f},{gy:.3f},{gz:.3f}"
            self.stream.write(row + "\n")
        return len(block)
