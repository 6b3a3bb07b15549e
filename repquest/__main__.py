"""`python -m repquest …`: the same command line as the `repquest` console command."""

from __future__ import annotations

import sys

from repquest.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m repquest"))
