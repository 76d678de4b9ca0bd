"""``mastery-nb gradebook COURSE [--format csv|json] [--out FILE] [--wide]``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_OK

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(subparsers, "gradebook")
    parser.add_argument("course", metavar="COURSE", help="course id")
    parser.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="file format (default: csv)"
    )
    parser.add_argument(
        "--out", metavar="FILE", default=None, help="write to FILE (default: standard output)"
    )
    parser.add_argument(
        "--wide",
        action="store_true",
        help="one row per learner with a column per objective (1, 0 or EX), for LMS import",
    )
    add_root_options(parser)
    parser.set_defaults(func=run)


def _write(target: Path, text: str) -> None:
    """Replace ``target`` at once: a reader never sees half a gradebook."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    status(f"reading the mastery gradebook of course {args.course} from {root.store_label()}")
    from mastery_nb.gradebook import class_gradebook, render

    text = render(class_gradebook(root, args.course), format=args.format, wide_form=args.wide)
    if args.out:
        _write(Path(args.out), text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
