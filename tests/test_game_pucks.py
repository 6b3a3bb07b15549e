"""The Pucks screen with a virtual BLE puck: scan, choose it for the affected arm, remembered,
and the game now reads that puck (battery shown)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from devices.pucks.ble_hub import shared_hub
from devices.pucks.ble_puck import BleBackend, BlePuck
from devices.pucks.memory import load_pucks
from game.autoplay import start_player
from game.scenes.menu import PUCKS, MenuScene
from game.scenes.pucks import PucksScene
from tests import puck_wire
from tests.bumble_backend import BleakClientBumble, BleakScannerBumble
from tests.virtual_pucks import VirtualPuck


@pytest.fixture(autouse=True)
def pg() -> Iterator[None]:
    pygame.init()
    yield
    pygame.quit()


@pytest.fixture
def emulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[VirtualPuck]:
    backend = BleBackend(BleakScannerBumble, BleakClientBumble)
    monkeypatch.setattr(PucksScene, "ble_backend", backend)
    monkeypatch.setattr(PucksScene, "scan_s", 0.6)
    accel, gyro = puck_wire.synthetic_signal(3000)
    puck = VirtualPuck("witmotion", "C0:00:00:9A:3E:01", accel, gyro, battery_pct=64)
    shared_hub().run(puck.start(), timeout_s=10)
    yield puck
    shared_hub().run(puck.close(), timeout_s=10)


def test_choose_a_puck_for_the_affected_arm(emulated: VirtualPuck, tmp_path: Path) -> None:
    player = start_player()
    player.app.ctx.data_dir = tmp_path  # where the Pucks screen remembers choices
    player.frame()
    assert isinstance(player.app.scene, MenuScene)
    for _ in range(PUCKS):
        player.press(pygame.K_DOWN)
    player.press(pygame.K_SPACE)
    scene = player.app.scene
    assert isinstance(scene, PucksScene)
    end_s = time.monotonic() + 10
    while scene.scanning and time.monotonic() < end_s:
        time.sleep(0.05)
    player.frame()
    assert "WitMotion WT901BLE" in scene.labels()[1]
    player.press(pygame.K_DOWN)
    player.press(pygame.K_SPACE)  # choose it
    source = player.app.ctx.source
    assert isinstance(source, BlePuck) and source.supervisor.label == "blue puck"
    # the backend was injected for the scan; the chosen puck connects through the same emulator
    assert load_pucks(tmp_path)["affected"].device == f"ble:{emulated.address}:witmotion"
    assert "(blue puck)" in scene.labels()[1]
    source.stop()
