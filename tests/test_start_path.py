"""What starting RepQuest imports: heavy libraries only where they are used.

Start-up time is measured by `make bench` (bench/startup.py), never asserted here; these tests
check the behaviour that keeps it short, in a fresh interpreter each: the game's start path
imports no scipy (not a run-time dependency at all), no matplotlib (the report's charts), no
bleak, pyserial or bumble (until a puck of that kind is opened); `--help` imports not even numpy
or pygame, since the command line is parsed before any command module is loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = ("scipy", "matplotlib", "bleak", "serial", "bumble")


def imported_after(code: str) -> set[str]:
    """Top-level package names in sys.modules after running `code` in a fresh interpreter."""
    probe = (
        f"import sys, json\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_game_start_path_imports_no_heavy_library() -> None:
    modules = imported_after("import game.app, game.headless, repquest.commands")
    assert "pygame" in modules and "numpy" in modules  # the probe sees real imports
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.parametrize(
    "start",
    [
        "import repquest.cli as c; c.main(['--help'])",
        "import runpy; sys.argv = ['main.py', '-h']; runpy.run_path('main.py', None, '__main__')",
        "import repquest.cli as c; c.main(['session', '--no-such-option'])",
    ],
)
def test_help_and_usage_errors_import_only_the_parser(start: str) -> None:
    modules = imported_after(start)
    assert "repquest" in modules
    assert modules.isdisjoint({"numpy", "pygame", *HEAVY}), sorted(modules)


def test_the_checker_sees_a_heavy_import() -> None:
    assert "matplotlib" in imported_after("import progress.charts")
