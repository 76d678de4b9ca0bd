"""Reads shared by submit, progress, feedback and the server: one query per question, no N+1.

A learner's whole history in a course is one indexed query (attempts joined with their
objective results, ``uq_attempt_number`` covers ``course_id, student_id``), so a progress
request costs the same whatever the number of learners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mastery_nb.course.bundle import UnitBundle
from mastery_nb.course.model import Course
from mastery_nb.course.reader import ReleasedCourse
from mastery_nb.root import CourseRoot
from mastery_nb.store.models import AttemptRow, ObjectiveResultRow

if TYPE_CHECKING:
    from mastery_nb.progress.standing import AttemptRecord

__all__ = ["learner_records", "load_released_course", "load_released_unit"]


def load_released_course(
    root: CourseRoot, course_id: str, *, bundle_only: bool = False, public_only: bool = False
) -> Course:
    """The released course; delegates to :class:`~mastery_nb.course.reader.ReleasedCourse`
    (the one reader and its cache), kept for callers written before it."""
    return ReleasedCourse.of(root, course_id).course(
        bundle_only=bundle_only, public_only=public_only
    )


def load_released_unit(root: CourseRoot, course_id: str, unit_id: str) -> UnitBundle:
    """One unit's grading bundle; delegates to :class:`~mastery_nb.course.reader.ReleasedCourse`."""
    return ReleasedCourse.of(root, course_id).unit_bundle(unit_id)


def learner_records(session: Session, course_id: str, student: str) -> list[AttemptRecord]:
    """Every attempt of one learner in one course with its objective results.

    Two indexed Core queries (no ORM object loading, no per-attempt query): this runs on
    every sidebar refresh, so it is kept to a few milliseconds for 40 units x 20 attempts.
    """
    from mastery_nb.progress.standing import AttemptRecord  # progress imports the store

    connection = session.connection()
    learner = (AttemptRow.course_id == course_id, AttemptRow.student_id == student)
    attempts = connection.execute(
        select(
            AttemptRow.id,
            AttemptRow.unit_id,
            AttemptRow.number,
            AttemptRow.submitted_at,
            AttemptRow.status,
            AttemptRow.error,
            AttemptRow.grader_errors,
        ).where(*learner)
    ).all()
    scores: dict[int, dict[str, tuple[float, float]]] = {}
    if any(row.status == "graded" for row in attempts):
        results = connection.execute(
            select(
                ObjectiveResultRow.attempt_id,
                ObjectiveResultRow.objective,
                ObjectiveResultRow.points,
                ObjectiveResultRow.max_points,
            )
            .join(AttemptRow, AttemptRow.id == ObjectiveResultRow.attempt_id)
            .where(*learner)
        ).all()
        for attempt_id, objective, points, max_points in results:
            scores.setdefault(attempt_id, {})[objective] = (points, max_points)
    return [
        AttemptRecord(
            unit=unit_id,
            number=number,
            submitted_at=submitted_at,
            status=status,
            objectives=scores.get(attempt_id, {}),
            error=error,
            grader_errors=grader_errors or 0,
        )
        for attempt_id, unit_id, number, submitted_at, status, error, grader_errors in attempts
    ]
