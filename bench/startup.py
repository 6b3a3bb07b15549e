"""Start-up time: `main.py play` as a real subprocess, from launch to its first menu frame drawn,
and `repquest --help` from launch to exit.

    python -m bench.startup             (also part of `make bench`)

Each run starts a fresh Python on `bench/startup.py --probe play …`: the probe wraps
`pygame.display.flip` so that the first flip of the real `main.main()` prints the scene it shows
and the time, then ends the process. The parent times from just before `Popen` to reading that
line, so interpreter start, imports, the store, fonts and the first frame are all in. A patient
already exists in a fresh data folder, so the first screen is the menu (not the first-run
questions). SDL dummy drivers, so no window is needed. `--help` runs as `python -m repquest
--help` (the console command `repquest` is a three-line wrapper around the same `main()`). For
scale: a bare `python -c pass` and `python -c "import pygame"`. The 1-minute load average is
noted before and after: on 2 shared cores it moves these figures more than any code change.
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
BUDGET_MS = 1000.0  # launch → first menu frame (issue 16)
HELP_BUDGET_MS = 500.0  # `repquest --help`


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


def time_command(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=_env(), check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def run(runs: int = RUNS) -> dict[str, Any]:
    from bench.summary import load_1min  # not at the top: the probe child runs this file bare

    load = load_1min()
    with tempfile.TemporaryDirectory() as folder:
        first_s, scene = time_play(Path(folder))  # also creates the patient: not the first run
        times = [time_play(Path(folder))[0] for _ in range(runs)]
    help_s = statistics.median(time_command("-m", "repquest", "--help") for _ in range(runs))
    python_s = statistics.median(time_command("-c", "pass") for _ in range(runs))
    pygame_s = statistics.median(time_command("-c", "import pygame") for _ in range(runs))
    median_ms = round(1000 * statistics.median(times))
    help_ms = round(1000 * help_s)
    return {
        "runs": runs,
        "first_scene": scene,
        "first_run_ms": round(1000 * first_s),
        "median_ms": median_ms,
        "max_ms": round(1000 * max(times)),
        "budget_ms": BUDGET_MS,
        "help_median_ms": help_ms,
        "help_budget_ms": HELP_BUDGET_MS,
        "within_budget": median_ms <= BUDGET_MS and help_ms <= HELP_BUDGET_MS,
        "python_ms": round(1000 * python_s),
        "import_pygame_ms": round(1000 * pygame_s),
        "load_1min": [load, load_1min()],
    }


def table(result: dict[str, Any]) -> str:
    from bench.summary import load_note

    return "\n".join(
        [
            "| launch → first frame | ms |",
            "|---|---|",
            f"| `main.py play`, first launch (new data folder) | {result['first_run_ms']} |",
            f"| `main.py play`, median of {result['runs']} | {result['median_ms']} |",
            f"| `main.py play`, slowest of {result['runs']} | {result['max_ms']} |",
            f"| `repquest --help`, median of {result['runs']} | {result['help_median_ms']} |",
            f"| for scale: `python -c pass` | {result['python_ms']} |",
            f"| for scale: `python -c 'import pygame'` | {result['import_pygame_ms']} |",
            "",
            f"first frame shows: {result['first_scene']}; budgets {result['budget_ms']:.0f} ms "
            f"(play) and {result['help_budget_ms']:.0f} ms (--help); "
            f"{load_note(result['load_1min'])}",
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
