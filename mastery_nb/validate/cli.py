"""``mastery-nb validate [COURSE]``: report every authoring mistake at once."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, MasteryError, Problem
from mastery_nb.root import CourseRoot

__all__ = [
    "add_course_argument",
    "courses_named",
    "guarded",
    "no_course_problem",
    "register",
    "run",
]

DESCRIPTION = """\
Check a course before releasing it: course.toml (units, objectives, thresholds,
prerequisites and their cycles, policy) and every unit notebook (nbgrader metadata,
solution and hidden-test regions, grade_ids, the objectives each graded cell assesses,
links to resources). Every mistake is printed at once as
  error: FILE: PLACE: MESSAGE. Fix: FIX
and the exit code is 2. It first says on stderr which course it checks ("validating
course C in ROOT/courses ..."). What does not stop a release (a broken image link, a course
root that looks published with its solutions) is printed as "warning: ..." and the exit
code stays 0. A clean course prints one summary line on stdout and exits 0.
Without COURSE, every course under ROOT/courses/ is checked."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "validate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_course_argument(parser)
    add_root_options(parser)
    parser.set_defaults(func=run)


def add_course_argument(parser: argparse.ArgumentParser) -> None:
    """The optional COURSE of ``validate`` and ``release``: without it, every course."""
    parser.add_argument(
        "course",
        nargs="?",
        default=None,
        metavar="COURSE",
        help="course id (folder name under courses/); default: every course",
    )


def courses_named(course_ids: list[str]) -> str:
    """The courses a ``validate`` or ``release`` run works on, for its first line."""
    if len(course_ids) == 1:
        return f"course {course_ids[0]}"
    return f"{len(course_ids)} courses ({', '.join(course_ids)})"


def no_course_problem(root: CourseRoot) -> Problem:
    return Problem(
        root.relative(root.courses_dir) if root.courses_dir.exists() else str(root.courses_dir),
        "",
        "no course found (no courses/<course>/course.toml)",
        "run the command in a course root, pass --root DIR, or create courses/<course>/course.toml",
    )


def guarded(
    verb: str, body: Callable[[argparse.Namespace], int]
) -> Callable[[argparse.Namespace], int]:
    """Run ``body``; a bug shows as one line and exit 1, not a traceback (MASTERY_NB_DEBUG=1 re-raises)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return body(args)
        except (MasteryError, OSError, KeyboardInterrupt):
            raise  # the CLI turns these into messages and exit codes
        except Exception as error:
            if os.environ.get("MASTERY_NB_DEBUG"):
                raise
            print(
                f"error: mastery-nb {verb} failed unexpectedly ({type(error).__name__}: {error}). "
                "Fix: this is a bug in mastery-nb; rerun with MASTERY_NB_DEBUG=1 to see where, and report it",
                file=sys.stderr,
            )
            return EXIT_FAILURE

    return run


def _run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    course_ids = [args.course] if args.course else root.course_ids()
    if course_ids:
        status(f"validating {courses_named(course_ids)} in {root.courses_dir}")
    from mastery_nb.release.publish import published_root_warnings
    from mastery_nb.validate.course import validate_courses

    checks = validate_courses(root, course_ids)
    if not checks:
        print(f"error: {no_course_problem(root)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for warning in published_root_warnings(root):
        print(f"warning: {warning}", file=sys.stderr)
    failed = 0
    for check in checks:
        for warning in check.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if check.ok:
            print(check.summary())
            continue
        failed += 1
        for problem in check.problems:
            print(f"error: {problem}", file=sys.stderr)
        count = len(check.problems)
        print(f"{check.course_id}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


run = guarded("validate", _run)
