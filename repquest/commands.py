"""The commands behind `repquest …`: the game by default, plus headless tools (count, session, …).

`repquest.cli.main` parses the line and then imports this module, so `--help` and usage errors
never pay for numpy and the detector. Heavy imports (pygame, matplotlib, bleak, serial) happen
only inside the commands that need them. Every error a person can fix is one of `USAGE_ERRORS`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from devices.device_string import DeviceError, open_source
from devices.recording import RecordingError, read_recording
from exercises.catalogue import AUTO_ID, ExerciseError, get_exercise, load_catalogue
from exercises.detection.counting import count_recording
from exercises.games_catalogue import GAMES, GameError, get_game
from exercises.session_plan import PlanError, SetPlan
from exercises.session_runner import headless_wall_limit_s
from progress.pin_command import run_pin_command
from progress.private_file import open_private, write_private_text
from progress.store import StoreError
from repquest.cli_args import UsageError, data_dir
from repquest.record_command import cmd_record

EXIT_OK = 0


def open_records(args: argparse.Namespace, create: bool) -> Any:
    """The patient's records in the data dir's database (default patient until profiles exist)."""
    from progress.recorder import DEFAULT_PATIENT, PatientRecords
    from progress.store import open_store

    store = open_store(data_dir(args))
    if store.notice:  # a damaged history file was kept aside: say where it went
        print(f"repquest: {store.notice}", file=sys.stderr)
    try:
        return PatientRecords.for_patient(store, args.patient or DEFAULT_PATIENT, create=create)
    except BaseException:
        store.close()
        raise


def print_each_rep(store_rep: Any) -> Any:
    """`--progress-jsonl`: one JSON line per rep, printed only once the rep is on disk, so a
    script (or a crash test) knows exactly which reps are safe."""

    def on_rep(event: Any, outcome: Any, progress: Any) -> None:
        store_rep(event, outcome, progress)
        print(json.dumps({"outcome": outcome.value, **event.to_json()}), flush=True)

    return on_rep


def output_path(out: str) -> Path:
    """Where an export goes: exactly the file asked for, in a folder that exists."""
    path = Path(out)
    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise UsageError(f"--out {path} is a folder: give a file name")
    return path


def cmd_play(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    get_exercise(args.exercise)
    source = open_source(args.device or remembered_device(args), loop=True)
    from game.app import run
    from progress.patients import list_patients
    from progress.store import open_store

    with open_store(data_dir(args)) as store:
        patients = list_patients(store)
    first_scene = "menu"
    if args.patient is None and not patients:
        first_scene = "first_run"  # ask for the first patient, in a few large screens
    elif args.patient is None and len(patients) > 1:
        first_scene = "profiles"  # who is playing? progress is never mixed
    if args.patient is None and patients:
        args.patient = patients[0].name
    records = open_records(args, create=True) if first_scene != "first_run" else None
    from progress.sync_client import SyncWorker, is_paired

    syncing = SyncWorker(data_dir(args)).start() if is_paired(data_dir(args)) else None
    try:
        return run(
            source, exercise_id=args.exercise, records=records, data_dir=data_dir(args),
            first_scene=first_scene, device_chosen=args.device is not None,
        )  # fmt: skip
    finally:
        if syncing is not None:
            syncing.stop()
        if records is not None:
            records.store.close()


def remembered_device(args: argparse.Namespace) -> str:
    """The puck chosen on the Pucks screen for the affected limb, else the keyboard simulator."""
    from devices.pucks.memory import load_pucks

    puck = load_pucks(data_dir(args)).get("affected")
    return puck.device if puck else "keyboard"


def cmd_scan(args: argparse.Namespace) -> int:
    from devices.pucks.scan import scan_ble_blocking, scan_serial

    if not args.seconds > 0:
        raise UsageError(f"--seconds must be above 0, got {args.seconds}")
    found = scan_serial()
    ble_problem = ""
    try:
        found += scan_ble_blocking(args.seconds)
    except Exception as exc:  # no adapter, no BlueZ/D-Bus: say so, still list serial ports
        ble_problem = f"Bluetooth is not available here ({type(exc).__name__}: {exc})"
    if args.json:
        rows = [
            {"device": p.device, "model": p.model, "name": p.name, "rssi_dbm": p.rssi_dbm}
            for p in found
        ]
        print(json.dumps({"pucks": rows, "ble_problem": ble_problem or None}))
        return EXIT_OK
    for p in found:
        signal = f"  signal {p.rssi_dbm} dBm" if p.rssi_dbm is not None else ""
        print(f"{p.device:48} {p.model} — {p.name}{signal}")
    if not found:
        print("no pucks found (switch them on and bring them close, then scan again)")
    if ble_problem:
        print(ble_problem, file=sys.stderr)
    return EXIT_OK


def cmd_count(args: argparse.Namespace) -> int:
    recording = read_recording(args.file)
    exercise_id = args.exercise or AUTO_ID
    events = count_recording(recording, get_exercise(exercise_id))
    if args.json:
        print(json.dumps({"reps": len(events), "events": [e.to_json() for e in events]}))
    else:
        print(f"{len(events)} reps in {args.file} ({exercise_id})")
    return EXIT_OK


def cmd_session(args: argparse.Namespace) -> int:
    if not args.headless:
        raise UsageError("session needs --headless for now; use 'play' for the game window")
    if args.game is not None:
        return session_game(args)
    if args.plan is not None:
        return session_plan(args)
    from exercises.session_runner import HeadlessSession

    exercise = get_exercise(args.exercise)
    plan = SetPlan(exercise.id, reps_per_set=args.reps, sets=args.sets, rest_s=args.rest_s)
    source = open_source(args.device)
    max_s = headless_wall_limit_s(args.max_seconds, source)
    records = open_records(args, create=True)
    try:
        recorder = records.recorder(plan, origin="headless", device=source.info)
        recorder.begin()
        on_rep = print_each_rep(recorder.on_rep) if args.progress_jsonl else recorder.on_rep
        session = HeadlessSession(source, exercise, plan, max_wall_s=max_s, on_rep=on_rep)
        summary = session.run()
        recorder.finish(summary)
    finally:
        records.store.close()
    summary["patient"] = records.name
    summary["session_id"] = recorder.session_id
    print(json.dumps(summary))
    return EXIT_OK


def read_plan(path: str) -> Any:
    """A plan file, parsed and checked; every problem raises (exit 2), nothing is stored."""
    from exercises.plan import parse_plan

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the plan {path}: {exc.strerror}") from exc
    return parse_plan(text, path), text


def stored_plan(args: argparse.Namespace) -> Any:
    """The patient's plan in force and its file text (`--plan stored`)."""
    from progress.plans import current_plan

    records = open_records(args, create=False)
    try:
        stored = current_plan(records.store, records.patient_id)
    finally:
        records.store.close()
    if stored is None:
        raise UsageError(
            f"{records.name} has no plan yet: import one with 'plan import FILE' (or sync with "
            "the clinic)"
        )
    return stored.plan, stored.toml


