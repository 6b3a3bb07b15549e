"""`python main.py …` from a checkout: a thin shim over the installed command line.

The commands live in `repquest/cli.py` (the `repquest` console command and `python -m repquest`);
this file stays so the README's and the tests' `python main.py …` keep working from the repo.
"""

from __future__ import annotations

import sys

from repquest.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python main.py"))
