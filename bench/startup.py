"""Start-up time: `main.py play` as a real subprocess, from launch to its first menu frame drawn.

    python -m bench.startup             (also part of `make bench`)

Each run starts a fresh Python on `bench/startup.py --probe play …`: the probe wraps
`pygame.display.flip` so that the first flip of the real `main.main()` prints the scene it shows
and the time, then ends the process. The parent times from just before `Popen` to reading that
line, so interpreter start, imports, the store, fonts and the first frame are all in. A patient
already exists in a fresh data folder, so the first screen is the menu (not the first-run
questions). SDL dummy drivers, so no window is needed. For scale: a bare `python -c pass` and
`python -c "import pygame"`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
PATIENT = "Bench"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    return env


def time_play(data_dir: Path) -> tuple[float, str]:
    """Seconds from launch to the first frame, and the scene that frame showed."""
    argv = ["play", "--device", "keyboard", "--patient", PATIENT, "--data-dir", str(data_dir)]
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe", *argv]
    start = time.perf_counter()
    with subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed_s = time.perf_counter() - start
        proc.wait(timeout=30)
    if not line.startswith("first frame "):
        raise RuntimeError(f"main.py play drew no frame (exit {proc.returncode}): {line!r}")
    return elapsed_s, line.split()[-1]


def time_command(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(), check=True)
    return time.perf_counter() - start


def run(runs: int = RUNS) -> dict[str, Any]:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        first_s, scene = time_play(Path(folder))  # also creates the patient: not the first run
        times = [time_play(Path(folder))[0] for _ in range(runs)]
    python_s = statistics.median(time_command("pass") for _ in range(runs))
    pygame_s = statistics.median(time_command("import pygame") for _ in range(runs))
    return {
        "runs": runs,
        "first_scene": scene,
        "first_run_ms": round(1000 * first_s),
        "median_ms": round(1000 * statistics.median(times)),
        "max_ms": round(1000 * max(times)),
        "python_ms": round(1000 * python_s),
        "import_pygame_ms": round(1000 * pygame_s),
        "load_1min": [load, os.getloadavg()[0]],
    }


def table(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| launch → first frame | ms |",
            "|---|---|",
            f"| `main.py play`, first launch (new data folder) | {result['first_run_ms']} |",
            f"| `main.py play`, median of {result['runs']} | {result['median_ms']} |",
            f"| `main.py play`, slowest of {result['runs']} | {result['max_ms']} |",
            f"| for scale: `python -c pass` | {result['python_ms']} |",
            f"| for scale: `python -c 'import pygame'` | {result['import_pygame_ms']} |",
            "",
            f"first frame shows: {result['first_scene']}; load average "
            f"{result['load_1min'][0]:.2f} before, {result['load_1min'][1]:.2f} after",
        ]
    )


def _probe(argv: list[str]) -> int:
    """In the child: run `main.main(argv)`, report the first flip, and stop there."""
    sys.path.insert(0, str(ROOT))
    import pygame

    import main
    from game.app import App

    shown: list[str] = []
    app_frame = App.frame

    def frame(self: App, *args: Any, **kwargs: Any) -> None:
        app_frame(self, *args, **kwargs)
        shown.append(type(self.scene).__name__)

    def flip() -> None:
        print(f"first frame {time.perf_counter():.6f} {shown[-1] if shown else '?'}", flush=True)
        os._exit(0)  # the measurement is over; skip the teardown

    App.frame = frame  # type: ignore[method-assign]
    pygame.display.flip = flip
    return main.main(argv)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        sys.exit(_probe(sys.argv[2:]))
    print(table(run()))
