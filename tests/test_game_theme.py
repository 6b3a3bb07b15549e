"""Readability rules from UX.md, checked on the real theme and on what the scenes actually draw."""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest

from exercises.session_plan import SetPlan
from game.autoplay import start_player
from game.scenes import SCENES
from game.theme import ADULT, BODY_PX, CHILD, HINT_PX, OKABE_ITO, Theme, contrast_ratio


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


def test_body_text_is_at_least_32_px_at_720p_and_scales_up() -> None:
    theme = Theme("adult", (1280, 720))
    assert theme.font_px(BODY_PX) >= 32
    assert theme.font_px(HINT_PX) >= 32
    assert theme.body().get_height() >= 32  # the real glyph box, not just the requested size
    big = Theme("adult", (1920, 1080))
    assert big.font_px(BODY_PX) == round(BODY_PX * 1.5)


@pytest.mark.parametrize("kind", ["adult", "child"])
@pytest.mark.parametrize("name", sorted(SCENES))
def test_every_font_a_screen_uses_is_at_least_32_px_at_720p(name: str, kind: str) -> None:
    player = start_player(
        plan=SetPlan("elbow_flexion", reps_per_set=3, sets=2, rest_s=30),
        theme_kind=kind,
        first_scene=name,
    )
    player.wait(0.5)
    sizes = {real_px for real_px, _bold in player.app.ctx.theme._fonts}
    assert sizes, f"{name} drew no text"
    assert min(sizes) >= 32, f"{name} ({kind}) used a {min(sizes)} px font"


@pytest.mark.parametrize("palette", [ADULT, CHILD], ids=["adult", "child"])
def test_text_colours_meet_wcag_contrast(palette) -> None:  # type: ignore[no-untyped-def]
    assert contrast_ratio(palette.text, palette.background) >= 7.0  # the count: 7:1
    assert contrast_ratio(palette.text, palette.panel) >= 7.0
    assert contrast_ratio(palette.text_muted, palette.background) >= 4.5
    assert contrast_ratio(palette.accent, palette.background) >= 4.5  # feedback, prompts
    assert contrast_ratio(palette.accent_text, palette.accent) >= 4.5  # the focused button
    assert palette.accent in OKABE_ITO and palette.good in OKABE_ITO


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_the_window_can_be_resized_and_the_layout_follows() -> None:
    small = start_player(size=(1280, 720))
    small.frame()
    big = start_player(size=(1920, 1080))
    big.frame()
    assert big.app.ctx.theme.scale == pytest.approx(1.5)
    assert big.surface.get_size() == (1920, 1080)
    # Same picture, scaled: the centre column is not background at either size.
    for player in (small, big):
        w, h = player.surface.get_size()
        assert (
            player.surface.get_at((w // 2, round(h * 0.35)))
            != player.app.ctx.theme.palette.background
        )
