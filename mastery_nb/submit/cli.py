"""``mastery-nb submit NOTEBOOK... --course C --unit U [--student S] [--json]``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_OK, MasteryError, Problem, SubmissionRefused
from mastery_nb.identity import current_learner

__all__ = ["default_student", "register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "submit",
        description="Store an attempt of a unit and queue it for grading. Refused, without "
        "using an attempt, when the unit is locked, cooling down, out of attempts, or the "
        "notebook is invalid (exit 3 for the policy, 2 for bad input). It first says on "
        "stderr what it submits and as whom; stdout holds only the result (--json: only JSON).",
    )
    parser.add_argument(
        "notebooks", nargs="+", metavar="NOTEBOOK", help="the unit's notebook file(s)"
    )
    parser.add_argument("--course", required=True, help="course id")
    parser.add_argument("--unit", required=True, help="unit id")
    parser.add_argument(
        "--student",
        default=None,
        help="student id (default: $JUPYTERHUB_USER, else the OS user)",
    )
    parser.add_argument("--json", action="store_true", help="print the queued attempt as JSON")
    add_root_options(parser)
    parser.set_defaults(func=run)


def default_student() -> str:
    """The JupyterHub user when running on a hub, the OS user otherwise (one rule:
    :func:`mastery_nb.identity.current_learner`)."""
    return current_learner()


def _notebook_key(path: Path, expected: tuple[str, ...], given: int) -> str | None:
    """Which notebook of the unit a file is: by relative path, then by file name."""
    text = path.as_posix()
    for key in expected:
        if text == key or text.endswith("/" + key):
            return key
    by_name = [k for k in expected if Path(k).name == path.name]
    if len(by_name) == 1:
        return by_name[0]
    if len(expected) == 1 and given == 1:
        return expected[0]  # a renamed copy; its content is checked against the unit
    return None  # none of the unit's notebooks: ignored, with a note


def run(args: argparse.Namespace) -> int:
    """Submit; with ``--json`` a refusal is also printed as JSON on stdout for scripts
    (``{"status": "refused", "code": ..., "reason": ...}``), the words still on stderr."""
    try:
        return _run(args)
    except SubmissionRefused as refused:
        if args.json:
            print(json.dumps({"status": "refused", "code": refused.code, "reason": refused.reason}))
        raise
    except MasteryError as error:
        if args.json:
            reason = "; ".join(str(p) for p in error.problems)
            print(json.dumps({"status": "refused", "code": "invalid", "reason": reason}))
        raise


def _run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    student = args.student or default_student()
    status(
        f"submitting {', '.join(Path(name).name for name in args.notebooks)} as learner "
        f"'{student}' to unit '{args.unit}' of course {args.course} in {root.path}"
    )
    from mastery_nb.course.reader import ReleasedCourse
    from mastery_nb.submit import InvalidSubmission, submit_attempt
    from mastery_nb.submit.notebooks import MAX_NOTEBOOK_BYTES

    course = ReleasedCourse.of(root, args.course).course()
    unit = course.gradable(args.unit)  # a unit, or a placement
    if unit is None:
        raise MasteryError(
            Problem(
                "--unit",
                "",
                f"course '{args.course}' has no unit '{args.unit}'",
                "use one of: "
                + ", ".join([u.id for u in course.units] + [p.id for p in course.placements]),
            )
        )
    notebooks: dict[str, bytes] = {}
    given: dict[str, str] = {}  # notebook path in the unit -> the file the user named
    ignored: list[str] = []
    for name in args.notebooks:
        path = Path(name)
        key = _notebook_key(path, unit.notebooks, len(args.notebooks))
        if key is None:
            ignored.append(f"{name}: not a notebook of unit '{unit.id}'; ignored")
            continue
        try:
            if path.stat().st_size > MAX_NOTEBOOK_BYTES:
                data = b"x" * (MAX_NOTEBOOK_BYTES + 1)  # let the common check word the refusal
            else:
                data = path.read_bytes()
        except OSError as error:
            raise MasteryError(
                Problem(
                    name,
                    "",
                    f"cannot read it ({error.strerror})",
                    "give the path of the notebook file",
                )
            ) from None
        if key in notebooks:
            raise MasteryError(
                Problem(name, "", f"{key} is given twice", "submit each notebook of the unit once")
            )
        notebooks[key] = data
        given[key] = name
    try:
        receipt = submit_attempt(root, args.course, args.unit, student, notebooks)
    except InvalidSubmission as invalid:
        if invalid.problem is None:
            raise
        problem = invalid.problem
        raise MasteryError(
            Problem(
                given.get(problem.file, problem.file), problem.place, problem.message, problem.fix
            )
        ) from None
    notes = [*ignored, *receipt.notes]
    if args.json:
        print(json.dumps({**receipt.to_json(), "notes": notes}, indent=1, sort_keys=True))
    else:
        for note in notes:
            print(f"note: {note}")
        left = "unlimited" if receipt.attempts_left is None else str(receipt.attempts_left)
        print(
            f"queued attempt {receipt.attempt} of unit '{receipt.unit}' for {receipt.student} "
            f"(attempts used: {receipt.attempts_used}, left: {left})"
        )
        if receipt.cooldown_until:
            print(f"next submission possible after {receipt.to_json()['cooldown_until']}")
        print(f"grade it with: mastery-nb grade --course {receipt.course}")
    return EXIT_OK
