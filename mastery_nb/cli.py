"""The ``mastery-nb`` command: a thin layer over plain functions.

Each verb lives in its own subpackage (``mastery_nb/<verb>/cli.py``) exposing
``register(subparsers)``, which adds the verb's parser and sets ``func`` to a callable
taking the parsed arguments and returning an exit code. This module only wires them up and
turns user-facing errors into messages and exit codes (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mastery_nb import __version__
from mastery_nb.errors import EXIT_FAILURE, MasteryError, SubmissionRefused
from mastery_nb.root import CourseRoot

__all__ = ["build_parser", "main"]

#: verb name -> module holding its ``register`` function, in the order ``--help`` lists them
VERBS: dict[str, str] = {
    "validate": "mastery_nb.validate.cli",
    "release": "mastery_nb.release.cli",
    "submit": "mastery_nb.submit.cli",
    "grade": "mastery_nb.grade.cli",
    "progress": "mastery_nb.progress.cli",
    "feedback": "mastery_nb.feedback.cli",
    "demo": "mastery_nb.demo.cli",
    "service": "mastery_nb.service.cli",
}


def add_root_options(parser: argparse.ArgumentParser) -> None:
    """Options every verb that works on a course root takes."""
    parser.add_argument(
        "--root",
        default=None,
        metavar="DIR",
        help="course root holding courses/, release/, autograder/ (default: current folder)",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="runtime state: submissions, database (default: ROOT/.mastery-data, or $MASTERY_NB_DATA_DIR)",
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help="SQLAlchemy database URL, e.g. postgresql://... (default: SQLite in the data dir, or $MASTERY_NB_DB)",
    )


def root_from_args(args: argparse.Namespace) -> CourseRoot:
    """The course root named by the options of :func:`add_root_options`."""
    return CourseRoot.at(args.root, data_dir=args.data_dir, db_url=args.db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mastery-nb",
        description="Mastery-learning courseware for Jupyter: validate and release courses, "
        "submit and grade attempts, show progress and feedback.",
    )
    parser.add_argument("--version", action="version", version=f"mastery-nb {__version__}")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    subparsers.required = True
    for module_name in VERBS.values():
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except MasteryError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return error.exit_code
    except SubmissionRefused as refused:
        print(f"refused: {refused.reason}", file=sys.stderr)
        return refused.exit_code
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    return code
