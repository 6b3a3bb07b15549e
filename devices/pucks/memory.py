"""Remembered pucks: which puck plays which role, by device string, in the user's data folder.

A small JSON file (`pucks.json`) for now, so the Pucks screen and `play` work before the SQLite
store exists; it holds no patient data, only device addresses. Roles: `affected` (the puck on the
affected limb) and `second` (the other hand, or the trunk).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ROLES = ("affected", "second")
ROLE_NAMES = {"affected": "affected arm", "second": "other hand or trunk"}
ROLE_LABELS = {"affected": "blue puck", "second": "orange puck"}  # what messages call them
FILE_NAME = "pucks.json"


@dataclass(frozen=True)
class RememberedPuck:
    device: str  # e.g. ble:C1:2F:45:67:89:9A:microbit
    model: str
    name: str


def memory_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def load_pucks(data_dir: Path) -> dict[str, RememberedPuck]:
    """Role → puck; an unreadable file counts as none remembered (it only saves a scan)."""
    try:
        raw = json.loads(memory_path(data_dir).read_text(encoding="utf-8"))
        return {
            role: RememberedPuck(str(p["device"]), str(p["model"]), str(p["name"]))
            for role, p in raw.get("roles", {}).items()
            if role in ROLES
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_pucks(data_dir: Path, pucks: dict[str, RememberedPuck]) -> None:
    """Write atomically (temp file + rename), so a crash never leaves half a file."""
    path = memory_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"version": 1, "roles": {r: asdict(p) for r, p in pucks.items() if r in ROLES}}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def remember(data_dir: Path, role: str, puck: RememberedPuck) -> dict[str, RememberedPuck]:
    if role not in ROLES:
        raise ValueError(f"role '{role}': use one of {', '.join(ROLES)}")
    pucks = load_pucks(data_dir)
    pucks[role] = puck
    save_pucks(data_dir, pucks)
    return pucks
