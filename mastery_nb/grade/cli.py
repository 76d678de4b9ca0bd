"""``mastery-nb grade [--watch] [--workers N] [--course C]``: the grading queue worker."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args
from mastery_nb.errors import EXIT_FAILURE, EXIT_OK, MasteryError, Problem

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "grade",
        description="Grade queued attempts against the private bundle in autograder/. Safe to "
        "kill at any moment and to run several at once: every attempt is graded exactly once.",
    )
    parser.add_argument(
        "--watch", action="store_true", help="keep running, grading new attempts as they arrive"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="attempts graded in parallel (default 2)",
    )
    parser.add_argument("--course", default=None, help="grade only this course's attempts")
    parser.add_argument(
        "--poll",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="with --watch: how often to look for new attempts (default 2)",
    )
    parser.add_argument(
        "--retry-failed",
        action="store_true",
        help="queue attempts that failed to grade again first",
    )
    add_root_options(parser)
    parser.set_defaults(func=run)


def _report(done: Any) -> None:
    who = f"{done.student_id} {done.course_id}/{done.unit_id} attempt {done.number}"
    if done.status == "graded":
        line = (
            f"graded {who}: {done.points:g}/{done.max_points:g} points, "
            f"{done.objectives_mastered}/{done.objectives} objectives mastered "
            f"({done.duration_seconds:.1f} s)"
        )
        if done.tampering:
            line += f"; restored {len(done.tampering)} tampered part(s)"
    else:
        line = f"{done.status} {who}: {done.error}"
    print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.grade.queue import GradingLoop, grade_pending, queue_counts, retry_failed

    if args.workers < 1:
        raise MasteryError(
            Problem("--workers", "", f"{args.workers} is not a number of workers", "give 1 or more")
        )
    root = root_from_args(args)
    if args.course is not None and not ReleasedCourse.of(root, args.course).is_released():
        raise MasteryError(
            Problem(
                root.relative(root.course_bundle(args.course)),
                "",
                f"course '{args.course}' is not released",
                f"run `mastery-nb release {args.course}`",
            )
        )
    if args.retry_failed:
        print(
            f"queued {retry_failed(root, course_id=args.course)} failed attempt(s) again",
            flush=True,
        )
    if not args.watch:
        from mastery_nb.grade.attempt import GradingUnavailable

        try:
            graded = grade_pending(
                root, workers=args.workers, course_id=args.course, on_done=_report
            )
        except GradingUnavailable as error:
            print(
                f"error: the grader cannot start ({error}); the queue is unchanged", file=sys.stderr
            )
            return EXIT_FAILURE
        counts = queue_counts(root, course_id=args.course, include_graded=False)
        print(
            f"graded {graded} attempt(s); queue: {counts['queued']} queued, {counts['grading']} "
            f"being graded, {counts['failed']} failed",
            flush=True,
        )
        return EXIT_OK

    stopped = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    loop = GradingLoop(
        root, workers=args.workers, course_id=args.course, poll_seconds=args.poll, on_done=_report
    )
    print(
        f"grading {'course ' + args.course if args.course else 'every course'} in {root.path}; "
        "Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    loop.start()
    while not stopped.wait(1.0):
        pass
    print("stopping after the attempts being graded are recorded", file=sys.stderr, flush=True)
    loop.stop()
    return EXIT_OK
