"""Sound helps, never blocks: synthesised sounds, mute, and silence when there is no device."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pygame
import pytest

from game.autoplay import start_player
from game.sound import Sound, chime_wave, fanfare_wave, to_mixer_array


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def _no_audio_device(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise pygame.error("ALSA: Couldn't open audio device: No such file or directory")

    pygame.mixer.quit()
    monkeypatch.setattr(pygame.mixer, "init", fail)


def test_no_audio_device_means_silence_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_audio_device(monkeypatch)
    sound = Sound()
    assert not sound.available
    assert "audio device" in sound.problem
    assert sound.chime() is False and sound.fanfare() is False
    sound.toggle_mute()  # still works, still silent
    assert not sound.audible


def test_the_game_plays_through_a_rep_without_an_audio_device(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_audio_device(monkeypatch)
    player = start_player(first_scene="calibration")
    player.wait(3.2)
    for _ in range(4):
        player.rep()
    assert player.app.ctx.progress.total_reps >= 3
    assert not player.app.ctx.sound.available


def test_sounds_play_on_the_dummy_device_and_m_mutes() -> None:
    sound = Sound()
    assert sound.available, sound.problem
    assert sound.chime() is True
    player = start_player(sound=sound)
    player.press(pygame.K_m)
    assert sound.muted
    assert sound.fanfare() is False
    player.press(pygame.K_m)
    assert sound.fanfare() is True


def test_synthesised_sounds_are_short_soft_and_never_clip() -> None:
    rate = 44100
    chime, fanfare = chime_wave(rate), fanfare_wave(rate)
    assert 0.2 < len(chime) / rate < 0.6  # a chime per rep must not overlap the next rep
    assert len(fanfare) > len(chime)  # the set's reward is bigger
    for wave in (chime, fanfare):
        assert np.abs(wave).max() <= 1.0
        assert abs(wave[-1]) < 0.05  # fades out: no click at the end


@pytest.mark.parametrize(
    ("init", "dtype", "shape_tail"),
    [
        ((44100, -16, 2), np.int16, (2,)),
        ((22050, -16, 1), np.int16, ()),
        ((48000, 32, 2), np.float32, (2,)),
    ],
)
def test_samples_match_the_mixer_format(init, dtype, shape_tail) -> None:  # type: ignore[no-untyped-def]
    data = to_mixer_array(chime_wave(init[0]), init)
    assert data.dtype == dtype
    assert data.shape[1:] == shape_tail
    assert np.abs(data.astype(np.float64)).max() > 0
