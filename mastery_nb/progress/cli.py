"""``mastery-nb progress --course C --student S [--json]``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_OK

__all__ = ["format_table", "register", "run"]

_STATE_WORDS = {
    "locked": "locked",
    "unlocked": "unlocked",
    "in_progress": "in progress",
    "grading": "grading",
    "mastered": "MASTERED",
}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "progress",
    )
    parser.add_argument("--course", required=True, help="course id")
    parser.add_argument("--student", required=True, help="student id")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts and LMS glue")
    add_root_options(parser)
    parser.set_defaults(func=run)


def format_table(progress: dict[str, Any]) -> str:
    """A plain-text table: one row per unit, one indented row per objective."""
    lines = [f"{progress['title']} ({progress['course']}): {progress['student']}", ""]
    header = (
        f"{'unit / objective':<34} {'state':<12} {'score':>6} {'needs':>6} {'attempts':>9}  notes"
    )
    lines += [header, "-" * len(header)]
    for unit in progress["units"]:
        used = unit["attempts_used"]
        attempts = (
            f"{used}/{unit['max_attempts']}" if unit["max_attempts"] is not None else f"{used}/-"
        )
        notes = []
        if unit["waits_for"]:
            notes.append("waits for " + ", ".join(unit["waits_for"]))
        if unit["cooldown_until"]:
            notes.append("cooldown until " + unit["cooldown_until"])
        if unit["attempts_left"] == 0 and not unit["mastered"]:
            notes.append("no attempts left")
        problem = unit.get("grading_problem")
        if problem:
            notes.append(f"attempt {problem['attempt']}: {problem['message']} ({problem['cause']})")
        if unit.get("mastered_by") == "placement":
            notes.append(f"mastered by placement ({unit['placement']})")
        if unit.get("form", 1) > 1 and not unit["mastered"]:
            notes.append(f"on form {unit['form']}")
        lines.append(
            f"{unit['id'][:34]:<34} {_STATE_WORDS[unit['state']]:<12} {'':>6} {'':>6} {attempts:>9}  {'; '.join(notes)}"
        )
        for objective in unit["objectives"]:
            mark = "ok" if objective["mastered"] else ""
            lines.append(
                f"  {objective['id'][:32]:<32} {mark:<12} {objective['score'] * 100:>5.0f}% "
                f"{objective['threshold'] * 100:>5.0f}% {'':>9}"
            )
    for placement in progress.get("placements", []):
        used = placement["attempts_used"]
        limit = placement["max_attempts"]
        attempts = f"{used}/{limit}" if limit is not None else f"{used}/-"
        placed = ", ".join(placement["placed"]) or "none yet"
        state = {"available": "not taken", "grading": "grading", "taken": "taken"}[
            placement["state"]
        ]
        lines.append(
            f"{('placement ' + placement['id'])[:34]:<34} {state:<12} {'':>6} {'':>6} "
            f"{attempts:>9}  covers {', '.join(placement['units'])}; placed out of: {placed}"
        )
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    status(
        f"reading the standing of learner '{args.student}' in course {args.course} "
        f"from {root.store_label()}"
    )
    from mastery_nb.progress import check_known_learner, course_progress

    check_known_learner(root, args.course, args.student)
    progress = course_progress(root, args.course, args.student)
    if args.json:
        print(json.dumps(progress, indent=1))
    else:
        print(format_table(progress))
    return EXIT_OK
