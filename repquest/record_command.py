"""`record --device D --seconds S --out FILE.csv`: a raw stream to the recording format.

The header waits (up to `HEADER_WAIT_S`) for the rate the puck really streams at, so the file
says both the protocol's nominal rate and the measured one; the samples read meanwhile are held
and written as soon as the header is, so nothing is lost.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from devices.device_string import open_source
from devices.recording import RecordingWriter, rate_metadata
from repquest.cli_args import UsageError

HEADER_WAIT_S = 3.0


def cmd_record(args: argparse.Namespace) -> int:
    if not args.seconds > 0:
        raise UsageError(f"--seconds must be above 0, got {args.seconds}")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: folder {out.parent} does not exist")
    source = open_source(args.device)
    metadata = {"puck": source.info.id, "model": source.info.model, "rate_hz": source.info.rate_hz}
    samples, held = 0, []
    writer: RecordingWriter | None = None
    with source, out.open("w", encoding="utf-8") as stream:
        start_s = time.monotonic()
        while time.monotonic() < start_s + args.seconds and not source.finished:
            held += [b for b in source.read() if b.puck_id == source.info.id]
            measured = getattr(source, "measured_rate_hz", None)
            if writer is None and (
                measured is not None or time.monotonic() > start_s + HEADER_WAIT_S
            ):
                metadata |= rate_metadata(source.info.rate_hz, measured)
                writer = RecordingWriter(stream, {k: str(v) for k, v in metadata.items()})
            if writer is not None:
                samples += sum(writer.write(block) for block in held)
                held = []
            time.sleep(0.01)
        writer = writer or RecordingWriter(stream, {k: str(v) for k, v in metadata.items()})
        samples += sum(writer.write(block) for block in held)
    print(f"recorded {samples} samples to {out}", file=sys.stderr)
    return 0
