"""``mastery-nb feedback --course C --student S --unit U [--attempt N] (--json | --html FILE)``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mastery_nb.cli import add_root_options, add_verb_parser, root_from_args, status
from mastery_nb.errors import EXIT_OK
from mastery_nb.markdown import plain_text

__all__ = ["format_text", "register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = add_verb_parser(
        subparsers,
        "feedback",
    )
    parser.add_argument("--course", required=True, help="course id")
    parser.add_argument("--student", required=True, help="student id")
    parser.add_argument("--unit", required=True, help="unit id")
    parser.add_argument(
        "--attempt",
        type=int,
        default=None,
        metavar="N",
        help="attempt number (default: the latest)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the feedback as JSON")
    output.add_argument(
        "--html", metavar="FILE", default=None, help="write a self-contained HTML page"
    )
    parser.add_argument(
        "--link-base",
        metavar="URL",
        default=None,
        help="with --html: the URL course files are linked from, e.g. the course folder in "
        "the learner's JupyterLab (https://hub.example.org/user/ada/lab/tree/intro-data-science/); "
        "default: the released course on this machine (file://.../release/<course>/)",
    )
    add_root_options(parser)
    parser.set_defaults(func=run)


def format_text(feedback: dict[str, Any]) -> str:
    lines = [
        f"{feedback['unit_title']} ({feedback['unit']}), attempt {feedback['attempt']}: {feedback['status']}"
    ]
    for objective in feedback["objectives"]:
        mark = (
            "mastered"
            if objective["mastered"]
            else "awaiting review"
            if objective.get("awaiting_review")
            else "not yet mastered"
        )
        lines.append(
            f"  {objective['id']}: {objective['score'] * 100:.0f}% (needs {objective['threshold'] * 100:.0f}%) {mark}"
        )
        for resource in objective["remediation"]:
            lines.append(f"    study: {resource['title']} <{resource['href']}>")
        for resource in objective["enrichment"]:
            lines.append(f"    go further: {resource['title']} <{resource['href']}>")
    for check in feedback["checks"]:
        if check.get("graded_by_hand") and check.get("awaiting_review"):
            lines.append(
                f"  {plain_text(check.get('label') or check['grade_id'])}: awaiting review"
            )
        elif check.get("comment"):
            lines.append(
                f"  {plain_text(check.get('label') or check['grade_id'])}: graded by hand, "
                f"{check['points']:g} of {check['max_points']:g}: {check['comment'].splitlines()[0]}"
            )
    for check in feedback["failed_checks"]:
        why = check.get("explanation") or check["message"] or check["status"]
        label = plain_text(check.get("label") or check["grade_id"])
        lines.append(f"  {label} ({check['grade_id']}) did not pass: {why.splitlines()[0]}")
        for error in check.get("learner_errors", []):
            lines.append(f"    your code raised {error['message']} in {error['where']}")
    if feedback["unlocked"]:
        lines.append("  unlocked: " + ", ".join(u["id"] for u in feedback["unlocked"]))
    placement = feedback.get("placement")
    for unit in placement["units"] if placement else []:
        if unit["placed"]:
            lines.append(f"  {unit['id']}: mastered by placement")
        else:
            lines.append(f"  {unit['id']}: not placed out; study {', '.join(unit['to_study'])}")
    if placement and placement["start_with"]:
        lines.append("  start with: " + ", ".join(u["id"] for u in placement["start_with"]))
    if feedback.get("form") is not None:
        lines.append(f"  form {feedback['form']} (your form now: {feedback['current_form']})")
    if feedback["unit_mastered"]:
        lines.append("  unit mastered")
        return "\n".join(lines)
    left = feedback["attempts_left"]
    lines.append(
        f"  attempts used: {feedback['attempts_used']}, left: {'unlimited' if left is None else left}"
    )
    if feedback["cooldown_until"]:
        lines.append(f"  cooldown until {feedback['cooldown_until']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    root = root_from_args(args)
    attempt = "the latest attempt" if args.attempt is None else f"attempt {args.attempt}"
    status(
        f"reading the feedback on {attempt} of learner '{args.student}' at unit "
        f"'{args.unit}' of course {args.course} from {root.store_label()}"
    )
    from mastery_nb.feedback import attempt_feedback, render_feedback_html
    from mastery_nb.progress import check_known_learner

    check_known_learner(root, args.course, args.student)
    feedback = attempt_feedback(root, args.course, args.student, args.unit, args.attempt)
    if args.json:
        print(json.dumps(feedback, indent=1))
    elif args.html:
        target = Path(args.html)
        release = root.course_release(args.course)
        link_base = args.link_base or (release.resolve().as_uri() + "/" if release.is_dir() else "")
        if link_base and not link_base.endswith("/"):
            link_base += "/"
        target.write_text(render_feedback_html(feedback, link_base=link_base), encoding="utf-8")
        print(f"wrote {target}")
    else:
        print(format_text(feedback))
    return EXIT_OK
