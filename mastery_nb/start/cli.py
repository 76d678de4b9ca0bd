"""``mastery-nb start COURSE UNIT --student S [--dir D] [--json]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_OK

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "start",
        description="Write a learner's current form of a unit (what the Mastery sidebar's "
        "Start does) into DIR/COURSE/: the unit's notebooks with the learner's own numbers "
        "and data, and the course files they need. Files already there are kept; a notebook "
        "of an earlier form is moved aside (NAME.form-N.ipynb), never overwritten. Refused "
        "(exit 3) while the unit is locked.",
    )
    parser.add_argument("course", metavar="COURSE", help="course id")
    parser.add_argument("unit", metavar="UNIT", help="unit (or placement) id")
    parser.add_argument("--student", required=True, help="the learner's id (their hub name)")
    parser.add_argument(
        "--dir",
        default=".",
        metavar="D",
        help="the learner's workspace; files go to D/COURSE/ (default: the current folder)",
    )
    parser.add_argument("--json", action="store_true", help="print what was written as JSON")
    add_root_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    workspace = Path(args.dir).resolve()
    status(
        f"starting unit '{args.unit}' of course {args.course} for learner '{args.student}' "
        f"in {workspace / args.course}"
    )
    from mastery_nb.start import start_unit

    started = start_unit(root, args.course, args.unit, args.student, workspace)
    if args.json:
        print(started.model_dump_json(indent=1))
        return EXIT_OK
    for old, new in sorted(started.moved.items()):
        print(f"moved {old} (an earlier form) to {new}")
    form = f"form {started.form}" if started.form is not None else "the unit"
    print(
        f"started {started.unit} for {args.student}: {form}, {len(started.copied)} file(s) "
        f"written, {len(started.kept)} kept, in {workspace / args.course}"
    )
    for notebook in started.notebooks:
        print(f"  {notebook.server_path}")
    return EXIT_OK
