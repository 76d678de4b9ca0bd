"""Feedback on one attempt, as JSON-ready data.

What a learner needs to act on an attempt: per objective, mastered or not and the score
against the threshold; which checks failed and why (the grader's message, never the source
of hidden tests: any message line that repeats a hidden test line is withheld); the
correctives to study for each objective not yet mastered and the enrichment for the mastered
ones; which units this attempt unlocked; attempts used and left and when the cooldown ends.

Written for the learner (issue 12): each check carries ``label``, the heading of its
exercise in the notebook (from the grading bundle), ``part`` (did it fail in the visible
part of the test cell or in a hidden test) and ``explanation`` (Markdown: the check's own
message without ``AssertionError:``, or what a bare ``assert`` means); ``learner_errors``
are the exceptions the learner's own cells raised, each also listed beside the check it
came before. The older fields stay as they were (the sidebar and the service read them).

Forms (issue 13): ``form`` is the form the attempt was made on and ``current_form`` the
learner's form now; messages are redacted against the hidden tests *as graded for that
form*. A placement attempt (``unit`` is a placement's id) reports on every objective of
the units it covers and adds ``placement``: per unit, placed out of or not and the
objectives to study, and the units the learner can start with now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from mastery_nb.course.bundle import HIDDEN_BEGIN, HIDDEN_END, BundleCell, UnitBundle
from mastery_nb.course.model import Course, Objective, Placement, Unit
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.feedback.words import check_explanation, clean_error, error_place
from mastery_nb.mastery import decide
from mastery_nb.progress.report import problem_json
from mastery_nb.progress.standing import (
    AttemptRecord,
    Override,
    PlacementStanding,
    UnitStanding,
    format_time,
    grading_problem,
    placement_standing,
    standing,
)
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.models import AttemptRow, CellResultRow, ObjectiveResultRow
from mastery_nb.store.queries import latest_manual_grades, learner_history

__all__ = ["attempt_feedback", "hidden_lines", "redact"]

WITHHELD = "[part of this message is withheld: it would show a hidden test]"


def hidden_lines(bundle: UnitBundle) -> set[str]:
    """The stripped lines of every hidden test region in the unit (long enough to matter)."""
    lines: set[str] = set()
    for notebook in bundle.notebooks:
        for cell in notebook.cells:
            for _, line in cell.hidden_lines():
                stripped = line.strip()
                if len(stripped) >= 6 and not stripped.startswith((HIDDEN_BEGIN, HIDDEN_END)):
                    lines.add(stripped)
    return lines


def redact(message: str, hidden: set[str]) -> str:
    """The message without any line that contains a hidden test line."""
    if not hidden or not message:
        return message
    kept = []
    withheld = False
    for line in message.splitlines():
        if any(h in line for h in hidden):
            withheld = True
        else:
            kept.append(line)
    if withheld:
        kept.append(WITHHELD)
    return "\n".join(kept)


def _record(row: AttemptRow) -> AttemptRecord:
    return AttemptRecord(
        unit=row.unit_id,
        number=row.number,
        submitted_at=row.submitted_at,
        status=row.status,
        error=row.error,
        grader_errors=row.grader_errors or 0,
    )


def _resources(items: tuple[Any, ...]) -> list[dict[str, str]]:
    return [{"title": r.title, "href": r.href} for r in items]


def _unlocked(
    course: Course,
    records: list[AttemptRecord],
    overrides: list[Override],
    unit_id: str,
    number: int,
    now: datetime,
) -> list[dict[str, str]]:
    before = [r for r in records if r.unit != unit_id or r.number < number]
    after = [r for r in records if r.unit != unit_id or r.number <= number]
    was = standing(course, before, now, overrides)
    becomes = standing(course, after, now, overrides)
    return [
        {"id": u.id, "title": u.title}
        for u in course.units
        if was[u.id].state == "locked" and becomes[u.id].state != "locked"
    ]


def _cells(bundle: UnitBundle | None) -> dict[tuple[str, str], BundleCell]:
    if bundle is None:
        return {}
    return {(nb.path, c.grade_id): c for nb in bundle.notebooks for c in nb.cells}


def _check_label(cell: BundleCell | None, grade_id: str, position: int) -> str:
    """The check as the learner sees it: its exercise's heading, else its place."""
    if cell is not None and cell.label:
        return cell.label
    return f"Check {position + 1} of this unit"


def _learner_errors(
    raw: list[dict[str, Any]] | None, cells: dict[tuple[str, str], BundleCell], hidden: set[str]
) -> list[dict[str, Any]]:
    """The learner's own errors, said where they happened in the learner's words."""
    errors = []
    for item in raw or []:
        notebook, cell_id = str(item.get("notebook", "")), item.get("cell")
        cell = cells.get((notebook, cell_id)) if isinstance(cell_id, str) else None
        before = item.get("before")
        errors.append(
            {
                "notebook": notebook,
                "cell": cell_id,
                "where": error_place(
                    str(item.get("where", "")),
                    cell.label if cell else "",
                    bool(cell and cell.solution),
                ),
                "message": redact(clean_error(str(item.get("message", ""))), hidden),
                "line": item.get("line"),
                "before": before,
            }
        )
    return errors


