"""The keyboard simulator: a virtual puck moved by holding a key.

It is a real `Source`: samples come at the nominal rate of a real puck, paced by the clock (never by
frames), and go through the same detector as hardware. The game maps its "move" key to
`set_held()`; this module never sees a key code, so it stays free of pygame.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from devices.limb_model import HEALTHY, LimbMotion, LimbSimulation, MovementProfile
from devices.samples import SampleBlock
from devices.source import Source, SourceInfo, SourceState, SourceStatus

SIM_RATE_HZ = 50.0
# If the game stalls (debugger, window dragged) do not synthesise minutes of backlog at once.
_MAX_BACKLOG_S = 2.0
# The second puck sits on the trunk (sternum, face forward); holding its key leans forward, the
# classic compensation while reaching.
TRUNK_LEAN = LimbMotion(
    rest_up=(0.0, 0.0, 1.0), axis=(1.0, 0.0, 0.0), range_deg=25.0, lever_m=0.4,
    lever_dir=(0.0, 0.0, 1.0),
)  # fmt: skip


LOST_WORDS = "The simulated puck stopped talking (press P to bring it back) — reconnecting…"


class KeyboardSimulator(Source):
    """A simulated puck on the moving limb, plus an optional second puck on the trunk that stays
    still unless `set_second_held(True)` (the player leans)."""

    def __init__(
        self,
        motion: LimbMotion | None = None,
        profile: MovementProfile = HEALTHY,
        rate_hz: float = SIM_RATE_HZ,
        second_puck: bool = False,
        seed: int = 0,
        time_func: Callable[[], float] = time.monotonic,
        puck_id: str = "sim-1",
    ) -> None:
        self._rate_hz = rate_hz
        self._time = time_func
        self._seed = seed
        self._puck_id = puck_id
        self._profile = profile
        self._limb = LimbSimulation(motion or LimbMotion(), profile, rate_hz, seed)
        self._other = (
            LimbSimulation(TRUNK_LEAN, profile, rate_hz, seed + 1) if second_puck else None
        )
        self._held = False
        self._second_held = False
        self._partner = False  # True: the second puck is part of the movement (follows the key)
        self._next_t_s: float | None = None
        self._stopped = False
        channels = ("ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps")
        self._info = SourceInfo(puck_id, "keyboard", "keyboard simulator", rate_hz, channels)
        self.lost = False  # P in the game: the simulated puck stops talking

    @property
    def info(self) -> SourceInfo:
        return self._info

    @property
    def status(self) -> SourceStatus:
        if self._stopped:
            return SourceStatus(SourceState.STOPPED, "The simulator is off.")
        if self._next_t_s is None:
            return SourceStatus(SourceState.CONNECTING, "Starting the keyboard simulator…")
        if self.lost:
            return SourceStatus(SourceState.RECONNECTING, LOST_WORDS)
        return SourceStatus(SourceState.STREAMING, "Keyboard simulator: hold SPACE to move.")

    @property
    def held(self) -> bool:
        return self._held

    @property
    def position(self) -> float:
        """The simulated limb's position as a fraction of the full range (for on-screen hints)."""
        return self._limb.position

    def toggle_lost(self) -> None:
        """Simulate the puck going silent (and coming back), so the game's "puck lost" path can
        be tried by hand: no samples while lost, and the gap stays visible in `t_s`."""
        self.lost = not self.lost
        if not self.lost and self._next_t_s is not None:
            self._next_t_s = self._time()  # back: a gap, like a real puck after a dropout

    def set_held(self, held: bool) -> None:
        """Effort on (key down) or off (key up): the limb moves toward the top or back to rest."""
        self._held = held

    @property
    def has_second_puck(self) -> bool:
        return self._other is not None

    def set_second_held(self, held: bool) -> None:
        """Move the second puck (lean the trunk) while held; it returns upright when released."""
        self._second_held = held

    def set_motion(self, motion: LimbMotion, partner: LimbMotion | None = None) -> None:
        """Switch to another exercise's movement; the limb starts again from rest.

        With a `partner`, the second puck is part of the movement (both arms raise, or the other
        puck of an alternate-tap pair) and follows the same key; without one it is the trunk puck
        again (if there is a second puck), leaning only while its own key is held.
        """
        self._limb = LimbSimulation(motion, self._profile, self._rate_hz, self._seed)
        self._partner = partner is not None
        if partner is not None:
            self._other = LimbSimulation(partner, self._profile, self._rate_hz, self._seed + 1)
        elif self._other is not None:
            self._other = LimbSimulation(TRUNK_LEAN, self._profile, self._rate_hz, self._seed + 1)

    def start(self) -> None:
        if self._next_t_s is None and not self._stopped:
            self._next_t_s = self._time()

    def stop(self) -> None:
        self._stopped = True

    def read(self) -> list[SampleBlock]:
        if self._stopped or self._next_t_s is None or self.lost:
            return []
        now = self._time()
        dt_s = 1.0 / self._rate_hz
        if now - self._next_t_s > _MAX_BACKLOG_S:
            self._next_t_s = now - _MAX_BACKLOG_S  # a visible gap, never silently filled
        n = int(np.floor((now - self._next_t_s) / dt_s)) + 1
        if n <= 0:
            return []
        t_s = self._next_t_s + dt_s * np.arange(n)
        self._next_t_s = float(t_s[-1] + dt_s)
        held = np.full(n, self._held)
        accel, gyro = self._limb.step(held)
        blocks = [SampleBlock(self._puck_id, t_s, accel, gyro)]
        if self._other is not None:
            second_held = self._held if self._partner else self._second_held
            accel2, gyro2 = self._other.step(np.full(n, second_held))
            blocks.append(SampleBlock(self._puck_id.replace("-1", "-2"), t_s.copy(), accel2, gyro2))
        return blocks
