"""Imports flow one way: devices → exercises → game → repquest (the CLI). Checked on the source text
(AST); `main.py` is only a shim over `repquest.cli`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# The clinic service sits beside the game, not in it: the game never imports clinic (nor its
# web packages), and clinic may use progress/exercises but never the game or pygame.
FORBIDDEN = {
    "devices": {"exercises", "game", "main", "repquest", "pygame", "clinic"},
    "exercises": {"game", "main", "repquest", "pygame", "bleak", "serial", "clinic"},
    "game": {"main", "repquest", "clinic", "starlette", "sqlalchemy"},
    "progress": {"game", "main", "repquest", "pygame", "clinic", "starlette", "sqlalchemy"},
    "clinic": {"game", "main", "repquest", "pygame", "devices"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downward(package: str) -> None:
    files = sorted((REPO_ROOT / package).rglob("*.py"))
    assert files, f"no Python files found under {package}/"
    offenders = {
        str(f.relative_to(REPO_ROOT)): sorted(imported_roots(f) & FORBIDDEN[package]) for f in files
    }
    assert {f: bad for f, bad in offenders.items() if bad} == {}


CLI_FILES = [
    "main.py",
    *sorted(f"repquest/{p.name}" for p in (REPO_ROOT / "repquest").glob("*.py")),
]


@pytest.mark.parametrize("module", CLI_FILES)
def test_the_command_line_does_not_import_the_clinic(module: str) -> None:
    assert "clinic" not in imported_roots(REPO_ROOT / module)


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import pygame\nfrom game.app import run\n", encoding="utf-8")
    assert imported_roots(bad) >= {"pygame", "game"}


def test_the_counter_needs_only_samples_and_the_catalogue() -> None:
    """exercises/detection/ is the counter's own room: it reads samples (devices), the exercise
    catalogue and the RepEvent type, and nothing of plans, progression or sessions."""
    allowed = {"exercises.detection", "exercises.catalogue", "exercises.events"}
    offenders = {}
    for path in sorted((REPO_ROOT / "exercises" / "detection").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("exercises")
        }
        bad = {m for m in modules if not any(m == a or m.startswith(a + ".") for a in allowed)}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}
