"""Offline counting of a whole recording, through the same streaming detector the game uses."""

from __future__ import annotations

from devices.recording import Recording
from exercises.catalogue import Exercise
from exercises.detection.detector import RepDetector
from exercises.events import RepEvent


def count_recording(recording: Recording, exercise: Exercise) -> list[RepEvent]:
    """Every rep in `recording`, as the live detector would have reported them."""
    detector = RepDetector(exercise, rate_hz=recording.rate_hz)
    events = detector.update(recording.block)
    return events + detector.finish()
