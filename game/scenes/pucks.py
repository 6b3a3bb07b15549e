"""The Pucks screen: scan, choose a puck for each role, remember it, see battery and signal.

Scanning runs on a background thread (BLE on the shared BLE thread), so the screen keeps drawing
and nothing waits on the radio. Choosing a puck for the affected arm also switches the game to it
at once; every choice is remembered by address in the data folder, so `play` reconnects next time.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pygame

from devices.device_string import DeviceError, open_source
from devices.pucks.memory import (
    ROLE_LABELS,
    ROLE_NAMES,
    ROLES,
    RememberedPuck,
    load_pucks,
    remember,
)
from devices.pucks.puck_source import PuckSource
from devices.pucks.scan import FoundPuck, scan_ble, scan_serial
from game import widgets
from game.actions import Action, ActionEvent
from game.scene import Scene

if TYPE_CHECKING:
    from game.context import SessionContext

SIGNAL_WORDS = ("very weak signal", "weak signal", "fair signal", "good signal", "strong signal")
MAX_ROWS = 3  # pucks listed at once (the strongest signals); big rows beat a long list


class PucksScene(Scene):
    ble_backend: ClassVar[Any] = None  # tests inject an emulator; None: the platform's bleak
    scan_s: ClassVar[float] = 4.0

    def __init__(self, ctx: SessionContext) -> None:
        super().__init__(ctx)
        self.focus = 0
        self.role = 0
        self.found: list[FoundPuck] = []
        self.note = ""
        self.scanning = False
        self._lock = threading.Lock()
        self.remembered: dict[str, RememberedPuck] = {}  # read on entry and on a choice

    def on_enter(self) -> None:
        self.remembered = load_pucks(self.data_dir) if self.data_dir else {}
        self.start_scan()

    # --- scanning ------------------------------------------------------------------------------
    def start_scan(self) -> None:
        if self.scanning:
            return
        self.scanning = True
        self.note = "Looking for pucks… keep them switched on and close."
        threading.Thread(target=self._scan, name="puck-scan", daemon=True).start()

    def _scan(self) -> None:
        found = scan_serial()
        problem = ""
        try:
            from devices.pucks.ble_hub import shared_hub

            found += shared_hub().run(scan_ble(self.scan_s, self.ble_backend), self.scan_s + 10)
        except Exception:  # no Bluetooth adapter here: say so in words, keep serial results
            problem = "Bluetooth is off, or this computer has none."
        with self._lock:
            self.found = found[:MAX_ROWS]
            self.scanning = False
            count = len(self.found)
            self.note = (
                f"Found {count} puck{'s' if count != 1 else ''}. "
                if count
                else ("No pucks found. Switch one on, bring it close, and scan again. ")
            ) + problem

    # --- choosing ------------------------------------------------------------------------------
    def labels(self) -> list[str]:
        remembered = self.remembered
        rows = [f"‹  For: {ROLE_NAMES[ROLES[self.role]]}  ›"]
        with self._lock:
            for puck in self.found:
                mine = [r for r, p in remembered.items() if p.device == puck.device]
                tag = f"  ({ROLE_LABELS[mine[0]]})" if mine else ""
                signal = f" — {SIGNAL_WORDS[puck.signal_bars]}" if puck.rssi_dbm is not None else ""
                rows.append(f"{puck.model}{signal}{tag}")
        return [*rows, "Scan again", "Back"]

    @property
    def data_dir(self) -> Path | None:
        return self.ctx.data_dir  # where choices are remembered (None: not saved)

    def handle_action(self, event: ActionEvent) -> None:
        if not event.down:
            return
        a, n = event.action, len(self.labels())
        if a is Action.UP:
            self.focus = (self.focus - 1) % n
        elif a is Action.DOWN:
            self.focus = (self.focus + 1) % n
        elif a in (Action.LEFT, Action.RIGHT) and self.focus == 0:
            self.role = (self.role + 1) % len(ROLES)
        elif a is Action.SELECT:
            if self.focus == 0:
                self.role = (self.role + 1) % len(ROLES)
            elif self.focus == n - 1:
                self.ctx.scenes.go("menu")
            elif self.focus == n - 2:
                self.start_scan()
            else:
                self.choose(self.found[self.focus - 1])
        elif a in (Action.BACK, Action.STOP):
            self.ctx.scenes.go("menu")

    def choose(self, puck: FoundPuck) -> None:
        """Remember `puck` for the current role; for the affected arm, play with it from now on."""
        role = ROLES[self.role]
        if self.data_dir is not None:
            remember(self.data_dir, role, RememberedPuck(puck.device, puck.model, puck.name))
            self.remembered = load_pucks(self.data_dir)
        label = ROLE_LABELS[role]
        if role != "affected":
            self.note = f"Saved: the {label} is the {puck.model}."
            return
        try:
            source = open_source(puck.device, loop=True)
        except DeviceError as exc:
            self.note = str(exc)
            return
        if isinstance(source, PuckSource):
            source.supervisor.label = label
        old, self.ctx.source = self.ctx.source, source
        old.stop()
        source.start()
        self.ctx.new_session()
        self.note = f"Saved: the {label} is the {puck.model}. Connecting…"

    # --- drawing -------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme = self.ctx.theme
        pal = theme.palette
        widgets.backdrop(surface, theme)
        widgets.text(surface, theme, "Pucks", theme.title(), (640, 30), pal.accent, "midtop")
        widgets.paragraph(surface, theme, self.note, theme.hint(), (640, 112), 1160, pal.text,
                          "center")  # fmt: skip
        widgets.button_list(surface, theme, self.labels(), self.focus, top=196, height=58, gap=8)
        widgets.paragraph(surface, theme, self.now_using(), theme.hint(), (640, 596), 1160,
                          pal.text, "center")  # fmt: skip
        widgets.stop_hint(surface, theme, "Esc: back")
        widgets.key_hint(surface, theme, "Arrows to move, SPACE to choose")

    def now_using(self) -> str:
        """The current device in words, with battery and signal when the puck reports them."""
        source = self.ctx.source
        words = f"Now: {source.info.model}"
        if isinstance(source, PuckSource):
            words += f" — {source.status.message}"
            if source.battery_pct is not None:
                words += f" Battery {source.battery_pct} %."
        return words
