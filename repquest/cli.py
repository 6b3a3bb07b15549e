"""RepQuest's command line: `repquest …`, `python -m repquest …`, or `python main.py …` from a
checkout — all three call `main()`.

The line is parsed before any command module is imported, so `repquest --help` and a mistyped
option answer at once (no numpy, no detector, no pygame). Exit codes: 0 ok, 2 bad usage or input
(one line on stderr naming the problem), 1 other failure.
"""

from __future__ import annotations

import sys

from repquest.cli_args import UsageError, build_parser

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None, prog: str = "repquest") -> int:
    """Run one command; `prog` is how the person started it, for usage lines and hints."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("--") and argv[0] not in ("--help", "-h")):
        argv = ["play", *argv]
    try:
        args = build_parser(prog).parse_args(argv)
    except UsageError as exc:
        print(f"repquest: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from exercises.plan import PlanFileError
    from repquest.commands import COMMANDS, USAGE_ERRORS

    try:
        return COMMANDS[args.command or "play"](args)
    except USAGE_ERRORS as exc:
        print(f"repquest: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PlanFileError as exc:  # every problem of the file, one line each
        for problem in exc.problems:
            print(f"repquest: {exc.where}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