def session_plan(args: argparse.Namespace) -> int:
    """`session --headless --plan FILE`: the plan's blocks, sets, reps and rests, in order.

    The file is stored as the patient's plan (if it is not the one in force already), and the
    session follows it as progression has moved it (the file's own numbers the first time).
    """
    from exercises.plan_runner import PlanSession
    from progress.plans import plan_in_force, save_plan

    if args.plan == "stored":  # the plan in force (e.g. the clinic's, brought down by sync)
        plan, text = stored_plan(args)
    else:
        plan, text = read_plan(args.plan)
    if args.patient is None:
        args.patient = plan.patient.name
    source = open_source(args.device)
    max_s = headless_wall_limit_s(args.max_seconds, source)
    records = open_records(args, create=True)
    try:
        store = records.store
        stored = plan_in_force(store, records.patient_id)
        if stored is None or stored.toml != text or stored.plan.patient.name != records.name:
            from dataclasses import replace

            patient = replace(plan.patient, name=records.name)
            save_plan(store, replace(plan, patient=patient), text)
            stored = plan_in_force(store, records.patient_id)
            assert stored is not None
        today = stored.today
        recorder = records.recorder(today.blocks[0].set_plan(), "headless", source.info, stored.id)
        session_id = recorder.begin()

        def next_block(index: int, block: Any) -> None:
            recorder.plan, recorder.block_index = block.set_plan(), index

        runner = PlanSession(source, today, max_s, on_block=next_block, on_rep=recorder.on_rep)
        summary = runner.run()
        recorder.finish(summary)
    finally:
        records.store.close()
    summary["patient"] = records.name
    summary["session_id"] = session_id
    print(json.dumps(summary))
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    if args.plan_command == "check":
        plan, _ = read_plan(args.file)
        blocks = ", ".join(f"{b.exercise} {b.sets}×{b.reps}" for b in plan.blocks)
        print(
            f"{args.file}: OK — {plan.patient.name}, {len(plan.blocks)} blocks ({blocks}), "
            f"{plan.planned_reps} reps planned of a {plan.goal_reps}-rep goal"
        )
        return EXIT_OK
    from progress.plans import import_plan_file
    from progress.store import open_store

    if args.plan_command == "import":
        with open_store(data_dir(args)) as store:
            imported = import_plan_file(store, Path(args.file))
        print(f"plan for {imported.plan.patient.name} stored from {args.file}", file=sys.stderr)
        return EXIT_OK
    out = output_path(args.out)
    plan, toml = stored_plan(args)
    write_private_text(out, toml)
    print(f"plan of {plan.patient.name} written to {out}", file=sys.stderr)
    return EXIT_OK