def _graded_bundle(
    root: CourseRoot, course: Course, item: Unit | Placement, student: str, form: int
) -> UnitBundle | None:
    """The bundle as this attempt was graded (its form filled in), for redacting messages."""
    try:
        bundle = ReleasedCourse.of(root, course.id).unit_bundle(item.id)
    except MasteryError:
        return None
    if not item.forms:
        return bundle
    from mastery_nb.forms.learner import learner_form
    from mastery_nb.forms.notebook import render_bundle

    try:
        drawn = learner_form(root, course.id, item.id, student, form)
    except MasteryError:
        return bundle
    return bundle if drawn is None else render_bundle(bundle, drawn)


def _placement_outcome(
    course: Course,
    placement: Placement,
    objective_rows: dict[str, Any],
    now_standing: dict[str, UnitStanding],
) -> dict[str, Any]:
    """Per covered unit: placed out of by this attempt or not, and what to study."""
    units = []
    for unit_id in placement.units:
        unit = course.unit(unit_id)
        if unit is None:
            continue
        short = [
            o.id
            for o in unit.objectives
            if not (objective_rows.get(o.id) is not None and objective_rows[o.id].mastered)
        ]
        units.append(
            {
                "id": unit.id,
                "title": unit.title,
                "placed": not short,
                "mastered": now_standing[unit.id].mastered,
                "to_study": short,
            }
        )
    start_with = [
        {"id": u.id, "title": u.title}
        for u in course.units
        if now_standing[u.id].state in ("unlocked", "in_progress")
    ]
    return {"units": units, "start_with": start_with}


