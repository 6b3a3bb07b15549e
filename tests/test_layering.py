"""Imports flow one way: devices → exercises → game → repquest (the CLI). Checked on the source text
(AST); `main.py` is only a shim over `repquest.cli`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

FORBIDDEN = {
    "devices": {"exercises", "game", "main", "repquest", "pygame"},
    "exercises": {"game", "main", "repquest", "pygame", "bleak", "serial"},
    "game": {"main", "repquest"},
    "progress": {"game", "main", "repquest", "pygame"},
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


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import pygame\nfrom game.app import run\n", encoding="utf-8")
    assert imported_roots(bad) >= {"pygame", "game"}