def session_game(args: argparse.Namespace) -> int:
    """`session --headless --game ID`: the game's real scenes on the dummy SDL drivers."""
    get_game(args.game)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from game.headless import headless_session

    plan = SetPlan(args.exercise, reps_per_set=args.reps, sets=args.sets, rest_s=args.rest_s)
    records = open_records(args, create=True)
    try:
        summary = headless_session(args.device, plan, args.game, records, args.max_seconds)
    finally:
        records.store.close()
    summary["patient"] = records.name
    print(json.dumps(summary))
    return EXIT_OK


def cmd_games(args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps([asdict(g) for g in GAMES]))
    else:
        for g in GAMES:
            opens = f"opens at {g.unlock_reps} reps" if g.unlock_reps else "open from the start"
            print(f"{g.id:10} {g.name} / {g.child_name}: trains {g.trains} ({opens})")
    return EXIT_OK


def cmd_exercises(args: argparse.Namespace) -> int:
    catalogue = load_catalogue()
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(e) for e in catalogue.values()]))
    else:
        for e in catalogue.values():
            pucks = " · 2 pucks" if e.pucks == 2 else ""
            print(f"{e.id:28} {e.name} ({e.body_part}, {e.feature}{pucks})")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    out = output_path(args.out)
    records = open_records(args, create=False)
    try:
        from progress.report import render_report

        html = render_report(records.history(), records.store.now())
    finally:
        records.store.close()
    write_private_text(out, html)
    print(f"report for {records.name} written to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    out = output_path(args.out)
    records = open_records(args, create=False)
    try:
        history = records.history()
        now = records.store.now()
    finally:
        records.store.close()
    if args.format == "csv":
        from progress.export_csv import write_csv

        with open_private(out, newline="") as stream:
            write_csv(history, stream)
    else:
        from progress.fhir import fhir_bundle

        write_private_text(out, json.dumps(fhir_bundle(history, now), indent=1))
    print(f"{len(history.reps)} reps of {records.name} exported to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from progress.sync_command import main_sync

    print(main_sync(data_dir(args), args.patient, args.pair, args.server, args.json))
    return EXIT_OK


COMMANDS = {
    "sync": cmd_sync,
    "play": cmd_play,
    "count": cmd_count,
    "session": cmd_session,
    "record": cmd_record,
    "exercises": cmd_exercises,
    "plan": cmd_plan,
    "games": cmd_games,
    "scan": cmd_scan,
    "report": cmd_report,
    "export": cmd_export,
    "pin": lambda args: run_pin_command(args, data_dir(args)),
}

# Bad input from the person at the keyboard (exit 2, one line naming the problem).
USAGE_ERRORS: tuple[type[Exception], ...] = (
    UsageError,
    DeviceError,
    RecordingError,
    ExerciseError,
    PlanError,
    StoreError,
    GameError,
)
