"""The command line's words: the argument parser, usage errors and where patient data lives.

Kept apart from `repquest/cli.py` (which runs the commands) so each stays small; only it imports
this module.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from exercises.catalogue import AUTO_ID

APP_NAME = "RepQuest"
DESCRIPTION = "RepQuest: home-therapy games that count every repetition. With no command: the game."
DEVICE_HELP = (
    "keyboard[:impaired][:two] | replay:FILE.csv[@SPEED] | "
    "serial:PORT[@BAUD][:witmotion|csv|openpuck] | "
    "ble:ADDRESS_OR_NAME[:microbit|witmotion|thingy|openpuck]"
)


class UsageError(Exception):
    """Bad input from the person at the keyboard: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print the whole usage block
        raise UsageError(f"{message} (see '{self.prog} --help')")


def data_dir(args: argparse.Namespace) -> Path:
    """Where patient data lives: --data-dir, else $REPQUEST_DATA_DIR, else the user data dir."""
    if args.data_dir:
        return Path(args.data_dir)
    if os.environ.get("REPQUEST_DATA_DIR"):
        return Path(os.environ["REPQUEST_DATA_DIR"])
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def build_parser(prog: str = "repquest") -> argparse.ArgumentParser:
    """The whole command line; `prog` is how it was started (`repquest`, `python main.py`)."""
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", help="folder for patient data (default: the user data dir)")
    parser = _Parser(prog=prog, description=DESCRIPTION, parents=[common])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    play = sub.add_parser("play", parents=[common], help="the game (default)")
    play.add_argument(
        "--device",
        default=None,
        help=f"{DEVICE_HELP} (default: remembered puck, else keyboard)",
    )
    play.add_argument("--exercise", default="wrist_extension", help="exercise id")
    play.add_argument("--patient", default=None, help="patient name")

    count = sub.add_parser("count", parents=[common], help="count the reps in a recording")
    count.add_argument("file", help="recording CSV")
    count.add_argument("--exercise", default=None, help="exercise id, or 'auto' (default)")
    count.add_argument("--json", action="store_true", help="print {reps, events} as JSON")

    session = sub.add_parser("session", parents=[common], help="a whole session (headless)")
    session.add_argument("--headless", action="store_true", help="no window (required for now)")
    session.add_argument("--device", default="keyboard", help=DEVICE_HELP)
    session.add_argument("--exercise", default=AUTO_ID, help="exercise id, or 'auto'")
    session.add_argument("--reps", type=int, default=10, help="reps per set (default 10)")
    session.add_argument("--sets", type=int, default=1, help="sets (default 1)")
    session.add_argument("--rest-s", type=float, default=60.0, help="rest between sets, seconds")
    session.add_argument("--max-seconds", type=float, default=None, help="wall-clock limit")
    session.add_argument("--patient", default=None, help="patient name")
    session.add_argument(
        "--progress-jsonl", action="store_true", help="print each rep as a JSON line once stored"
    )
    session.add_argument(
        "--game", default=None, help="play this game's real scenes, no window (see 'games')"
    )
    session.add_argument(
        "--plan",
        default=None,
        help="follow this therapist plan (TOML), or 'stored': the plan in force",
    )

    plan = sub.add_parser("plan", parents=[common], help="therapist plans: check, import, export")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, parser_class=_Parser)
    check = plan_sub.add_parser("check", parents=[common], help="validate a plan file")
    check.add_argument("file", help="plan TOML file")
    imp = plan_sub.add_parser("import", parents=[common], help="check, then store for its patient")
    imp.add_argument("file", help="plan TOML file")
    exp = plan_sub.add_parser("export", parents=[common], help="a patient's plan as a TOML file")
    exp.add_argument("--patient", required=True, help="patient name")
    exp.add_argument("--out", required=True, help="TOML file to write")

    pin = sub.add_parser("pin", parents=[common], help="the therapist PIN: set, or reset")
    pin.add_argument("pin_command", choices=["set", "reset"], help="set a PIN, or forget it")

    record = sub.add_parser("record", parents=[common], help="record a raw stream to CSV")
    record.add_argument("--device", default="keyboard", help=DEVICE_HELP)
    record.add_argument("--seconds", type=float, required=True, help="how long to record")
    record.add_argument("--out", required=True, help="CSV file to write")

    scan = sub.add_parser("scan", parents=[common], help="list the BLE and serial pucks nearby")
    scan.add_argument("--seconds", type=float, default=4.0, help="how long to listen for BLE")
    scan.add_argument("--json", action="store_true")

    games = sub.add_parser("games", parents=[common], help="list the games")
    games.add_argument("--json", action="store_true")

    exercises = sub.add_parser("exercises", parents=[common], help="list the exercises")
    exercises.add_argument("--json", action="store_true")

    report = sub.add_parser("report", parents=[common], help="the therapist report (HTML)")
    report.add_argument("--patient", required=True, help="patient name")
    report.add_argument("--out", required=True, help="HTML file to write")

    sync = sub.add_parser("sync", parents=[common], help="pair with a clinic, or sync now")
    sync.add_argument("--pair", default=None, metavar="CODE", help="the therapist's pairing code")
    sync.add_argument("--server", default=None, metavar="URL", help="the clinic's address")
    sync.add_argument("--patient", default=None, help="the patient this install is for")
    sync.add_argument("--json", action="store_true", help="print what happened as JSON")

    export = sub.add_parser("export", parents=[common], help="history as CSV or FHIR R4 JSON")
    export.add_argument("--patient", required=True, help="patient name")
    export.add_argument("--format", required=True, choices=["csv", "fhir"], help="csv or fhir")
    export.add_argument("--out", required=True, help="file to write")
    return parser
