"""Rewards you can hear, synthesised with numpy — and silence, not a crash, with no audio device.

Sound helps, never blocks (UX.md): every sound has a visual twin on screen, M mutes, and a machine
without speakers (or this test machine, which has no ALSA device) simply runs silently.
"""

from __future__ import annotations

import numpy as np
import pygame

# Notes of a C-major arpeggio, in Hz: consonant, soft, and not alarming.
_C5, _E5, _G5, _C6 = 523.25, 659.25, 783.99, 1046.50
_VOLUME = 0.35


def _tone(freq_hz: float, dur_s: float, rate_hz: int, decay_s: float) -> np.ndarray:
    """A bell-like note: a sine with a soft octave partial, a 5 ms attack and exponential decay."""
    t_s = np.arange(int(dur_s * rate_hz)) / rate_hz
    wave = np.sin(2 * np.pi * freq_hz * t_s) + 0.3 * np.sin(2 * np.pi * 2 * freq_hz * t_s)
    envelope = np.exp(-t_s / decay_s) * np.minimum(1.0, t_s / 0.005)
    return wave * envelope / 1.3


def chime_wave(rate_hz: int) -> np.ndarray:
    """One rep: two quick rising notes, about a third of a second."""
    out = np.zeros(int(0.45 * rate_hz))
    for i, freq in enumerate((_E5, _G5)):
        note = _tone(freq, 0.35, rate_hz, 0.12)
        start = int(i * 0.08 * rate_hz)
        out[start : start + len(note)] += note
    return _normalise(out)


def fanfare_wave(rate_hz: int) -> np.ndarray:
    """A set finished: a rising arpeggio that ends on a held chord."""
    out = np.zeros(int(1.6 * rate_hz))
    for i, freq in enumerate((_C5, _E5, _G5, _C6)):
        note = _tone(freq, 1.0, rate_hz, 0.35)
        start = int(i * 0.14 * rate_hz)
        out[start : start + len(note)] += note
    return _normalise(out)


def _voice(f0_start_hz: float, f0_end_hz: float, dur_s: float, rate_hz: int) -> np.ndarray:
    """A sung "oo" gliding in pitch: harmonics shaped by the vowel's formants (~300, ~870 Hz)."""
    t_s = np.arange(int(dur_s * rate_hz)) / rate_hz
    glide = np.linspace(0.0, 1.0, len(t_s)) ** 0.6
    f0_hz = f0_start_hz + (f0_end_hz - f0_start_hz) * glide
    f0_hz = f0_hz * (1 + 0.012 * np.sin(2 * np.pi * 5.5 * t_s))  # a little vibrato: it sounds sung
    phase = 2 * np.pi * np.cumsum(f0_hz) / rate_hz
    wave = np.zeros_like(t_s)
    for k in range(1, 9):
        fk_hz = k * f0_hz
        gain = np.exp(-(((fk_hz - 300) / 180) ** 2)) + 0.5 * np.exp(-(((fk_hz - 870) / 250) ** 2))
        wave += gain * np.sin(k * phase) / k**0.5
    envelope = np.minimum(1.0, t_s / 0.03) * np.minimum(1.0, (dur_s - t_s) / 0.12)
    return wave * envelope


def woohoo_wave(rate_hz: int) -> np.ndarray:
    """A personal best or an unlock: "woo-hoo!", two rising sung glides, then a bright chord."""
    out = np.zeros(int(1.5 * rate_hz))
    woo = _voice(260, 380, 0.38, rate_hz)
    hoo = _voice(330, 620, 0.55, rate_hz)
    out[: len(woo)] += woo
    start = int(0.42 * rate_hz)
    out[start : start + len(hoo)] += hoo
    for i, freq in enumerate((_E5, _G5, _C6)):
        note = 0.5 * _tone(freq, 0.5, rate_hz, 0.2)
        at = int((0.95 + 0.05 * i) * rate_hz)
        out[at : at + len(note)] += note[: len(out) - at]
    return _normalise(out)


def tick_wave(rate_hz: int) -> np.ndarray:
    """The rhythm game's beat: one soft low wooden knock, not a beep."""
    return _normalise(_tone(392.0, 0.12, rate_hz, 0.03), peak=0.6)


def _normalise(wave: np.ndarray, peak: float = 0.9) -> np.ndarray:
    """Overlapping notes add up: scale so the loudest sample is `peak`, never clipping."""
    top = float(np.abs(wave).max())
    return wave * (peak / top) if top > 0 else wave


def to_mixer_array(wave: np.ndarray, mixer_init: tuple[int, int, int]) -> np.ndarray:
    """A float wave in [-1, 1] as the sample array the running mixer expects (format, channels)."""
    _rate, fmt, channels = mixer_init
    wave = np.clip(wave * _VOLUME, -1.0, 1.0)
    bits = abs(fmt)
    if fmt < 0:  # signed integer samples
        data = (wave * (2 ** (bits - 1) - 1)).astype(np.int16 if bits == 16 else np.int32)
    elif bits == 8:
        data = ((wave + 1.0) * 127.5).astype(np.uint8)
    elif bits == 32:
        data = wave.astype(np.float32)  # AUDIO_F32 reports as 32
    else:
        data = ((wave + 1.0) * 32767.5).astype(np.uint16)
    if channels > 1:
        data = np.repeat(data[:, None], channels, axis=1)
    return np.ascontiguousarray(data)


SOUNDS = {
    "chime": chime_wave,
    "fanfare": fanfare_wave,
    "woohoo": woohoo_wave,
    "tick": tick_wave,
}


class Sound:
    """The game's sounds. `available` is False with no mixer, and every call is then a no-op."""

    def __init__(self, muted: bool = False) -> None:
        self.muted = muted
        self.available = False
        self.problem = ""
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init()
            init = pygame.mixer.get_init()
            if init is None:
                raise pygame.error("the mixer did not start")
            self._sounds = {
                name: pygame.sndarray.make_sound(to_mixer_array(make(init[0]), init))
                for name, make in SOUNDS.items()
            }
            self.available = True
        except (pygame.error, ValueError, TypeError) as exc:
            # No audio device (or an odd format): play silently; the screen shows every reward.
            self.problem = str(exc) or type(exc).__name__
            self._sounds = {}

    def toggle_mute(self) -> bool:
        """Flip mute; returns the new state."""
        self.muted = not self.muted
        if self.muted and self.available:
            pygame.mixer.stop()
        return self.muted

    @property
    def audible(self) -> bool:
        return self.available and not self.muted

    def play(self, name: str) -> bool:
        """Play a named sound ("chime", "fanfare"); True if it was actually started."""
        if not self.audible or name not in self._sounds:
            return False
        self._sounds[name].play()
        return True

    def chime(self) -> bool:
        return self.play("chime")

    def fanfare(self) -> bool:
        return self.play("fanfare")

    def woohoo(self) -> bool:
        return self.play("woohoo")