def attempt_feedback(
    root: CourseRoot,
    course_id: str,
    student: str,
    unit_id: str,
    attempt: int | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Feedback on attempt ``attempt`` (the latest by default) of ``unit_id`` by ``student``."""
    now = now or utcnow()
    released = ReleasedCourse.of(root, course_id)
    course = released.course(bundle_only=False)
    unit = course.gradable(unit_id)
    if unit is None:
        raise MasteryError(
            Problem(
                "--unit",
                "",
                f"course '{course_id}' has no unit '{unit_id}'",
                "use one of: "
                + ", ".join([u.id for u in course.units] + [p.id for p in course.placements]),
            )
        )
    store = open_store(root)
    with store.read() as session:
        query = select(AttemptRow).where(
            AttemptRow.course_id == course_id,
            AttemptRow.student_id == student,
            AttemptRow.unit_id == unit_id,
        )
        if attempt is None:
            query = query.order_by(AttemptRow.number.desc()).limit(1)
            row = session.execute(query).scalar_one_or_none()
        elif not 1 <= attempt < 2**31:  # no such attempt, and no number the database takes
            row = None
        else:
            query = query.where(AttemptRow.number == attempt)
            row = session.execute(query).scalar_one_or_none()
        if row is None:
            what = f"attempt {attempt}" if attempt is not None else "any attempt"
            raise MasteryError(
                Problem(
                    "--attempt" if attempt is not None else "--unit",
                    "",
                    f"student '{student}' has not submitted {what} of unit '{unit_id}' "
                    f"in course '{course_id}'",
                    "check the student id, unit and attempt number (see `mastery-nb progress`)",
                )
            )
        cells = (
            session.execute(
                select(CellResultRow)
                .where(CellResultRow.attempt_id == row.id)
                .order_by(CellResultRow.position)
            )
            .scalars()
            .all()
        )
        objective_rows = {
            o.objective: o
            for o in session.execute(
                select(ObjectiveResultRow).where(ObjectiveResultRow.attempt_id == row.id)
            ).scalars()
        }
        records, overrides = learner_history(session, course_id, student)
        hand_grades = latest_manual_grades(session, [row.id])

    bundle = _graded_bundle(root, course, unit, student, row.form or 1)
    hidden = hidden_lines(bundle) if bundle else set()
    cells_of = _cells(bundle)
    learner_errors = _learner_errors(row.learner_errors, cells_of, hidden)
    units_now = standing(course, records, now, overrides)
    units_then = standing(
        course,
        [r for r in records if r.unit != unit_id or r.number <= row.number],
        now,
        overrides,
    )
    current: UnitStanding | PlacementStanding
    objective_list: list[Objective]
    if isinstance(unit, Placement):
        current = placement_standing(course, records, now)[unit_id]
        covered = [units_then[u] for u in unit.units if u in units_then]
        overall = {o.id: o for u in covered for o in u.objectives}
        objective_list = [
            o
            for covered_unit in (course.unit(u) for u in unit.units)
            if covered_unit is not None
            for o in covered_unit.objectives
        ]
        unit_mastered = bool(covered) and all(u.mastered for u in covered)
    else:
        current = units_now[unit_id]
        overall = {o.id: o for o in units_then[unit_id].objectives}
        objective_list = list(unit.objectives)
        unit_mastered = units_then[unit_id].mastered

    checks: list[dict[str, Any]] = []
    for position, c in enumerate(cells):
        message = redact(c.message, hidden)
        bundle_cell = cells_of.get((c.notebook, c.grade_id))
        by_hand = c.status in ("manual", "reviewed") or bool(
            bundle_cell and (bundle_cell.task or (bundle_cell.grade and bundle_cell.solution))
        )
        hand = hand_grades.get((row.id, c.notebook, c.grade_id))
        passed = c.status == "passed" or (
            c.status == "reviewed" and c.points + 1e-9 >= c.max_points
        )
        awaiting = c.status == "manual"
        checks.append(
            {
                "graded_by_hand": by_hand,
                "awaiting_review": awaiting,
                "comment": hand.comment if hand else "",
                "rubric": list(hand.rubric) if hand else [],
                "notebook": c.notebook,
                "grade_id": c.grade_id,
                "objectives": list(c.objectives),
                "points": c.points,
                "max_points": c.max_points,
                "status": c.status,
                "passed": passed,
                "message": message,
                "label": _check_label(bundle_cell, c.grade_id, position),
                "part": c.part or "",
                "explanation": ""
                if passed or by_hand
                else check_explanation(message, c.status, c.part),
                "learner_errors": []
                if passed or by_hand
                else [
                    e
                    for e in learner_errors
                    if e["notebook"] == c.notebook and e["before"] == c.grade_id
                ],
            }
        )
    graded = row.status == "graded"
    objectives = []
    for objective in objective_list:
        result = objective_rows.get(objective.id)
        points = result.points if result else 0.0
        max_points = result.max_points if result else 0.0
        verdict = decide(
            points, max_points, objective.threshold, result.pending_points if result else 0.0
        )
        mastered_here = bool(result and result.mastered)
        standing_here = overall.get(objective.id)
        mastered_overall = bool(standing_here and standing_here.mastered)
        awaiting = graded and verdict.awaiting_review and not mastered_overall
        objectives.append(
            {
                "id": objective.id,
                "description": objective.description,
                "points": points,
                "max_points": max_points,
                "score": round(verdict.score, 6),
                "threshold": objective.threshold,
                "mastered": mastered_here,
                "mastered_overall": mastered_overall,
                "standing_score": round(standing_here.score, 6) if standing_here else 0.0,
                "failed_checks": [
                    c["grade_id"]
                    for c in checks
                    if objective.id in c["objectives"]
                    and not c["passed"]
                    and not c["awaiting_review"]
                ],
                "awaiting_review": awaiting,
                "excused": bool(standing_here and standing_here.excused),
                "remediation": _resources(objective.remediation)
                if graded and not mastered_overall and not awaiting
                else [],
                "enrichment": _resources(objective.enrichment)
                if graded and mastered_overall
                else [],
            }
        )
    return {
        "course": course_id,
        "course_title": course.title,
        "unit": unit_id,
        "unit_title": unit.title,
        "student": student,
        "attempt": row.number,
        "status": row.status,
        "submitted_at": format_time(row.submitted_at),
        "graded_at": format_time(row.graded_at) if row.graded_at else None,
        "duration_seconds": row.duration_seconds,
        "points": row.points,
        "max_points": row.max_points,
        "mastered": bool(row.mastered) if graded else False,
        "unit_mastered": unit_mastered,
        "scoring": unit.policy.scoring,
        "objectives": objectives,
        "checks": checks,
        "failed_checks": [c for c in checks if not c["passed"] and not c["awaiting_review"]],
        "unlocked": _unlocked(course, records, overrides, unit_id, row.number, now)
        if graded
        else [],
        "awaiting_review": any(o["awaiting_review"] for o in objectives),
        "messages": [redact(m, hidden) for m in row.messages],
        "tampering": list(row.tampering),
        "learner_errors": learner_errors,
        "error": row.error,
        "grading_problem": problem_json(grading_problem(_record(row))),
        "attempts_used": current.attempts_used,
        "attempts_left": current.attempts_left,
        "max_attempts": current.max_attempts,
        "cooldown_until": format_time(current.cooldown_until) if current.cooldown_until else None,
        "state": current.state,
        "can_submit": current.can_submit,
        "refusal_reason": current.refusal_reason,
        "latest_attempt": current.last_attempt,
        "form": (row.form or 1) if unit.forms else None,
        "current_form": current.form if unit.forms else None,
        "placement": _placement_outcome(course, unit, objective_rows, units_now)
        if isinstance(unit, Placement) and graded
        else None,
    }
