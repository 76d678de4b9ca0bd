"""``mastery-nb release [COURSE]``: write the student version and the private grading bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, MasteryError, Problem
from mastery_nb.root import CourseRoot
from mastery_nb.validate.cli import (
    add_course_argument,
    courses_named,
    guarded,
    no_course_problem,
)

__all__ = ["register", "run"]

DESCRIPTION = """\
Validate a course, then write
  release/<course>/     what students get: unit notebooks with solutions replaced by
                        stubs, hidden tests removed, outputs cleared, read-only cells
                        locked with nbgrader checksums; course.json (units, objectives,
                        prerequisites, resources, policy); resources, data/ and checks/
  autograder/<course>/  the private grading bundle: course.json, units/<unit>.json (every
                        graded cell's full test source including hidden tests, points,
                        objectives, checksums), files/ (data/, checks/), SHA256SUMS
Both folders are replaced as a whole (no stale files survive) and releasing twice gives
identical bytes. Students must get release/<course>/ only, never the course root's
repository (it holds courses/ and autograder/): --publish DEST copies the student
version into its own git repository DEST and commits it, for nbgitpuller.
An invalid course is refused with every problem (exit 2); nothing of it is written.
It first says on stderr what it releases ("releasing course C from ROOT/courses ...").
With --check nothing is written: exit 1 and the list of files when the release on disk
is out of date. Without COURSE, every course under ROOT/courses/ is released."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "release",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_course_argument(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if release/ or autograder/ differ from a fresh release",
    )
    parser.add_argument(
        "--publish",
        default=None,
        metavar="DEST",
        help="after releasing, copy release/<course>/ (only the student version) into the git "
        "repository DEST (created if missing) and commit it; serve DEST with nbgitpuller",
    )
    add_root_options(parser)
    parser.set_defaults(func=run)


def _run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    course_ids = [args.course] if args.course else root.course_ids()
    if not course_ids:
        print(f"error: {no_course_problem(root)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.publish and (args.check or not args.course):
        raise MasteryError(
            Problem(
                "--publish",
                "",
                "publishes one course's release and writes it",
                "give the COURSE, without --check: mastery-nb release COURSE --publish DEST",
            )
        )
    if args.check:
        status(
            f"checking that the release of {courses_named(course_ids)} in {root.path} is up to "
            "date (validating and building it in memory)"
        )
    else:
        status(f"releasing {courses_named(course_ids)} from {root.courses_dir} (validating first)")
    from mastery_nb.release.build import build_release, stale_files, write_release
    from mastery_nb.release.publish import publish_release, published_root_warnings

    for warning in published_root_warnings(root):
        print(f"warning: {warning}", file=sys.stderr)
    code = EXIT_OK
    for course_id in course_ids:
        try:
            output = build_release(root, course_id)
        except MasteryError as error:
            for problem in error.problems:
                print(f"error: {problem}", file=sys.stderr)
            print(
                f"{course_id}: not released ({len(error.problems)} problems); "
                f"the previous release, if any, is unchanged",
                file=sys.stderr,
            )
            code = EXIT_BAD_INPUT
            continue
        for warning in output.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        release_dir = root.relative(root.course_release(course_id))
        bundle_dir = root.relative(root.course_bundle(course_id))
        if args.check:
            stale = stale_files(root, output)
            if stale:
                for path in stale:
                    print(f"stale: {path}", file=sys.stderr)
                print(
                    f"{course_id}: {len(stale)} released files are out of date; "
                    f"run `mastery-nb release {course_id}`",
                    file=sys.stderr,
                )
                code = max(code, EXIT_FAILURE)
            else:
                print(f"{course_id}: {release_dir}/ and {bundle_dir}/ are up to date")
            continue
        write_release(root, output)
        course = output.course
        notebooks = sum(len(u.notebooks) for u in course.units) + sum(
            len(p.notebooks) for p in course.placements
        )
        placements = f", {len(course.placements)} placement(s)" if course.placements else ""
        forms = sum(1 for u in course.units if u.forms)
        with_forms = f" ({forms} with parallel forms)" if forms else ""
        print(
            f"released {course_id}: {len(course.units)} units{with_forms}{placements}, "
            f"{notebooks} notebooks -> "
            f"{release_dir}/ ({len(output.release)} files), {bundle_dir}/ ({len(output.bundle)} files)"
        )
        if args.publish:
            done = publish_release(root, course_id, Path(args.publish))
            what = f"commit {done.commit}" if done.commit else "already up to date, nothing to commit"
            print(
                f"published {course_id}: {done.files} student files -> {done.destination} ({what}); "
                f"push it (git -C {done.destination} push) and point nbgitpuller at that repository"
            )
    return code


run = guarded("release", _run)
