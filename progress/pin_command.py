"""`python main.py pin set | reset`: the therapist's PIN is chosen at the command line.

The game never lets the first person to open therapist mode choose the PIN (a patient or a carer
could); the therapist sets it once at set-up, here, and a forgotten PIN is reset here too. From a
terminal the PIN is asked twice and not shown; from a script it is read from the first two lines
of standard input.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from progress.pin import clear_pin, set_pin
from progress.store import StoreError, open_store


def _ask_twice() -> tuple[str, str]:
    if sys.stdin.isatty():
        return getpass.getpass("New therapist PIN (4-8 digits): "), getpass.getpass("Again: ")
    lines = [*sys.stdin.read().splitlines(), "", ""]
    return lines[0].strip(), lines[1].strip()


def run_pin_command(args: argparse.Namespace, data_dir: Path) -> int:
    """Set or reset the PIN in the data folder's store; raises StoreError on bad input."""
    with open_store(data_dir) as store:
        if args.pin_command == "reset":
            had = clear_pin(store)
            words = "forgotten" if had else "was not set"
            print(f"therapist PIN {words}; set a new one with 'python main.py pin set'",
                  file=sys.stderr)  # fmt: skip
            return 0
        first, again = _ask_twice()
        if first != again:
            raise StoreError("the two PINs were different: nothing was changed, try again")
        set_pin(store, first)
    print("therapist PIN set", file=sys.stderr)
    return 0
