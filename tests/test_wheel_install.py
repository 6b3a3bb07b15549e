"""The wheel, installed as a person would install it, works from any folder.

Once per test run: the tree a clone would have (git's tracked and untracked-but-not-ignored
files, copied, so the build sees nothing a clone would not) is built into a wheel by pip with build
isolation, a fresh venv is made (no system site-packages, no access to this checkout), and the
wheel is installed into it with its real dependencies, resolved by pip like any install (from
pip's cache here, so it takes seconds). Every command then runs from an unrelated folder, so
nothing can come from the working directory: the console command `repquest`, `python -m
repquest`, the catalogue, a headless session on a replayed recording, a game's real scenes, and
the fonts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devices.recording import RecordingWriter, read_recording
from exercises.catalogue import get_exercise, load_catalogue
from exercises.detection.counting import count_recording
from tests.conftest import REPO_ROOT
from tests.test_detector_synthetic import tilt_trace

pytestmark = pytest.mark.xdist_group("wheel")  # one build and one venv for the whole module
REPS = 6


@dataclass(frozen=True)
class Installed:
    venv: Path
    elsewhere: Path  # an unrelated working directory

    def bin(self, name: str) -> Path:
        scripts = "Scripts" if os.name == "nt" else "bin"
        suffix = ".exe" if os.name == "nt" else ""
        return self.venv / scripts / f"{name}{suffix}"

    def run(self, *argv: str | Path, timeout_s: float = 120) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
        env["REPQUEST_DATA_DIR"] = str(self.elsewhere / "data")
        return subprocess.run(
            [str(a) for a in argv],
            cwd=self.elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )


def clone_tree(target: Path) -> Path:
    """The files a clone of this checkout has, plus new files not yet committed (not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def checked(cmd: list[str | Path], env: dict[str, str] | None = None, timeout: float = 300) -> None:
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=timeout
    )
    assert done.returncode == 0, f"{cmd[:4]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    source = clone_tree(root / "source")
    dist = root / "dist"
    pip_env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source],
            env=pip_env, timeout=300)  # fmt: skip
    wheels = sorted(dist.glob("repquest-*.whl"))
    assert len(wheels) == 1, f"expected one RepQuest wheel, found {wheels}"
    venv = root / "venv"
    checked([sys.executable, "-m", "venv", venv], timeout=120)
    installed = Installed(venv, root / "elsewhere")
    installed.elsewhere.mkdir()
    checked([installed.bin("python"), "-m", "pip", "install", "-q", wheels[0]],
            env=pip_env, timeout=600)  # fmt: skip
    yield installed


def test_the_console_command_answers_help(installed: Installed) -> None:
    done = installed.run(installed.bin("repquest"), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: repquest")
    for command in ("play", "session", "count", "exercises", "report", "export"):
        assert command in done.stdout


def test_the_code_comes_from_the_venv_not_a_checkout(installed: Installed) -> None:
    probe = (
        "import json, repquest, devices, exercises, game, game.games, game.scenes, progress;"
        "print(json.dumps([m.__file__ for m in (repquest, devices, exercises, game, progress)]))"
    )
    done = installed.run(installed.bin("python"), "-c", probe)
    assert done.returncode == 0, done.stderr
    for path in json.loads(done.stdout):
        assert Path(path).resolve().is_relative_to(installed.venv.resolve()), path


def test_python_m_repquest_lists_the_whole_catalogue(installed: Installed) -> None:
    done = installed.run(installed.bin("python"), "-m", "repquest", "exercises", "--json")
    assert done.returncode == 0, done.stderr
    ids = [e["id"] for e in json.loads(done.stdout)]
    assert ids == list(load_catalogue()), "the wheel's catalogue differs from the checkout's"


def test_a_headless_session_on_a_replay_counts_every_rep(installed: Installed) -> None:
    recording = installed.elsewhere / "six_reps.csv"
    with recording.open("w", encoding="utf-8") as stream:
        RecordingWriter(stream, {"puck": "p1", "rate_hz": "50"}).write(tilt_trace([1.8] * REPS))
    expected = len(count_recording(read_recording(recording), get_exercise("auto")))
    assert expected == REPS
    argv = ["session", "--headless", "--device", f"replay:{recording.name}@50", "--reps", "10"]
    done = installed.run(installed.bin("repquest"), *argv, "--patient", "Anna")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["reps"], summary["patient"]) == (REPS, "Anna")
    assert (installed.elsewhere / "data" / "repquest.sqlite").is_file()


def test_a_game_plays_its_real_scenes_with_the_bundled_fonts(installed: Installed) -> None:
    recording = installed.elsewhere / "game_reps.csv"
    with recording.open("w", encoding="utf-8") as stream:
        RecordingWriter(stream, {"puck": "p1", "rate_hz": "50"}).write(tilt_trace([1.8] * 4))
    argv = ["session", "--headless", "--game", "garden", "--device", f"replay:{recording}@50"]
    done = installed.run(installed.bin("repquest"), *argv, "--reps", "4", "--patient", "Ben")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["game"] == "garden"
    assert "font" not in done.stderr.lower(), done.stderr  # no "font missing" fallback


def test_the_fonts_and_their_licence_are_installed_and_load(installed: Installed) -> None:
    probe = (
        "import pygame, game.theme as t; pygame.font.init();"
        "[pygame.font.Font(p, 24) for p in (t.FONT_REGULAR, t.FONT_BOLD)];"
        "print(t.FONT_DIR)"
    )
    done = installed.run(installed.bin("python"), "-c", probe)
    assert done.returncode == 0, done.stderr
    font_dir = Path(done.stdout.strip().splitlines()[-1])
    assert font_dir.resolve().is_relative_to(installed.venv.resolve())
    assert (font_dir / "OFL.txt").read_text(encoding="utf-8").startswith("Copyright")
    assert (font_dir.parent / "README.md").is_file()  # the assets' credits and licences


def test_scipy_is_not_installed_so_nothing_above_needed_it(installed: Installed) -> None:
    """The sessions and the game above ran in this venv: scipy is a test/bench dependency only."""
    probe = "import importlib.util as u; print(u.find_spec('scipy') is None)"
    done = installed.run(installed.bin("python"), "-c", probe)
    assert done.stdout.strip() == "True", "a run-time dependency pulls in scipy"
