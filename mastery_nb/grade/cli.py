"""``mastery-nb grade [--watch] [--workers N] [--course C] [--scheduler A | --gateway URL]``:
the grading queue worker."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_FAILURE, EXIT_OK, MasteryError, Problem
from mastery_nb.grade.cluster_options import add_cluster_options, cluster_from_args
from mastery_nb.grade.launch import head_start, release_head_start
from mastery_nb.grade.limits import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_NOTEBOOK_TIMEOUT,
    DEFAULT_OUTPUT_BYTES,
)

if TYPE_CHECKING:
    from mastery_nb.grade.gateway import GatewayTarget
    from mastery_nb.root import CourseRoot

__all__ = ["register", "run"]

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _seconds(text: str) -> float:
    from mastery_nb.course.settings import parse_seconds

    try:
        return parse_seconds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _bytes(text: str) -> int:
    from mastery_nb.course.settings import parse_bytes

    try:
        return parse_bytes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _modules(text: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    bad = [n for n in names if not _MODULE.match(n)]
    if bad:
        raise argparse.ArgumentTypeError(f"{bad[0]!r} is not a module name (write a,b.c)")
    return names


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "grade",
        description="Grade queued attempts against the private bundle in autograder/. Safe to "
        "kill at any moment and to run several at once: every attempt is graded exactly once. "
        "Each course's [grading] settings in course.toml apply; the options below override "
        "them for this run. A grading that fails in the grader (not the learner's answers) is "
        "retried, then recorded as a grader error that uses no attempt.",
    )
    parser.add_argument(
        "--watch", action="store_true", help="keep running, grading new attempts as they arrive"
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
        "--retry-errors",
        "--retry-failed",
        dest="retry_errors",
        action="store_true",
        help="queue the attempts that ended in a grader error again first",
    )
    settings = parser.add_argument_group(
        "grading settings (default: the course's [grading], else the value shown)"
    )
    settings.add_argument(
        "--cell-timeout",
        type=_seconds,
        default=None,
        metavar="TIME",
        help=f"time one cell may run, e.g. 30s, 2m (default {DEFAULT_CELL_TIMEOUT:g}s)",
    )
    settings.add_argument(
        "--notebook-timeout",
        type=_seconds,
        default=None,
        metavar="TIME",
        help=f"time one notebook may run (default {DEFAULT_NOTEBOOK_TIMEOUT:g}s)",
    )
    settings.add_argument(
        "--memory",
        type=_bytes,
        default=None,
        metavar="SIZE",
        help=f"memory a notebook may use, e.g. 512MiB, 2GiB (default {DEFAULT_MEMORY_BYTES // 2**30} GiB)",
    )
    settings.add_argument(
        "--output-limit",
        type=_bytes,
        default=None,
        metavar="SIZE",
        help=f"characters one cell may print (default {DEFAULT_OUTPUT_BYTES // 2**20} MiB)",
    )
    settings.add_argument(
        "--preload",
        type=_modules,
        default=None,
        metavar="MODULES",
        help="more modules to import once per worker, comma-separated (default: the course's)",
    )
    add_cluster_options(parser)
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
    elif done.status == "retrying":
        line = (
            f"grader fault on {who} (it will be retried; not the learner's answers): {done.error}"
        )
    elif done.status == "grader-error":
        line = (
            f"grader error on {who} (it uses no attempt; queue it again with --retry-errors "
            f"once fixed): {done.error}"
        )
    else:
        line = f"{done.status} {who}: {done.error}"
    print(line, flush=True)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "cell_timeout": args.cell_timeout,
        "notebook_timeout": args.notebook_timeout,
        "memory_bytes": args.memory,
        "max_output_bytes": args.output_limit,
        "preload": args.preload,
    }


def _first_line(
    args: argparse.Namespace, cluster: str | GatewayTarget | None, root: CourseRoot
) -> str:
    """What this run grades, where and on what: said before the grader's imports."""
    what = f"course {args.course}" if args.course else "every course"
    if cluster is None:
        on = f"with {args.workers} local worker{'s' if args.workers != 1 else ''}"
    elif isinstance(cluster, str):
        on = f"on the Dask cluster at {cluster}"
    else:
        gateway = cluster.address or "the gateway of Dask's config"
        on = (
            f"on cluster {cluster.cluster} of {gateway}"
            if cluster.cluster
            else f"on a new cluster of {cluster.workers} worker(s) from {gateway}"
        )
    if args.watch:
        return f"grading {what} in {root.path} {on}, as attempts arrive; Ctrl-C to stop"
    return f"grading the queued attempts of {what} in {root.path} {on}"


def run(args: argparse.Namespace) -> int:
    cluster = cluster_from_args(args)
    root = root_from_args(args)
    status(_first_line(args, cluster, root))
    if cluster is None and not args.watch:
        # the local pool's zygotes import the default preload (at a lower CPU priority)
        # while this process imports the grader and reads the queue (grade/launch.py)
        head_start(args.workers)
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.grade.queue import GradingLoop, grade_pending, queue_counts, retry_errors
    from mastery_nb.grade.worker import WorkerUnavailable

    if args.course is not None and not ReleasedCourse.of(root, args.course).is_released():
        raise MasteryError(
            Problem(
                root.relative(root.course_bundle(args.course)),
                "",
                f"course '{args.course}' is not released",
                f"run `mastery-nb release {args.course}`",
            )
        )
    if args.retry_errors:
        print(
            f"queued {retry_errors(root, course_id=args.course)} attempt(s) with a grader error again",
            flush=True,
        )
    overrides = _overrides(args)
    if not args.watch:
        try:
            graded = grade_pending(
                root,
                workers=args.workers,
                course_id=args.course,
                on_done=_report,
                overrides=overrides,
                scheduler=cluster,
            )
        except WorkerUnavailable as error:
            print(
                f"error: the grader cannot start: {error}. The queue is unchanged.",
                file=sys.stderr,
            )
            return EXIT_FAILURE
        finally:
            release_head_start()  # those no pool adopted (an empty queue)
        counts = queue_counts(root, course_id=args.course, include_graded=False)
        print(
            f"graded {graded} attempt(s); queue: {counts['queued']} queued, {counts['grading']} "
            f"being graded, {counts['grader-error']} grader error(s)",
            flush=True,
        )
        return EXIT_OK

    stopped = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    loop = GradingLoop(
        root,
        workers=args.workers,
        course_id=args.course,
        poll_seconds=args.poll,
        on_done=_report,
        overrides=overrides,
        scheduler=cluster,
    )
    loop.start()
    reported: str | None = None
    while not stopped.wait(1.0):
        if loop.problem != reported:
            reported = loop.problem
            if reported:
                print(f"error: the grader cannot work: {reported}", file=sys.stderr, flush=True)
    print("stopping after the attempts being graded are recorded", file=sys.stderr, flush=True)
    loop.stop()
    return EXIT_OK
