"""`python -m clinic serve | add-therapist`: run the clinic service, make a therapist account.

The database is `--db URL` (SQLAlchemy URL, e.g. postgresql+psycopg://user@host/clinic), else
$REPQUEST_CLINIC_DB, else a SQLite file in `--data-dir` (default: the user data directory).
Exit codes as the game's CLI: 0 ok, 2 bad usage or input (one line naming the problem), 1 other.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from clinic.accounts import AccountError, create_therapist
from clinic.context import Clinic, utc_now
from clinic.db import make_engine
from clinic.stats import DEFAULT_ALERT_DAYS

DB_FILE = "clinic.sqlite"


def database_url(args: argparse.Namespace) -> str:
    if args.db:
        return str(args.db)
    if os.environ.get("REPQUEST_CLINIC_DB"):
        return os.environ["REPQUEST_CLINIC_DB"]
    if args.data_dir:
        folder = Path(args.data_dir)
    else:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("RepQuestClinic", appauthor=False))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE}"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in --data-dir)")
    common.add_argument("--data-dir", help="folder for the SQLite database")
    parser = argparse.ArgumentParser(prog="python -m clinic", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", parents=[common], help="run the web service")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8800)
    serve.add_argument(
        "--alert-days",
        type=int,
        default=DEFAULT_ALERT_DAYS,
        help="days without training before an alert",
    )
    serve.add_argument(
        "--secure-cookies", action="store_true", help="behind HTTPS: cookies only over HTTPS"
    )
    add = sub.add_parser("add-therapist", parents=[common], help="create a therapist login")
    add.add_argument("username")
    add.add_argument("--name", default="", help="the name shown on pages (default: username)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (for scripts)",
    )
    return parser


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from clinic.app import create_app

    if args.alert_days < 1:
        print("clinic: --alert-days must be 1 or more", file=sys.stderr)
        return 2
    clinic = Clinic(
        make_engine(database_url(args)),
        alert_days=args.alert_days,
        secure_cookies=args.secure_cookies,
    )
    uvicorn.run(create_app(clinic), host=args.host, port=args.port, log_level="warning")
    return 0


def add_therapist(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("clinic: the two passwords differ; nothing was created", file=sys.stderr)
            return 2
    therapist = create_therapist(
        make_engine(database_url(args)), args.username, password, args.name, utc_now()
    )
    print(f"therapist {therapist.username!r} created", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return serve(args) if args.command == "serve" else add_therapist(args)
    except AccountError as exc:
        print(f"clinic: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(
            f"clinic: the database cannot be used ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]})",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
