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
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from mastery_nb.course.bundle import HIDDEN_BEGIN, HIDDEN_END, BundleCell, UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.errors import MasteryError, Problem
from mastery_nb.feedback.words import check_explanation, clean_error, error_place
from mastery_nb.mastery import score as mastery_score
from mastery_nb.progress.report import problem_json
from mastery_nb.progress.standing import AttemptRecord, format_time, grading_problem, standing
from mastery_nb.root import CourseRoot
from mastery_nb.store import open_store, utcnow
from mastery_nb.store.models import AttemptRow, CellResultRow, ObjectiveResultRow
from mastery_nb.store.queries import learner_records

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
    course: Course, records: list[AttemptRecord], unit_id: str, number: int, now: datetime
) -> list[dict[str, str]]:
    before = [r for r in records if r.unit != unit_id or r.number < number]
    after = [r for r in records if r.unit != unit_id or r.number <= number]
    was = standing(course, before, now)
    becomes = standing(course, after, now)
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
    unit = course.unit(unit_id)
    if unit is None:
        raise MasteryError(
            Problem(
                "--unit",
                "",
                f"course '{course_id}' has no unit '{unit_id}'",
                "use one of: " + ", ".join(u.id for u in course.units),
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
        records = learner_records(session, course_id, student)

    try:
        bundle: UnitBundle | None = released.unit_bundle(unit_id)
    except MasteryError:
        bundle = None
    hidden = hidden_lines(bundle) if bundle else set()
    cells_of = _cells(bundle)
    learner_errors = _learner_errors(row.learner_errors, cells_of, hidden)
    current = standing(course, records, now)[unit_id]
    as_of_attempt = standing(
        course, [r for r in records if r.unit != unit_id or r.number <= row.number], now
    )[unit_id]
    overall = {o.id: o for o in as_of_attempt.objectives}

    checks: list[dict[str, Any]] = []
    for position, c in enumerate(cells):
        message = redact(c.message, hidden)
        passed = c.status == "passed"
        checks.append(
            {
                "notebook": c.notebook,
                "grade_id": c.grade_id,
                "objectives": list(c.objectives),
                "points": c.points,
                "max_points": c.max_points,
                "status": c.status,
                "passed": passed,
                "message": message,
                "label": _check_label(cells_of.get((c.notebook, c.grade_id)), c.grade_id, position),
                "part": c.part or "",
                "explanation": "" if passed else check_explanation(message, c.status, c.part),
                "learner_errors": []
                if passed
                else [
                    e
                    for e in learner_errors
                    if e["notebook"] == c.notebook and e["before"] == c.grade_id
                ],
            }
        )
    graded = row.status == "graded"
    objectives = []
    for objective in unit.objectives:
        result = objective_rows.get(objective.id)
        points = result.points if result else 0.0
        max_points = result.max_points if result else 0.0
        score = mastery_score(points, max_points)
        mastered_here = bool(result and result.mastered)
        standing_here = overall.get(objective.id)
        mastered_overall = bool(standing_here and standing_here.mastered)
        objectives.append(
            {
                "id": objective.id,
                "description": objective.description,
                "points": points,
                "max_points": max_points,
                "score": round(score, 6),
                "threshold": objective.threshold,
                "mastered": mastered_here,
                "mastered_overall": mastered_overall,
                "standing_score": round(standing_here.score, 6) if standing_here else 0.0,
                "failed_checks": [
                    c["grade_id"]
                    for c in checks
                    if objective.id in c["objectives"] and not c["passed"]
                ],
                "remediation": _resources(objective.remediation)
                if graded and not mastered_overall
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
        "unit_mastered": as_of_attempt.mastered,
        "scoring": unit.policy.scoring,
        "objectives": objectives,
        "checks": checks,
        "failed_checks": [c for c in checks if not c["passed"]],
        "unlocked": _unlocked(course, records, unit_id, row.number, now) if graded else [],
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
    }
