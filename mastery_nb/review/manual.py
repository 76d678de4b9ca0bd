"""Grading answers by hand: a grade enters the store and the attempt's totals at once.

nbgrader's manually graded answers (code and Markdown) and tasks are scored ``manual``
(awaiting review, their points pending) when an attempt is graded
(:func:`mastery_nb.grade.scoring.manual_cell`). :func:`record_manual_grade` gives one of
them its points, in one write transaction:

1. a row in ``manual_grades`` (append-only: the audit trail of every grade given);
2. the cell's row in ``cell_results`` (``reviewed``, its points);
3. the attempt's objective rows: the change in points added, the cell's points no longer
   pending, and mastery decided again by :func:`mastery_nb.mastery.decide`;
4. the attempt's points and ``mastered``.

So the standing rule, feedback, progress, the gradebook and the dashboard all read the
grade through the tables they already read, and agree.

Who may grade: course staff (instructors and graders, ``staff`` access in the service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mastery_nb.course.bundle import BundleCell, UnitBundle
from mastery_nb.documents import ManualGradeEntry, ManualGradeRequest, RubricScore
from mastery_nb.mastery import TOLERANCE, decide
from mastery_nb.progress.standing import format_time
from mastery_nb.store.engine import Store
from mastery_nb.store.models import (
    AttemptRow,
    CellResultRow,
    ManualGradeRow,
    ObjectiveResultRow,
    utcnow,
)

__all__ = [
    "Refused",
    "find_attempt",
    "grade_entry",
    "hand_graded_cell",
    "record_manual_grade",
]


class Refused(Exception):
    """A grade or override that cannot be recorded, in words; ``status`` is the HTTP
    status to answer and ``code`` a word for scripts."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Totals:
    points: float
    rubric: list[RubricScore]


def hand_graded_cell(bundle: UnitBundle, notebook: str, grade_id: str) -> BundleCell:
    """The bundle's cell graded by hand at ``notebook``/``grade_id``, or Refused."""
    found = bundle.notebook(notebook)
    cell = next((c for c in found.cells if c.grade_id == grade_id), None) if found else None
    if cell is None:
        raise Refused(
            404,
            "unknown_cell",
            f"unit {bundle.unit!r} has no cell {grade_id!r} in {notebook}",
        )
    if cell.is_test or not (cell.task or (cell.grade and cell.solution)):
        raise Refused(
            409,
            "not_manual",
            f"cell {grade_id!r} of {notebook} is graded automatically, not by hand",
        )
    return cell


def _totals(request: ManualGradeRequest, max_points: float) -> _Totals:
    """The points a request gives: the sum of its rubric, or its points."""
    rubric = list(request.rubric)
    if rubric:
        for item in rubric:
            if item.points > item.max_points + TOLERANCE:
                raise Refused(
                    400,
                    "invalid",
                    f"rubric criterion {item.criterion!r}: {item.points:g} points is more than "
                    f"its {item.max_points:g}",
                )
        total_max = sum(item.max_points for item in rubric)
        if abs(total_max - max_points) > 1e-6:
            raise Refused(
                400,
                "invalid",
                f"the rubric's criteria are worth {total_max:g} points in all; the answer is "
                f"worth {max_points:g}: make them add up to {max_points:g}",
            )
        points = sum(item.points for item in rubric)
        if request.points is not None and abs(request.points - points) > 1e-6:
            raise Refused(
                400,
                "invalid",
                f"points {request.points:g} differ from the rubric's sum {points:g}; "
                "send one or make them agree",
            )
        return _Totals(points, rubric)
    if request.points is None:
        raise Refused(400, "invalid", "give the answer's points (or score a rubric)")
    if request.points > max_points + TOLERANCE:
        raise Refused(
            400,
            "invalid",
            f"{request.points:g} points is more than the answer is worth ({max_points:g})",
        )
    return _Totals(request.points, [])


def find_attempt(
    session: Session, course_id: str, student: str, unit_id: str, number: int
) -> AttemptRow:
    """The attempt row, or Refused (404)."""
    row = session.execute(
        select(AttemptRow).where(
            AttemptRow.course_id == course_id,
            AttemptRow.student_id == student,
            AttemptRow.unit_id == unit_id,
            AttemptRow.number == number,
        )
    ).scalar_one_or_none()
    if row is None:
        raise Refused(
            404,
            "no_attempt",
            f"{student!r} has no attempt {number} of unit {unit_id!r} in course {course_id!r}",
        )
    return row


def grade_entry(row: ManualGradeRow, unit: str, attempt: int) -> ManualGradeEntry:
    return ManualGradeEntry(
        unit=unit,
        attempt=attempt,
        notebook=row.notebook,
        grade_id=row.grade_id,
        points=row.points,
        max_points=row.max_points,
        comment=row.comment,
        rubric=[RubricScore.model_validate(r) for r in row.rubric or []],
        grader=row.grader,
        graded_at=format_time(row.graded_at),
    )


def record_manual_grade(
    store: Store,
    bundle: UnitBundle,
    course_id: str,
    student: str,
    attempt: int,
    request: ManualGradeRequest,
    grader: str,
    *,
    now: datetime | None = None,
) -> ManualGradeEntry:
    """Grade one answer of one graded attempt by hand (see the module docstring)."""
    now = now or utcnow()
    cell = hand_graded_cell(bundle, request.notebook, request.grade_id)
    with store.write() as session:
        row = find_attempt(session, course_id, student, bundle.unit, attempt)
        if row.status != "graded":
            raise Refused(
                409,
                "not_graded",
                f"attempt {attempt} of unit {bundle.unit!r} is {row.status}: grade its "
                "answers by hand once it has been graded",
            )
        result = session.execute(
            select(CellResultRow)
            .where(
                CellResultRow.attempt_id == row.id,
                CellResultRow.notebook == request.notebook,
                CellResultRow.grade_id == request.grade_id,
            )
            .with_for_update()
        ).scalar_one_or_none()
        if result is None:
            raise Refused(
                409,
                "no_result",
                f"attempt {attempt} has no result for {request.grade_id!r} (graded before "
                "the cell was released?)",
            )
        totals = _totals(request, result.max_points)
        grade = ManualGradeRow(
            attempt_id=row.id,
            notebook=request.notebook,
            grade_id=request.grade_id,
            points=round(totals.points, 6),
            max_points=result.max_points,
            comment=request.comment.strip(),
            rubric=[r.model_dump() for r in totals.rubric],
            grader=grader,
            graded_at=now,
        )
        session.add(grade)
        delta = grade.points - result.points
        was_pending = result.status == "manual"
        result.points = grade.points
        result.status = "reviewed"
        result.message = f"graded by hand: {grade.points:g} of {result.max_points:g} points"
        objectives = set(result.objectives or cell.objectives)
        verdicts = []
        for objective in session.execute(
            select(ObjectiveResultRow)
            .where(ObjectiveResultRow.attempt_id == row.id)
            .with_for_update()
        ).scalars():
            if objective.objective in objectives:
                objective.points = round(objective.points + delta, 6)
                if was_pending:
                    objective.pending_points = round(
                        max(0.0, objective.pending_points - result.max_points), 6
                    )
                objective.mastered = decide(
                    objective.points,
                    objective.max_points,
                    objective.threshold,
                    objective.pending_points,
                ).mastered
            verdicts.append(objective.mastered)
        session.execute(
            update(AttemptRow)
            .where(AttemptRow.id == row.id)
            .values(
                points=round((row.points or 0.0) + delta, 6),
                mastered=bool(verdicts) and all(verdicts),
            )
        )
        session.flush()
        return grade_entry(grade, bundle.unit, attempt)
